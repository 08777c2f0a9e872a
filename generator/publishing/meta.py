"""What a page's <head> tells machines: its description, its feeds, OpenGraph and Twitter cards (pure values)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.model import Article
from generator.pages.marks import LINK, TAG

DESCRIPTION_CHARS = 300
SUMMARY_WORDS = 80
# Markdown a description must not show: headings, emphasis, code marks, [text](link) kept as its text, tags.
_MARKDOWN = re.compile(LINK + "|" + TAG + r"|[*_`~]{1,3}|^#+\s*|^>\s*", re.MULTILINE)
# A sentence ends at . ! ? ؟ or the Urdu full stop, not at the dot of an initial (U.S., J. Smith) or a number.
_SENTENCE_END = re.compile(r"(?<![A-Z\d])[.!?؟۔](?=\s|$)")
# Between the dateline and the text: dashes, colons, commas and spaces (`(CNN) -- `, `واس - `).
_AFTER_DATELINE = re.compile(r"^[\s\-–—:،,]+")
# XML 1.0 has no place for C0 controls (but tab and line ends), lone surrogates or U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A page's feed is its group's: /, /page/N/ -> /feed.xml; /actors/<id>/..., /sources/<key>/..., /agencies/<key>/...
_FEED_GROUP = re.compile(r"^/(?:(?:actors|sources|agencies)/[^/]+/)?(?:page/\d+/)?$")


def xml_text(text: str) -> str:
    """`text` with the characters XML cannot carry removed."""
    return _NOT_XML.sub("", text)


def lead(article: Article) -> str:
    """The article's opening text as a reader sees it: the first paragraph of prose, without its dateline."""
    if article.gist is not None:
        return article.gist.lead
    for n, paragraph in enumerate(article.paragraphs):
        text = paragraph
        if n == 0 and article.dateline.text:
            at = text.find(article.dateline.text)
            if 0 <= at < 3:  # the dateline opens the paragraph (perhaps after a direction mark)
                text = _AFTER_DATELINE.sub("", text[at + len(article.dateline.text) :])
        if article.format == "markdown":
            if paragraph.lstrip().startswith(("#", "```", "|", "<")):
                continue  # a heading, code, a table or raw HTML is not the lead
            text = _MARKDOWN.sub(lambda m: m.group("link") or "", text)
        text = " ".join(text.split())
        if text:
            return text
    return ""


def description(article: Article) -> str:
    """The page's meta description: the summary, else the lead's first sentence (two when the first is short),
    cut at a word under 300 characters."""
    text = " ".join(article.summary.split()) or lead(article)
    if not article.summary:
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        cut = next((e for e in ends if e >= 80), ends[0] if ends else len(text))
        text = text[:cut]
    return clip(text, DESCRIPTION_CHARS) or article.title


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ،,;:") + "…"


def feed_summary(article: Article) -> str:
    """What a feed entry says of the article: its summary, else the lead's first 80 words."""
    words = (" ".join(article.summary.split()) or lead(article)).split()
    return " ".join(words[:SUMMARY_WORDS]) + ("…" if len(words) > SUMMARY_WORDS else "")


def feed_of(url: str) -> str | None:
    """The URL of the feed that a page at `url` belongs to (the home, an actor's, an outlet's or an agency's)."""
    if not _FEED_GROUP.match(url):
        return None
    base = re.sub(r"page/\d+/$", "", url)
    return base + "feed.xml"


@dataclass(frozen=True)
class Card:
    """What OpenGraph, Twitter and the meta description say of a page."""

    title: str
    description: str
    kind: str = "website"  # og:type: "article" for an article page, "profile" for a person
    lang: str = ""
    published: str | None = None  # ISO date
    section: str | None = None  # the outlet
    tags: tuple[str, ...] = ()


def head(canonical: str, card: Card, site_title: str, feeds: list[dict[str, str]]) -> Mapping[str, Any]:
    """The values _meta.html writes into <head>: description, canonical, feeds, OpenGraph and Twitter."""
    og = [
        ("og:type", card.kind),
        ("og:title", card.title),
        ("og:site_name", site_title),
        ("og:url", canonical),
        *([("og:description", card.description)] if card.description else []),
        *([("og:locale", card.lang.replace("-", "_"))] if card.lang else []),
    ]
    if card.kind == "article":
        og += [("article:published_time", card.published)] if card.published else []
        og += [("article:section", card.section)] if card.section else []
        og += [("article:tag", tag) for tag in card.tags]
    twitter = [("twitter:card", "summary"), ("twitter:title", card.title)]
    twitter += [("twitter:description", card.description)] if card.description else []
    return {"description": card.description, "canonical": canonical, "feeds": feeds, "og": og, "twitter": twitter}


AGENCIES = {"ar": "وكالات الأنباء", "en": "News agencies", "fr": "Agences de presse", "ru": "Информагентства"}


def agencies_title(lang: str) -> str:
    """The heading of /agencies/ (and its place in the site's menu) in the chrome's language."""
    return AGENCIES.get(lang.split("-")[0], AGENCIES["en"])
