"""Full-text search: Pagefind indexes the written pages; we add what Pagefind cannot know (actor aliases).

Pagefind (its Python API, binary inside the `pagefind[bin]` wheel, offline) reads the article pages only
(`data-pagefind-body`), one index per `<html lang>`; filters and sort keys sit in `<meta>` tags so they never
leak into excerpts. `/data/search-actors.json` is the alias table the search page uses to recognise a query
that names an actor in any script or spelling.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.arabic import normalize
from generator.model import Actor, Article
from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    seconds: float


def index_site(root: Path, bundle: Path | None = None) -> SearchIndex:
    """Index the site at `root` into `bundle` (default `root/pagefind/`)."""
    started = time.perf_counter()
    # A thread of its own gives asyncio a fresh loop even when the caller already runs one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pages = pool.submit(asyncio.run, _index(root, bundle or root / BUNDLE)).result()
    return SearchIndex(pages, time.perf_counter() - started)


async def _index(root: Path, bundle: Path) -> int:
    # Leaving the context writes the bundle to `output_path`; an absolute one keeps it out of the working folder.
    async with PagefindIndex(IndexConfig(output_path=str(bundle))) as index:
        result = await index.add_directory(str(root))
    return int(result["page_count"])


def alias_table(actors: Mapping[str, Actor], articles: Sequence[Article], lang: str, href: str) -> str:
    """JSON for the search page: normalised alias -> actor ids, and per actor its name, link and count.

    Only actors with articles are listed, so the table grows with what the archive holds, not with CLDR.
    """
    counts: dict[str, int] = {}
    for article in articles:
        for actor_id in article.actors:
            counts[actor_id] = counts.get(actor_id, 0) + 1
    aliases: dict[str, list[str]] = {}
    people: dict[str, dict[str, object]] = {}
    for actor_id, count in sorted(counts.items()):
        actor = actors.get(actor_id)
        if actor is None:
            continue
        people[actor_id] = {
            "name": actor.name(lang),
            "filter": actor.name(lang),
            "href": f"{href}actors/{actor_id}/",
            "count": count,
            "names": sorted(set(_spellings(actor.names.values())) - {actor.name(lang)}),
        }
        for spelling in _spellings(a for spellings in actor.aliases.values() for a in spellings):
            key = normalize(spelling)
            if actor_id not in aliases.setdefault(key, []):
                aliases[key].append(actor_id)
    return json.dumps({"aliases": aliases, "actors": people}, ensure_ascii=False, separators=(",", ":"))


def _spellings(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(v.split()) for v in values if v.strip()))
