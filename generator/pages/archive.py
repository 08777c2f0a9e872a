"""Group articles: one `_group` serves actors, outlets, tags and days (a new index: a key function + a template)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from generator.diagnostics import Problem
from generator.model import Article
from generator.pages.segments import term_segment

K = TypeVar("K", bound=Hashable)


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Dated articles newest first, then undated ones; ties by id so the order never wobbles."""
    articles = list(articles)
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.id), reverse=True)
    return dated + sorted((a for a in articles if not a.date), key=lambda a: a.id)


@dataclass(frozen=True)
class Indexes:
    """The archive grouped every way the listing pages need it; groups newest first, a day's articles by id."""

    ordered: tuple[Article, ...]  # newest first, the undated last
    actors: Mapping[str, list[Article]]
    outlets: Mapping[str, list[Article]]
    tags: Mapping[str, list[Article]]
    days: Mapping[dt.date, list[Article]]
    undated: tuple[Article, ...]  # by id
    agencies: Mapping[str, list[Article]] = field(default_factory=dict)  # by URL segment, as outlets


def index_all(articles: Iterable[Article]) -> Indexes:
    ordered = newest_first(articles)
    days = {day: by_id(group) for day, group in _group(ordered, _day).items()}
    return Indexes(
        tuple(ordered),
        _group(ordered, by_actor),
        _group(ordered, by_outlet),
        _group(ordered, by_tag),
        days,
        tuple(by_id(a for a in ordered if not a.date)),
        _group(ordered, by_agency),
    )


def reindex(indexes: Indexes, gone: Collection[Article], new: Collection[Article]) -> Indexes:
    """`indexes` without the `gone` articles and with the `new` ones (the preview's edits): only the groups
    they belong to are sorted again, so an edit costs the size of its groups, not of the archive."""
    drop = {a.id for a in gone}

    def regroup(
        groups: Mapping[K, list[Article]], key: Callable[[Article], Iterable[K]], order: Callable[..., list[Article]]
    ) -> dict[K, list[Article]]:
        out = dict(groups)
        for value in {v for a in (*gone, *new) for v in key(a)}:
            members = [a for a in groups.get(value, ()) if a.id not in drop] + [a for a in new if value in key(a)]
            if members:
                out[value] = order(members)
            else:
                out.pop(value, None)
        return out

    kept = [a for a in indexes.ordered if a.id not in drop]
    return Indexes(
        tuple(newest_first([*kept, *new])),
        regroup(indexes.actors, by_actor, newest_first),
        regroup(indexes.outlets, by_outlet, newest_first),
        regroup(indexes.tags, by_tag, newest_first),
        regroup(indexes.days, _day, by_id),
        tuple(by_id([*(a for a in indexes.undated if a.id not in drop), *(a for a in new if not a.date)])),
        regroup(indexes.agencies, by_agency, newest_first),
    )


def _group(ordered: Iterable[Article], key: Callable[[Article], Iterable[K]]) -> dict[K, list[Article]]:
    """Key value -> its articles, in `ordered`'s order. An article appears once under each distinct value."""
    groups: dict[K, list[Article]] = {}
    for article in ordered:
        for value in dict.fromkeys(key(article)):
            groups.setdefault(value, []).append(article)
    return groups


def by_id(articles: Iterable[Article]) -> list[Article]:
    """The order within a day: by id, so pages never reshuffle between builds."""
    return sorted(articles, key=lambda a: a.id)


def _day(article: Article) -> Iterable[dt.date]:
    return (article.date,) if article.date else ()


def by_actor(article: Article) -> Iterable[str]:
    return article.actors


def by_outlet(article: Article) -> Iterable[str]:
    """The outlet's URL segment: spellings that share a page (`CNN`, `cnn`) share a group."""
    return (term_segment(article.outlet),) if article.outlet else ()


def by_agency(article: Article) -> Iterable[str]:
    """The agency's URL segment (`/agencies/<segment>/`), grouped as outlets are."""
    return (term_segment(article.agency),) if article.agency else ()


def agency_names(article: Article) -> Iterable[str]:
    return (article.agency,) if article.agency else ()


def by_tag(article: Article) -> Iterable[str]:
    return tuple(dict.fromkeys(term_segment(t) for t in article.tags))


def outlet_names(article: Article) -> Iterable[str]:
    return (article.outlet,) if article.outlet else ()


def tag_names(article: Article) -> Iterable[str]:
    return article.tags


def term_name(group: Iterable[Article], key: str, names: Callable[[Article], Iterable[str]]) -> str:
    """How a term's page names it: the commonest spelling among its articles (ties: the first in order)."""
    spellings = Counter(n for article in group for n in names(article) if term_segment(n) == key)
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings else key


@dataclass(frozen=True)
class Scope:
    """Which groups of listing pages to (re)make; None means all of them. The whole-site pages always are."""

    actors: frozenset[str] | None = None
    outlets: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    years: frozenset[int] | None = None
    days: frozenset[dt.date] | None = None  # within `years`, only these days' pages and their months' pages

    def has(self, part: str, value: object) -> bool:
        chosen = getattr(self, part)
        return chosen is None or value in chosen

    def has_period(self, year: int, month: int | None = None, day: int | None = None) -> bool:
        """Whether the date page of this year (or month, or day) is made."""
        if not self.has("years", year):
            return False
        if self.days is None or month is None:
            return True
        if day is None:
            return any(d.year == year and d.month == month for d in self.days)
        return dt.date(year, month, day) in self.days


EVERYTHING = Scope()


def scope_of(articles: Iterable[Article], every_year: bool = False) -> Scope:
    """The groups `articles` appear in. While every day keeps its count, an article shows only on its day's
    and month's pages; a change in how many articles a day holds (`every_year`) reaches every date page, as
    day pages show the same day's count in other years and link their neighbours."""
    articles = list(articles)
    return Scope(
        actors=frozenset(a for article in articles for a in by_actor(article)),
        outlets=frozenset(o for article in articles for o in by_outlet(article)),
        tags=frozenset(t for article in articles for t in by_tag(article)),
        years=None if every_year else frozenset(a.date.year for a in articles if a.date),
        days=None if every_year else frozenset(a.date for a in articles if a.date),
    )


def co_occurrence(group: Sequence[Article], actor_id: str) -> Counter[str]:
    """How many of `group`'s articles name each other actor."""
    return Counter(other for article in group for other in article.actors if other != actor_id)


def counts(index: Mapping[str, Sequence[Article]]) -> dict[str, int]:
    return {value: len(group) for value, group in index.items()}


def shared_terms(articles: Sequence[Article], shown: Mapping[str, str]) -> list[Problem]:
    """Outlets or tags spelled apart (beyond case) whose URLs fold into one: their page lists them all; say so."""
    problems: list[Problem] = []
    for label, section, names in (("outlet", "sources", outlet_names), ("tag", "tags", tag_names)):
        first: dict[str, dict[str, tuple[str, str]]] = {}  # segment -> folded spelling -> (spelling, file)
        for article in sorted(articles, key=lambda a: a.source):
            for name in names(article):
                first.setdefault(term_segment(name), {}).setdefault(name.casefold(), (name, article.source))
        for key, spellings in first.items():
            (name, source), *others = spellings.values()
            problems += [
                Problem(
                    shown[other_source],
                    0,
                    f"{label} '{other}' has the same URL as '{name}' ({shown[source]}): /{section}/{key}/ lists both",
                    "warning",
                )
                for other, other_source in others
            ]
    return problems
