"""Dateline reading: outlet, agency, place and publication date from the opening of the first paragraph.

The dateline zone: after optional leading marks, a dateline is

* an optional place of at most six words, no digits, none of them a function word (في, يوم, أمس, بتاريخ...)
  or a weekday, at most 50 characters: "القاهرة", "دبي، الإمارات العربية المتحدة", "AKRON, Ohio";
* then either a date ("25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "March 20 -", "15/10/1436"),
  or a parenthesis holding an outlet and/or agency and/or a date, "(X / Y - 08 كانون الثاني 2022ء)",
  "(CNN) --" (names alone count only when a dash follows the parenthesis).

The place has at most three words before its first comma ("RIO DE JANEIRO", "المدينة المنورة") and may hold a
parenthesis of words ("تبليسي (جورجيا)"). So the date starts within about the first 60 characters, and a
year-less date counts only as Reuters prints it ("March 20 -"). A date right at the start followed by a colon
opens a chronology entry ("28 مايو 1990: ..."), not a dateline.

A date anywhere else (after a verb, after في or يوم, deeper in the lead) is the story's, not the dateline's:
leads cite historical dates far more often than they restate the publication date. Calibrated by hand on
432 corpus leads holding a full date (SPA, CNN Arabic, Reuters and papers that quote them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

from hijridate import Hijri

from generator.arabic import normalize, normalize_with_offsets
from generator.model import Dateline, outside_calendar

# Everything happens in the first characters; normalising more would only cost time.
_HEAD = 240
_PLACE_CHARS = 50
_PLACE_WORDS = 6  # in all: "أتلانتا، الولايات المتحدة الأمريكية", "AKRON, Ohio"
_CITY_WORDS = 3  # before the first comma: "المدينة المنورة", "RIO DE JANEIRO"

# (month, spellings) in print form; the regexes are built over their normalised forms, so hamza seats,
# ة/ه and ى/ي variants need no entries of their own.
_GREGORIAN: tuple[tuple[int, str], ...] = (
    (1, "كانون الثاني|كانون ثاني|يناير|جانفي|ينير"),
    (2, "شباط|فبراير|فيفري|فبرير"),
    (3, "آذار|مارس"),
    (4, "نيسان|أبريل|إبريل|ابريل|أفريل"),
    (5, "أيار|مايو|ماي"),
    (6, "حزيران|يونيو|يونيه|يونية|جوان"),
    (7, "تموز|يوليو|يوليه|يولية|جويلية|جويليه|يوليوز"),
    (8, "آب|أغسطس|اغسطس|أغسطوس|أوت|غشت"),
    (9, "أيلول|سبتمبر|شتنبر"),
    (10, "تشرين الأول|تشرين أول|أكتوبر|اكتوبر"),
    (11, "تشرين الثاني|تشرين ثاني|نوفمبر|نونبر"),
    (12, "كانون الأول|كانون أول|ديسمبر|دجنبر|ديسمبير"),
)
_HIJRI: tuple[tuple[int, str], ...] = (
    (1, "محرم|المحرم"),
    (2, "صفر"),
    (3, "ربيع الأول|ربيع أول"),
    (4, "ربيع الآخر|ربيع الثاني|ربيع آخر|ربيع ثاني"),
    (5, "جمادى الأولى|جمادى الأول|جمادى أولى"),
    (6, "جمادى الآخرة|جمادى الثانية|جمادى الآخر|جمادى الثاني|جمادى آخرة"),
    (7, "رجب"),
    (8, "شعبان"),
    (9, "رمضان"),
    (10, "شوال"),
    (11, "ذو القعدة|ذي القعدة|ذا القعدة"),
    (12, "ذو الحجة|ذي الحجة|ذا الحجة"),
)
_ENGLISH: tuple[tuple[int, str], ...] = (
    (1, "january|jan"),
    (2, "february|feb"),
    (3, "march|mar"),
    (4, "april|apr"),
    (5, "may"),
    (6, "june|jun"),
    (7, "july|jul"),
    (8, "august|aug"),
    (9, "september|sept|sep"),
    (10, "october|oct"),
    (11, "november|nov"),
    (12, "december|dec"),
)


def _table(months: Iterable[tuple[int, str]]) -> dict[str, int]:
    return {normalize(name): number for number, names in months for name in names.split("|")}


_GREGORIAN_MONTHS = _table(_GREGORIAN)
_HIJRI_MONTHS = _table(_HIJRI)
_ENGLISH_MONTHS = _table(_ENGLISH)
_MONTHS = {**_GREGORIAN_MONTHS, **_HIJRI_MONTHS, **_ENGLISH_MONTHS}
# Keyed without spaces, as print sometimes drops them ("ذوالقعدة"): name -> (month, is Hijri).
_MONTH_NUMBERS = {name.replace(" ", ""): (number, name in _HIJRI_MONTHS) for name, number in _MONTHS.items()}


def _alternation(names: Iterable[str]) -> str:
    # Longest first, so that "مايو" is not read as "ماي"; a printed space may be missing or doubled.
    return "|".join(re.escape(n).replace(r"\ ", r"\s*") for n in sorted(names, key=len, reverse=True))


_NOT_WORD = r"(?!\w)"
_MONTH = rf"(?:{_alternation(_MONTHS)}){_NOT_WORD}\.?"
_EN_MONTH = rf"(?:{_alternation(_ENGLISH_MONTHS)}){_NOT_WORD}\.?"
# Year marks: ء and م (miladi), ه (hijri; its tatweel in هـ is gone after normalising).
# Print glues the mark to what follows now and then: "1436 هـالموافق", "2015 مواس".
_MARK = rf"(?:\s*(?P<mark>[ءمه])(?:{_NOT_WORD}|(?=الموافق|واس{_NOT_WORD})))?"
_DAY_NUMBER = r"(?<!\d)0?(?P<d>[0-3]?\d)"  # "011 أغسطس" is printed too
_DAY = rf"{_DAY_NUMBER}(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})(?!\d)"

# "14 أيار (مايو) 2015", "21 آب/أغسطس 2011", "8 January 2022", "22 من أبريل 2018".
_DAY_MONTH_YEAR = re.compile(
    rf"{_DAY}\s*(?:من\s+)?(?:شهر\s+)?(?P<m>{_MONTH})"
    rf"(?:\s*[/(\-–]\s*(?P<m2>{_MONTH})\s*\)?)?\s*[,،]?\s*(?:(?:عام|سنه)\s+)?{_YEAR}{_MARK}"
)
# "January 8, 2022" and Reuters' year-less "March 20".
_MONTH_DAY_YEAR = re.compile(rf"(?P<m>{_EN_MONTH})\s*(?P<d>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?(?:\s*,?\s*{_YEAR})?")
# Day first, as Arabic news writes: 15/10/1436, ٦-٨-٢٠١٥, 08.01.2022.
_NUMERIC_DMY = re.compile(rf"{_DAY_NUMBER}\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*{_YEAR}{_MARK}")
# Year first: ISO 2022-01-08, and Saudi 1436/10/30.
_NUMERIC_YMD = re.compile(
    rf"(?<!\d)(?P<y>\d{{4}})\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<d>[0-3]?\d)(?!\d){_MARK}"
)
_DATE_FORMS = (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _NUMERIC_DMY, _NUMERIC_YMD)
# What joins the two calendars: "... 1436 هـ الموافق 10 اغسطس 2015 م", "... 1439 هـ (24 يونيو 2018)".
_BRIDGE = re.compile(r"\s*[-–,،]?\s*(?:(?:(?:ال|ل)?موافق|يوافق)\s*(?:ل\s*)?(?P<open>\(\s*)?|(?P<paren>\(\s*))")
_CLOSE = re.compile(r"\s*\)")

_DASH = re.compile(r"\s*(?:[-–—‒−]+|:)")
_DASH_ONLY = re.compile(r"\s*[-–—‒−]+")
_COLON = re.compile(r"\s*:")
_PAREN = re.compile(r"\(([^()]{1,120})\)")
_NAME_SEP = re.compile(r"\s*[-–—،,:]\s*|\s+(?=\d)")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+(?:[.'’\-][^\W\d_]*)*")
_PLACE_PAREN = re.compile(r"\(([^()\d]{1,30})\)")
_WORD_SPLIT = re.compile(r"[\s,،]+")
# Runs of asterisks lead some wire items ("****RIO DE JANEIRO, March 5 -"); a lone "* " is a list bullet.
_LEAD = re.compile(r"\s*(?:\*{2,}\s*)?")
_CANDIDATE = re.compile(r"(?<=[\s,،:])\S|\d|\(")
# A dateline's date or parenthesis starts within the place's 50 characters plus a month name.
_MAYBE = re.compile(r"[\d(]")
_MAYBE_WITHIN = 100

# Words that never belong to a place name: prepositions, time words, weekdays, relative pronouns and
# particles. A date after one of them is the story's (في 29 تشرين الأول 1965, يوم الجمعة 31/7/2015).
_STOP = frozenset(
    normalize(word)
    for word in (
        "في فى من إلى الى على عن مع عند لدى منذ حتى خلال قبل بعد بين حيث يوم اليوم ليوم أمس امس غدا غداً "
        "الموافق بتاريخ تاريخ عام العام سنة لعام صباح مساء صباحا ليلة فجر ظهر عصر السبت الأحد الاثنين الإثنين "
        "الثلاثاء الأربعاء الخميس الجمعة أن إن أنه إنه قد لقد لم لن ما التي الذي الذين هو هي كان كانت وقد "
        "و ثم أو بأن ولد توفي on in at of said since from to by was is were until before after and "
        "monday tuesday wednesday thursday friday saturday sunday today yesterday"
    ).split()
)
# Wire agencies: a lone name that is one of these is the agency, not the outlet; and after a date only
# these (or a name in parentheses) are read as the agency, e.g. SPA's "... 2015 م واس".
_AGENCIES = frozenset(
    normalize(name)
    for name in (
        "واس|رويترز|أ ف ب|ا ف ب|أ.ف.ب|فرانس برس|وكالة فرانس برس|أ ب|أسوشيتد برس|د ب أ|سبوتنيك|الأناضول|"
        "كونا|وام|بنا|قنا|سانا|شينخوا|يو بي آي|إرنا|تاس|معا|وفا|reuters|afp|ap|dpa|upi|xinhua|tass|sputnik"
    ).split("|")
)
_AGENCY_AFTER = re.compile(
    rf"\s*[-–.]?\s*(?:\((?P<named>[^()\d]{{1,40}})\)|(?P<bare>{_alternation(_AGENCIES)}){_NOT_WORD})"
)


class _Found(NamedTuple):
    """One date as printed: where it is in the normalised head, and what it says."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    hijri: bool


