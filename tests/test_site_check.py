"""`arshif check --site`: passes on our own builds, and names the page and the link where a site is broken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import publishing_site
import pytest
from conftest import ROOT, TODAY
from publishing_site import publishing_config

from generator.build import build
from generator.config import Config
from generator.publishing.site_check import check_site

published, pub_site = publishing_site.published, publishing_site.pub_site  # the session's fixtures
BASE_PATH, SITE_URL = "/news/", "https://archive.example.org"


def arshif_check(site: Path, *config: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(site), *config],
                          capture_output=True, text=True, check=False, cwd=site.parent)  # fmt: skip


def findings(site: Path) -> list[str]:
    return [f"{f.file}:{f.line}: {f.message}" for f in check_site(site, BASE_PATH, SITE_URL, workers=1)]


@pytest.fixture
def broken(pub_site: Path, tmp_path: Path) -> Path:
    """A copy of the publishing site, to break."""
    copy = tmp_path / "site"
    shutil.copytree(pub_site, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_our_build_passes(pub_site: Path) -> None:
    assert findings(pub_site) == []
    config = pub_site.parent / "arshif.toml"
    config.write_text('base_url = "https://archive.example.org/news/"\n', "utf-8")
    run = arshif_check(pub_site, "--config", str(config))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "" and " 0 problems" in run.stderr


def test_the_sample_archive_passes(tmp_path: Path) -> None:
    config = Config(content=ROOT / "content", output=tmp_path / "site", workers=1)  # search on: /search/ needs it
    build(config, today=TODAY)
    assert [f.shown(config.output) for f in check_site(config.output, workers=1)] == []


def test_a_broken_link_names_the_page_and_the_link(broken: Path) -> None:
    page = broken / "articles/levant/index.html"
    edit(page, "<main", '<a href="/news/actors/no-such-actor/">x</a>\n<main')
    line = next(n for n, text in enumerate(page.read_text("utf-8").splitlines(), 1) if "no-such-actor" in text)
    assert findings(broken) == [f"articles/levant/index.html:{line}: broken link /news/actors/no-such-actor/: "
                                "no such page or file"]  # fmt: skip
    config = broken.parent / "arshif.toml"
    config.write_text('base_url = "https://archive.example.org/news/"\n', "utf-8")
    run = arshif_check(broken, "--config", str(config))
    assert run.returncode == 1
    assert (
        run.stdout
        == f"site/articles/levant/index.html:{line}: broken link /news/actors/no-such-actor/: no such page or file\n"
    )


def test_a_removed_page_is_a_broken_link_wherever_it_was_linked(broken: Path) -> None:
    shutil.rmtree(broken / "actors/almaty")
    found = findings(broken)
    assert found and all("/news/actors/almaty/" in f or "almaty" in f for f in found)
    assert any(f.startswith("articles/levant/index.html:") and "broken link /news/actors/almaty/" in f for f in found)
    assert any(f.startswith("sitemap.xml:") and "actors/almaty/" in f for f in found)


def test_fragments_assets_and_absolute_links_are_followed(broken: Path) -> None:
    page = broken / "articles/spa/index.html"
    edit(page, "<main", '<a href="#nowhere">a</a><a href="/news/articles/levant/#main">b</a>'
         '<a href="https://archive.example.org/news/nothing-here/">c</a><img src="../../static/gone.png" alt="">'
         '<a href="https://example.com/elsewhere/">d</a><a href="/outside/">e</a>\n<main')  # fmt: skip
    messages = sorted(f.split(": ", 1)[1] for f in findings(broken))
    assert messages == sorted(
        [
            "broken link #nowhere: no element with id 'nowhere' there",
            "broken link https://archive.example.org/news/nothing-here/: no such page or file",
            "broken link ../../static/gone.png: no such page or file",
            "link /outside/ leaves the site's base path",
        ]
    )


def test_headings_languages_titles_orphans_and_machine_files(broken: Path) -> None:
    edit(broken / "articles/spa/index.html", "</h1>", "</h1><h1>again</h1>")
    edit(broken / "articles/levant/index.html", ' lang="ar" dir="rtl">', ">")
    edit(broken / "actors/putin/index.html", "<title>", "<title> ")
    text = (broken / "actors/putin/index.html").read_text("utf-8")
    start, end = text.index("<title>"), text.index("</title>")
    (broken / "actors/putin/index.html").write_text(text[: start + 7] + text[end:], "utf-8")
    (broken / "lost").mkdir()
    shutil.copy(broken / "articles/spa/index.html", broken / "lost/index.html")
    edit(broken / "actors/kremlin/feed.xml", "</feed>", "")
    (broken / "data/articles.jsonl").write_text('{"id": 1}\n{oops\n', "utf-8")
    found = findings(broken)
    assert "articles/spa/index.html:0: 2 <h1> elements; a page has one" in found
    assert "articles/levant/index.html:1: <html> has no lang" in found
    assert "articles/levant/index.html:1: <html> has no dir" in found
    assert "actors/putin/index.html:0: no <title>" in found
    assert "lost/index.html:0: orphan: no page links to /news/lost/" in found
    assert any(f.startswith("actors/kremlin/feed.xml:") and "not well-formed XML" in f for f in found)
    assert any(f.startswith("data/articles.jsonl:2: not JSON") for f in found)


def test_a_missing_site_folder_is_a_usage_error(tmp_path: Path) -> None:
    run = arshif_check(tmp_path / "nothing")
    assert run.returncode == 2 and "no such site folder" in run.stderr


def test_a_relative_base_url_site_checks_too(tmp_path: Path) -> None:
    config = publishing_config(tmp_path, base_url="/")
    build(config, today=TODAY)
    assert check_site(config.output, workers=1) == []
