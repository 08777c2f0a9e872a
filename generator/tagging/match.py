"""Find the actors an article names, however the text spells them (Aho-Corasick over normalised text).

How a hit is accepted, measured on Arabic news (see NOTES-arabic.md):
- text and aliases are normalised alike (marks, tatweel, hamza seats, ة/ه, Persian letters, digits, case),
  but ى stays apart from ي so that the preposition على never becomes the name علي;
- every alias occurrence is found, overlapping ones included, then must end at a word boundary;
- before it, either a word boundary or a proclitic (و ف ب ل ك ال لل وب ...) glued on: a clitic is stripped
  only when what follows is a known alias, so وبوتين is Putin and سبوتنيك is not;
- an alias beginning with ال is also looked for without it, for للكرملين (ل + الكرملين);
- single-word aliases shorter than three letters, or that are common words, never fire;
- Latin all-capital acronyms (US, UN) match only in capitals, so the pronoun "us" is not the United States,
  and capitalised Latin names only with a capital, so "turkey" and "china" (the dish) are not countries;
- a hit inside a longer hit is dropped (Bank of England is not England).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import ahocorasick

from generator.arabic import normalize, normalize_with_offsets
from generator.model import Actor, Article, Mention

PROCLITICS = frozenset("و ف ب ل ك ال وال فال بال كال لل ولل فلل وب ول فب فل وك وبال فبال ولل وكال".split())
# Common words that are also someone's name or a short stem exposed by clitic stripping (normalised, ى kept).
STOPWORDS = frozenset(
    """
    من في على الى الي عن مع بعد قبل بين امام بان بيان رئيس وزير ان ما لا هذا هذه ذلك التي الذي كان قال
    عام يوم دوله حتى متى لدى مدى اذا اما او ثم قد لقد كل بعض غير عند حيث منذ خلال ضد نحو عبر لدي
    وقت امس اليوم الان امين مجلس ملك سلام نور جمال كريم امل مالي
    the a an and of in on at to for by with from us it is as be he she we they this that new
    """.split()
)
# Names of newspapers and the like that contain a place name but are not about the place.
NOT_ACTORS = (
    "واشنطن بوست", "واشنطن تايمز", "Washington Post", "Washington Times", "نيويورك تايمز", "New York Times",
    "فايننشال تايمز", "Financial Times", "جيروزاليم بوست", "Jerusalem Post", "تايمز أوف إسرائيل", "Times of Israel",
    "تايمز أوف إنديا", "Times of India", "لوس أنجلوس تايمز", "Los Angeles Times", "وول ستريت جورنال",
)  # fmt: skip
MASK = ""
MIN_LETTERS = 3
ANY_CASE, CAPITALISED, ALL_CAPS = 0, 1, 2
_ACRONYM = re.compile(r"[A-Z][A-Z.]{1,5}")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class AliasProblem:
    actor: str
    alias: str
    message: str


class Matcher:
    """An automaton over every actor's aliases. Build once per actor set; `find` is pure."""

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self.problems: list[AliasProblem] = []
        owners: dict[str, dict[str, int]] = {}  # normalised pattern -> {actor id: letter case it needs}
        for actor in actors.values():
            for alias in dict.fromkeys(a for spellings in actor.aliases.values() for a in spellings):
                for pattern, case in self._patterns(actor.id, alias):
                    owners.setdefault(pattern, {})[actor.id] = case
        for phrase in NOT_ACTORS:
            # A name that is part of another name (Washington Post): found as its own hit, it hides the inner one.
            owners.setdefault(normalize(phrase, fold_ya=False), {})[MASK] = ANY_CASE
        self._owner = {pattern: min(claim) for pattern, claim in owners.items() if MASK not in claim}
        self._automaton = ahocorasick.Automaton()
        for pattern, claim in owners.items():
            if len(claim) > 1 and MASK not in claim:
                self.problems.append(
                    AliasProblem(
                        sorted(claim)[1], pattern, f"alias '{pattern}' is claimed by {' and '.join(sorted(claim))}"
                    )
                )
            self._automaton.add_word(pattern, (len(pattern), tuple(sorted(claim.items()))))
        self.empty = not owners
        if not self.empty:
            self._automaton.make_automaton()

    def owner(self, name: str) -> str | None:
        """The actor a whole name belongs to, if it is one of the aliases."""
        return self._owner.get(normalize(" ".join(name.split()), fold_ya=False))

    def _patterns(self, actor_id: str, alias: str) -> Iterable[tuple[str, int]]:
        alias = " ".join(alias.split())
        pattern = normalize(alias, fold_ya=False)
        acronym = bool(_ACRONYM.fullmatch(alias))
        case = ALL_CAPS if acronym else CAPITALISED if alias[:1].isascii() and alias[:1].isupper() else ANY_CASE
        letters = sum(c.isalpha() for c in pattern)
        if " " not in pattern and not acronym and (letters < MIN_LETTERS or pattern in STOPWORDS):
            self.problems.append(AliasProblem(actor_id, alias, f"alias '{alias}' is too short or a common word"))
            return
        yield pattern, case
        if pattern.endswith("ي") or pattern.endswith("ى"):
            # Final ى and ي are written for each other in names (مصطفى / مصطفي).
            other = pattern[:-1] + ("ى" if pattern.endswith("ي") else "ي")
            if other not in STOPWORDS:
                yield other, case
        if pattern.startswith("ال") and len(pattern) > 2 + MIN_LETTERS and " " not in pattern[:3]:
            yield pattern[2:], case

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(actor id, start, end) in `text`, longest hits first at each place, nested hits dropped."""
        if self.empty or not text:
            return []
        norm, offsets = normalize_with_offsets(text, fold_ya=False)
        hits: list[tuple[int, int, str]] = []
        for last, (length, claim) in self._automaton.iter(norm):
            start, end = last - length + 1, last + 1
            if end < len(norm) and norm[end].isalnum():
                continue
            if start > 0 and norm[start - 1].isalnum():
                word_start = start
                while word_start > 0 and norm[word_start - 1].isalnum():
                    word_start -= 1
                if norm[word_start:start] not in PROCLITICS or not _ARABIC.match(norm[start]):
                    continue
            for actor_id, case in claim:
                if case and not _case_fits(_surface(text, offsets, start, end), case):
                    continue
                hits.append((start, end, actor_id))
        return [
            (actor_id, *_original_span(offsets, start, end, len(text)))
            for start, end, actor_id in _outermost(hits)
            if actor_id != MASK
        ]


def _case_fits(surface: str, case: int) -> bool:
    return surface.isupper() if case == ALL_CAPS else surface[:1].isupper()


def _outermost(hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop every hit that lies inside a longer one; keep hits of several actors on the same span."""
    hits = sorted(set(hits), key=lambda h: (h[0], -(h[1] - h[0]), h[2]))
    kept: list[tuple[int, int, str]] = []
    reach = -1
    for start, end, actor_id in hits:
        if end <= reach and not any(k[0] == start and k[1] == end for k in kept[-3:]):
            continue
        kept.append((start, end, actor_id))
        reach = max(reach, end)
    return kept


