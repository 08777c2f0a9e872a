"""`/sitemap.xml` (a sitemap index over parts past 50,000 URLs) and `/robots.txt` pointing to it.

Every HTML page is listed once but the 404 page; an article's `lastmod` is its date, a list page's the newest
date among the articles it shows."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from generator.model import Article, Page
from generator.pages.archive import Indexes
from generator.pages.site import Deferred, Site, article_url, data_digest

SITEMAP = "/sitemap.xml"
PER_FILE = 50_000  # the sitemaps.org protocol's limit for one file
LEFT_OUT = ("/404.html",)


def structure(site: Site, indexes: Indexes) -> str:
    """A digest of all the sitemap shows: the articles' ids and dates, every group's members, which actors have
    pages. An edit that changes none (the common one: a text edit) leaves the sitemap as it was, without listing
    every page again."""
    h = hashlib.blake2b(digest_size=16)
    h.update(" ".join(sorted(k for k in indexes.actors if k in site.actors)).encode("utf-8", "surrogatepass"))
    for article in indexes.ordered:
        h.update(f"{article.id}\0{article.date}\n".encode("utf-8", "surrogatepass"))
    for name, groups in (("a", indexes.actors), ("o", indexes.outlets), ("t", indexes.tags), ("g", indexes.agencies)):
        for key in sorted(groups):
            h.update(f"{name}\0{key}\0{' '.join(a.id for a in groups[key])}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def part_url(n: int) -> str:
    return f"/sitemap-{n}.xml"


def entries(site: Site, pages: Iterable[Page], articles: Mapping[str, Article]) -> list[tuple[str, str | None]]:
    """(absolute URL, lastmod) of every HTML page, the articles' and `pages`', by URL."""
    found = [(site.permalink(article_url(a)), a.date.isoformat() if a.date else None)
             for a in sorted(articles.values(), key=lambda a: a.id)]  # fmt: skip
    for page in pages:
        if not page.output.endswith(".html") or page.url in LEFT_OUT:
            continue
        dates = [d for d in (articles[i].date for i in page.items if i in articles) if d]
        found.append((site.permalink(page.url), max(dates).isoformat() if dates else None))
    return sorted(set(found))  # by URL: an update's groups do not come in a clean build's order


def sitemap_pages(
    site: Site, listed: Sequence[Sequence[str | None]], per_file: int = PER_FILE, key: str | None = None
) -> Iterator[Page]:
    """The sitemap of `listed` (see `entries`): one file, or an index of parts of `per_file` URLs each.

    `key` is what `listed` was made from (`structure`), when the caller knows it: it is then the files' shape,
    instead of a digest of their 30,000 URLs made on every update."""
    shape = key if key is not None else data_digest(listed).hex()
    if len(listed) <= per_file:
        yield _page(SITEMAP, "sitemap.xml", lambda: {"urls": _urls(listed)}, shape)
        return
    parts = []
    for n in range(1, math.ceil(len(listed) / per_file) + 1):
        chunk = listed[(n - 1) * per_file : n * per_file]
        yield _page(part_url(n), "sitemap.xml", lambda chunk=chunk: {"urls": _urls(chunk)}, shape)
        latest = max((lastmod for _, lastmod in chunk if lastmod), default=None)
        parts.append({"loc": site.permalink(part_url(n)), "lastmod": latest})
    yield _page(SITEMAP, "sitemap-index.xml", lambda: {"parts": parts}, shape)


def _urls(listed: Sequence[Sequence[str | None]]) -> list[dict[str, str | None]]:
    return [{"loc": loc, "lastmod": lastmod} for loc, lastmod in listed]


def _page(url: str, template: str, make: Callable[[], Mapping[str, Any]], shape: str) -> Page:
    # An update draws the files again only when a URL or a date changed.
    return Page(url, template, Deferred(make), (), data_digest([url, template, shape]))


def robots_page(site: Site) -> Page:
    data = {"sitemap": Markup(site.permalink(SITEMAP))}  # plain text: the address as configured, unescaped
    return Page("/robots.txt", "robots.txt", data, (), data_digest(["/robots.txt", data]))
