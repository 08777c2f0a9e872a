"""Group articles: one `index_by` serves actors, outlets, tags (and any new index: a key function + a template)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model import Article
from generator.readers import make_id

Key = Callable[[Article], Iterable[str]]


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Dated articles newest first, then undated ones; ties by id so the order never wobbles."""
    articles = list(articles)
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.id), reverse=True)
    return dated + sorted((a for a in articles if not a.date), key=lambda a: a.id)


def index_by(articles: Iterable[Article], key: Key) -> dict[str, list[Article]]:
    """Key value -> its articles, newest first. An article appears once under each distinct value."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        for value in dict.fromkeys(key(article)):
            groups.setdefault(value, []).append(article)
    return {value: newest_first(group) for value, group in groups.items()}


def by_actor(article: Article) -> Iterable[str]:
    return article.actors


def by_outlet(article: Article) -> Iterable[str]:
    return (article.outlet,) if article.outlet else ()


def by_tag(article: Article) -> Iterable[str]:
    return article.tags


@dataclass(frozen=True)
class Scope:
    """Which groups of listing pages to (re)make; None means all of them. The whole-site pages always are."""

    actors: frozenset[str] | None = None
    outlets: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    years: frozenset[int] | None = None

    def has(self, part: str, value: object) -> bool:
        chosen = getattr(self, part)
        return chosen is None or value in chosen


EVERYTHING = Scope()


def scope_of(articles: Iterable[Article], every_year: bool = False) -> Scope:
    """The groups `articles` appear in. A date page also shows other years' counts for the same day, so a
    change in which days hold articles (`every_year`) reaches every year."""
    articles = list(articles)
    return Scope(
        actors=frozenset(a for article in articles for a in by_actor(article)),
        outlets=frozenset(o for article in articles for o in by_outlet(article)),
        tags=frozenset(t for article in articles for t in by_tag(article)),
        years=None if every_year else frozenset(a.date.year for a in articles if a.date),
    )


def slug(value: str) -> str:
    """A term's URL segment (outlets and tags keep their script: /sources/سبوتنيك/)."""
    return make_id(value.lower())


def co_occurrence(group: Sequence[Article], actor_id: str) -> Counter[str]:
    """How many of `group`'s articles name each other actor."""
    return Counter(other for article in group for other in article.actors if other != actor_id)


def counts(index: Mapping[str, Sequence[Article]]) -> dict[str, int]:
    return {value: len(group) for value, group in index.items()}
