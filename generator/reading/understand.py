"""What an article's text says about itself: dateline, publication date, language, direction, length."""

from __future__ import annotations

from dataclasses import replace

from generator.arabic import direction
from generator.diagnostics import Problem
from generator.model import Article, outside_calendar
from generator.reading.dateline import read_dateline
from generator.reading.language import LanguageGuesser


def understand(article: Article, shown: str, guesser: LanguageGuesser) -> tuple[Article, list[Problem]]:
    """Fill date (when metadata gave none), outlet, agency, lang, dir and words. `shown` names the file."""
    problems: list[Problem] = []
    first = article.paragraphs[0] if article.body else ""
    dateline = read_dateline(first, article.reference_date)
    date, date_source = article.date, article.date_source
    if dateline.problem:
        problems.append(Problem(shown, article.body_line, dateline.problem))
    if date_source == "none" and dateline.date is not None:
        date, date_source = dateline.date, "dateline"
    if date is not None and (why := outside_calendar(date)):
        problems.append(Problem(shown, 0, why))
        date, date_source = None, "none"
    sample = f"{article.title}\n{article.body[:4000]}"
    lang = article.lang or guesser.guess(sample)
    return (
        replace(
            article,
            dateline=dateline,
            date=date,
            date_source=date_source,
            outlet=article.outlet or dateline.outlet,
            agency=article.agency or dateline.agency,
            lang=lang,
            dir=direction(sample),
            words=len(article.body.split()),
        ),
        problems,
    )
