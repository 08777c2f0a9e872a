"""The text Pagefind indexes: the article without its marks, and the words given back their spelling afterwards.

Pagefind keys a word by its letters without combining marks (after NFD, so hamza on a seat is a mark too) and
keeps each marked spelling as a variant of that key. It does not count those variants when it cuts its index
into chunks, so in Arabic, where most words beginning with alef carry a hamza (أ, إ, آ), the alef chunks grow to
130-360 KB against ~27 KB for the others, and a query for such a word downloads them. Pagefind is therefore
given a copy of each article page whose indexed part has no marks (`index_copy`): the same keys, no variants.
Its fragments (the text it shows excerpts from) then hold the unmarked words, so each fragment's words are given
back the spelling of the published page (`respelled`). What is lost is Pagefind's ranking bonus for a query
whose marks match a page's, which for Arabic mostly meant a typed hamza.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from difflib import SequenceMatcher

INDEXED = re.compile(r"(<(\w+)\b[^>]*\bdata-pagefind-body\b[^>]*>)(.*)(</\2>)", re.S)
IGNORED = re.compile(r"<(\w+)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1>", re.S)
TAG = re.compile(r"</?(\w+)[^>]*>")
# Tags that end a word; any other (a link, a marked name, <time>) sits inside a word as Pagefind reads it.
BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Pagefind ends a heading or a block with a full stop of its own ("العنوان." for <h1>العنوان</h1>).
TRAILING = ".,;:!?،؛؟"


@functools.cache
def _marks() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane (JavaScript's \\p{M}, which Pagefind strips); made when
    first needed: looking at 65,536 characters is a hundredth of a second of every build's start."""
    marks = (chr(c) for c in range(0x10000) if unicodedata.category(chr(c)).startswith("M"))
    return re.compile("[" + "".join(marks) + "]")


def unmarked(text: str) -> str:
    """`text` as Pagefind keys it: without combining marks."""
    return unicodedata.normalize("NFC", _marks().sub("", unicodedata.normalize("NFD", text)))


def index_copy(page: str) -> str | None:
    """The page with its indexed element unmarked; None when Pagefind indexes nothing of it."""
    found = INDEXED.search(page)
    if found is None:
        return None
    inner = found.group(3)
    bare = unmarked(inner)
    return page if bare == inner else page[: found.start(3)] + bare + page[found.end(3) :]


def page_words(page: str) -> list[str]:
    """The words of the page's indexed element as published, in order (ignored parts left out)."""
    found = INDEXED.search(page)
    if found is None:
        return []
    text = TAG.sub(lambda tag: " " if tag.group(1).lower() in BLOCKS else "", IGNORED.sub(" ", found.group(3)))
    return html.unescape(text).split()


def respelled(content: str, published: list[str]) -> str:
    """Pagefind's `content` of an unmarked page with each word spelled as in `published`.

    The two word lists are aligned on their unmarked form (Pagefind adds full stops and may join or drop a
    word the page has); a word that finds no partner stays as Pagefind has it.
    """
    words = content.split()
    keys = unmarked(" ".join(published)).split()
    if len(keys) != len(published):  # a word made only of marks: align word by word instead
        keys = [unmarked(w) for w in published]
    bare, stripped = [w.rstrip(TRAILING) for w in words], [k.rstrip(TRAILING) for k in keys]
    # Usually the lists agree word for word; the matcher is for when they do not.
    blocks = (
        [(0, 0, len(bare))]
        if bare == stripped
        else SequenceMatcher(None, bare, stripped, autojunk=False).get_matching_blocks()
    )
    for i, j, size in blocks:
        for k in range(size):
            word, key = words[i + k], keys[j + k]
            if word == key:
                words[i + k] = published[j + k]
            elif word.startswith(key.rstrip(TRAILING)):  # a full stop Pagefind added, or one it kept
                words[i + k] = published[j + k].rstrip(TRAILING) + word[len(key.rstrip(TRAILING)) :]
    return " ".join(words)
