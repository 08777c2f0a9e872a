"""Find where an article writes an actor's alias, however it spells it (Aho-Corasick over normalised text).

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
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import ahocorasick

from generator.arabic import normalize, normalize_with_offsets
from generator.model import Actor
from generator.tagging.lexicon import Lexicon, load_lexicon

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


class Hit(NamedTuple):
    """One occurrence of an alias: where, whose, and what about it needs support (flags below)."""

    start: int
    end: int
    actor: str
    flags: int


# Why a hit needs support before it counts (bits of Hit.flags).
COMMON = 1  # the one-word alias is, most times it is written, an ordinary word (lexicon)
PART = 2  # a one-word person alias that begins another person's name: a given name (علي, محمد)
MARKED = 4  # the authority file marks the alias ambiguous
CONTEXT_ONLY = 8  # the authority file says the alias counts only beside one of the actor's context words
CLITIC = 16  # found under a proclitic, and the glued word is at least as common as the name alone (بيان)
NEEDS_SUPPORT = COMMON | PART | MARKED | CONTEXT_ONLY | CLITIC
REASONS = (
    (COMMON, "an ordinary word"),
    (PART, "a given name of other people"),
    (MARKED, "marked ambiguous"),
    (CONTEXT_ONLY, "context only"),
    (CLITIC, "a clitic glued to a common word"),
)


def flag_names(flags: int) -> str:
    return ", ".join(name for bit, name in REASONS if flags & bit)


class Matcher:
    """An automaton over every actor's aliases. Build once per actor set; `find` is pure."""

    def __init__(self, actors: Mapping[str, Actor], lexicon: Lexicon | None = None) -> None:
        self.problems: list[AliasProblem] = []
        self.lexicon = load_lexicon() if lexicon is None else lexicon
        spelled = {  # each alias normalised once: a 50,000-actor file spends its time here
            actor.id: {alias: alias_key(alias) for spellings in actor.aliases.values() for alias in spellings}
            for actor in actors.values()
        }
        given_names = _name_words(actors.values(), spelled)
        self.given_names: Mapping[str, frozenset[str]] = MappingProxyType(given_names)
        owners: dict[str, dict[str, tuple[int, int]]] = {}  # pattern -> {actor id: (letter case, flags)}
        for actor in actors.values():
            for alias, key in spelled[actor.id].items():
                for pattern, case in self._patterns(actor.id, alias, key):
                    flags = self._flags(actor, key, pattern, given_names)
                    known = owners.setdefault(pattern, {}).get(actor.id)
                    # Two spellings of one actor fold alike: it needs support only if both do.
                    owners[pattern][actor.id] = (case, flags if known is None else flags & known[1])
        for phrase in NOT_ACTORS:
            # A name that is part of another name (Washington Post): found as its own hit, it hides the inner one.
            owners.setdefault(normalize(phrase, fold_ya=False), {})[MASK] = (ANY_CASE, 0)
        self._owner = {pattern: min(claim) for pattern, claim in owners.items() if MASK not in claim}
        self._automaton = ahocorasick.Automaton()
        for pattern, claim in owners.items():
            if len(claim) > 1 and MASK not in claim:
                self.problems.append(
                    AliasProblem(
                        sorted(claim)[1], pattern, f"alias '{pattern}' is claimed by {' and '.join(sorted(claim))}"
                    )
                )
            entries = tuple((actor_id, case, flags) for actor_id, (case, flags) in sorted(claim.items()))
            self._automaton.add_word(pattern, (len(pattern), entries))
        self.empty = not owners
        if not self.empty:
            self._automaton.make_automaton()

    def _flags(self, actor: Actor, key: str, pattern: str, given_names: Mapping[str, frozenset[str]]) -> int:
        if key in actor.unambiguous:
            return 0
        flags = (MARKED if key in actor.ambiguous else 0) | (CONTEXT_ONLY if key in actor.context_only else 0)
        if " " in key or not _ARABIC.match(pattern):
            return flags
        # The built-in countries are CLDR's names and reviewed variants (COUNTRY_VARIANTS): their words are names.
        adjective = actor.kind not in ("country", "place")
        if not actor.id.startswith("country-") and (
            self.lexicon.common(key, adjective) or self.lexicon.common(pattern, adjective)
        ):
            flags |= COMMON
        if actor.kind == "person" and given_names.get(pattern, frozenset()) - {actor.id}:
            flags |= PART
        return flags

    def owner(self, name: str) -> str | None:
        """The actor a whole name belongs to, if it is one of the aliases."""
        return self._owner.get(normalize(" ".join(name.split()), fold_ya=False))

    def _patterns(self, actor_id: str, alias: str, pattern: str) -> Iterable[tuple[str, int]]:
        """The normalised spellings to look for (`pattern`: the alias normalised) and the letter case each needs."""
        alias = " ".join(alias.split())
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
        return [(hit.actor, hit.start, hit.end) for hit in self.hits(text)]

    def hits(self, text: str) -> list[Hit]:
        """Every alias occurrence in `text` (original offsets), nested ones dropped, with what it needs."""
        if self.empty or not text:
            return []
        norm, offsets = normalize_with_offsets(text, fold_ya=False)
        hits: list[tuple[int, int, str, int]] = []
        for last, (length, claim) in self._automaton.iter(norm):
            start, end = last - length + 1, last + 1
            if end < len(norm) and norm[end].isalnum():
                continue
            glued = 0
            if start > 0 and norm[start - 1].isalnum():
                word_start = start
                while word_start > 0 and norm[word_start - 1].isalnum():
                    word_start -= 1
                if norm[word_start:start] not in PROCLITICS or not _ARABIC.match(norm[start]):
                    continue
                # بيان is a word of its own more often than ب + يان, فيمن than ف + يمن: the stem counts only with
                # support. Under لل the stem stands for its ال form (للكويت: ل + الكويت).
                clitic, stem = norm[word_start:start], norm[start:end]
                whole, alone = self.lexicon.zipf(clitic + stem), self.lexicon.zipf(stem)
                if clitic.endswith("لل"):
                    alone = max(alone, self.lexicon.zipf("ال" + stem))
                glued = CLITIC if whole and whole >= alone else 0
            for actor_id, case, flags in claim:
                if case and not _case_fits(_surface(text, offsets, start, end), case):
                    continue
                hits.append((start, end, actor_id, flags | glued))
        return [
            Hit(*_original_span(offsets, start, end, len(text)), actor_id, flags)
            for start, end, actor_id, flags in _outermost(hits)
            if actor_id != MASK
        ]


