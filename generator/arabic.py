"""Arabic-script text handling shared by every stage: digits, marks, direction."""

from __future__ import annotations

import re

# Eastern Arabic (U+0660–0669) and Persian/Urdu (U+06F0–06F9) digits read as ASCII digits.
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
# Directional marks and the BOM: invisible, yet they sit in front of real datelines.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))


# Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their
# presentation forms): the strong R/AL characters of unicodedata.bidirectional, found by one C-speed scan.
_RTL_LETTER = re.compile(
    r"[\u05d0-\u05ea\u05f0-\u05f2\u0620-\u064a\u066e-\u06d3\u06d5\u06e5\u06e6\u06ee\u06ef\u06fa-\u06ff"
    r"\u0710-\u074f\u0780-\u07a5\u07ca-\u07ea\u0800-\u0815\u0840-\u0858\u08a0-\u08c9"
    r"\ufb1d-\ufdfb\ufe70-\ufefc]"
)
_LETTER = re.compile(r"[^\W\d_]")


def fold_digits(text: str) -> str:
    """Eastern Arabic and Persian digits to ASCII, length preserved."""
    return text.translate(_DIGITS)


def strip_marks(text: str) -> str:
    """Drop bidi control marks (LRM, RLM, ALM, embeddings, isolates) and stray BOMs."""
    return text.translate(_INVISIBLE)


def direction(text: str, sample: int = 1000) -> str:
    """'rtl' when most letters in the first `sample` characters are right-to-left (bidi classes R, AL)."""
    head = text[:sample]
    rtl = len(_RTL_LETTER.findall(head))
    return "rtl" if rtl > len(_LETTER.findall(head)) - rtl else "ltr"
