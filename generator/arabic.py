"""Arabic-script text handling shared by every stage: digits, marks, direction."""

from __future__ import annotations

import unicodedata

# Eastern Arabic (U+0660–0669) and Persian/Urdu (U+06F0–06F9) digits read as ASCII digits.
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
# Directional marks and the BOM: invisible, yet they sit in front of real datelines.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))


def fold_digits(text: str) -> str:
    """Eastern Arabic and Persian digits to ASCII, length preserved."""
    return text.translate(_DIGITS)


def strip_marks(text: str) -> str:
    """Drop bidi control marks (LRM, RLM, ALM, embeddings, isolates) and stray BOMs."""
    return text.translate(_INVISIBLE)


def direction(text: str, sample: int = 4000) -> str:
    """'rtl' when most strong characters in the first `sample` characters are right-to-left."""
    rtl = ltr = 0
    for ch in text[:sample]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return "rtl" if rtl > ltr else "ltr"
