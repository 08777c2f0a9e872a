"""URL segments that always fit: any script kept, unsafe characters folded, a length cap, no file-like names.

Every value that becomes a folder of the site (an article id, an outlet, a tag) goes through `segment`. Such
a folder always sits inside a section the build owns (`/articles/`, `/sources/`, `/tags/`), so it can only
collide with what that section itself holds: its `index.html`, or a name a server or our own globbing would
take for a file (`report.html`). A segment never ends in such an extension, and is never longer than
`MAX_BYTES` (file systems allow 255 bytes a name; an Arabic letter is two): a long value keeps a readable
prefix and ends with a short hash of the whole, so two long values that share a prefix stay apart and the
same value always gives the same URL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from generator.arabic import strip_marks

MAX_BYTES = 120
_PREFIX_BYTES = 100
_UNSAFE = re.compile(r"[^\w\-.~+]+")
# Extensions of files the build writes or a static host serves by type; a folder must not look like one.
_FILE_LIKE = re.compile(r"\.(?:html?|xhtml|xml|json|js|mjs|css|txt|gz|br|wasm|svg|pagefind|pf_\w+)$", re.IGNORECASE)


def segment(value: str, fallback: str | None = None) -> str:
    """A URL-safe path segment for `value` (see the module docstring).

    When no safe character is left (`??`), `fallback`, or else a hash of `value`.
    """
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", strip_marks(value))).strip("-.")
    cleaned = _FILE_LIKE.sub(lambda m: "-" + m.group(0)[1:], cleaned)
    if not cleaned:
        return fallback or "x-" + _digest(value)
    if len(cleaned.encode("utf-8")) <= MAX_BYTES:
        return cleaned
    prefix = cleaned.encode("utf-8")[:_PREFIX_BYTES].decode("utf-8", "ignore").rstrip("-.")
    return f"{prefix}-{_digest(cleaned)}"


def term_segment(value: str) -> str:
    """An outlet's or a tag's segment: lowercased, so `CNN` and `cnn` share `/sources/cnn/`."""
    return segment(value.lower())


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=4).hexdigest()
