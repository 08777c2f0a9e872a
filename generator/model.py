"""The values that flow between pipeline stages: plain frozen dataclasses, no I/O."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

Format = Literal["text", "markdown"]
DateSource = Literal["front-matter", "sidecar", "dateline", "none"]

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)  # an archive holds one per article: no __dict__ each
class SourceFile:
    """An article file found under the content folder, with its sidecar fields (if any)."""

    file: str  # its path as a string: a Path each for 20,000 files is a tenth of a second every update
    rel: str  # POSIX path relative to the content folder: ids and `list` use it
    shown: str  # how problems name the file (relative to the working folder)
    format: Format
    sidecar: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False)
    sidecar_line: int = 0  # line of meta.jsonl that gave `sidecar`

    @property
    def path(self) -> Path:
        return Path(self.file)


@dataclass(frozen=True, slots=True)  # an archive holds one per article: no __dict__ each
class Dateline:
    """What the opening of the first paragraph says: where, who and when."""

    text: str = ""  # the dateline as printed, '' when there is none
    place: str | None = None
    outlet: str | None = None
    agency: str | None = None
    date: dt.date | None = None
    calendar: Literal["gregorian", "hijri", ""] = ""  # calendar the date was read from
    hijri: tuple[int, int, int] | None = None  # (year, month, day) as printed, when Hijri was given
    month_day: tuple[int, int] | None = None  # a year-less (month, day), e.g. Reuters' "March 20"
    problem: str | None = None  # e.g. 'cannot read date "32 شباط 2022"'


# The date pages draw a year with its neighbours; Python's dates end at years 1 and 9999.
FIRST_YEAR, LAST_YEAR = 2, 9998


def outside_calendar(date: dt.date) -> str | None:
    """Why the date pages cannot show `date`, or None when they can."""
    if FIRST_YEAR <= date.year <= LAST_YEAR:
        return None
    return f"date {date.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}; listed as undated"


ActorKind = Literal["person", "organisation", "country", "place", "unknown"]
ACTOR_KINDS: tuple[ActorKind, ...] = ("person", "organisation", "country", "place")  # an authority file's
# "unknown": a name front matter gives (`actors:`) that the authority file does not have, an actor of its own
LISTED_KINDS: tuple[ActorKind, ...] = (*ACTOR_KINDS, "unknown")


@dataclass(frozen=True)
class Actor:
    """An entry of the authority file (or a built-in country): one real-world actor, every spelling of it."""

    id: str
    kind: ActorKind
    names: Mapping[str, str]  # language -> display name
    aliases: Mapping[str, tuple[str, ...]]  # language -> spellings to find in text (names included)
    wikidata: str | None = None
    description: str = ""
    line: int = 0  # where the authority file defines it; 0 for built-ins
    # What the archivist says about its aliases (normalised spellings): `ambiguous` ones count only with support
    # (the actor's fuller name, a title or head word before, a context word), `context_only` ones only beside a
    # context word, `unambiguous` ones always (the automatic checks are overruled).
    ambiguous: frozenset[str] = frozenset()
    context_only: frozenset[str] = frozenset()
    unambiguous: frozenset[str] = frozenset()
    context: tuple[str, ...] = ()  # words or phrases that, in an article, say this actor is the one meant

    def name(self, lang: str) -> str:
        """The display name in `lang`, else English, else any."""
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()), self.id)


class Mention(NamedTuple):
    """Where an actor is named: paragraph -1 is the title; [start, end) indexes that text.

    A tuple, not a dataclass: an archive holds millions, and the build state makes them all again each update."""

    actor: str
    paragraph: int
    start: int
    end: int


class Gist:
    """What the lists read of an article's text, made once where its page is drawn (see pages.slim).

    `excerpt` is a list's excerpt (pages.site.list_excerpt), None when it is the lead's first words, as most are;
    `lead` the opening prose a feed's summary and the meta description come from (publishing.meta.lead);
    `sentences` (actor id, the sentence first naming it, HTML) for actor_pages. A gist restored from the build
    state keeps its JSON (`unpack`) and decodes it when first read: an update reads the gists of the few
    articles on the lists it draws again, not the whole archive's. Immutable, as a frozen dataclass is; the
    decoded parts are only a cache of the JSON.
    """

    __slots__ = ("_packed", "_parts")

    def __init__(self, excerpt: str | None, lead: str, sentences: tuple[tuple[str, str], ...] = ()) -> None:
        self._parts: tuple[str | None, str, tuple[tuple[str, str], ...]] | None = (excerpt, lead, tuple(sentences))
        self._packed: bytes | None = None

    @classmethod
    def unpack(cls, packed: bytes) -> Gist:
        """The gist `pack` gave `packed`, decoded when first read."""
        gist = cls.__new__(cls)
        gist._parts, gist._packed = None, packed
        return gist

    def pack(self) -> bytes:
        """The gist as compact JSON in UTF-8 (the build state's form: bytes are read from it without decoding).
        Not kept: a build from nothing saves 100,000 gists at its busiest moment, and needs them no more."""
        if self._packed is not None:
            return self._packed
        excerpt, lead, sentences = self._read()
        return json.dumps([excerpt, lead, sentences], ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def _read(self) -> tuple[str | None, str, tuple[tuple[str, str], ...]]:
        if self._parts is None:
            assert self._packed is not None
            excerpt, lead, sentences = json.loads(self._packed)
            self._parts = (excerpt, lead, tuple((str(a), str(s)) for a, s in sentences))
        return self._parts

    @property
    def excerpt(self) -> str | None:
        return self._read()[0]

    @property
    def lead(self) -> str:
        return self._read()[1]

    @property
    def sentences(self) -> tuple[tuple[str, str], ...]:
        return self._read()[2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Gist):
            return NotImplemented
        if self._packed is not None and self._packed == other._packed:
            return True
        return self._read() == other._read()

    def __hash__(self) -> int:
        return hash(self._read())

    def __repr__(self) -> str:
        excerpt, lead, sentences = self._read()
        return f"Gist(excerpt={excerpt!r}, lead={lead!r}, sentences={sentences!r})"


@dataclass(frozen=True, slots=True)  # an archive holds one per article: no __dict__ each
class Article:
    id: str
    source: str  # POSIX path relative to the content folder
    format: Format
    title: str
    body: str  # paragraphs separated by one blank line (plain text), or Markdown source
    body_line: int = 1  # line of the file where the body starts
    date: dt.date | None = None
    date_source: DateSource = "none"
    reference_date: dt.date | None = None  # a metadata date that is not the publication date (crawl time)
    dateline: Dateline = Dateline()
    outlet: str | None = None
    agency: str | None = None
    lang: str = ""
    dir: Literal["rtl", "ltr"] = "ltr"
    words: int = 0
    summary: str = ""
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # declared in front matter; tagging adds the ids it finds
    not_actors: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    url: str | None = None  # the original publication's address, from metadata
    author: str | None = None
    unknown_actors: tuple[str, ...] = ()  # front matter `actors:` names no actor has (`actors check` lists them)
    slim: bool = False  # no body, only its `gist` (see pages.slim): its page is drawn from the file again
    gist: Gist | None = None  # of a slim article

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.body.split("\n\n") if p)


JSON_PAGE = ""  # the template of a page whose data is published as JSON (the search page's actor lists)
TEXT_PAGE = "\0text"  # of one whose data is its `text`, published as it is (open data, made of encoded rows)


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template draws it, and the data it gets.

    A list page also says which articles it shows (`items`, ids) and a digest of all it shows but the articles
    themselves (`shape`: the ids included): an update whose edits touch none of its items and leave its shape as
    it was need not make its data (which may then be made only when read, see pages.Deferred) nor draw it."""

    url: str  # site-relative, "/articles/x/" or "/404.html"
    template: str
    context: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False)
    items: tuple[str, ...] = field(default=(), compare=False)
    shape: bytes = field(default=b"", compare=False)

    @property
    def output(self) -> str:
        """Relative file path: '/articles/x/' -> 'articles/x/index.html'."""
        path = self.url.lstrip("/")
        return path + "index.html" if not path or path.endswith("/") else path
