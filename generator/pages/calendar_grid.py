"""Calendar facts without pages: month grids, names in the UI language (CLDR), digits, Hijri labels, date URLs.

(Named calendar_grid, not calendar, so it never shadows the standard library's `calendar`.)
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

import hijridate
from babel import Locale
from babel.dates import get_day_names, get_month_names

ARAB_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LEVELS = 4  # heat-map shades besides "empty"


def year_url(year: int) -> str:
    return f"/dates/{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"/dates/{year:04d}/{month:02d}/"


def day_url(date: dt.date) -> str:
    return f"/dates/{date.year:04d}/{date.month:02d}/{date.day:02d}/"


UNDATED_URL = "/dates/undated/"
DATA_URL = "/data/dates.json"


def month_weeks(year: int, month: int, first_weekday: int) -> list[list[int]]:
    """The month as weeks of seven day numbers (0 = a blank cell), each week starting on `first_weekday`.

    Weekdays count from Monday = 0, as both the standard library and Babel's `Locale.first_week_day` do.
    """
    return calendar.Calendar(first_weekday).monthdayscalendar(year, month)


def weekday_order(first_weekday: int) -> list[int]:
    """The seven weekdays (Monday = 0) in the order a week of this locale shows them."""
    return [(first_weekday + i) % 7 for i in range(7)]


def weekday_names(loc: Locale, first_weekday: int) -> list[dict[str, str]]:
    """Column headers: short, narrow and full names, in the locale's week order."""
    short = get_day_names("abbreviated", "stand-alone", locale=loc)
    wide = get_day_names("wide", "stand-alone", locale=loc)
    narrow = get_day_names("narrow", "stand-alone", locale=loc)
    return [{"short": short[d], "narrow": narrow[d], "full": wide[d]} for d in weekday_order(first_weekday)]


def month_names(loc: Locale) -> dict[int, str]:
    """1..12 -> the month's stand-alone name ('يناير', 'January')."""
    names = get_month_names("wide", "stand-alone", locale=loc)
    return {m: names[m] for m in range(1, 13)}


def numerals(text: object, digits: str) -> str:
    """`text` with its ASCII digits as Eastern Arabic ones when `digits` is 'arab'."""
    shown = str(text)
    return shown.translate(ARAB_DIGITS) if digits == "arab" else shown


def level(count: int, top: int) -> int:
    """Heat-map shade 0..LEVELS: 0 for none, otherwise on a log scale against the busiest cell."""
    if count <= 0 or top <= 0:
        return 0
    if top == 1:
        return LEVELS
    return max(1, math.ceil(LEVELS * math.log1p(count) / math.log1p(top)))


def hijri(date: dt.date) -> hijridate.Hijri | None:
    """The Umm al-Qura date, None outside the table's range (1924-2077)."""
    try:
        return hijridate.Gregorian(date.year, date.month, date.day).to_hijri()
    except (ValueError, OverflowError):
        return None


def hijri_span(first: dt.date, last: dt.date) -> str | None:
    """Hijri months (and years) that [first, last] covers: 'جمادى الأولى – جمادى الآخرة 1443 هـ'."""
    a, b = hijri(first), hijri(last)
    if a is None or b is None:
        return None
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.month_name('ar')} {a.year} {a.notation('ar')}"
    if last - first > dt.timedelta(days=62):  # a year: the Hijri years are enough
        years = f"{a.year}" if a.year == b.year else f"{a.year}–{b.year}"
        return f"{years} {a.notation('ar')}"
    start = a.month_name("ar") + ("" if a.year == b.year else f" {a.year}")
    return f"{start} – {b.month_name('ar')} {b.year} {b.notation('ar')}"


def hijri_day(date: dt.date) -> str | None:
    """'5 جمادى الآخرة 1443 هـ'."""
    h = hijri(date)
    return None if h is None else f"{h.day} {h.month_name('ar')} {h.year} {h.notation('ar')}"
