"""Browsing by date: /dates/, a year, a month, a day, the undated, /data/dates.json and "on this day".

Pages of a past period depend only on that period's articles (plus links to its neighbours), so a new
article changes its own day, month and year pages and leaves the rest of the archive byte-for-byte alone.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from babel.dates import format_date

from generator.model import Article, Page
from generator.pages.archive import EVERYTHING, Indexes, Scope
from generator.pages.calendar_grid import (
    DATA_URL,
    LEVELS,
    UNDATED_URL,
    day_url,
    hijri_day,
    hijri_span,
    level,
    month_names,
    month_url,
    month_weeks,
    numerals,
    weekday_names,
    year_url,
)
from generator.pages.i18n import count
from generator.pages.site import Site, article_url, paginate, summary_view

ON_THIS_DAY_PER_YEAR = 5  # the home page shows this many of each earlier year's articles, then links the day


class Dates:
    """The archive indexed by day, with the locale facts every date page shares."""

    def __init__(self, site: Site, indexes: Indexes) -> None:
        self.site = site
        self.days: dict[dt.date, list[Article]] = dict(sorted(indexes.days.items()))
        self.undated = list(indexes.undated)
        self.day_list = list(self.days)  # ascending
        self.months = sorted({(d.year, d.month) for d in self.days})
        self.years = sorted({d.year for d in self.days})
        self.month_count: dict[tuple[int, int], int] = {}
        self.year_count: dict[int, int] = {}
        for day, group in self.days.items():
            self.month_count[day.year, day.month] = self.month_count.get((day.year, day.month), 0) + len(group)
            self.year_count[day.year] = self.year_count.get(day.year, 0) + len(group)
        self.same_day: dict[tuple[int, int], list[dt.date]] = {}
        for day in self.day_list:
            self.same_day.setdefault((day.month, day.day), []).append(day)
        config = site.config
        self.loc = site.region  # the configured region's (or the language's likeliest) weeks and month names
        self.first_weekday = self.loc.first_week_day
        self.month_name = month_names(self.loc)
        self.weekdays = weekday_names(self.loc, self.first_weekday)
        self.digits = config.digits if self.loc.language == "ar" else "latn"
        self.hijri = "hijri" in config.calendars

    # -- words and numbers ------------------------------------------------------------------------------

    def num(self, value: object) -> str:
        return numerals(value, self.digits)

    def date_label(self, day: dt.date, form: str = "long") -> str:
        return self.num(format_date(day, form, locale=self.loc))

    def hijri_span(self, first: dt.date, last: dt.date) -> str | None:
        text = hijri_span(first, last) if self.hijri else None
        return self.num(text) if text else None

    def hijri_day(self, day: dt.date) -> str | None:
        text = hijri_day(day) if self.hijri else None
        return self.num(text) if text else None

    def articles(self, n: int) -> str:
        """'7 مقالات' in the configured digits."""
        return count(n, "article", self.site.config.language, self.digits)

    def legend(self) -> dict[str, Any]:
        """The heat map's key: an empty cell, then the shades from fewest to most articles."""
        t = self.site.t
        levels = list(range(1, LEVELS + 1))
        return {"none": t["heat_none"], "less": t["heat_less"], "more": t["heat_more"], "levels": levels}

    def month_label(self, year: int, month: int) -> str:
        return f"{self.month_name[month]} {self.num(year)}"

    def link(self, url: str, label: str) -> dict[str, str]:
        return {"href": self.site.href(url), "label": label}

    def crumbs(self, *parts: tuple[str, str | None]) -> list[dict[str, str | None]]:
        """archive › 2022 › يناير › 8: the last part is the current page (no link)."""
        trail = [(self.site.t["dates"], "/dates/"), *parts]
        return [
            {"label": label, "href": self.site.href(url) if url and i < len(trail) - 1 else None}
            for i, (label, url) in enumerate(trail)
        ]

    @staticmethod
    def neighbours(items: Sequence[Any], current: Any) -> tuple[Any, Any]:
        """The non-empty periods before and after `current` in the sorted `items` (empty periods are skipped)."""
        i = bisect_left(items, current)
        return (items[i - 1] if i > 0 else None), (items[i + 1] if i + 1 < len(items) else None)

    # -- grids ------------------------------------------------------------------------------------------

    def cells(self, year: int, month: int, top: int, with_hijri: bool) -> list[dict[str, Any] | None]:
        """The month's grid, week after week, row-major; None is a blank cell before the 1st or after the last."""
        out: list[dict[str, Any] | None] = []
        for week in month_weeks(year, month, self.first_weekday):
            for n in week:
                if not n:
                    out.append(None)
                    continue
                day = dt.date(year, month, n)
                n_day = len(self.days.get(day, ()))
                h = hijri_day(day) if with_hijri else None
                out.append(
                    {
                        "iso": day.isoformat(),
                        "day": self.num(n),
                        "count": n_day,
                        "count_text": self.num(n_day),
                        "level": level(n_day, top),
                        "href": self.site.href(day_url(day)) if n_day else None,
                        "title": f"{self.date_label(day)}: {self.articles(n_day)}",
                        "hijri": self.num(h.split()[0]) if h else None,
                        "hijri_full": self.num(h) if h else None,
                    }
                )
        return out

    def busiest_day(self, days: Iterable[dt.date]) -> int:
        return max((len(self.days.get(d, ())) for d in days), default=0)

    # -- pages ------------------------------------------------------------------------------------------

    def index_page(self) -> Page:
        top = max(self.month_count.values(), default=0)
        years = [
            {
                "year": self.num(year),
                "href": self.site.href(year_url(year)),
                "count": self.year_count[year],
                "count_text": self.articles(self.year_count[year]),
                "hijri": self.hijri_span(dt.date(year, 1, 1), dt.date(year, 12, 31)),
                "months": [
                    {
                        "name": self.month_name[m],
                        "number": self.num(m),
                        "count": self.month_count.get((year, m), 0),
                        "level": level(self.month_count.get((year, m), 0), top),
                        "href": self.site.href(month_url(year, m)) if (year, m) in self.month_count else None,
                        "title": f"{self.month_label(year, m)}: {self.articles(self.month_count.get((year, m), 0))}",
                    }
                    for m in range(1, 13)
                ],
            }
            for year in reversed(self.years)
        ]
        t = self.site.t
        return self.site.page(
            "/dates/",
            "dates.html",
            page_title=t["by_date"],
            heading=t["by_date"],
            total=self.articles(sum(self.year_count.values())),
            years=years,
            legend=self.legend(),
            undated={
                "href": self.site.href(UNDATED_URL),
                "count": len(self.undated),
                "count_text": self.articles(len(self.undated)),
            },
            data_href=self.site.href(DATA_URL),
        )

    def year_page(self, year: int) -> Page:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        top = self.busiest_day(d for d in self.days if d.year == year)
        months = [
            {
                "name": self.month_name[m],
                "href": self.site.href(month_url(year, m)) if (year, m) in self.month_count else None,
                "count": self.month_count.get((year, m), 0),
                # An empty month shows no "0": its name in grey says it; the title still gives the count.
                "count_text": self.num(self.month_count[year, m]) if (year, m) in self.month_count else "",
                "count_words": self.articles(self.month_count.get((year, m), 0)),
                "cells": self.cells(year, m, top, with_hijri=False),
            }
            for m in range(1, 13)
        ]
        before, after = self.neighbours(self.years, year)
        return self.site.page(
            year_url(year),
            "year.html",
            page_title=self.num(year),
            heading=self.num(year),
            hijri=self.hijri_span(first, last),
            total=self.articles(self.year_count[year]),
            total_n=self.year_count[year],
            months=months,
            legend=self.legend(),
            weekdays=self.weekdays,
            crumbs=self.crumbs((self.num(year), None)),
            nav=self.nav(before and self.link(year_url(before), self.num(before)),
                         after and self.link(year_url(after), self.num(after))),
        )  # fmt: skip

    def month_page(self, year: int, month: int) -> Page:
        days = [d for d in self.days if (d.year, d.month) == (year, month)]
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        per = self.site.config.per_page
        groups = [
            {
                "iso": day.isoformat(),
                "label": self.date_label(day, "full"),
                "hijri": self.hijri_day(day),
                "href": self.site.href(day_url(day)),
                "count": len(self.days[day]),
                "count_text": self.num(len(self.days[day])),
                "count_words": self.articles(len(self.days[day])),
                "articles": [self.item(a) for a in self.days[day][:per]],
                "more": (
                    f"{self.site.t['more_that_day']}: {self.articles(len(self.days[day]) - per)}"
                    if len(self.days[day]) > per
                    else None
                ),
            }
            for day in days
        ]
        before, after = self.neighbours(self.months, (year, month))
        label = self.month_label(year, month)
        return self.site.page(
            month_url(year, month),
            "month.html",
            page_title=label,
            heading=label,
            hijri=self.hijri_span(dt.date(year, month, 1), last),
            total=self.articles(self.month_count[year, month]),
            total_n=self.month_count[year, month],
            legend=self.legend(),
            weekdays=self.weekdays,
            cells=self.cells(year, month, self.busiest_day(days), with_hijri=self.hijri),
            days=groups,
            crumbs=self.crumbs((self.num(year), year_url(year)), (self.month_name[month], None)),
            nav=self.nav(before and self.link(month_url(*before), self.month_label(*before)),
                         after and self.link(month_url(*after), self.month_label(*after))),
        )  # fmt: skip

    def day_pages(self, day: dt.date) -> Iterator[Page]:
        before, after = self.neighbours(self.day_list, day)
        others = [
            {
                **self.link(day_url(d), self.num(d.year)),
                "count_text": self.num(len(self.days[d])),
                "count_words": self.articles(len(self.days[d])),
            }
            for d in self.same_day[day.month, day.day]
            if d != day
        ]
        label = self.date_label(day, "full")
        extra = {
            "page_title": label,
            "heading": label,
            "hijri": self.hijri_day(day),
            "crumbs": self.crumbs(
                (self.num(day.year), year_url(day.year)),
                (self.month_name[day.month], month_url(day.year, day.month)),
                (self.num(day.day), None),
            ),
            "nav": self.nav(before and self.link(day_url(before), self.date_label(before)),
                            after and self.link(day_url(after), self.date_label(after))),
            "other_years": others,
        }  # fmt: skip
        yield from self.paginate(day_url(day), self.days[day], extra)

    def undated_pages(self) -> Iterator[Page]:
        t = self.site.t
        extra = {
            "page_title": t["undated_title"],
            "heading": t["undated_title"],
            "hijri": None,
            "crumbs": self.crumbs((t["undated_title"], None)),
            "nav": None,
            "other_years": [],
        }
        yield from self.paginate(UNDATED_URL, self.undated, extra)

    def data_page(self) -> Page:
        data = {
            "days": {day.isoformat(): len(group) for day, group in self.days.items()},
            "undated": len(self.undated),
            "total": sum(len(g) for g in self.days.values()) + len(self.undated),
        }
        return self.site.page(DATA_URL, "dates.json", data=data)

    def pages(self, scope: Scope = EVERYTHING) -> Iterator[Page]:
        """The index, undated and data pages, and the year, month and day pages in `scope`."""
        yield self.index_page()
        for year in self.years:
            if scope.has_period(year):
                yield self.year_page(year)
        for year, month in self.months:
            if scope.has_period(year, month):
                yield self.month_page(year, month)
        for day in self.day_list:
            if scope.has_period(day.year, day.month, day.day):
                yield from self.day_pages(day)
        yield from self.undated_pages()
        yield self.data_page()

    # -- pieces -----------------------------------------------------------------------------------------

    def nav(self, previous: dict[str, str] | None, following: dict[str, str] | None) -> dict[str, Any]:
        return {"previous": previous or None, "next": following or None}

    def paginate(self, url: str, articles: Sequence[Article], extra: dict[str, Any]) -> Iterator[Page]:
        """A day's (or the undated) articles, `per_page` at a time, counts in the configured digits."""

        def numbers(pager: Mapping[str, Any]) -> dict[str, str]:
            return {
                "total": self.articles(pager["total"]),
                "total_n": pager["total"],
                "position": f"{self.num(pager['number'])} {self.site.t['of']} {self.num(pager['count'])}",
            }

        yield from paginate(self.site, url, articles, "day.html", extra, self.summary, numbers)

    def summary(self, article: Article) -> dict[str, Any]:
        # A day's page says its date once, in its heading; the undated page says "undated" once.
        return self.site.view("dated", article, lambda: {**summary_view(self.site, article), "date_text": None})

    def item(self, article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "href": self.site.href(article_url(article)),
            "lang": article.lang,
            "dir": article.dir,
            "outlet": article.outlet,
        }

    def on_this_day(self) -> dict[str, Any] | None:
        """Earlier years' articles from the build date's month and day, newest year first."""
        today = self.site.build_date
        days = [d for d in self.same_day.get((today.month, today.day), ()) if d.year < today.year]
        if not days:
            return None
        t = self.site.t
        return {
            "heading": f"{t['on_this_day']}: {self.num(format_date(today, 'd MMMM', locale=self.loc))}",
            "note": f"{t['on_this_day_note']} {self.date_label(today)}",
            "build_iso": today.isoformat(),
            "years": [
                {
                    **self.link(day_url(d), self.num(d.year)),
                    "count_text": self.num(len(self.days[d])),
                    "count_words": self.articles(len(self.days[d])),
                    "articles": [self.item(a) for a in self.days[d][:ON_THIS_DAY_PER_YEAR]],
                    "more": len(self.days[d]) > ON_THIS_DAY_PER_YEAR,
                }
                for d in reversed(days)
            ],
        }
