"""Live reload in a real headless Chromium: edit a file on disk, and the open page follows by itself."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, CHROMIUM, ROOT, TODAY, arshif_serve

from generator.build import build
from generator.config import Config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]
ARTICLE = "ar-2015-07-riyadh-oil-market"
DATELINE = "الرياض 15/10/1436 واس"


def test_the_page_follows_edits_and_shows_problems(browser, content: Path) -> None:  # type: ignore[no-untyped-def]
    source = content / f"{ARTICLE}.txt"
    good = source.read_text("utf-8")
    with arshif_serve(content) as serving:
        tab = browser.new_page(viewport={"width": 1100, "height": 800})
        tab.goto(f"{serving.url}/articles/{ARTICLE}/")
        assert tab.locator("#arshif-problems").count() == 0

        started = time.monotonic()
        source.write_text(good.replace(good.split("\n")[0], "عنوان كتبه المحرر للتو", 1), "utf-8")
        tab.wait_for_function("document.querySelector('h1').textContent.includes('عنوان كتبه المحرر للتو')")
        print(f"save -> reloaded page: {time.monotonic() - started:.2f} s")

        source.write_text(good.replace(DATELINE, "(وكالة الأنباء التجريبية - 32 شباط 2022)"), "utf-8")
        overlay = tab.locator("#arshif-problems")
        overlay.wait_for(state="visible", timeout=15000)
        assert f"{ARTICLE}.txt:3: cannot read date" in overlay.inner_text()
        assert "32 شباط 2022" in overlay.inner_text()
        assert overlay.locator("bdi", has_text="32 شباط 2022").count() >= 1  # isolated from the LTR line
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "preview-overlay.png"))

        source.write_text(good, "utf-8")
        overlay.wait_for(state="detached", timeout=15000)
        assert tab.locator("h1").inner_text().strip() == good.split("\n")[0].strip()
        tab.close()


def test_the_published_site_has_no_preview_script(tmp_path: Path) -> None:
    build(Config(content=ROOT / "content", output=tmp_path / "site", search=False), today=TODAY)
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages and not [p for p in pages if "__arshif" in p.read_text("utf-8")]


def test_search_follows_an_edit_and_a_restarted_server_reloads_the_page(browser, content: Path) -> None:  # type: ignore[no-untyped-def]
    source = content / f"{ARTICLE}.txt"
    with arshif_serve(content) as serving:
        serving.wait_for("search index refreshed")
        source.write_text(source.read_text("utf-8").replace("أكد مصدر", "أكد زنجبيلوفيتش", 1), "utf-8")
        serving.wait_for("search index refreshed", 2)
        tab = browser.new_page()
        tab.goto(f"{serving.url}/search/?q=زنجبيلوفيتش")
        tab.wait_for_selector("#search[data-ready]", timeout=15000)
        assert tab.locator("#results a.title").evaluate_all("a => a.map(x => x.getAttribute('href'))") == [
            f"/articles/{ARTICLE}/"
        ]
        tab.goto(f"{serving.url}/articles/{ARTICLE}/")
        tab.evaluate("window.beforeRestart = true")
        port = serving.url.rsplit(":", 1)[1]
    # the same port, a new server: the open page notices and reloads itself
    with arshif_serve(content, "--port", port) as again:
        assert again.url.endswith(f":{port}")
        tab.wait_for_function("window.beforeRestart === undefined", timeout=15000)
        assert "زنجبيلوفيتش" in tab.locator("article").inner_text()
    tab.close()