def _original_span(offsets: list[int] | None, start: int, end: int, length: int) -> tuple[int, int]:
    if offsets is None:
        return start, end
    return offsets[start], offsets[end - 1] + 1 if end - 1 < len(offsets) else length


def _surface(text: str, offsets: list[int] | None, start: int, end: int) -> str:
    s, e = _original_span(offsets, start, end, len(text))
    return text[s:e]


def tag(article: Article, matcher: Matcher, known: Mapping[str, Actor]) -> Article:
    """The article with `mentions` and `actors` (found + declared in front matter - not_actors).

    The dateline is left out: it names the outlet and the filing place, not what the story is about.
    """
    excluded = {resolve(name, matcher, known) for name in article.not_actors}
    paragraphs = article.paragraphs
    skip = 0
    if article.dateline.text and paragraphs:
        at = paragraphs[0].find(article.dateline.text)
        skip = at + len(article.dateline.text) if at >= 0 else 0
    mentions = [
        Mention(actor_id, index, start, end)
        for index, text in enumerate((article.title, *paragraphs), -1)
        for actor_id, start, end in matcher.find(text)
        if actor_id not in excluded and (index != 0 or start >= skip)
    ]
    declared = [resolve(name, matcher, known) for name in article.actors]
    found = [m.actor for m in mentions]
    actors = tuple(a for a in dict.fromkeys([*declared, *found]) if a and a in known and a not in excluded)
    return replace(article, mentions=tuple(mentions), actors=actors)


def resolve(name: str, matcher: Matcher, known: Mapping[str, Actor]) -> str:
    """An actor id from an id or any of its names (front matter may say `actors: [بوتين]`)."""
    if name in known:
        return name
    return matcher.owner(name) or name
