"""What a reader reads on the built sample site, parsed from its HTML: counts in Arabic grammar, the chrome's words
in one language per line, excerpts as prose, the week as the locale has it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, page, write_archive
from test_browser import SEED

from generator.build import build
from generator.config import Config, ConfigError, load_config
from generator.pages.i18n import count, region_locale

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
# A number before a counted noun: the singular (مقالة) and the plural of 3-10 (مقالات), each only where CLDR's
# Arabic rule puts it. "1 مقالة" and "2 مقالة" are wrong too: Arabic says مقالة واحدة, مقالتان.
COUNTED = re.compile(r"([0-9٠-٩]+)\s+(مقالة|نتيجة|كلمة|مقالات|نتائج|كلمات)(?![\u0621-\u064a])")
PLURAL_OF_FEW = {"مقالات", "نتائج", "كلمات"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader-pages") / "site"
    build(Config(content=ROOT / "content", output=out, search=False), today=TODAY)
    return out


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "لا مقالات"), (1, "مقالة واحدة"), (2, "مقالتان"), (3, "3 مقالات"), (7, "7 مقالات"), (10, "10 مقالات"),
     (11, "11 مقالة"), (99, "99 مقالة"), (100, "100 مقالة"), (103, "103 مقالات"), (111, "111 مقالة")],
)  # fmt: skip
def test_arabic_counts_follow_cldr(n: int, text: str) -> None:
    assert count(n, "article", "ar") == text


def test_english_and_eastern_digit_counts() -> None:
    assert [count(n, "article", "en") for n in (1, 2)] == ["1 article", "2 articles"]
    assert count(7, "word", "ar", "arab") == "٧ كلمات"


def test_no_page_counts_in_the_wrong_number(site: Path) -> None:
    seen = 0
    for path in site.rglob("*.html"):
        for m in COUNTED.finditer(path.read_text("utf-8")):
            n, noun = int(m.group(1).translate(ARABIC_DIGITS)), m.group(2)
            few = 3 <= n % 100 <= 10
            assert n > 2 and few == (noun in PLURAL_OF_FEW), f"{path.relative_to(site)}: {m.group(0)!r}"
            seen += 1
    assert seen > 50  # the site does count things


def test_an_actor_page_names_one_person_in_the_singular(site: Path) -> None:
    html = page(site, "/actors/putin/")
    assert html.select_one(".actor-head .count").get_text().startswith("شخص ·")
    spellings = [b.get_text().casefold() for b in html.select(".alias")]
    assert len(spellings) == len(set(spellings))  # "Kazakhstan · Kazakhstan" no more
    kz = [b.get_text().casefold() for b in page(site, "/actors/country-kz/").select(".alias")]
    assert len(kz) == len(set(kz))


def test_the_timeline_has_an_axis_values_and_a_table(site: Path) -> None:
    html = page(site, "/actors/country-kz/")
    bars = html.select(".timeline .bar")
    assert bars and all(b["title"].count(":") == 1 for b in bars)
    focusable = html.select(".timeline .bar[tabindex='0']")
    assert focusable and all(b["aria-label"] and int(b["data-count"]) > 0 for b in focusable)
    assert html.select_one(".timeline .axis").get_text(strip=True)
    rows = html.select(".timeline table tbody tr")
    assert len(rows) == len(focusable) and sum(int(b["data-count"]) for b in bars) > 0


def test_an_english_article_speaks_english_around_its_text(site: Path) -> None:
    html = page(site, "/articles/en-2022-01-08-csto-troops-almaty/")
    byline = html.select_one(".byline")
    assert byline["lang"] == "en" and byline["dir"] == "ltr"
    assert byline.select_one("time").get_text() == "January 8, 2022"
    assert not re.search(r"[\u0600-\u06ff]", byline.get_text())
    chips = html.select("nav.actors a.chip")
    assert chips and all(c["lang"] == "en" for c in chips)
    assert "Vladimir Putin" in [c.get_text() for c in chips]
    # The Arabic site's own words (the facts box) stay Arabic, each in a box of their own direction.
    assert html.select_one("aside.facts")["lang"] == "ar"


def test_excerpts_read_as_prose(site: Path) -> None:
    home = page(site, "/")
    excerpts = {
        li.a["href"].strip("/").rsplit("/", 1)[-1]: li.select_one(".excerpt") for li in home.select(".article-list li")
    }
    seed = excerpts[SEED].get_text()
    assert not seed.startswith("(") and "سبوتنيك - 08" not in seed  # no dateline
    lists = [home, *(page(site, f"/page/{p.parent.name}/") for p in (site / "page").glob("*/index.html"))]
    shown = [e.get_text() for html in lists for e in html.select(".article-list li .excerpt")]
    assert len(shown) == 26 and not [e for e in shown if e.lstrip().startswith(">")]  # no Markdown quote mark
    # Dates and outlets are isolated, so an Arabic date inside an English item reads in order.
    for li in home.select(".article-list li[dir=ltr]"):
        time = li.select_one(".meta time")
        assert time is None or time["dir"] == "rtl"


def test_a_day_page_does_not_repeat_its_date(site: Path) -> None:
    html = page(site, "/dates/2022/01/08/")
    assert html.select(".article-list li") and not html.select(".article-list time")


def test_the_week_starts_where_the_locale_says(tmp_path: Path) -> None:
    content = write_archive(
        tmp_path / "content", {"a.md": "---\ntitle: مقال\ndate: 2022-01-08\nlang: ar\n---\n\nنص.\n"}
    )
    firsts = {}
    for region in ("", "ar_SA", "ar_MA"):
        out = tmp_path / f"site-{region or 'default'}"
        build(Config(content=content, output=out, search=False, locale=region), today=TODAY)
        firsts[region] = page(out, "/dates/2022/01/").select_one(".cal .wd")["title"]
    assert firsts == {"": "السبت", "ar_SA": "الأحد", "ar_MA": "الاثنين"}
    assert str(region_locale("ar")) == "ar_EG" and str(region_locale("en")) == "en_US"


def test_a_locale_cldr_does_not_know_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "arshif.toml").write_text('locale = "xx_QQ"\n', "utf-8")
    with pytest.raises(ConfigError, match="key 'locale'"):
        load_config(tmp_path / "arshif.toml")


def test_every_page_loads_the_webfont_and_a_favicon(site: Path) -> None:
    html = page(site, "/")
    preload = html.select_one("link[rel=preload][as=font]")
    assert preload is not None and (site / preload["href"].lstrip("/")).is_file()
    assert html.select_one("link[rel=icon]")["href"] == "/static/favicon.svg"
    assert (site / "static" / "favicon.svg").is_file() and (site / "static" / "fonts" / "OFL.txt").is_file()
    css = (site / "static" / "style.css").read_text("utf-8")
    assert "font-display: swap" in css and "prefers-color-scheme: dark" in css and "@media print" in css


def test_an_article_marks_each_actor_once(site: Path) -> None:
    html = page(site, f"/articles/{SEED}/")
    marked = [m["data-actor"] for m in html.select(".body mark.mention")]
    assert len(marked) == len(set(marked)) >= 5  # the first mention of each, not every one
    assert "بوتين" in html.select_one(".body").get_text().split("بوتين", 1)[1]  # named again, unmarked
