"""Full-text search: Pagefind indexes the written pages; we add what Pagefind cannot know (actor aliases).

Pagefind (its Python API, binary inside the `pagefind[bin]` wheel, offline) reads the article pages only
(`data-pagefind-body`), one index per `<html lang>`; filters sit in `<meta>` tags so they never leak into
excerpts, and sorting by date is ours (`date_tables`). `/data/search-actors.json` is the alias table the search
page uses to recognise a query that names an actor in any script or spelling; `/data/search/actors/<id>/<n>.json`
lists that actor's articles page by page, newest first, so the page can show them without a filter-only Pagefind
search (which loads every index chunk).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import math
import os
import tempfile
import time
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from pagefind.index import IndexConfig, PagefindIndex

from generator.actor_pages import actor_item
from generator.arabic import normalize
from generator.model import Actor, Article
from generator.pages import Site, summary_view
from generator.parallel import Tick, fork_map, no_progress
from generator.search_text import index_copy, page_words, respelled

BUNDLE = "pagefind"
DATES = "arshif-dates"  # inside the bundle, see `date_tables`
FRAGMENT_SIGNATURE = b"pagefind_dcd"
SHARDS = "data/search/actors"
ALIAS_TABLE = "data/search-actors.json"
ALIASES = "data/search/aliases"
# Entries per shard file, as many as the search page shows at a time (search.js PAGE): 20 entries of an Arabic
# archive (titles, date texts, a few actor ids, the naming sentence) come to ~13 KB before gzip.
SHARD_PAGE = 20


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    seconds: float


def index_site(
    root: Path,
    bundle: Path | None = None,
    workers: int = 1,
    scratch: Path | None = None,
    scratch_prefix: str = "arshif-index-",
) -> SearchIndex:
    """Index the site at `root` into `bundle` (default `root/pagefind/`), with the bundle's date tables.

    Pagefind reads unmarked copies of the pages (see search_text), made in a temporary folder in `scratch`
    (default: the system's); its fragments get the published spelling back; both passes are spread over
    `workers` processes.
    """
    started = time.perf_counter()
    bundle = bundle or root / BUNDLE
    with tempfile.TemporaryDirectory(prefix=scratch_prefix, dir=scratch) as copies:
        pages = [str(p) for p in root.rglob("*.html")]
        fork_map(partial(_write_index_copies, str(root), copies), pages, workers, no_progress)
        # A thread of its own gives asyncio a fresh loop even when the caller already runs one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            count = pool.submit(asyncio.run, _index(Path(copies), bundle)).result()
    fragments = [str(p) for p in (bundle / "fragment").glob("*.pf_fragment")]
    dates = fork_map(partial(_respell_fragments, root), fragments, workers, no_progress)
    for name, body in date_tables(pair for share in dates for pair in share).items():
        path = bundle / DATES / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(body, "utf-8")
    return SearchIndex(count, time.perf_counter() - started)


def _write_index_copies(root: str, copies: str, pages: Sequence[str], tick: Tick) -> int:
    written = 0
    for page in pages:
        copy = index_copy(Path(page).read_text("utf-8"))
        if copy is not None:
            target = Path(copies) / os.path.relpath(page, root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(copy, "utf-8")
            written += 1
        tick()
    return written


def _respell_fragments(root: Path, paths: Sequence[str], tick: Tick) -> list[tuple[str, dict[str, object]]]:
    """Give each fragment (gzip: a signature, then JSON) its page's published words; its id and metadata."""
    out: list[tuple[str, dict[str, object]]] = []
    for name in paths:
        path = Path(name)
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        url = unquote(str(fragment["url"])).lstrip("/")
        page = root / url / "index.html" if not url or url.endswith("/") else root / url
        if page.is_file():
            content = respelled(str(fragment["content"]), page_words(page.read_text("utf-8")))
            if content != fragment["content"]:
                fragment["content"] = content
                body = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode()
                path.write_bytes(gzip.compress(FRAGMENT_SIGNATURE + body, 6, mtime=0))  # same bytes for the same page
        out.append((path.stem, {"meta": fragment.get("meta", {})}))
        tick()
    return out


def date_tables(fragments: Iterable[tuple[str, Mapping[str, object]]]) -> dict[str, str]:
    """Files for sorting by date: `years.json` (newest first) and per year the Pagefind page ids of each day.

    Pagefind could sort by date itself, but its sort list sits in the metadata file every search downloads
    (39 KB of 164 at 20,000 articles). These tables are fetched only when a reader sorts by date, newest year
    first and only as far as the page shown needs. They live in the bundle because they name Pagefind's ids.
    """
    days: dict[str, dict[str, list[str]]] = {}
    for page_id, fragment in fragments:
        date = str(fragment.get("meta", {}).get("date") or "")  # type: ignore[union-attr]
        if len(date) >= 4:
            days.setdefault(date[:4], {}).setdefault(date, []).append(page_id)
    tables = {"years.json": json.dumps(sorted(days, reverse=True))}
    for year, by_day in days.items():
        rows = [[day, " ".join(sorted(ids))] for day, ids in sorted(by_day.items(), reverse=True)]
        tables[f"{year}.json"] = json.dumps({"days": rows}, separators=(",", ":"))
    return tables


async def _index(root: Path, bundle: Path) -> int:
    # Leaving the context writes the bundle to `output_path`; an absolute one keeps it out of the working folder.
    async with PagefindIndex(IndexConfig(output_path=str(bundle))) as index:
        result = await index.add_directory(str(root))
    return int(result["page_count"])


def alias_table(actors: Mapping[str, Actor], articles: Sequence[Article], lang: str, href: str) -> dict[str, str]:
    """The search page's actor files: `data/search-actors.json` (per actor its name, count and one other name)
    and the aliases, split by the first letter of the normalised alias: `data/search/aliases/<hex>.json`
    (alias -> actor ids), so a query fetches only the letters its words start with.

    Only actors with articles are listed, so the files grow with what the archive holds, not with CLDR.
    """
    counts: dict[str, int] = {}
    for article in articles:
        for actor_id in dict.fromkeys(article.actors):  # as the shards count them
            counts[actor_id] = counts.get(actor_id, 0) + 1
    letters: dict[str, dict[str, list[str]]] = {}
    people: dict[str, dict[str, object]] = {}
    for actor_id, count in sorted(counts.items()):
        actor = actors.get(actor_id)
        if actor is None:
            continue
        people[actor_id] = {
            "name": actor.name(lang),  # also the value of its Pagefind "actor" filter
            "count": count,
            # the chip shows one other name; every spelling is in the alias files already
            "names": sorted(set(_spellings(actor.names.values())) - {actor.name(lang)})[:1],
        }
        for spelling in _spellings(a for spellings in actor.aliases.values() for a in spellings):
            key = normalize(spelling)
            owners = letters.setdefault(f"{ord(key[0]):x}", {}).setdefault(key, []) if key else []
            if key and actor_id not in owners:
                owners.append(actor_id)
    # An actor's shard pages are `shards` + "<id>/<n>.json" (page 1 says how many there are); its page is
    # `pages` + "<id>/", as pages.actor_url has it; the aliases of letter c are `aliases` + "<hex of c>.json".
    where = {"shards": f"{href}{SHARDS}/", "pages": f"{href}actors/", "aliases": f"{href}{ALIASES}/"}
    files = {ALIAS_TABLE: shard_json({**where, "actors": people})}
    files.update({f"{ALIASES}/{letter}.json": shard_json(table) for letter, table in sorted(letters.items())})
    return files


def _spellings(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(v.split()) for v in values if v.strip()))


