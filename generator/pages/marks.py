"""Markdown's marks as patterns for reading its source as plain text, in linear time whatever the text.

A link's text may not hold a bracket, nor its address a bracket, a parenthesis or a space: with `[^\\]]*` a body
of 100,000 `[` made every one scan to the end (minutes). Such a link stays as written in an excerpt.
"""

from __future__ import annotations

import re

LINK = r"\[(?P<link>[^\[\]]*)\]\([^()\[\]\s]*\)"
INLINE_MARKS = re.compile(LINK + r"|\*{1,3}|_{2,3}|`+|~~")
BLOCK_MARKS = re.compile(r"^\s*(?:>\s?|#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)+", re.M)
TAG = r"<[^<>]*>"
