"""Every kind of page of the sample site as a reader sees it, in headless Chromium, at a phone's width and a
desktop's: nothing scrolls sideways, no text leaves the screen, the Arabic webfont is what draws Arabic, and
axe-core (the copy bundled in the axe-playwright-python wheel) finds nothing serious or critical."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ARTIFACTS, CHROMIUM, ROOT, TODAY, served
from test_browser import SEED

from generator.build import build
from generator.config import Config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]
SHOTS = ARTIFACTS / "reader"
PAGES = {
    "home": "/",
    "article-ar": f"/articles/{SEED}/",
    "article-en": "/articles/en-2022-01-08-csto-troops-almaty/",
    "actors": "/actors/",
    "person": "/actors/putin/",
    "country": "/actors/country-kz/",
    "dates": "/dates/",
    "year": "/dates/2022/",
    "month": "/dates/2022/01/",
    "day": "/dates/2022/01/08/",
    "undated": "/dates/undated/",
    "search": "/search/?q=" + quote("بوتين"),
    "search-empty": "/search/",
    "404": "/no-such-page/",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

# Text nodes drawn outside the viewport's width, leaving out what is hidden on purpose (clipped for screen
# readers, the skip link until focused) and what scrolls inside its own box (code, wide tables).
OUTSIDE = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest('.vh, .skip, [hidden], template, script, style, pre, table, datalist, select')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width && (r.left < -1 || r.right > innerWidth + 1)) out.push(node.textContent.trim().slice(0, 40));
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("reader") / "site"
    build(Config(content=ROOT / "content", output=out), today=TODAY)
    with served(out) as url:
        yield url


def open_page(browser, base_url: str, name: str, size: tuple[int, int], scheme: str = "light"):  # type: ignore[no-untyped-def]
    tab = browser.new_page(viewport={"width": size[0], "height": size[1]}, color_scheme=scheme)
    response = tab.goto(base_url + PAGES[name])
    assert response is not None and response.status == (404 if name == "404" else 200)
    if name.startswith("search"):
        tab.wait_for_selector("#search[data-ready]", timeout=15000)
    tab.evaluate("document.fonts.ready.then(() => true)")
    return tab


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_the_screen_with_its_fonts(browser, base_url: str, name: str, width: str) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, base_url, name, WIDTHS[width])
    assert tab.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    assert tab.evaluate(OUTSIDE) == []
    # The Arabic face itself drew the page's Arabic, not a system fallback.
    loaded = tab.evaluate(
        "[...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replaceAll('\"', ''))"
    )
    assert "Arshif Naskh" in loaded
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}-{WIDTHS[width][0]}.png"), full_page=True)
    tab.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_serious(browser, base_url: str, name: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    for width in WIDTHS.values() if scheme == "light" else [WIDTHS["phone"]]:
        tab = open_page(browser, base_url, name, width, scheme)
        found = Axe().run(tab).response["violations"]
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
            for v in found
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], serious
        if scheme == "dark":
            tab.screenshot(path=str(SHOTS / f"{name}-{width[0]}-dark.png"), full_page=True)
        tab.close()


def test_english_article_reads_left_to_right_in_one_language(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, base_url, "article-en", WIDTHS["desktop"])
    assert tab.evaluate("getComputedStyle(document.querySelector('article')).direction") == "ltr"
    byline = tab.locator(".byline").inner_text()
    assert "January 8, 2022" in byline and "يناير" not in byline
    chips = tab.locator("nav.actors a.chip").all_inner_texts()
    assert "Vladimir Putin" in chips and not [c for c in chips if any("\u0600" <= ch <= "\u06ff" for ch in c)]
    # The title starts at the left edge of the text column.
    title, main = tab.locator("article h1").bounding_box(), tab.locator("main").bounding_box()
    assert title is not None and main is not None and abs(title["x"] - main["x"] - 16) < 4
    tab.close()


def test_timeline_tells_its_values_on_focus(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, base_url, "country", WIDTHS["phone"])
    tab.locator("#main").focus()
    bars = tab.locator(".bar[tabindex='0']").count()
    seen = 0
    for _ in range(200):  # every month with articles, one Tab after another, its value on screen
        tab.keyboard.press("Tab")
        if not tab.evaluate("document.activeElement.classList.contains('bar')"):
            if seen:
                break
            continue
        seen += 1
        tip = tab.locator(".bar:focus .tip")
        assert tip.is_visible() and "مقال" in tip.inner_text()
        box = tip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, tip.inner_text()
    assert seen == bars >= 3
    # The axis' labels are text at a size a phone can read.
    size = tab.evaluate("parseFloat(getComputedStyle(document.querySelector('.axis')).fontSize)")
    assert size >= 12
    tab.close()


def test_print_shows_the_article_without_chrome(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, base_url, "article-ar", WIDTHS["desktop"])
    tab.emulate_media(media="print")
    assert not tab.locator(".masthead").is_visible() and not tab.locator(".colophon").is_visible()
    assert tab.locator("article h1").is_visible() and tab.locator(".byline time").is_visible()
    assert tab.locator(".facts .permalink").is_visible()
    tab.close()