def shard_pages(count: int, per: int = SHARD_PAGE) -> int:
    return max(1, math.ceil(count / per))


def actor_shards(
    site: Site, groups: Mapping[str, Sequence[Article]], only: Container[str] | None = None, per: int = SHARD_PAGE
) -> Iterator[tuple[str, dict[str, object]]]:
    """(file, data) for every page of every known actor's article list (those in `only`), newest first; page 1
    carries the total. `groups` are the archive's actor groups (`Indexes.actors`), already newest first.

    An entry holds what a result line shows and what the facets filter on, so the page needs nothing else.
    """
    for actor_id, group in sorted(groups.items()):
        if actor_id not in site.actors or (only is not None and actor_id not in only):
            continue
        pages = shard_pages(len(group), per)
        for n in range(1, pages + 1):
            chunk = group[(n - 1) * per : n * per]
            body: dict[str, object] = {"page": n, "pages": pages}
            if n == 1:
                body["total"] = len(group)
            # one view per article, shared by all its actors' shards (and, in the preview, across rebuilds)
            body["items"] = [_shard_item(site, actor_id, a) for a in chunk]
            yield f"{SHARDS}/{actor_id}/{n}.json", body


def shard_json(body: Mapping[str, object]) -> str:
    """Compact JSON, as every search data file is written."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _shard_item(site: Site, actor_id: str, article: Article) -> dict[str, object]:
    """A shard entry, with the sentence naming the actor (escaped, the name in <mark>) as its excerpt."""

    def make() -> dict[str, object]:
        sentence = actor_item(site, actor_id, article)["sentence"]
        return {**site.view("shard", article, lambda: _shard_entry(site, article)), "excerpt": str(sentence or "")}

    return site.view(f"shard:{actor_id}", article, make)


def _shard_entry(site: Site, article: Article) -> dict[str, object]:
    view = summary_view(site, article)
    return {
        "url": view["href"],
        "title": view["title"],
        "date": view["date_iso"],
        "date_text": view["date_text"],
        "outlet": view["outlet"],
        "lang": view["lang"],
        "year": str(article.date.year) if article.date else None,
        # ids, not names: the alias table maps them to the names the actor facet shows
        "actors": [a for a in dict.fromkeys(article.actors) if a in site.actors],
    }
