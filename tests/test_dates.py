"""Browsing by date over a generated archive whose dates are known in advance: /dates/ down to a day."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, page, write_archive

from generator.build import build
from generator.cli import main
from generator.config import Config, ConfigError, load_config
from generator.pages.calendar_grid import level, month_weeks, numerals, weekday_order

PER_PAGE = 3
# Hand-picked days: a busy Saturday (2022-01-08, paginated), the same day in other years (on this day),
# a leap day, a month that starts on a Sunday (the last weekday of a Monday-first locale).
FIXED = [
    *["2022-01-08"] * 7,
    "2019-01-08",
    "2023-01-08",
    "2022-01-07",
    "2022-01-31",
    "2022-03-15",
    "2023-01-01",
    "2024-02-29",
    "2024-02-01",
    "2024-12-31",
    "2021-09-09",
]
SPREAD = [(dt.date(2019, 3, 1) + dt.timedelta(days=37 * n)).isoformat() for n in range(60)]
DATED = FIXED + SPREAD
UNDATED = 5
# Articles whose date comes from the dateline (what `arshif list` reports is the truth for these).
DATELINES = ["2022-01-08", "2020-06-15", "2023-01-01"]


def markdown(n: int, date: str | None) -> str:
    head = f"title: خبر مؤرخ رقم {n}\nlang: ar\n" + (f"date: {date}\n" if date else "")
    return f"---\n{head}---\n\nنص الخبر رقم {n} عن الاقتصاد والسياسة.\n"


def archive_files() -> dict[str, str]:
    files = {f"d{n:03d}.md": markdown(n, date) for n, date in enumerate(DATED)}
    files |= {f"u{n:02d}.md": markdown(n, None) for n in range(UNDATED)}
    for n, date in enumerate(DATELINES):
        files[f"w{n:02d}.txt"] = f"برقية رقم {n}\n\n(وكالة الأنباء - {date}) نص افتتاحي عادي للبرقية.\n"
    return files


def build_dates(root: Path, **options: object) -> Path:
    content = root / "content"
    if not content.exists():
        write_archive(content, archive_files())
    out = root / "site"
    config = Config(content=content, output=out, per_page=PER_PAGE, countries=False, **options)  # type: ignore[arg-type]
    result = build(config, today=TODAY)
    assert result.problems == ()
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dates(tmp_path_factory.mktemp("dates"))


@pytest.fixture(scope="module")
def listed_dates(site: Path) -> dict[str, str | None]:
    """id -> date as `arshif list --format json` prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["list", "--content", str(site.parent / "content"), "--format", "json"]) == 0
    return {row["id"]: row["date"] for row in json.loads(out.getvalue())}


def follow(site: Path, url: str) -> list[BeautifulSoup]:
    """A paginated listing: every page, following the pager's 'next'."""
    pages = []
    while url:
        html = page(site, url)
        pages.append(html)
        nxt = html.select_one(".pager a[rel=next]")
        url = nxt["href"] if nxt else ""
    return pages


def article_ids(pages: list[BeautifulSoup]) -> list[str]:
    return [a["href"].strip("/").rsplit("/", 1)[1] for html in pages for a in html.select(".article-list a.title")]


def day_urls(site: Path) -> list[str]:
    return sorted(
        f"/{p.parent.relative_to(site).as_posix()}/" for p in (site / "dates").glob("[0-9]*/[0-9]*/[0-9]*/index.html")
    )


def cells(html: BeautifulSoup, scope: str = ".cal") -> list[dict[str, str] | None]:
    """The calendar's cells in document order: None for a blank, else the cell's attributes."""
    cal = html.select_one(scope)
    return [None if "blank" in c["class"] else c.attrs for c in cal.select(".cell")]


def test_every_dated_article_is_on_exactly_its_day(site: Path, listed_dates: dict[str, str | None]) -> None:
    seen: dict[str, list[str]] = {}
    for url in day_urls(site):
        day = "-".join(url.strip("/").split("/")[1:])
        for article_id in article_ids(follow(site, url)):
            seen.setdefault(article_id, []).append(day)
    dated = {i: d for i, d in listed_dates.items() if d}
    assert {i: days for i, days in seen.items()} == {i: [d] for i, d in dated.items()}
    # Front matter always gives a date; the dateline ones count once the dateline parser reads them.
    assert len(DATED) <= len(dated) <= len(DATED) + len(DATELINES)


