"""Which actors an article names: the matcher's hits, decided one article at a time.

A hit of an alias that nothing makes doubtful counts. One that needs support (an ordinary word, part of other
people's names, a clitic glued to a common word, marked ambiguous by the archivist) counts only where the
article gives it some:
- the article names the same actor in a way that needs no support (full name first: محمود عباس, then عباس),
  or writes a longer name that holds this one (توفيق الحكيم, then الحكيم);
- a given name (علي, يوسف) is anyone's: it counts unless the article names someone else who bears it;
- a title or head noun of the actor's kind stands just before it (الرئيس, اللاعب; صحيفة; مدينة);
- one of the actor's context words (actors.toml `context`) is in the article.
One sense per article: once an actor counts, each of its hits in the article is a mention of it.
One alias of several actors goes to those of them the article supports (a head word, a preposition of place,
their other names); when nothing decides, in an article about matches to the team, else to the one place
among them (a national team or a government is named after its country), or else to none, and the refusal
says so.

Decisions depend on the article alone, never on the rest of the archive: an update that reads one changed
file tags it as a clean build does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import NamedTuple

from generator.model import Actor, Article, Mention
from generator.tagging.actors import unknown_actor_id
from generator.tagging.context import (
    SAYING,
    TEAM_EVIDENCE,
    TEAM_FORMS,
    clitic_forms,
    head_before,
    place_preposition,
)
from generator.tagging.match import COMMON, CONTEXT_ONLY, NEEDS_SUPPORT, PART, Matcher, alias_key, flag_names

_WORD = re.compile(r"[^\W\d_]+")
PLACES = ("country", "place")


class Decision(NamedTuple):
    """One hit and what became of it (for `arshif list --explain`)."""

    actor: str
    paragraph: int  # -1: the title
    start: int
    end: int
    accepted: bool
    reason: str
    surface: str


def tag(article: Article, matcher: Matcher, known: Mapping[str, Actor]) -> Article:
    """The article with `mentions` and `actors` (declared in front matter + found - not_actors).

    The dateline is left out: it names the outlet and the filing place, not what the story is about.
    """
    excluded = {resolve(name, matcher, known) for name in article.not_actors}
    refused = {unknown_actor_id(" ".join(name.split()), known) for name in article.not_actors}
    mentions = [
        Mention(d.actor, d.paragraph, d.start, d.end)
        for d in decide(article, matcher, known)
        if d.accepted and d.actor not in excluded
    ]
    declared = [resolve(name, matcher, known) for name in article.actors]
    found = [m.actor for m in mentions]
    actors = tuple(a for a in dict.fromkeys([*declared, *found]) if a and a in known and a not in excluded)
    unknown = tuple(dict.fromkeys(" ".join(n.split()) for n, a in zip(article.actors, declared, strict=True)
                                  if a not in known and n.strip()))  # fmt: skip
    # A name no actor has is an actor of its own (actors.front_matter_actors); not_actors: may refuse it too.
    own = (unknown_actor_id(name, known) for name in unknown)
    actors += tuple(a for a in dict.fromkeys(own) if a not in actors and a not in excluded and a not in refused)
    return replace(article, mentions=tuple(mentions), actors=actors, unknown_actors=unknown)


def resolve(name: str, matcher: Matcher, known: Mapping[str, Actor]) -> str:
    """An actor id from an id or any of its names (front matter may say `actors: [بوتين]`)."""
    if name in known:
        return name
    return matcher.owner(name) or name


def texts(article: Article) -> Iterator[tuple[int, str, int]]:
    """(paragraph, text, where tagging starts): the title, then the paragraphs, the dateline left out."""
    paragraphs = article.paragraphs
    skip = 0
    if article.dateline.text and paragraphs:
        at = paragraphs[0].find(article.dateline.text)
        skip = at + len(article.dateline.text) if at >= 0 else 0
    yield -1, article.title, 0
    for index, text in enumerate(paragraphs):
        yield index, text, skip if index == 0 else 0


class _Span(NamedTuple):
    paragraph: int
    start: int
    end: int
    text: str
    claim: tuple[tuple[str, int], ...]  # (actor id, flags) of every actor whose alias this is


def decide(article: Article, matcher: Matcher, known: Mapping[str, Actor]) -> list[Decision]:
    """Every hit in the article (title first, in order), accepted or refused, with the reason."""
    spans: list[_Span] = []
    for index, text, skip in texts(article):
        last: tuple[int, int] | None = None
        for hit in matcher.hits(text):
            if hit.start < skip or hit.actor not in known:
                continue
            if last == (hit.start, hit.end):
                spans[-1] = spans[-1]._replace(claim=(*spans[-1].claim, (hit.actor, hit.flags)))
            else:
                spans.append(_Span(index, hit.start, hit.end, text, ((hit.actor, hit.flags),)))
            last = (hit.start, hit.end)
    if not spans:
        return []
    # What the article says without help: one actor's alias that nothing makes doubtful.
    sure = {s.claim[0][0] for s in spans if len(s.claim) == 1 and not s.claim[0][1] & NEEDS_SUPPORT}
    present = {a for s in spans for a, _ in s.claim}
    # Names of several words the article writes: a shorter name inside one of them is short for it (الحكيم).
    fuller = sorted({k for s in spans if " " in (k := alias_key(s.text[s.start : s.end]))})
    words: set[str] | None = None

    def context(actor: Actor) -> str | None:
        nonlocal words
        if not actor.context:
            return None
        if words is None:
            words = _article_words(article)
        for word in actor.context:
            key = alias_key(word)
            if (" " not in key and not clitic_forms(key).isdisjoint(words)) or (" " in key and f" {key} " in text()):
                return word
        return None

    def text() -> str:
        return " " + " ".join(_WORD.findall(alias_key(" ".join(t for _, t, _ in texts(article))))) + " "

    def sporty() -> bool:
        nonlocal words
        if words is None:
            words = _article_words(article)
        return len({TEAM_FORMS[w] for w in words if w in TEAM_FORMS}) >= TEAM_EVIDENCE

    def support(actor: Actor, flags: int, span: _Span) -> str | None:
        if flags & CONTEXT_ONLY:
            word = context(actor)
            return f"context word '{word}' in the article" if word else None
        if not flags & NEEDS_SUPPORT:
            return "an unambiguous alias"
        if actor.id in sure:
            return "the article names it unambiguously elsewhere"
        key = alias_key(span.text[span.start : span.end])
        if flags & NEEDS_SUPPORT == PART and not (matcher.given_names.get(key, frozenset()) - {actor.id}) & present:
            return f"no one else called '{key}' in the article"
        longer = next((n for n in fuller if f" {key} " in f" {n} " and n != key), None)
        if longer:
            return f"the article names '{longer}'"
        head = head_before(span.text[: span.start], actor.kind)
        if head and not (head in SAYING and flags & COMMON):  # قال رئيس ...: a noun follows a verb too
            return f"after '{head}'"
        if actor.kind == "organisation" and _credit(span):
            return "a credit line: (name - ...)"
        if actor.kind == "organisation" and flags & NEEDS_SUPPORT == COMMON and sporty():
            return "a club's name, in an article about matches"
        word = context(actor)
        return f"context word '{word}' in the article" if word else None

    def shared(actor: Actor, flags: int, span: _Span) -> str | None:
        """Why one of several actors sharing an alias is the one meant: the article's own evidence for it."""
        if flags & CONTEXT_ONLY or actor.id in sure:
            return support(actor, flags, span)
        head = head_before(span.text[: span.start], actor.kind)
        if not head and actor.kind in PLACES:
            head = place_preposition(span.text[: span.start])
        return f"after '{head}'" if head else support(actor, flags | CONTEXT_ONLY, span)

    decisions: list[Decision] = []
    undecided: list[tuple[int, _Span]] = []  # shared names nothing in their place decides, and where they go
    for span in spans:
        if len(span.claim) == 1:
            actor_id, flags = span.claim[0]
            why = support(known[actor_id], flags, span)
            decisions.append(_decision(span, actor_id, why or f"needs support: {flag_names(flags)}", bool(why)))
            continue
        backed = {a: why for a, f in span.claim if (why := shared(known[a], f, span))}
        if not backed:
            undecided.append((len(decisions), span))
        for actor_id, _ in span.claim:
            if actor_id in backed:
                decisions.append(_decision(span, actor_id, backed[actor_id], True))
            elif backed:
                others = " or ".join(sorted(backed))
                decisions.append(_decision(span, actor_id, f"the article points to {others} here", False))
    taken = {d.actor for d in decisions if d.accepted}
    # A shared name nothing in its place decides is whichever of its actors the article names elsewhere (one
    # sense per article); else, in an article about matches, the team; else the place (teams and governments
    # are named after places, not the other way round); else nobody, and the refusal says so.
    for at, span in reversed(undecided):
        plain = [a for a, f in span.claim if not f & NEEDS_SUPPORT]
        places = [a for a in plain if known[a].kind in PLACES]
        teams = [a for a in plain if known[a].kind == "organisation"]
        claimants = " or ".join(a for a, _ in span.claim)
        named = [a for a, f in span.claim if a in taken and not f & CONTEXT_ONLY]
        if named:
            chosen, why = named, "one sense per article"
        elif places and len(teams) == 1 and sporty():
            chosen, why = teams, f"ambiguous ({claimants}); the team: the article is about matches"
        elif len(places) == 1:
            chosen, why = places, f"ambiguous ({claimants}); taken as the place"
        else:
            chosen, why = [], f"ambiguous ({claimants}); nothing decides"
        decisions[at:at] = [_decision(span, a, why, a in chosen) for a, _ in span.claim]
    taken |= {d.actor for d in decisions if d.accepted}
    # One sense per article: a doubtful hit of an actor the article names elsewhere is that actor.
    settled = {(d.paragraph, d.start, d.end) for d in decisions if d.accepted}
    flags = {(s.paragraph, s.start, s.end, a): f for s in spans for a, f in s.claim}
    return [
        d._replace(accepted=True, reason="one sense per article")
        if not d.accepted
        and d.actor in taken
        and (d.paragraph, d.start, d.end) not in settled
        and not flags[d.paragraph, d.start, d.end, d.actor] & CONTEXT_ONLY
        else d
        for d in decisions
    ]


def _decision(span: _Span, actor_id: str, reason: str, accepted: bool) -> Decision:
    return Decision(actor_id, span.paragraph, span.start, span.end, accepted, reason, span.text[span.start : span.end])


def _credit(span: _Span) -> bool:
    """The name alone in brackets, or first in them before a dash: an agency's or a photo's credit."""
    before = span.text[: span.start].rstrip()
    after = span.text[span.end :].lstrip()
    return before.endswith("(") and after[:1] in (")", "-", "/", "،", ",")


def _article_words(article: Article) -> set[str]:
    """The article's words, normalised (context words are looked for with their proclitics, see clitic_forms)."""
    return {w for _, text, _ in texts(article) for w in _WORD.findall(alias_key(text))}
