"""The date pages in a real headless Chromium: calendars laid out right-to-left, nothing spilling on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTIFACTS, CHROMIUM, served
from test_dates import build_dates

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]
WIDTHS = [(1280, 900), (375, 740)]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = build_dates(tmp_path_factory.mktemp("dates-browser"), calendars=("gregorian", "hijri"))
    with served(out) as url:
        yield url


def open_page(browser, base_url: str, url: str, width: int, height: int):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    response = page.goto(base_url + url)
    assert response is not None and response.status == 200
    assert page.evaluate("getComputedStyle(document.querySelector('.cal')).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    return page


def box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_month_calendar_runs_right_to_left(browser, base_url: str, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, base_url, "/dates/2022/01/", width, height)
    # The locale's first weekday (Saturday: ar is read as ar_EG) heads the rightmost column.
    headers = page.locator(".cal.big .wd")
    first, last = headers.nth(0).bounding_box(), headers.nth(6).bounding_box()
    assert first is not None and last is not None and first["x"] > last["x"]
    one, eight = box(page, "[data-date='2022-01-01']"), box(page, "[data-date='2022-01-08']")
    assert abs(one["x"] - eight["x"]) < 1 and eight["y"] > one["y"]  # same weekday, the next row
    seven = box(page, "[data-date='2022-01-07']")
    assert seven["x"] < eight["x"] and seven["y"] < eight["y"]  # Friday ends the week: leftmost, a row above
    assert abs(seven["x"] - last["x"]) < last["width"]
    # Every cell stays inside the calendar, the calendar inside the viewport.
    cal = box(page, ".cal.big")
    assert cal["x"] >= 0 and cal["x"] + cal["width"] <= width + 1
    assert page.evaluate("[...document.querySelectorAll('.cal .cell')].every(c => c.scrollWidth <= c.clientWidth + 1)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dates-2022-01-{width}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_year_heat_map_fits(browser, base_url: str, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, base_url, "/dates/2022/", width, height)
    january, february = box(page, ".mini-month:nth-of-type(1)"), box(page, ".mini-month:nth-of-type(2)")
    if width > 480:
        assert february["x"] < january["x"] and february["y"] == january["y"]  # months run right to left
    else:
        assert february["y"] > january["y"]  # a phone shows one month a row, its days big enough to touch
        assert box(page, ".mini-month:nth-of-type(1) .cal a.day")["height"] >= 40
    shaded = page.evaluate("[...document.querySelectorAll('.cal a.day')].map(a => getComputedStyle(a).backgroundColor)")
    assert shaded and "rgba(0, 0, 0, 0)" not in shaded
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dates-2022-{width}.png"), full_page=True)
    page.close()