def test_undated_articles_are_all_listed(site: Path, listed_dates: dict[str, str | None]) -> None:
    pages = follow(site, "/dates/undated/")
    ids = article_ids(pages)
    assert sorted(ids) == sorted(i for i, d in listed_dates.items() if d is None)
    assert len(pages) == -(-len(ids) // PER_PAGE) and len(ids) >= UNDATED  # paginated at PER_PAGE
    assert page(site, "/dates/").select_one('a[href="/dates/undated/"]') is not None


def test_month_and_year_counts_are_sums_of_days(site: Path, listed_dates: dict[str, str | None]) -> None:
    per_day = Counter(d for d in listed_dates.values() if d)
    per_month = Counter(d[:7] for d in per_day.elements())
    per_year = Counter(d[:4] for d in per_day.elements())
    data = json.loads((site / "data" / "dates.json").read_text("utf-8"))
    assert data["days"] == dict(per_day)
    assert data["undated"] == sum(d is None for d in listed_dates.values()) >= UNDATED
    assert data["total"] == len(listed_dates)
    for month in per_month:
        year, mm = month.split("-")
        html = page(site, f"/dates/{year}/{mm}/")
        shown = {c["data-date"]: int(c["data-count"]) for c in cells(html) if c and c["data-count"] != "0"}
        assert shown == {d: n for d, n in per_day.items() if d.startswith(month)}
        assert html.select_one(".count")["data-count"] == str(per_month[month])
        groups = {s["data-date"]: len(s.select(".titles li")) for s in html.select(".day-group")}
        assert groups == {d: min(n, PER_PAGE) for d, n in per_day.items() if d.startswith(month)}
    for year in per_year:
        html = page(site, f"/dates/{year}/")
        totals = [int(s["data-count"]) for s in html.select(".mini-month h2 .count")]
        assert totals == [per_month.get(f"{year}-{m:02d}", 0) for m in range(1, 13)]
        assert sum(int(c["data-count"]) for c in html.select(".cal .day")) == per_year[year]
        assert html.select_one("p.count")["data-count"] == str(per_year[year])
    index = page(site, "/dates/")
    years = {
        li.select_one("a.year").get_text(): [int(m["data-count"]) for m in li.select(".month-strip [data-count]")]
        for li in index.select(".year-row")
    }
    assert {y: sum(ms) for y, ms in years.items()} == dict(per_year)
    assert all(len(ms) == 12 for ms in years.values())


def test_busy_day_paginates_by_id(site: Path, listed_dates: dict[str, str | None]) -> None:
    pages = follow(site, "/dates/2022/01/08/")
    ids = article_ids(pages)
    expected = sorted(i for i, d in listed_dates.items() if d == "2022-01-08")  # 7 from front matter (+1 dateline)
    assert ids == expected and len(pages) == 3
    assert pages[0].select_one(".count")["data-count"] == str(len(ids))


def test_saturday_column_and_arabic_weekday_headers(site: Path) -> None:
    html = page(site, "/dates/2022/01/")
    headers = [wd["title"] for wd in html.select(".cal .wd")]
    # No `locale` set: 'ar' is read as its likeliest region in CLDR (ar_EG), whose week starts on Saturday.
    assert headers == "السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة".split()
    grid = cells(html)
    assert len(grid) % 7 == 0
    position = next(i for i, c in enumerate(grid) if c and c["data-date"] == "2022-01-08")
    assert headers[position % 7] == "السبت"
    assert grid[0]["data-date"] == "2022-01-01"  # 2022-01-01 is a Saturday too: the first column
    assert html.select_one(".cal [data-date='2022-01-08']").name == "a"
    assert html.select_one(".cal [data-date='2022-01-09']").name == "span"  # no articles, no link


def test_leap_february_and_month_starting_on_last_weekday(site: Path) -> None:
    feb = [c for c in cells(page(site, "/dates/2024/02/")) if c]
    assert [c["data-date"] for c in feb][-1] == "2024-02-29" and len(feb) == 29
    jan = cells(page(site, "/dates/2023/01/"))  # 2023-01-01 is a Sunday: the second column of a Saturday-first week
    assert jan[:1] == [None] and jan[1]["data-date"] == "2023-01-01"
    year = page(site, "/dates/2024/")
    assert len([c for c in cells(year, ".mini-month:nth-of-type(2) .cal") if c]) == 29
    assert len(year.select(".mini-month")) == 12


def test_english_ui_starts_weeks_on_sunday(tmp_path: Path) -> None:
    site = build_dates(tmp_path, language="en-US")  # CLDR: the US starts weeks on Sunday (plain 'en' on Monday)
    html = page(site, "/dates/2022/01/")
    assert html.select_one(".cal .wd")["title"] == "Sunday"
    grid = cells(html)
    assert grid[:6] == [None] * 6 and grid[6]["data-date"] == "2022-01-01"  # Saturday: the last column
    assert html.select_one("h1").get_text() == "January 2022"
    assert [c.get_text(strip=True) for c in html.select(".crumbs li")] == ["Dates", "2022", "January"]


def test_following_previous_visits_every_day(site: Path) -> None:
    days = day_urls(site)
    url, visited = days[-1], []
    while url:
        visited.append(url)
        prev = page(site, url).select_one(".period-nav a.prev")
        url = prev["href"] if prev else ""
    assert visited == days[::-1]
    url, forward = days[0], []
    while url:
        forward.append(url)
        nxt = page(site, url).select_one(".period-nav a.next")
        url = nxt["href"] if nxt else ""
    assert forward == days


def test_months_and_years_skip_empty_periods(site: Path, listed_dates: dict[str, str | None]) -> None:
    months = sorted({d[:7] for d in listed_dates.values() if d})
    years = sorted({d[:4] for d in listed_dates.values() if d})
    assert len(months) < (int(years[-1]) - int(years[0]) + 1) * 12  # the fixture does have empty months
    for periods in (months, years):
        urls = ["/dates/" + p.replace("-", "/") + "/" for p in periods]
        for before, url, after in zip([None, *urls[:-1]], urls, [*urls[1:], None], strict=True):
            nav = page(site, url).select_one(".period-nav")
            assert [a["href"] for a in nav.select("a.prev")] == ([before] if before else [])
            assert [a["href"] for a in nav.select("a.next")] == ([after] if after else [])


def test_breadcrumbs(site: Path) -> None:
    html = page(site, "/dates/2022/01/08/")
    crumbs = html.select(".crumbs li")
    assert [c.get_text(strip=True) for c in crumbs] == ["التواريخ", "2022", "يناير", "8"]
    assert [a["href"] for a in html.select(".crumbs a")] == ["/dates/", "/dates/2022/", "/dates/2022/01/"]
    assert crumbs[-1].select_one("[aria-current=page]") is not None
    assert "السبت" in html.select_one("h1").get_text()


def test_on_this_day(site: Path) -> None:
    home = page(site, "/")
    box = home.select_one(".on-this-day")
    assert box is not None
    assert [a.get_text() for a in box.select("h3 a")] == ["2023", "2022", "2019"]  # TODAY is 2026-01-08
    assert box.select_one("time")["datetime"] == TODAY.isoformat()
    assert len(box.select("ul.titles")[1].select("li")) == 5  # at most five per year, then a link to the day
    assert box.select_one(".more a")["href"] == "/dates/2022/01/08/"
    assert page(site, "/page/2/").select_one(".on-this-day") is None
    other = page(site, "/dates/2022/01/08/").select(".same-day a")
    assert [a["href"] for a in other] == ["/dates/2019/01/08/", "/dates/2023/01/08/"]


def test_no_on_this_day_without_matches(tmp_path: Path) -> None:
    content = write_archive(tmp_path / "content", {"a.md": markdown(1, "2022-03-03")})
    build(Config(content=content, output=tmp_path / "site", countries=False), today=TODAY)
    assert page(tmp_path / "site", "/").select_one(".on-this-day") is None
    assert page(tmp_path / "site", "/dates/undated/").select(".article-list li") == []


def test_article_links_its_day_month_and_year(site: Path) -> None:
    html = page(site, "/articles/d000/")
    assert html.select_one(".byline a.date-link")["href"] == "/dates/2022/01/08/"
    assert html.select_one(".facts a.month-link")["href"] == "/dates/2022/01/"
    assert html.select_one(".facts a.year-link")["href"] == "/dates/2022/"
    assert html.select_one(".facts a.month-link").get_text() == "يناير 2022"
    assert page(site, "/articles/u00/").select_one(".byline a.date-link") is None
    assert "/dates/" in [a["href"] for a in html.select(".masthead nav a")]


def test_hijri_labels_and_eastern_arabic_digits(tmp_path: Path) -> None:
    site = build_dates(tmp_path, calendars=("gregorian", "hijri"), digits="arab")
    html = page(site, "/dates/2022/01/")
    assert html.select_one("h1").get_text() == "يناير ٢٠٢٢"
    assert "جمادى" in html.select_one("p.count .hijri").get_text()
    cell = html.select_one(".cal [data-date='2022-01-08']")
    assert cell.select_one(".n").get_text() == "٨" and cell.select_one(".h").get_text() == "٥"  # 5 Jumada II 1443
    assert cell["href"] == "/dates/2022/01/08/"  # URLs keep ASCII digits
    day = page(site, "/dates/2022/01/08/")
    assert day.select_one(".hijri").get_text() == "٥ جمادى الآخرة ١٤٤٣ هـ"
    assert [c.get_text(strip=True) for c in day.select(".crumbs li")] == ["التواريخ", "٢٠٢٢", "يناير", "٨"]
    assert page(site, "/dates/").select_one(".year-row .hijri") is not None


def test_past_pages_do_not_change_when_new_articles_arrive(tmp_path: Path) -> None:
    site = build_dates(tmp_path)
    before = {p: p.read_bytes() for p in (site / "dates" / "2022").rglob("*.html")}
    write_archive(tmp_path / "content", {"zz-new.md": markdown(999, "2025-11-02"), "zz-und.md": markdown(998, None)})
    build_dates(tmp_path)
    after = {p: p.read_bytes() for p in (site / "dates" / "2022").rglob("*.html")}
    assert after == before
    assert (site / "dates" / "2025" / "11" / "02" / "index.html").exists()


def test_calendar_config_keys(tmp_path: Path) -> None:
    good = tmp_path / "arshif.toml"
    good.write_text('calendars = ["gregorian", "hijri"]\ndigits = "arab"\n', "utf-8")
    config = load_config(good)
    assert config.calendars == ("gregorian", "hijri") and config.digits == "arab"
    assert Config().calendars == ("gregorian",) and Config().digits == "latn"
    for bad in ('calendars = ["julian"]', 'digits = "roman"', 'calendars = "hijri"', "calendars = [1]"):
        good.write_text(bad + "\n", "utf-8")
        with pytest.raises(ConfigError, match=r"calendars|digits"):
            load_config(good)


@pytest.mark.parametrize(
    ("year", "month", "first", "blanks", "days"),
    [
        (2022, 1, 0, 5, 31),  # Monday-first: Saturday the 1st is column 6
        (2022, 1, 6, 6, 31),  # Sunday-first
        (2022, 1, 5, 0, 31),  # Saturday-first (ar-EG)
        (2024, 2, 0, 3, 29),
        (2022, 4, 5, 6, 30),  # April 2022 starts on a Friday, the last day of a Saturday-first week
    ],
)
def test_month_grid(year: int, month: int, first: int, blanks: int, days: int) -> None:
    flat = [n for week in month_weeks(year, month, first) for n in week]
    assert len(flat) % 7 == 0
    assert flat[:blanks] == [0] * blanks and flat[blanks] == 1
    assert max(flat) == days and dt.date(year, month, 1).weekday() == weekday_order(first)[blanks]


def test_helpers() -> None:
    assert numerals("2022-01-08", "arab") == "٢٠٢٢-٠١-٠٨" and numerals(7, "latn") == "7"
    assert level(0, 10) == 0 and level(1, 1) == 4 and level(10, 10) == 4 and 1 <= level(1, 100) < level(50, 100)
