"""Atom and JSON feeds: the site's, an actor's, an outlet's and an agency's, parsed with feedparser."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import publishing_site
import pytest
from conftest import TODAY, page, soup
from publishing_site import BASE, FEED_ENTRIES, publishing_config

from generator.build import build, read_corpus
from generator.model import Article
from generator.pages.archive import newest_first

published, pub_site = publishing_site.published, publishing_site.pub_site  # the session's fixtures
ATOM, XHTML = "{http://www.w3.org/2005/Atom}", "{http://www.w3.org/1999/xhtml}"


def parsed(site: Path, url: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / url.lstrip("/")).read_bytes())
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


def articles(site: Path) -> list[Article]:
    return list(read_corpus(publishing_config(site.parent)).articles)


def newest(group: list[Article]) -> list[str]:
    """What a feed of `group` must hold: its newest dated articles, newest first."""
    return [BASE + f"articles/{a.id}/" for a in newest_first(group) if a.date][:FEED_ENTRIES]


def test_site_feed_holds_the_newest_dated_articles(pub_site: Path) -> None:
    feed = parsed(pub_site, "/feed.xml")
    assert feed.version == "atom10"
    assert [e.link for e in feed.entries] == newest(articles(pub_site))
    assert feed.feed.link == BASE
    assert all(link.href.startswith(BASE) for link in feed.feed.links)


def test_entries_carry_language_direction_summary_date_outlet_and_actors(pub_site: Path) -> None:
    feed = parsed(pub_site, "/actors/putin/feed.xml")
    by_link = {e.link: e for e in feed.entries}
    levant = by_link[BASE + "articles/levant/"]
    assert levant.title_detail.language == "ar"
    assert levant.published.startswith("2022-01-08")
    assert levant.author == "وكالة الأنباء التجريبية"
    assert {t.term for t in levant.tags} == {"putin", "kremlin", "almaty"}
    assert "فلاديمير بوتين" in {t.label for t in levant.tags}
    assert all(t.scheme == BASE + "actors/" for t in levant.tags)
    # the summary is the lead without its dateline, in a div that carries the article's direction
    assert levant.summary.startswith("بحث الرئيس الروسي")
    root = ElementTree.parse(pub_site / "actors/putin/feed.xml").getroot()
    div = root.find(f"{ATOM}entry[{ATOM}id='{BASE}articles/levant/']/{ATOM}summary/{XHTML}div")
    assert div is not None and (div.get("dir"), div.get("lang")) == ("rtl", "ar")
    assert "سبوتنيك -" not in levant.summary
    hostile = by_link[BASE + "articles/hostile/"]
    assert hostile.title.startswith('</script><script>alert("x")</script> & {braces}')
    assert hostile.title_detail.language == "en"
    assert "ampersands" in hostile.summary


@pytest.mark.parametrize(
    ("url", "member"),
    [
        ("/actors/putin/", lambda a: "putin" in a.actors),
        ("/actors/almaty/", lambda a: "almaty" in a.actors),
        ("/sources/reuters/", lambda a: a.outlet == "Reuters"),
        ("/agencies/واس/", lambda a: a.agency == "واس"),
        ("/agencies/سبوتنيك/", lambda a: a.agency == "سبوتنيك"),
    ],
)
def test_group_feeds_hold_their_newest_articles_and_their_pages_link_them(pub_site: Path, url: str, member) -> None:  # type: ignore[no-untyped-def]
    feed = parsed(pub_site, url + "feed.xml")
    assert [e.link for e in feed.entries] == newest([a for a in articles(pub_site) if member(a)])
    assert feed.entries, url
    links = page(pub_site, url).select('link[rel="alternate"]')
    assert {(link["type"], link["href"]) for link in links} == {
        ("application/atom+xml", "/news" + url + "feed.xml"),
        ("application/feed+json", "/news" + url + "feed.json"),
    }


def test_every_feed_parses_and_every_link_in_it_is_under_base_url(pub_site: Path) -> None:
    feeds = sorted(pub_site.rglob("feed.xml"))
    assert len(feeds) > 8
    for path in feeds:
        feed = parsed(pub_site, "/" + path.relative_to(pub_site).as_posix())
        for entry in feed.entries:
            assert entry.link.startswith(BASE) and entry.id.startswith(BASE)
        assert feed.feed.id.startswith(BASE)


def test_json_feed_says_what_the_atom_feed_says(pub_site: Path) -> None:
    atom = parsed(pub_site, "/actors/putin/feed.xml")
    data = json.loads((pub_site / "actors/putin/feed.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == BASE + "actors/putin/feed.json"
    assert [i["url"] for i in data["items"]] == [e.link for e in atom.entries]
    assert data["items"][0]["_arshif"]["dir"] in ("rtl", "ltr")


def test_an_actor_no_article_names_is_listed_without_a_link_to_a_page_it_does_not_have(pub_site: Path) -> None:
    # An authority file of 50,000 names would otherwise give 50,000 empty pages and feeds.
    assert not (pub_site / "actors" / "nobody-yet").exists()
    index = page(pub_site, "/actors/")
    item = next(li for li in index.select("li[data-count]") if li.get("data-count") == "0")
    assert item.find("a") is None and item.get_text(strip=True)
    assert "/news/actors/nobody-yet/" not in {a["href"] for a in index.select("a[href]")}


def test_agencies_are_browsable(pub_site: Path) -> None:
    index = page(pub_site, "/agencies/")
    assert {a.get_text(strip=True) for a in index.select("main a")} >= {"واس", "سبوتنيك"}
    spa = page(pub_site, "/agencies/واس/")
    assert [a["href"] for a in spa.select("main li a[href*='/articles/']")][:1] == ["/news/articles/spa/"]
    nav = {a["href"] for a in soup(pub_site / "index.html").select("header nav a")}
    assert "/news/agencies/" in nav


def test_feed_entries_is_configurable(tmp_path: Path) -> None:
    config = publishing_config(tmp_path, feed_entries=1, search=False)
    build(config, today=TODAY)
    feed = parsed(config.output, "/actors/putin/feed.xml")
    assert [e.link for e in feed.entries] == [BASE + "articles/hostile/"]
