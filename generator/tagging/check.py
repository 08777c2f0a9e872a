"""`arshif actors check`: the aliases most likely to misfire in this archive, for a person to review, and the
names front matter declares that the authority file lacks (candidates for it).

An alias is worth a look when the method doubts it (an ordinary word, a given name, several actors' alias) or
when this archive writes it in a good share of its articles: a name that is everywhere is a word here. Each
comes with its counts, a few sentences, and what the method did with them; the archivist then marks it in
actors.toml (`ambiguous`, `context_only`, `unambiguous`, `context`). The archive's own statistics inform this
report only, never the tagging: an article is tagged the same whatever else the archive holds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from generator.model import Actor, Article
from generator.tagging.match import Matcher, alias_key
from generator.tagging.names import sentence_around
from generator.tagging.suggest import new_id
from generator.tagging.tagger import decide, resolve

EVERYWHERE = 0.2  # an alias written in this share of the archive's articles is looked at, doubted or not
STATISTICS = 20  # ... when the archive has at least this many articles to say so
EXAMPLES = 3


@dataclass(frozen=True)
class Example:
    article: str
    counted: bool
    reason: str
    sentence: str


@dataclass(frozen=True)
class AliasRisk:
    actor: str
    alias: str  # normalised
    doubt: str  # why the method doubts it ("" when only the archive's statistics do)
    articles: int  # articles that write it
    counted: int  # articles where it made the actor
    share: float  # articles / all articles
    reasons: tuple[tuple[str, int], ...]  # what the method did, most frequent first
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Candidate:
    name: str
    id: str  # a readable id for the authority file
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    articles: int
    risks: tuple[AliasRisk, ...]
    candidates: tuple[Candidate, ...]


def check(articles: Sequence[Article], matcher: Matcher, actors: Mapping[str, Actor], limit: int = 20) -> Report:
    """The `limit` riskiest aliases, and every front-matter name that is no actor of the authority file."""
    seen: dict[tuple[str, str], list[tuple[Article, bool, str, int, int]]] = {}
    for article in articles:
        done: set[tuple[str, str]] = set()
        for d in decide(article, matcher, actors):
            key = (d.actor, alias_key(d.surface))
            if key not in done:  # an article counts once per alias: its first use shows what became of it
                done.add(key)
                seen.setdefault(key, []).append((article, d.accepted, d.reason, d.paragraph, d.start))
    total = max(1, len(articles))
    risks = []
    for (actor_id, alias), uses in seen.items():
        reasons = Counter(reason for _, _, reason, _, _ in uses)
        share = len(uses) / total
        if set(reasons) == {"an unambiguous alias"} and (share < EVERYWHERE or len(articles) < STATISTICS):
            continue
        examples = tuple(
            Example(a.id, counted, reason, sentence_around(a, paragraph, start))
            for a, counted, reason, paragraph, start in _spread(uses)
        )
        counted = sum(1 for _, ok, _, _, _ in uses if ok)
        doubt = ", ".join(sorted({_doubt(r) for r in reasons} - {""}))
        if not doubt and set(reasons) != {"an unambiguous alias"}:
            doubt = "needs support, which each article gave"
        risks.append(
            AliasRisk(
                actor_id, alias, doubt, len(uses), counted, round(share, 4), tuple(reasons.most_common(4)), examples
            )
        )
    risks.sort(key=lambda r: (-r.articles, r.actor, r.alias))
    return Report(len(articles), tuple(risks[:limit]), candidates(articles, matcher, actors))


def _doubt(reason: str) -> str:
    """What a decision says the method doubted: 'an ordinary word', 'several actors' ... ('' for none)."""
    if reason.startswith("needs support: "):
        return reason.removeprefix("needs support: ")
    if reason.startswith("ambiguous ("):
        return "several actors' alias"
    return ""


def _spread(uses: list[tuple[Article, bool, str, int, int]]) -> list[tuple[Article, bool, str, int, int]]:
    """A few uses, refused and counted ones both, when there are both."""
    refused = [u for u in uses if not u[1]][: EXAMPLES - 1]
    counted = [u for u in uses if u[1]][: EXAMPLES - len(refused)]
    return sorted(refused + counted, key=lambda u: u[0].id)[:EXAMPLES]


def candidates(articles: Sequence[Article], matcher: Matcher, actors: Mapping[str, Actor]) -> tuple[Candidate, ...]:
    """Front matter `actors:` names that are no id, name or alias of a known actor, most used first."""
    found: dict[str, list[str]] = {}
    for article in articles:
        for name in article.unknown_actors:
            if resolve(name, matcher, actors) not in actors:
                found.setdefault(name, []).append(article.id)
    taken = set(actors)
    result = []
    for name, ids in sorted(found.items(), key=lambda item: (-len(item[1]), item[0])):
        actor_id = new_id(name, taken)
        taken.add(actor_id)
        result.append(Candidate(name, actor_id, tuple(ids)))
    return tuple(result)


def to_text(report: Report) -> str:
    out = []
    if report.risks:
        out.append(
            f"Aliases most likely to misfire in these {report.articles} articles (review them; in actors.toml "
            "mark an alias ambiguous, context_only or unambiguous, or give the actor context words):"
        )
    for r in report.risks:
        doubt = f"doubted: {r.doubt}" if r.doubt else f"written in {r.share:.0%} of the articles"
        out.append(f"\n{r.alias}  [{r.actor}]  in {r.articles} articles, counted in {r.counted} — {doubt}")
        out += [f"    {n:5d}  {reason}" for reason, n in r.reasons]
        for e in r.examples:
            out.append(f"    {'+' if e.counted else '-'} {e.article}: {e.sentence}")
    if report.candidates:
        out.append("\nFront matter names these actors; the authority file does not (candidates to add to it):")
        for c in report.candidates:
            shown = ", ".join(c.articles[:3]) + (" …" if len(c.articles) > 3 else "")
            out.append(f"    [{c.id}]  {c.name}  ({len(c.articles)} articles: {shown})")
    if not out:
        out.append(f"Nothing to review in these {report.articles} articles.")
    return "\n".join(out) + "\n"


def to_json(report: Report) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n"