def _match_date(text: str, at: int) -> _Found | None:
    for form in _DATE_FORMS:
        m = form.match(text, at)
        if m is None:
            continue
        groups = m.groupdict()
        year = int(groups["y"]) if groups.get("y") else None
        month_text = groups["m"].rstrip(".").strip()
        if month_text.isdigit():
            month = int(month_text)
            hijri = (year or 0) < 1600  # a numeric date in 14xx is Hijri
        else:
            month, hijri = _MONTH_NUMBERS[re.sub(r"\s+", "", month_text)]
        if groups.get("mark") == "ه" and month_text.isdigit():
            hijri = True
        return _Found(m.start(), m.end(), year, month, int(groups["d"]), hijri)
    return None


class _Span(NamedTuple):
    """A recognised dateline in the normalised head."""

    end: int
    dates: tuple[_Found, ...] = ()
    names: tuple[tuple[int, int], ...] = ()  # inside a parenthesis: outlet [/ agency]
    agency: tuple[int, int] | None = None  # after the date (SPA's "واس")


def _date_group(text: str, at: int) -> tuple[tuple[_Found, ...], int] | None:
    """A date, optionally followed by the same day in the other calendar."""
    first = _match_date(text, at)
    if first is None:
        return None
    dates, end = [first], first.end
    bridge = _BRIDGE.match(text, end)
    if bridge:
        second = _match_date(text, bridge.end())
        if second is not None and second.hijri != first.hijri:
            dates.append(second)
            end = second.end
            if bridge.group("open") or bridge.group("paren"):
                close = _CLOSE.match(text, end)
                end = close.end() if close else end
    return tuple(dates), end


