"""The sample site in a real headless Chromium, served by our own server over a real socket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTIFACTS, CHROMIUM, ROOT, TODAY, served

from generator.build import build
from generator.config import Config

SEED = "000_25b0c3a9aff7d635"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(Config(content=ROOT / "content", output=out, search=False), today=TODAY)
    with served(out) as url:
        yield url


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 740)])
def test_seed_article_reads_right_to_left(browser, base_url: str, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    response = page.goto(f"{base_url}/articles/{SEED}/")
    assert response is not None and response.status == 200
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.article-head h1')).textAlign") in ("start", "right")
    # The title's box hugs the right edge in a right-to-left page.
    box = page.locator("article h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert box is not None and main is not None
    assert abs((box["x"] + box["width"]) - (main["x"] + main["width"])) < 20
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("link[rel=stylesheet]").count() == 2
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"seed-article-{width}.png"), full_page=True)
    page.close()


def test_unknown_page_gets_the_site_404(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    response = page.goto(f"{base_url}/articles/no-such-article/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "الصفحة غير موجودة"
    page.close()


@pytest.mark.parametrize("url", ["/actors/", "/actors/putin/"])
def test_actor_pages_read_right_to_left_on_a_phone(browser, base_url: str, url: str) -> None:  # type: ignore[no-untyped-def]
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        response = page.goto(base_url + url)
        assert response is not None and response.status == 200
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        name = url.strip("/").replace("/", "-")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.close()


def test_actor_filter_box_filters(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(base_url + "/actors/")
    total = page.locator(".actor-list li:visible").count()
    page.fill("#actor-filter", "بوتين")
    assert page.locator(".actor-list li:visible").count() == 1 < total
    page.close()
