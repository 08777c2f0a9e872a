"""Open data for researchers' scripts: `/data/articles.jsonl`, `/data/actors.json`, `/data/actors/<id>.json`."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence
from typing import Any

from generator.model import JSON_PAGE, TEXT_PAGE, Actor, Article, Page
from generator.pages.render import compact_json
from generator.pages.site import Deferred, Site, actor_url, article_url, data_digest

ARTICLES = "/data/articles.jsonl"
ACTORS = "/data/actors.json"
ACTOR_DATA = "data/actors/"  # + "<id>.json": an actor's articles


def actor_data_url(actor_id: str) -> str:
    return f"/{ACTOR_DATA}{actor_id}.json"


def article_row(site: Site, article: Article) -> str:
    """One line of articles.jsonl and an entry of each of its actors' files, as compact JSON (encoded once for
    all of them: an actor's file can hold thousands): what `arshif list` says of it."""
    return site.row(article, lambda: compact_json(_row(site, article)))


def _row(site: Site, article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": site.permalink(article_url(article)),
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "outlet": article.outlet,
        "agency": article.agency,
        "lang": article.lang,
        "dir": article.dir,
        "words": article.words,
        "tags": list(article.tags),
        "actors": [a for a in dict.fromkeys(article.actors) if a in site.actors],
        "original_url": article.url,
    }


def data_pages(
    site: Site, ordered: Sequence[Article], groups: Mapping[str, Sequence[Article]], only: Container[str] | None = None
) -> Iterator[Page]:
    """The three kinds of data file: the articles' and the actors' files always, each with a shape so that it is
    drawn again only when its articles or counts changed, and the file of each actor in `only` (all: None), as
    an update redraws the pages of the actors its articles name."""
    by_id = sorted(ordered, key=lambda a: a.id)
    ids = tuple(a.id for a in by_id)

    def lines() -> dict[str, str]:
        return {"text": "".join(article_row(site, a) + "\n" for a in by_id)}

    yield Page(ARTICLES, TEXT_PAGE, Deferred(lines), ids, data_digest([ARTICLES, ids]))
    listed = [a for a in site.actors.values() if a.id in groups or a.line]  # as /actors/ lists them
    counts = sorted((a.id, len(groups.get(a.id, ()))) for a in listed)
    yield Page(ACTORS, JSON_PAGE, Deferred(lambda: actors_file(site, listed, groups)), (),
               data_digest([ACTORS, counts]))  # fmt: skip
    for actor_id, group in sorted(groups.items()):
        actor = site.actors.get(actor_id)
        if actor is None or (only is not None and actor_id not in only):
            continue
        url, members = actor_data_url(actor_id), tuple(a.id for a in group)

        def make(actor: Actor = actor, group: Sequence[Article] = group) -> dict[str, str]:
            rows = "[" + ",".join(article_row(site, a) for a in group) + "]"
            return {"text": compact_json(actor_entry(site, actor, len(group)), {"articles": rows})}

        yield Page(url, TEXT_PAGE, Deferred(make), members, data_digest([url, members]))


def actor_entry(site: Site, actor: Actor, count: int) -> dict[str, Any]:
    return {
        "id": actor.id,
        "kind": actor.kind,
        "name": actor.name(site.config.language),
        "names": dict(sorted(actor.names.items())),
        "aliases": {lang: list(spellings) for lang, spellings in sorted(actor.aliases.items())},
        "wikidata": actor.wikidata,
        "description": actor.description,
        "articles": count,
        "url": site.permalink(actor_url(actor.id)) if count else None,  # no page until an article names it
        "data": site.permalink(actor_data_url(actor.id)) if count else None,
    }


def actors_file(site: Site, listed: Sequence[Actor], groups: Mapping[str, Sequence[Article]]) -> dict[str, Any]:
    entries = [actor_entry(site, a, len(groups.get(a.id, ()))) for a in sorted(listed, key=lambda a: a.id)]
    return {"actors": entries}
