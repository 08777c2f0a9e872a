"""sitemap.xml and robots.txt: valid against the sitemaps.org schemas, every page once, absolute; canonical links."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import publishing_site
import xmlschema
from conftest import FIXTURES, TODAY, soup
from publishing_site import BASE, publishing_config

from generator.build import build, read_corpus
from generator.engine import Engine
from generator.pages.render import make_environment, render_page
from generator.pages.site import Site
from generator.publishing.sitemap import entries, sitemap_pages
from generator.tagging.actors import load_authority

published, pub_site = publishing_site.published, publishing_site.pub_site  # the session's fixtures
SCHEMAS = FIXTURES / "schemas"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def html_urls(site: Path) -> list[str]:
    """The URL of every HTML page in the site but the 404 page, as the sitemap must list it."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative != "404.html":
            urls.append(BASE + relative.removesuffix("index.html"))
    return urls


def locs(xml: bytes | str, tag: str = "url") -> list[str]:
    root = ElementTree.fromstring(xml)
    return [e.findtext(f"{NS}loc") or "" for e in root.iter(f"{NS}{tag}")]


def test_sitemap_validates_and_lists_every_page_once_absolute(pub_site: Path) -> None:
    xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd").validate(pub_site / "sitemap.xml")
    listed = locs((pub_site / "sitemap.xml").read_bytes())
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(html_urls(pub_site))
    assert all(url.startswith(BASE) for url in listed)


def test_lastmod_is_the_articles_date_and_a_lists_newest(pub_site: Path) -> None:
    root = ElementTree.parse(pub_site / "sitemap.xml").getroot()
    lastmod = {u.findtext(f"{NS}loc"): u.findtext(f"{NS}lastmod") for u in root.iter(f"{NS}url")}
    assert lastmod[BASE + "articles/levant/"] == "2022-01-08"
    assert lastmod[BASE + "articles/undated/"] is None
    assert lastmod[BASE] == "2024-01-01"  # the home page's newest article
    assert lastmod[BASE + "sources/reuters/"] == "2024-01-01"


def test_robots_txt_points_to_the_sitemap(pub_site: Path) -> None:
    lines = (pub_site / "robots.txt").read_text("utf-8").splitlines()
    assert "Sitemap: " + BASE + "sitemap.xml" in lines
    assert "User-agent: *" in lines


def test_canonical_links_are_absolute_and_name_their_page(pub_site: Path) -> None:
    for url in html_urls(pub_site):
        path = pub_site / url.removeprefix(BASE) / "index.html" if url.endswith("/") else None
        page = soup(path) if path else None
        if page is None:
            continue
        canonical = page.select('link[rel="canonical"]')
        assert [c["href"] for c in canonical] == [url]
        assert page.select_one('meta[property="og:url"]')["content"] == url


def test_past_50000_urls_the_sitemap_is_an_index_of_valid_parts(pub_site: Path, tmp_path: Path) -> None:
    """The split, with parts of 5 URLs instead of 50,000, drawn with the theme's templates."""
    config = publishing_config(pub_site.parent)
    corpus = read_corpus(config)
    actors, _ = load_authority(config.actors)
    site = Site(config, TODAY, {a.id: a for a in actors})
    listed = entries(site, [], {a.id: a for a in corpus.articles})
    assert len(listed) == 9
    pages = list(sitemap_pages(site, listed, per_file=5))
    env = make_environment(config.templates)
    drawn = {p.url: render_page(env, p) for p in pages}
    assert sorted(drawn) == ["/sitemap-1.xml", "/sitemap-2.xml", "/sitemap.xml"]
    index = drawn.pop("/sitemap.xml")
    xmlschema.XMLSchema(SCHEMAS / "siteindex.xsd").validate(index)
    assert locs(index, "sitemap") == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml"]
    schema = xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd")
    for xml in drawn.values():
        schema.validate(xml)
    assert [u for xml in drawn.values() for u in locs(xml)] == [loc for loc, _ in listed]


def test_a_relative_base_url_is_said_in_the_summary(tmp_path: Path) -> None:
    config = publishing_config(tmp_path, base_url="/", search=False)
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(config.content), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    summary = run.stderr.splitlines()[-1]
    assert summary.startswith("9 articles, ") and "; warning: base_url '/' is relative" in summary
    assert all(url.startswith("/") for url in locs((tmp_path / "o" / "sitemap.xml").read_bytes()))


def test_the_sitemap_follows_an_update(tmp_path: Path) -> None:
    config = publishing_config(tmp_path, search=False)
    build(config, today=TODAY)
    (config.content / "extra.md").write_text("---\ntitle: Extra\ndate: 2025-05-05\nlang: en\n---\n\nText.\n", "utf-8")
    result = build(config, today=TODAY)
    assert result.updated
    listed = locs((config.output / "sitemap.xml").read_bytes())
    assert BASE + "articles/extra/" in listed and sorted(listed) == sorted(html_urls(config.output))
    assert dt.date(2025, 5, 5).isoformat() in (config.output / "sitemap.xml").read_text("utf-8")


def test_the_previews_sitemap_follows_each_kind_of_edit(tmp_path: Path) -> None:
    """The preview keeps one Site between rebuilds, and with it the sitemap's listing while nothing it shows moved."""
    config = publishing_config(tmp_path, search=False)
    preview = Engine(replace(config, output=tmp_path / "preview"), today=TODAY)
    preview.rebuild()
    levant, spa = config.content / "levant.txt", config.content / "spa.txt"

    def edit(path: Path, old: str, new: str) -> None:
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    edits = [
        ("text", lambda: edit(levant, "اليوم السبت", "صباح السبت")),
        ("date", lambda: edit(levant, "08 كانون الثاني", "09 كانون الثاني")),
        ("an actor's members", lambda: edit(spa, "أصدرت الهيئة", "أصدرت الهيئة بحضور بوتين")),
        ("gone", lambda: spa.unlink()),
    ]
    for n, (what, change) in enumerate(edits):
        change()
        preview.rebuild([levant, spa])
        clean = replace(config, output=tmp_path / f"clean-{n}")
        build(clean, today=TODAY)
        assert (preview.root / "sitemap.xml").read_bytes() == (clean.output / "sitemap.xml").read_bytes(), what
    assert "2022-01-09" in (preview.root / "sitemap.xml").read_text("utf-8")
