"""The actor index and one page per actor; the same term machinery gives /sources/ and /tags/."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from generator.model import LISTED_KINDS, Actor, Article, Mention, Page
from generator.pages.archive import co_occurrence, term_name
from generator.pages.calendar_grid import month_names, numerals
from generator.pages.marks import INLINE_MARKS
from generator.pages.render import highlight
from generator.pages.site import Site, actor_meta, actor_url, mention_order, paginate, summary_view

TOP_TOGETHER = 15
# A full stop ends a sentence unless it closes an initial (U.S., J. Smith).
SENTENCE_END = re.compile(r"(?<![A-Z])\.(?=\s|$)|[!?؟\n]")
BEFORE, AFTER = 160, 200  # characters of a run-on sentence shown before and after the name


def actor_index_page(site: Site, index: Mapping[str, Sequence[Article]]) -> Page:
    """Every actor with an article, and every authority-file actor: one no article names yet is listed with 0
    and no link (an authority file of 50,000 names would otherwise make 50,000 empty pages and feeds)."""
    groups = []
    for kind in LISTED_KINDS:
        members = [
            {**site.actor_link(a.id), "count": len(index.get(a.id, ())), "kind": kind}
            | ({} if a.id in index else {"href": None})
            for a in site.actors.values()
            if a.kind == kind and (a.id in index or a.line)
        ]
        members.sort(key=lambda m: (-m["count"], m["name"]))
        if members:
            groups.append({"kind": kind, "label": site.t[f"kind_{kind}"], "actors": members})
    return site.page("/actors/", "actors.html", groups=groups, page_title=site.t["actors"])


def actor_pages(site: Site, actor: Actor, articles: Sequence[Article]) -> Iterator[Page]:
    together = co_occurrence(articles, actor.id)
    lang = site.config.language
    view = {
        "id": actor.id,
        "name": actor.name(lang),
        "kind": site.t[f"kind_{actor.kind}_one"],
        "count_text": site.count(len(articles), "article"),
        "description": actor.description,
        "other_names": [{"lang": code, "name": name} for code, name in actor.names.items() if name != actor.name(lang)],
        "aliases": distinct_spellings(actor.aliases),
        "wikidata": f"https://www.wikidata.org/wiki/{actor.wikidata}" if actor.wikidata else None,
        "count": len(articles),
        "chart": timeline(site, articles),
        "together": [
            {**site.actor_link(other), "count": n, "count_text": site.count(n, "article")}
            for other, n in sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TOGETHER]
            if other in site.actors
        ],
    }

    yield from paginate(
        site,
        actor_url(actor.id),
        articles,
        "actor.html",
        {"actor": view, "page_title": view["name"], **actor_meta(site, actor)},
        lambda article: actor_item(site, actor.id, article),
    )


def actor_item(site: Site, actor_id: str, article: Article) -> dict[str, Any]:
    """An article as an actor's lists show it: with the sentence that first names the actor."""
    return site.view(
        f"actor:{actor_id}",
        article,
        lambda: {**summary_view(site, article), "sentence": first_mention(article, actor_id)},
    )


def first_mention(article: Article, actor_id: str) -> Markup | None:
    """The sentence where the article's text first names the actor, the name marked (the title only when the
    text never does: the title is shown beside it anyway)."""
    if article.gist is not None:
        return next((Markup(html) for actor, html in article.gist.sentences if actor == actor_id), None)
    mention = min((m for m in article.mentions if m.actor == actor_id), key=mention_order, default=None)
    return None if mention is None else naming_sentence(article, mention, article.paragraphs)


def naming_sentence(article: Article, mention: Mention, paragraphs: Sequence[str]) -> Markup:
    """The sentence around `mention` (in the title or in `paragraphs`, the article's), the name marked; a run-on
    one cut to a window around the name."""
    text = article.title if mention.paragraph < 0 else paragraphs[mention.paragraph]
    # The sentence's ends are looked for only as far as the window reaches (a sentence end matches one
    # character): a paragraph naming thousands of actors is not scanned again from its start for each.
    # Beyond the window, any position gives the same cut; those chosen are outside it.
    low = max(0, mention.start - BEFORE - 1)
    before = [m.end() for m in SENTENCE_END.finditer(text, low, mention.start)]
    start = before[-1] if before else max(0, low - 1)
    reach = mention.end + AFTER
    after = SENTENCE_END.search(text, mention.end, min(len(text), reach + 2))  # its `$` only past the window
    end = after.end() if after is not None and after.end() <= reach else len(text)
    # A run-on sentence is cut to a readable window around the name.
    cut_start, cut_end = max(start, mention.start - BEFORE), min(end, reach)
    if cut_start > start:  # and at a word's edge
        cut_start = next((m.end() for m in re.finditer(r"\s+", text[cut_start : mention.start])), 0) + cut_start
    if cut_end < end:
        cut_end = mention.end + max((m.start() for m in re.finditer(r"\s+", text[mention.end : cut_end])), default=0)
    piece, span = text[cut_start:cut_end], (mention.start - cut_start, mention.end - cut_start)
    if article.format == "markdown":
        piece, span = _without_markup(piece, span)
    sentence = highlight(piece, [(*span, mention.actor)])
    return Markup("{}{}{}").format("…" if cut_start > start else "", sentence, "…" if cut_end < end else "")


