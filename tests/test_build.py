"""End to end: tests/fixtures/archive in, a site out, its HTML parsed and checked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, page, soup, write_archive

from generator.build import BuildResult, build
from generator.config import Config
from generator.publishing.write import MARKER, PublishError

ARTICLES = {
    "ar-levant",
    "ar-levant-2",
    "ar-spa",
    "ar-undated",
    "bad-date",
    "en-plain",
    "w1",
    "w2",
    "notes",
    "toml-front",
}


def article_ids(site: Path) -> set[str]:
    return {p.name for p in (site / "articles").iterdir()}


def test_every_article_gets_a_page(fixture_site: Path) -> None:
    assert article_ids(fixture_site) == ARTICLES
    assert (fixture_site / "404.html").is_file()
    assert (fixture_site / "static" / "style.css").is_file()
    assert ".codehilite" in (fixture_site / "static" / "pygments.css").read_text()
    assert (fixture_site / MARKER).is_file()


def test_arabic_article_page(fixture_site: Path) -> None:
    html = page(fixture_site, "/articles/ar-levant/")
    assert (html.html["lang"], html.html["dir"]) == ("ar", "rtl")
    article = html.select_one("article")
    assert (article["lang"], article["dir"]) == ("ar", "rtl")
    assert html.h1.get_text() == "وزير الخارجية يزور عمّان لبحث التعاون الإقليمي"
    assert html.select_one("article time")["datetime"] == "2022-01-08"
    assert html.select_one(".byline .outlet").get_text() == "وكالة الأنباء التجريبية"
    assert html.select_one(".byline .agency").get_text() == "سبوتنيك"
    assert "جمادى" in html.select_one(".hijri").get_text()  # 5 Jumada al-Akhirah 1443
    assert html.select_one(".dateline").get_text() == "(وكالة الأنباء التجريبية / سبوتنيك - 08 كانون الثاني 2022ء)"
    assert html.select_one(".permalink")["href"] == "https://example.org/news/articles/ar-levant/"
    assert len(html.select(".body p")) == 3


def test_english_article_in_arabic_chrome(fixture_site: Path) -> None:
    html = page(fixture_site, "/articles/en-plain/")
    assert (html.html["lang"], html.html["dir"]) == ("en", "ltr")
    assert (html.select_one("header.masthead")["lang"], html.select_one("header.masthead")["dir"]) == ("ar", "rtl")
    assert html.select_one("article time")["datetime"] == "2022-01-08"
    assert html.select_one("article time").get_text() == "January 8, 2022"
    assert html.select_one(".hijri") is None


def test_plain_text_is_escaped_not_interpreted(fixture_site: Path) -> None:
    raw = (fixture_site / "articles" / "en-plain" / "index.html").read_text()
    html = page(fixture_site, "/articles/en-plain/")
    assert html.select("article script") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "<container>" in html.h1.get_text()


def test_markdown_is_rendered_highlighted_and_sanitised(fixture_site: Path) -> None:
    html = page(fixture_site, "/articles/notes/")
    body = html.select_one(".body")
    assert body.select_one("pre") is not None
    assert body.select(".codehilite .k")  # Pygments marked up the `def` keyword
    assert body.select("script") == []
    assert all(not attr.startswith("on") for tag in body.find_all(True) for attr in tag.attrs)
    assert all("javascript:" not in (a.get("href") or "") for a in body.select("a"))
    assert body.select_one("abbr")["title"] == "Collective Security Treaty Organization"
    assert body.select_one("h2")["id"] == "second-section"
    assert body.select_one("table td").get_text() == "1"
    assert html.select_one("article time")["datetime"] == "2023-05-04"


def test_sidecar_dates_and_year_less_dateline(fixture_site: Path) -> None:
    html = page(fixture_site, "/articles/w1/")
    assert html.h1.get_text() == "Grain shipments rise in March"  # the sidecar title wins
    assert html.select_one("article time")["datetime"] == "1987-03-20"
    assert html.select_one(".dateline").get_text() == "CHICAGO, March 20 -"


def test_undated_and_impossible_dates_are_published_undated(fixture_site: Path) -> None:
    for article_id in ("ar-undated", "bad-date"):
        html = page(fixture_site, f"/articles/{article_id}/")
        assert html.select_one("article time") is None
        assert html.select_one(".byline .undated") is not None


def test_problems_are_compiler_style(fixture_build: tuple[Path, BuildResult]) -> None:
    _, result = fixture_build
    lines = [str(p) for p in result.problems]
    assert any(re.fullmatch(r".*bad-date\.txt:3: cannot read date \"32 شباط 2022\"", line) for line in lines), lines
    assert any("dup/ar-levant.txt: id 'ar-levant' is already used by ar-levant.txt" in line for line in lines)
    assert any(line.endswith("wire/meta.jsonl:3: warning: no article file named 'missing.txt'") for line in lines)


def test_home_pages_list_every_article_once_newest_first(fixture_site: Path) -> None:
    seen: list[tuple[str | None, str]] = []
    url: str | None = "/"
    while url:
        html = page(fixture_site, url.removeprefix("/news"))
        for item in html.select(".article-list li"):
            time = item.select_one("time")
            seen.append((time["datetime"] if time else None, item.select_one("a.title")["href"]))
        nxt = html.select_one(".pager a[rel=next]")
        url = nxt["href"] if nxt else None
    hrefs = [href for _, href in seen]
    assert len(hrefs) == len(set(hrefs)) == len(ARTICLES)
    dates = [d for d, _ in seen]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates.index(None) == len(dated)  # undated ones all come last
    assert all(href.startswith("/news/articles/") for href in hrefs)


def test_links_live_under_the_base_path(fixture_site: Path) -> None:
    for path in fixture_site.rglob("*.html"):
        for tag in soup(path).select("a[href], link[href]"):
            href = tag["href"]
            if href.startswith("/"):
                assert href.startswith("/news/"), (path, href)


def test_failed_build_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    content = write_archive(tmp_path / "content", {"a.txt": "Title A\n\nbody\n"})
    out = tmp_path / "site"
    build(Config(content=content, output=out), today=TODAY)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    templates = tmp_path / "templates"
    shutil.copytree(FIXTURES.parent.parent / "templates", templates)
    (templates / "article.html").write_text("{{ article.no_such_field }}")
    write_archive(content, {"b.txt": "Title B\n\nbody\n"})
    with pytest.raises(Exception, match="no_such_field"):
        build(Config(content=content, output=out, templates=templates), today=TODAY)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    # no staging left behind; the lock file stays, for the next build to lock, the build state beside it, and the
    # spare the first build left (links to its files), still that site
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert beside == [".arshif-cache", ".site-spare", ".site.lock"]
    assert sorted(p.relative_to(tmp_path / ".site-spare") for p in (tmp_path / ".site-spare").rglob("*")) == before


def test_output_that_is_not_ours_is_never_replaced(tmp_path: Path) -> None:
    content = write_archive(tmp_path / "content", {"a.txt": "T\n\nbody\n"})
    precious = write_archive(tmp_path / "docs", {"thesis.tex": "years of work"})
    with pytest.raises(PublishError, match="not made by arshif"):
        build(Config(content=content, output=precious), today=TODAY)
    with pytest.raises(PublishError, match="would replace"):
        build(Config(content=content, output=tmp_path), today=TODAY)
    assert (precious / "thesis.tex").read_text() == "years of work"


def inodes(site: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in site.rglob("*") if p.is_file()}  # fmt: skip


def test_a_rebuild_touches_only_the_files_whose_bytes_changed(tmp_path: Path) -> None:
    """Unchanged files are the published ones (same inode, same time): rsync and a host's deploy see the edit."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "archive", content)
    config = Config(content=content, output=tmp_path / "site", search=False)
    build(config, today=TODAY)
    first = inodes(config.output)
    build(config, today=TODAY)
    assert inodes(config.output) == first  # nothing changed: not one file rewritten
    source = content / "en-plain.txt"
    source.write_text(source.read_text("utf-8").replace("\n", " (edited)\n", 1), "utf-8")
    build(config, today=TODAY)
    after = inodes(config.output)
    rewritten = {path for path in after if after[path][:2] != first.get(path, (None, None))[:2]}
    differ = {path for path in after if after[path][2] != first.get(path, (None, None, None))[2]}
    assert rewritten == differ
    assert "articles/en-plain/index.html" in rewritten
    assert len(rewritten) < len(after) // 4, sorted(rewritten)


def test_a_path_written_twice_never_writes_through_to_the_published_site(tmp_path: Path) -> None:
    """A theme shipping its own static/pygments.css: the build writes that path twice, the second time over
    what may be a link to the published file."""
    templates = tmp_path / "templates"
    shutil.copytree(FIXTURES.parent.parent / "templates", templates)
    (templates / "static" / "pygments.css").write_text("/* the theme's own */\n", "utf-8")
    content = write_archive(tmp_path / "content", {"a.txt": "Title A\n\nbody\n"})
    config = Config(content=content, output=tmp_path / "site", templates=templates, search=False)
    build(config, today=TODAY)
    published = (config.output / "static" / "pygments.css").read_bytes()
    build(config, today=TODAY)
    assert (config.output / "static" / "pygments.css").read_bytes() == published
