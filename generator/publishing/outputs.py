"""The files a build publishes for machines beside the pages for readers: feeds, sitemap, robots.txt, data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from generator.model import Page
from generator.pages.archive import EVERYTHING, Indexes, Scope, agency_names, outlet_names, term_name
from generator.pages.site import Site, actor_url
from generator.publishing.feeds import feed_pages
from generator.publishing.opendata import data_pages
from generator.publishing.sitemap import PER_FILE, entries, robots_page, sitemap_pages, structure


def publishing_pages(
    site: Site,
    indexes: Indexes,
    browsing: Callable[[], Iterable[Page]],
    scope: Scope = EVERYTHING,
    per_sitemap: int = PER_FILE,
) -> Iterator[Page]:
    """Feeds (of the groups in `scope`; the site's, every agency's), the sitemap of `browsing()` (every page
    but the articles'), robots.txt and the open data files."""
    yield from feed_pages(site, "/", site.config.title, indexes.ordered)
    lang = site.config.language
    for actor_id, group in sorted(indexes.actors.items()):
        if actor_id in site.actors and scope.has("actors", actor_id):
            yield from feed_pages(site, actor_url(actor_id), site.actors[actor_id].name(lang), group)
    for key, group in sorted(indexes.outlets.items()):
        if scope.has("outlets", key):
            yield from feed_pages(site, f"/sources/{key}/", term_name(group, key, outlet_names), group)
    for key, group in sorted(indexes.agencies.items()):  # few, and outside the update's scopes: all, always
        yield from feed_pages(site, f"/agencies/{key}/", term_name(group, key, agency_names), group)
    articles = {a.id: a for a in indexes.ordered}
    # A list of lists (not tuples) either way: the state keeps it as JSON between runs.
    key = structure(site, indexes)
    listed = site.kept("sitemap", key, lambda: [list(e) for e in entries(site, browsing(), articles)])
    yield from sitemap_pages(site, listed, per_sitemap, key)
    yield robots_page(site)
    yield from data_pages(site, indexes.ordered, indexes.actors, scope.actors)
