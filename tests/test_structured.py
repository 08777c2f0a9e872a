"""JSON-LD, OpenGraph, Twitter and meta descriptions: parsed out of the built pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import publishing_site
import pytest
from conftest import page, soup
from publishing_site import BASE

from generator.publishing.structured import script_json

published, pub_site = publishing_site.published, publishing_site.pub_site  # the session's fixtures
HOSTILE_TITLE = '</script><script>alert("x")</script> & {braces} 100% #1 "quoted" Putin'


def json_ld(site: Path, url: str) -> dict[str, Any]:
    scripts = page(site, url).select('script[type="application/ld+json"]')
    assert len(scripts) == 1, url
    return json.loads(scripts[0].string)


def urls_in(value: object) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in urls_in(v)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return [value] if isinstance(value, str) and value.startswith(("http://", "https://")) else []


def test_article_json_ld_is_a_news_article_naming_outlet_agency_and_actors(pub_site: Path) -> None:
    data = json_ld(pub_site, "/articles/levant/")
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == page(pub_site, "/articles/levant/").h1.get_text(strip=True)
    assert data["datePublished"] == "2022-01-08" and data["inLanguage"] == "ar"
    assert data["publisher"]["name"] == "وكالة الأنباء التجريبية"
    assert data["sourceOrganization"]["name"] == "سبوتنيك"
    assert data["sourceOrganization"]["url"] == BASE + "agencies/سبوتنيك/"
    mentions = {m["url"]: m for m in data["mentions"]}
    assert mentions[BASE + "actors/putin/"] == {
        "@type": "Person", "name": "فلاديمير بوتين", "url": BASE + "actors/putin/",
        "sameAs": "https://www.wikidata.org/wiki/Q7747",
    }  # fmt: skip
    assert mentions[BASE + "actors/kremlin/"]["sameAs"].endswith("/Q2900478")
    assert mentions[BASE + "actors/almaty/"]["@type"] == "Place" and "sameAs" not in mentions[BASE + "actors/almaty/"]
    assert data["url"] == BASE + "articles/levant/"


def test_every_url_in_json_ld_is_under_base_url(pub_site: Path) -> None:
    for path in sorted(pub_site.rglob("index.html")):
        url = "/" + path.parent.relative_to(pub_site).as_posix() + "/" if path.parent != pub_site else "/"
        for script in page(pub_site, url).select('script[type="application/ld+json"]'):
            data = json.loads(script.string)
            data.pop("isBasedOn", None)  # the original publication's own address, from the article's metadata
            for link in urls_in(data):
                assert link.startswith(BASE) or link.startswith(("https://www.wikidata.org/", "https://schema.org"))


def test_a_hostile_title_cannot_close_the_script(pub_site: Path) -> None:
    raw = (pub_site / "articles/hostile/index.html").read_text("utf-8")
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = raw[start : raw.index("</script>", start)]
    assert "<" not in body and ">" not in body
    data = json.loads(body)
    assert data["headline"] == HOSTILE_TITLE
    assert data["isBasedOn"] == "https://example.com/original/story"
    assert page(pub_site, "/articles/hostile/").select("script:not([type])")[0].get_text().count("alert") == 0


@pytest.mark.parametrize("text", ["</script>", "</SCRIPT >", "<!--", "]]>", "\u2028\u2029", "&lt;", "\\u003c"])
def test_script_json_round_trips_without_markup(text: str) -> None:
    out = str(script_json({"t": text}))
    assert "<" not in out and ">" not in out and "\u2028" not in out
    assert json.loads(out) == {"t": text}


@pytest.mark.parametrize(
    ("url", "kind", "same"),
    [
        ("/actors/putin/", "Person", "Q7747"),
        ("/actors/kremlin/", "Organization", "Q2900478"),
        ("/actors/almaty/", "Place", None),
    ],
)
def test_actor_pages_describe_their_actor(pub_site: Path, url: str, kind: str, same: str | None) -> None:
    data = json_ld(pub_site, url)
    assert data["@type"] == kind and data["url"] == BASE + url.lstrip("/")
    assert data.get("sameAs", "").endswith(same or "") and ("sameAs" in data) == bool(same)
    assert data["name"] == page(pub_site, url).h1.get_text(strip=True)


def test_country_pages_are_countries(pub_site: Path) -> None:
    countries = sorted((pub_site / "actors").glob("country-*"))
    assert countries
    assert json_ld(pub_site, f"/actors/{countries[0].name}/")["@type"] == "Country"


def test_each_article_has_its_own_description_from_its_summary_or_first_sentence(pub_site: Path) -> None:
    def described(url: str) -> str:
        return page(pub_site, url).select_one('meta[name="description"]')["content"]

    assert (
        described("/articles/levant/")
        == "بحث الرئيس الروسي فلاديمير بوتين اليوم السبت مع أعضاء مجلس الأمن الوضع في ألماتي."
    )
    assert described("/articles/hostile/") == "A summary with </script> <!-- and & ampersands, naming Putin."
    assert described("/articles/reuters-2024/").startswith("Almaty's airport reopened on Monday.")
    pages = [p for p in (pub_site / "articles").iterdir() if p.is_dir()]
    assert len({described(f"/articles/{p.name}/") for p in pages}) == len(pages)
    assert described("/actors/putin/") == "رئيس روسيا"


def test_open_graph_and_twitter_cards(pub_site: Path) -> None:
    head = page(pub_site, "/articles/levant/")
    og = {m["property"]: m["content"] for m in head.select("meta[property]")}
    assert og["og:type"] == "article" and og["og:url"] == BASE + "articles/levant/"
    assert og["og:title"] == head.h1.get_text(strip=True)
    assert og["article:published_time"] == "2022-01-08"
    assert og["og:description"].startswith("بحث الرئيس")
    twitter = {m["name"]: m["content"] for m in head.select('meta[name^="twitter:"]')}
    assert twitter["twitter:card"] == "summary" and twitter["twitter:title"] == og["og:title"]


OURS = ("https://www.wikidata.org/wiki/Q", "https://schema.org")  # what may point elsewhere: Wikidata, the vocabulary
URL = re.compile(r"https?://[^\s\"'<>}]+")


def test_every_absolute_url_we_write_is_under_base_url(pub_site: Path) -> None:
    """Feeds, sitemap, robots.txt, canonical and OpenGraph links, JSON-LD, Highwire tags and the citations."""
    found: list[tuple[str, str]] = []
    for path in sorted(pub_site.rglob("feed.xml")):
        for element in ElementTree.parse(path).getroot().iter():
            values = [element.get(a) for a in ("href", "uri", "scheme")] + [
                element.text if "id" in element.tag else None
            ]
            found += [(path.name, v) for v in values if v]
    for path in sorted(pub_site.rglob("feed.json")):
        feed = json.loads(path.read_text("utf-8"))
        del feed["version"]  # the format's name, written as a URL
        found += [(path.name, u) for u in urls_in(feed)]
    locs = (
        ElementTree.parse(pub_site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    )
    found += [("sitemap.xml", loc.text or "") for loc in locs]
    found += [("robots.txt", u) for u in URL.findall((pub_site / "robots.txt").read_text("utf-8"))]
    for path in sorted(pub_site.rglob("index.html")):
        html = soup(path)
        found += [("canonical", link["href"]) for link in html.select('link[rel="canonical"]')]
        found += [("meta", m["content"]) for m in html.select("meta[content]") if m["content"].startswith("http")]
        for script in html.select('script[type="application/ld+json"]'):
            data = json.loads(script.string)
            data.pop("isBasedOn", None)  # the original publication's own address, from the article's metadata
            found += [("json-ld", u) for u in urls_in(data)]
        found += [("cite", u) for pre in html.select("section.cite pre") for u in URL.findall(pre.get_text())]
        found += [("cite", u) for u in URL.findall(html.select_one(".reference-text").get_text())] if html.select_one(
            ".reference-text") else []  # fmt: skip
    assert len(found) > 200
    outside = [(where, u) for where, u in found if not u.startswith(BASE) and not u.startswith(OURS)]
    assert outside == []
