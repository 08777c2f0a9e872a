"""An article as the list pages read it, without the rest of its text: what the engine keeps once its page is drawn.

A list shows an article's title, date and excerpt (from its first paragraphs), and an actor's list the sentence
that first names the actor (`actor_pages.first_mention`). Once the article's own page is drawn, the engine keeps
only that much of the body: whole, the opening paragraphs an excerpt comes from; around each actor's first mention, a
window wider than any sentence a list cuts from it; and one placeholder for every other paragraph and every cut,
so that paragraph numbers stay as they were and a cut text still reads as "more here" to the sentence finder.
The first mention of each actor is kept (its offsets moved into the shorter text); the others only mark the
article's own page, which is drawn from the file again when it has to be (see engine); of the dateline, its
text. An archive's bodies are most of its memory, and forked workers copy what they touch of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from generator.model import Article, Dateline, Mention
from generator.pages.site import excerpt_text
from generator.publishing.meta import lead

KEEP = 260  # characters kept each side of a first mention (a list cuts its sentence 160 before, 200 after)
CUT = "…"  # stands for what was left out: not a sentence end, not a space, not a paragraph break


def first_mentions(mentions: Iterable[Mention]) -> dict[str, Mention]:
    """Each actor's first mention as a list shows it: in the text before the title, then by position."""
    first: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: (m.paragraph < 0, m.paragraph, m.start)):
        first.setdefault(m.actor, m)
    return first


def slim(article: Article) -> Article:
    """`article` with only what its list entries read of the body (see the module docstring).

    The opening paragraphs are kept whole up to the one the excerpt and a feed's summary come from; rather than
    know how each finds it, the first 1, 2, 4 ... that give both the same text are kept."""
    if article.slim:
        return article
    opening = (excerpt_text(article), lead(article))
    whole = 1
    while whole < len(article.paragraphs):  # doubling: a body of 20,000 headings is tried 15 times, not 20,000
        thin = _slim(article, whole)
        if (excerpt_text(thin), lead(thin)) == opening:
            return thin
        whole *= 2
    return _slim(article, len(article.paragraphs))


def _slim(article: Article, whole: int) -> Article:
    """`article` with its first `whole` paragraphs kept whole and of the others a window around first mentions."""
    paragraphs = article.paragraphs
    first = first_mentions(article.mentions)
    spans: dict[int, list[tuple[int, int]]] = {}
    for m in first.values():
        if m.paragraph >= whole:
            spans.setdefault(m.paragraph, []).append(
                (max(0, m.start - KEEP), min(len(paragraphs[m.paragraph]), m.end + KEEP))
            )
    kept: list[str] = []
    moved: dict[tuple[int, int], int] = {}  # (paragraph, old start of a kept piece) -> its new start
    for i, text in enumerate(paragraphs):
        if i < whole:
            kept.append(text)
            continue
        pieces = _merged(spans.get(i, []))
        if not pieces:
            kept.append(CUT)
            continue
        out: list[str] = []
        length = 0
        for start, end in pieces:
            if start > 0 and (not out or out[-1] != CUT):
                out.append(CUT)
                length += len(CUT)
            moved[(i, start)] = length
            out.append(text[start:end])
            length += end - start
            if end < len(text):
                out.append(CUT)
                length += len(CUT)
        kept.append("".join(out))

    def shifted(m: Mention) -> Mention:
        if m.paragraph < whole:
            return m
        start = max(s for p, s in moved if p == m.paragraph and s <= m.start)
        delta = moved[(m.paragraph, start)] - start
        return m._replace(start=m.start + delta, end=m.end + delta)

    mentions = tuple(shifted(m) for m in sorted(first.values(), key=lambda m: (m.paragraph, m.start, m.actor)))
    line = Dateline(text=article.dateline.text)  # what lists read of it: where the text after it starts
    return replace(article, body="\n\n".join(kept), mentions=mentions, dateline=line, slim=True)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
