"""Full-text search: Pagefind indexes the written pages; we add what Pagefind cannot know (actor aliases).

Pagefind (the binary inside the `pagefind[bin]` wheel, offline) reads the article pages only
(`data-pagefind-body`), in shards of bounded size, each its own run (generator/search/shards.py), merged into one
bundle; filters sit in `<meta>` tags so they never leak into excerpts, and sorting by date is ours
(`date_tables`). `/data/search-actors.json` is the alias table the search
page uses to recognise a query that names an actor in any script or spelling; `/data/search/actors/<id>/<n>.json`
lists that actor's articles page by page, newest first, so the page can show them without a filter-only Pagefind
search (which loads every index chunk).
"""

from __future__ import annotations

import math
import shutil
import tempfile
import time
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.arabic import normalize
from generator.model import JSON_PAGE, Actor, Article, Page
from generator.pages.actor_pages import actor_item
from generator.pages.render import compact_json
from generator.pages.site import Deferred, Site, data_digest, summary_view
from generator.parallel import fork_map, no_progress
from generator.search.shards import (
    DATES,
    DELTA_PAGES,
    ENTRY,
    FRAGMENT_SIGNATURE,
    MANIFEST,
    SHARD_PAGES,
    STALE,
    Delta,
    Made,
    Previous,
    Shard,
    clear_top,
    common_files,
    date_tables,
    entry_json,
    index_shard,
    keep,
    load_seen,
    manifest_json,
    pagefind_version,
    plan_delta,
    plan_shards,
    prune,
    read_pages,
    read_previous,
    reuse,
    reuse_common,
    save_seen,
    stale_filters,
    unchanged_pages,
    write_copies,
    write_fresh,
)

__all__ = ["BUNDLE", "DATES", "FRAGMENT_SIGNATURE", "SHARD_PAGES", "date_tables", "index_site"]

BUNDLE = "pagefind"
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
    shards: int = 0
    reused: int = 0  # shards whose files came from `previous`
    read: int = 0  # pages whose bytes were read (the others were as `seen` had them)
    stale: int = 0  # indexed pages a delta shard replaces or that are gone


