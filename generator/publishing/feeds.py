"""Atom 1.0 and JSON Feed 1.1 feeds: the whole archive's, and one per actor, outlet and agency.

A feed holds a group's newest dated articles (`feed_entries`, 50 by default); an undated article has no place
in a feed, which readers sort by date. Links are absolute when `base_url` is."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from generator.model import JSON_PAGE, Article, Page
from generator.pages.site import Deferred, Site, article_url, data_digest
from generator.publishing.meta import feed_summary, xml_text

ATOM, JSON_FEED = "feed.xml", "feed.json"
EPOCH = "1970-01-01T00:00:00Z"  # the `updated` of a feed with no entry: Atom requires one, and it must not move


def feed_pages(site: Site, base: str, title: str, group: Sequence[Article]) -> Iterator[Page]:
    """`base`feed.xml and `base`feed.json for a group of articles (newest first, as `Indexes` holds them)."""
    limit = site.config.feed_entries
    chosen = [a for a in itertools.islice(group, limit) if a.date]  # the undated sort last
    ids = tuple(a.id for a in chosen)
    full = title if base == "/" else f"{title} · {site.config.title}"

    def make() -> dict[str, Any]:
        return feed_view(site, base, full, chosen)

    for name, template in ((ATOM, "feed.xml"), (JSON_FEED, JSON_PAGE)):
        url = base + name
        yield Page(url, template, Deferred(make if template else lambda: json_feed(make())), ids,
                   data_digest([url, full, ids]))  # fmt: skip


def tag_uri(site: Site, url: str) -> str:
    """A stable, absolute id for `url`: its permalink when base_url is absolute, else a tag: URI of its path."""
    link = site.permalink(url)
    return link if site.config.site_url else "tag:arshif.invalid,2026:" + quote(site.href(url))


def feed_view(site: Site, base: str, title: str, articles: Sequence[Article]) -> dict[str, Any]:
    entries = [entry_view(site, a) for a in articles]
    return {
        "feed": {
            "id": tag_uri(site, base + ATOM),
            "title": xml_text(title),
            "subtitle": xml_text(site.config.description),
            "lang": site.config.language,
            "self": site.permalink(base + ATOM),
            "json": site.permalink(base + JSON_FEED),
            "page": site.permalink(base),
            "author": xml_text(site.config.title),
            "updated": max((e["updated"] for e in entries), default=EPOCH),
            "entries": entries,
        }
    }


def entry_view(site: Site, article: Article) -> dict[str, Any]:
    """One entry, made once per article object and shared by all the feeds it appears in."""

    def make() -> dict[str, Any]:
        assert article.date is not None
        lang = site.config.language
        actors = [site.actors[a] for a in dict.fromkeys(article.actors) if a in site.actors]
        return {
            "id": tag_uri(site, article_url(article)),
            "link": site.permalink(article_url(article)),
            "title": xml_text(article.title),
            "lang": article.lang,
            "dir": article.dir,
            "updated": article.date.isoformat() + "T00:00:00Z",
            "summary": xml_text(feed_summary(article)),
            "outlet": xml_text(article.outlet or article.agency or ""),
            "categories": [
                {
                    "term": actor.id,
                    "label": xml_text(actor.name(lang)),
                    "scheme": site.permalink("/actors/"),
                }
                for actor in actors
            ],
        }

    return site.view("feed", article, make)


def json_feed(view: dict[str, Any]) -> dict[str, Any]:
    """The same feed as JSON Feed 1.1 (the direction of each item in the `_arshif` extension)."""
    feed = view["feed"]
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed["title"],
        "home_page_url": feed["page"],
        "feed_url": feed["json"],
        **({"description": feed["subtitle"]} if feed["subtitle"] else {}),
        "language": feed["lang"],
        "authors": [{"name": feed["author"]}],
        "items": [
            {
                "id": e["id"],
                "url": e["link"],
                "title": e["title"],
                "summary": e["summary"],
                "content_text": e["summary"],
                "date_published": e["updated"],
                "language": e["lang"],
                **({"authors": [{"name": e["outlet"]}]} if e["outlet"] else {}),
                "tags": [c["label"] for c in e["categories"]],
                "_arshif": {"dir": e["dir"], "actors": [c["term"] for c in e["categories"]]},
            }
            for e in feed["entries"]
        ],
    }