def alias_key(alias: str) -> str:
    """An alias as the authority file's `ambiguous` / `context_only` / `unambiguous` lists are compared."""
    return normalize(" ".join(alias.split()), fold_ya=False)


def _name_words(actors: Iterable[Actor], spelled: Mapping[str, Mapping[str, str]]) -> dict[str, frozenset[str]]:
    """The first word of a person's several-word alias -> the persons whose names begin with it.

    A surname alone (بوش, بلير) is, in the news, its best-known holder; a given name is anyone's."""
    holders: dict[str, set[str]] = {}
    for actor in actors:
        if actor.kind != "person":
            continue
        for key in spelled[actor.id].values():
            words = key.split()
            if len(words) > 1:
                holders.setdefault(words[0], set()).add(actor.id)
    return {word: frozenset(ids) for word, ids in holders.items()}


def _case_fits(surface: str, case: int) -> bool:
    return surface.isupper() if case == ALL_CAPS else surface[:1].isupper()


def _outermost(hits: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
    """Drop every hit that lies inside a longer one; keep hits of several actors on the same span."""
    hits = sorted(set(hits), key=lambda h: (h[0], -(h[1] - h[0]), h[2], h[3]))
    kept: list[tuple[int, int, str, int]] = []
    reach = -1
    for hit in hits:
        start, end = hit[0], hit[1]
        if end <= reach and not any(k[0] == start and k[1] == end for k in kept[-3:]):
            continue
        if kept and kept[-1][:3] == hit[:3]:
            continue  # one actor found twice on one span (two folds of its aliases): the first flags stand
        kept.append(hit)
        reach = max(reach, end)
    return kept


def _original_span(offsets: list[int] | None, start: int, end: int, length: int) -> tuple[int, int]:
    if offsets is None:
        return start, end
    return offsets[start], offsets[end - 1] + 1 if end - 1 < len(offsets) else length


def _surface(text: str, offsets: list[int] | None, start: int, end: int) -> str:
    s, e = _original_span(offsets, start, end, len(text))
    return text[s:e]