def index_site(
    root: Path,
    bundle: Path | None = None,
    workers: int = 1,
    scratch: Path | None = None,
    scratch_prefix: str = "arshif-index-",
    previous: Path | None = None,
    budget: int = SHARD_PAGES,
    seen: Path | None = None,
    delta_pages: int = DELTA_PAGES,
    stamps: Path | None = None,
    html: Iterable[str] | None = None,
    site: str = "",
    since: tuple[str, Container[str]] | None = None,
) -> SearchIndex:
    """Index the site at `root` into `bundle` (default `root/pagefind/`): one Pagefind run per shard of at most
    `budget` pages (see search_index), merged into one bundle with its date tables and its shard manifest.

    Pagefind reads unmarked copies of the pages (see search_text), made in a temporary folder in `scratch`
    (default: the system's); its fragments get the published spelling back; both passes are spread over
    `workers` processes. `previous` is the bundle the last build published (only read): a shard whose pages
    are unchanged since then is linked from it, not indexed again. One that is absent, partial, corrupt or from
    another version of Pagefind or of this code is ignored. `seen` is a file (outside the site) where each run
    notes what it read of every page, so that the next one with `previous` reads only the pages that changed.
    Up to `delta_pages` pages changed since their shards were indexed go into a delta shard instead (see
    generator/search/shards.py). `stamps` is where the last build recorded its bundle's files as it published
    them (`shards.save_stamps`): a file of `previous` that is as recorded is not read for its shard's checksum.
    `html` names the site's HTML files (relative, with /) when the caller knows them, as the engine does: the
    site is then not walked to find them. `site` is the digest of the site being indexed, noted in `seen`;
    `since` a site's digest and the pages that changed since it was published (the engine knows): when `seen`
    was noted for that site, the pages not named are taken as it saw them, without a look at their files.
    """
    started = time.perf_counter()
    bundle = bundle or root / BUNDLE
    version = pagefind_version()
    if previous is not None and previous.resolve() == bundle.resolve():
        previous = None  # its files are about to be replaced: nothing in it can be linked
    old = read_previous(previous, version, stamps)
    # An update's bundle starts as the site it updates holds it, mostly the previous bundle's own files (linked):
    # those stay where they are (`keep`), and what is not the new bundle's is removed before it is written.
    in_place = old.folder is not None and bundle.is_dir() and not bundle.is_symlink()
    if bundle.exists() and not in_place:
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True, exist_ok=True)
    if in_place:
        clear_top(bundle)
    with tempfile.TemporaryDirectory(prefix=scratch_prefix, dir=scratch) as work:
        pages = sorted(html) if html is not None else [p.relative_to(root).as_posix() for p in root.rglob("*.html")]
        seen_in, known = load_seen(seen) if old.folder is not None else ("", {})  # pages linked from the last build
        changed = since[1] if since is not None and since[0] and since[0] == seen_in else None
        now = unchanged_pages(root, known, pages, changed)
        # Only the pages whose file changed are read: an update's few here, a build's all in workers.
        found = fork_map(partial(read_pages, root), [p for p in pages if p not in now], workers, no_progress)
        read = sum(len(share) for _, share in found)
        now.update(row for _, share in found for row in share.items())
        if seen is not None:
            save_seen(seen, now, site)
        shards = plan_shards((page for _, page in now.values() if page is not None), budget)
        if not shards:
            shutil.rmtree(bundle)
            bundle.mkdir()
            with ThreadPoolExecutor(max_workers=1) as pool:  # a fresh asyncio loop even inside a running one
                pool.submit(_index, Path(work), bundle).result()
            return SearchIndex(0, time.perf_counter() - started)
        fresh = partial(_fresh_shard, root, Path(work), bundle, version, workers)
        delta = plan_delta(old, shards, delta_pages)
        assembled = _with_delta(old, shards, delta, bundle, version, fresh) if delta is not None else None
        if assembled is None:  # every shard whose pages changed indexed again; no delta
            delta = None
            assembled = _assemble(old, shards, bundle, version, fresh)
        made, reused = assembled
    stale = delta.stale if delta is not None else ()
    if in_place:
        prune(bundle, made)
    _write_bundle(bundle, version, made, stale, stale_filters(old.folder, stale) if old.folder else {})
    live = sum(m.page_count for m in made) - len(stale)
    return SearchIndex(live, time.perf_counter() - started, len(shards), reused, read, len(stale))


Fresh = Callable[[int, Shard], Made]


def _assemble(old: Previous, shards: Sequence[Shard], bundle: Path, version: str, fresh: Fresh
              ) -> tuple[list[Made], int]:  # fmt: skip
    """Every shard linked from `old` when its pages are unchanged, else indexed; how many were linked."""
    made = {shard.language: reuse(old, shard, version, bundle) for shard in shards}
    kept = {language for language, m in made.items() if m is not None}
    reused = len(kept)
    for n, shard in enumerate(shards):
        if made[shard.language] is None:
            made[shard.language] = fresh(n, shard)
    if _missing(bundle, made.values()):  # no shard of some language indexed: Pagefind's own files from `previous`
        reuse_common(old, bundle)
    for n, shard in enumerate(shards):  # or, failing that, from indexing a reused shard again
        if not _missing(bundle, made.values()):
            break
        if shard.language not in kept:
            continue
        made[shard.language], reused = fresh(n, shard), reused - 1
    return [m for m in made.values() if m is not None], reused


def _with_delta(old: Previous, shards: Sequence[Shard], delta: Delta, bundle: Path, version: str, fresh: Fresh
                ) -> tuple[list[Made], int] | None:  # fmt: skip
    """Every shard linked from `old` as it was and the delta's shards linked or indexed; None (and `bundle`
    emptied) when a shard cannot be linked whole or Pagefind's own files are missing."""
    made = [keep(old, shard.language, bundle) for shard in shards]
    reused = len(made)
    if None not in made:  # else no delta is worth indexing
        for n, shard in enumerate(delta.shards, start=len(shards)):
            linked = reuse(old, shard, version, bundle)
            reused += linked is not None
            made.append(linked or fresh(n, shard))
        if _missing(bundle, made):
            reuse_common(old, bundle)
    if None in made or _missing(bundle, made):
        shutil.rmtree(bundle)
        bundle.mkdir()
        return None
    return [m for m in made if m is not None], reused