def _without_markup(text: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """Markdown source read as the page shows it (no **, `, [text](link) syntax), `span` moved along."""
    drop: set[int] = set()
    for m in INLINE_MARKS.finditer(text):
        if m.group("link") is not None:  # keep the link's text, drop [ and ](address)
            drop.add(m.start())
            drop.update(range(m.end("link"), m.end()))
        else:
            drop.update(range(m.start(), m.end()))
    start, end = (n - sum(1 for i in drop if i < n) for n in span)
    return "".join(c for i, c in enumerate(text) if i not in drop), (start, end)


def distinct_spellings(aliases: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Spellings per language, each shown once ("Kazakhstan" is English and French alike): the first language
    that lists a spelling keeps it, and a language left with none is dropped."""
    seen: set[str] = set()
    groups = []
    for code, spellings in aliases.items():
        kept = []
        for spelling in spellings:
            if spelling.casefold() not in seen:
                seen.add(spelling.casefold())
                kept.append(spelling)
        if kept:
            groups.append({"lang": code, "spellings": kept})
    return groups


def timeline(site: Site, articles: Sequence[Article]) -> dict[str, Any] | None:
    """Articles per month, first to last month, as bars in the page's direction (time runs from the right in a
    right-to-left UI): each bar's height as a share of the busiest month, its value in words, year ticks for the
    axis and the months that have articles as a table."""
    months = Counter((a.date.year, a.date.month) for a in articles if a.date)
    if not months:
        return None
    (y0, m0), (y1, m1) = min(months), max(months)
    span = [(y0 + (m0 - 1 + i) // 12, (m0 - 1 + i) % 12 + 1) for i in range((y1 - y0) * 12 + m1 - m0 + 1)]
    top = max(months.values())
    names = month_names(site.region)
    label = {ym: f"{names[ym[1]]} {numerals(ym[0], site.config.digits)}" for ym in span}
    bars = []
    for i, (year, month) in enumerate(span):
        n = months.get((year, month), 0)
        text = f"{label[year, month]}: {site.count(n, 'article')}"
        # A value shown near either end of the chart opens towards its middle, so it stays on a phone's screen.
        side = "start" if i < len(span) / 4 else "end" if i >= len(span) * 3 / 4 else "middle"
        bars.append({"height": round(100 * n / top, 1), "count": n, "text": text, "side": side})
    # Year ticks where a year starts, kept clear of the two ends, which carry the first and last month.
    step = max(1, math.ceil(len(span) / 12 / 6))  # at most ~6 ticks, so they stay apart on a phone
    ticks = [
        {"at": round(100 * i / len(span), 1), "text": numerals(year, site.config.digits)}
        for i, (year, month) in enumerate(span)
        if month == 1 and (year - y0) % step == 0 and 0.18 < i / len(span) < 0.72
    ]
    return {
        "bars": bars,
        "first": label[span[0]],
        "last": label[span[-1]],
        "ticks": ticks,
        "top_text": site.count(top, "article"),
        "rows": [{"month": label[ym], "count": site.count(months[ym], "article")} for ym in span if ym in months],
        "summary": f"{label[span[0]]} – {label[span[-1]]}",
    }


def term_pages(
    site: Site,
    section: str,
    title: str,
    index: Mapping[str, Sequence[Article]],
    names: Callable[[Article], Iterable[str]],
    only: Container[str] | None = None,
) -> Iterator[Page]:
    """/section/ listing every term with its count, and /section/<term>/ pages (outlets, tags), those in `only`.

    `index` is keyed by URL segment; `names` gives an article's spellings, so a page is headed the commonest."""
    terms = sorted(index.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    shown = {key: term_name(group, key, names) for key, group in terms}
    listing = [
        {"name": shown[key], "href": site.href(f"/{section}/{key}/"), "count": len(group)} for key, group in terms
    ]
    yield site.page(f"/{section}/", "terms.html", heading=title, terms=listing, page_title=title)
    for key, group in terms:
        if only is not None and key not in only:
            continue
        name = shown[key]
        yield from paginate(site, f"/{section}/{key}/", group, "index.html", {"heading": name, "page_title": name})