_PLACE_IN = frozenset({"في", "فى"})


def _valid_place(text: str) -> bool:
    place = _PLACE_PAREN.sub(r" \1 ", text).strip(" ,،:-–—")  # "تبليسي (جورجيا)"
    if not place:
        return True
    if len(place) > _PLACE_CHARS:
        return False
    words = _WORD_SPLIT.split(place)
    if len(words) in (2, 3) and words[-1] in _PLACE_IN:
        words = words[:-1]  # MENA's "القاهرة في 2 إبريل 2018": a short place, then "in", then the date
    city = len(re.split(r"[,،]", place, maxsplit=1)[0].split())
    return (
        city <= _CITY_WORDS and len(words) <= _PLACE_WORDS and all(_WORD.fullmatch(w) and w not in _STOP for w in words)
    )


def _split_names(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Spans of 'outlet / agency' inside a parenthesis, trimmed."""
    spans = []
    for part in re.finditer(r"[^/|]+", text[start:end]):
        a, b = start + part.start(), start + part.end()
        while a < b and text[a] in " -–—,،":
            a += 1
        while b > a and text[b - 1] in " -–—,،":
            b -= 1
        if a < b:
            spans.append((a, b))
    return tuple(spans)


def _parenthesis(text: str, at: int) -> _Span | None:
    m = _PAREN.match(text, at)
    if m is None:
        return None
    inner_start, inner_end = m.span(1)
    inner = text[inner_start:inner_end].rstrip()
    inner_end = inner_start + len(inner)
    leading = len(inner) - len(inner.lstrip())
    group = _date_group(text, inner_start + leading)
    if group and group[1] == inner_end:  # "(8 يناير 2022)"
        return _Span(_after_dash(text, m.end()), group[0])
    for sep in _NAME_SEP.finditer(text, inner_start, inner_end):
        group = _date_group(text, sep.end())
        if group and group[1] == inner_end and sep.start() > inner_start:
            return _Span(_after_dash(text, m.end()), group[0], _split_names(text, inner_start, sep.start()))
    dash = _DASH_ONLY.match(text, m.end())
    if dash and not _DIGIT.search(inner) and len(inner.split()) <= 5:  # "(CNN) --"
        return _Span(dash.end(), (), _split_names(text, inner_start, inner_end))
    return None


def _after_dash(text: str, at: int) -> int:
    dash = _DASH.match(text, at)
    return dash.end() if dash and not _DIGIT.match(text, dash.end()) else at


def _dated(text: str, at: int, placed: bool) -> _Span | None:
    group = _date_group(text, at)
    if group is None:
        return None
    dates, end = group
    if dates[0].year is None and not _DASH_ONLY.match(text, end):
        return None  # "March 20" is a dateline only as Reuters prints it, "March 20 -"
    if not placed and _COLON.match(text, end):
        return None  # "28 مايو 1990: ..." opens an entry of a chronology
    agency = None
    after = _AGENCY_AFTER.match(text, end)
    if after:
        name = "named" if after.group("named") else "bare"
        if name == "bare" or not _DIGIT.search(after.group(name)):
            agency, end = _split_names(text, *after.span(name))[0], after.end()
    return _Span(_after_dash(text, end), dates, (), agency)


def _read(found: _Found, shown: str, reference: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The Gregorian date `found` names, or a problem."""
    problem = f'cannot read date "{shown}"'
    try:
        if found.hijri:
            if found.year is None:
                return None, problem
            g = Hijri(found.year, found.month, found.day).to_gregorian()
            date = dt.date(g.year, g.month, g.day)
        elif found.year is not None:
            date = dt.date(found.year, found.month, found.day)
        else:
            dt.date(2000, found.month, found.day)  # a leap year: Feb 29 is a real month/day
            if reference is None:
                return None, None
            date = dt.date(reference.year, found.month, found.day)
            # A dateline precedes its metadata date: "Dec 31" read with a January reference is last year's.
            if (date - reference).days > 183:
                date = dt.date(reference.year - 1, found.month, found.day)
    except (ValueError, OverflowError):
        return None, problem
    outside = outside_calendar(date)
    return (None, outside) if outside else (date, None)


def read_dateline(paragraph: str, reference: dt.date | None = None) -> Dateline:
    """Read the dateline at the start of `paragraph`.

    `reference` (a date from metadata, e.g. crawl time) supplies the year of year-less datelines
    such as Reuters' "WASHINGTON, March 20 -".
    """
    head = paragraph[:_HEAD]
    text, offsets = normalize_with_offsets(head)

    def original(start: int, end: int) -> str:
        """The printed text behind text[start:end], bidi marks and spaces trimmed."""
        if start >= end:
            return ""
        a = offsets[start] if offsets else start
        # Up to the next kept character, so that a trailing tatweel or vowel mark stays: "1436 هـ".
        b = (offsets[end] if end < len(offsets) else len(head)) if offsets else end
        return head[a:b].strip(" \t\n\u00a0\u200e\u200f\u061c\ufeff")

    if not _MAYBE.search(paragraph, 0, _MAYBE_WITHIN):
        return Dateline()  # most leads: no digit or parenthesis where a dateline could be
    begin = _LEAD.match(text).end()
    span: _Span | None = None
    at = begin
    for at in (begin, *(m.start() for m in _CANDIDATE.finditer(text, begin + 1, begin + _PLACE_CHARS + 1))):
        prefix = text[begin:at]
        if prefix.count("(") > prefix.count(")"):
            continue  # inside "تبليسي (جمهورية جورجيا)": judge the place once the parenthesis closes
        if not _valid_place(prefix):
            break  # the prefix only grows: once it holds a digit or a function word, no place follows
        span = _parenthesis(text, at) if text.startswith("(", at) else _dated(text, at, at > begin)
        if span is not None:
            break
    if span is None:
        return Dateline()

    place = re.sub(r"\s+(في|فى)$", "", original(begin, at).rstrip(" ,،:-–—")) or None
    names = [original(a, b) for a, b in span.names]
    outlet = agency = None
    if len(names) >= 2:
        outlet, agency = names[0], names[1]
    elif names and normalize(names[0]) in _AGENCIES:
        agency = names[0]
    elif names:
        outlet = names[0]
    if span.agency:
        agency = original(*span.agency)

    date: dt.date | None = None
    calendar: Literal["gregorian", "hijri", ""] = ""
    problem: str | None = None
    hijri = month_day = None
    if span.dates:
        chosen = next((d for d in span.dates if not d.hijri), span.dates[0])  # the Gregorian one wins
        printed_hijri = next((d for d in span.dates if d.hijri), None)
        if printed_hijri and printed_hijri.year is not None:
            hijri = (printed_hijri.year, printed_hijri.month, printed_hijri.day)
        if chosen.year is None:
            month_day = (chosen.month, chosen.day)
        date, problem = _read(chosen, original(chosen.start, chosen.end), reference)
        if date is not None:
            calendar = "hijri" if chosen.hijri else "gregorian"
    return Dateline(
        text=original(begin, span.end),
        place=place,
        outlet=outlet,
        agency=agency,
        date=date,
        calendar=calendar,
        hijri=hijri,
        month_day=month_day,
        problem=problem,
    )