def _fresh_shard(root: Path, work: Path, bundle: Path, version: str, workers: int, n: int, shard: Shard) -> Made:
    """Index one shard: its pages' index copies in a site of their own, one Pagefind run, then both removed."""
    site, out = work / f"shard-{n}", work / f"out-{n}"
    fork_map(partial(write_copies, root, site), [p.path for p in shard.pages], workers, no_progress)
    made = index_shard(root, shard, site, out, bundle, version, workers)
    shutil.rmtree(site)
    shutil.rmtree(out)
    return made


def _wasm(made: Iterable[Made | None]) -> set[str]:
    return {m.wasm for m in made if m is not None and m.wasm}


def _missing(bundle: Path, made: Iterable[Made | None]) -> bool:
    needed = ["pagefind.js", "wasm.unknown.pagefind", *(f"wasm.{w}.pagefind" for w in sorted(_wasm(made)))]
    return not all((bundle / name).is_file() for name in needed)


def _write_bundle(bundle: Path, version: str, made: Sequence[Made], stale: Sequence[str], filters: Mapping[str, object]
                  ) -> None:  # fmt: skip
    """The bundle's own files: one entry for every shard, the date tables, the shard manifest, and when a delta
    replaces pages, the stale ids with their filter values (`STALE`, for the search page)."""
    include = made[0].include_characters
    write_fresh(bundle / ENTRY, entry_json(version, made, include))
    pairs = ((page_id, {"meta": {"date": day}}) for m in made for page_id, day in m.dates.items())
    for name, body in date_tables(pairs).items():
        write_fresh(bundle / DATES / name, body)
    if stale:
        write_fresh(bundle / STALE, shard_json({"stale": {page_id: filters.get(page_id, {}) for page_id in stale}}))
    write_fresh(bundle / MANIFEST, manifest_json(version, made, common_files(bundle), include, stale))


def _index(root: Path, bundle: Path) -> int:
    """Pagefind over no pages, as a site without articles has: the bundle the search page expects, no index."""
    # Imported here: only a site without articles needs Pagefind's asyncio API (and every build's start counts).
    import asyncio

    from pagefind.index import IndexConfig, PagefindIndex

    async def index() -> int:
        # Leaving the context writes the bundle to `output_path`; an absolute one keeps it out of the working folder.
        async with PagefindIndex(IndexConfig(output_path=str(bundle))) as index:
            result = await index.add_directory(str(root))
        return int(result["page_count"])

    return asyncio.run(index())


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
) -> Iterator[Page]:
    """A JSON page for every page of every known actor's article list (those in `only`), newest first; page 1
    carries the total. `groups` are the archive's actor groups (`Indexes.actors`), already newest first.

    An entry holds what a result line shows and what the facets filter on, so the page needs nothing else.
    """
    for actor_id, group in sorted(groups.items()):
        if actor_id not in site.actors or (only is not None and actor_id not in only):
            continue
        pages = shard_pages(len(group), per)
        for n in range(1, pages + 1):
            chunk = group[(n - 1) * per : n * per]
            head: dict[str, object] = {"page": n, "pages": pages} | ({"total": len(group)} if n == 1 else {})

            def make(chunk: Sequence[Article] = chunk, head: dict[str, object] = head, actor_id: str = actor_id
                     ) -> dict[str, object]:  # fmt: skip
                # one view per article, shared by all its actors' shards (and, in the preview, across rebuilds)
                return {**head, "items": [_shard_item(site, actor_id, a) for a in chunk]}

            url, ids = f"/{SHARDS}/{actor_id}/{n}.json", tuple(a.id for a in chunk)
            yield Page(url, JSON_PAGE, Deferred(make), ids, data_digest([url, head, ids]))


def shard_json(body: Mapping[str, object]) -> str:
    """Compact JSON, as every search data file is written."""
    return compact_json(body)


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
