"""Metadata values checked where they are read, before any of them reaches a path, a URL or an attribute.

Front matter and sidecars are written by people and by import scripts: a value of the wrong type is a problem
naming its key (never Python's text of a list in a page), a `lang` must be a BCP 47 tag (Pagefind puts it in
file names), and an original `url` must be a web address (anything else would be a script link on the page).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

# Keys whose value is one piece of text, and keys whose value is a list of names (or one comma-separated text).
TEXT_KEYS = ("title", "id", "outlet", "agency", "lang", "language", "summary", "abstract", "url", "author")
LIST_KEYS = ("tags", "category", "actors", "not_actors")
DATE_KEYS = ("date", "date_extracted")

# RFC 5646 `langtag` (grandfathered tags aside). 35 characters is the length RFC 5646 asks every
# implementation to support; Pagefind builds file names from the tag and fails on longer ones.
_ALNUM = "[a-z0-9]"
_LANGTAG = re.compile(
    rf"""
    (?:[a-z]{{2,3}}(?:-[a-z]{{3}}){{0,3}}|[a-z]{{4,8}})   # language, extlang
    (?:-[a-z]{{4}})?                                      # script
    (?:-(?:[a-z]{{2}}|[0-9]{{3}}))?                       # region
    (?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*          # variants
    (?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*                 # extensions
    (?:-x(?:-{_ALNUM}{{1,8}})+)?                          # private use
    """,
    re.VERBOSE,
)
MAX_LANG = 35
MAX_URL = 2048


def language_tag(value: str) -> str | None:
    """`value` as a well-formed BCP 47 tag in its conventional case (`ar-EG`, `zh-Hant-TW`), else None."""
    tag = value.strip().replace("_", "-").lower()
    if len(tag) > MAX_LANG or not _LANGTAG.fullmatch(tag):
        return None
    parts = tag.split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) == 1:  # after a singleton (extension, x-) every subtag stays lowercase
            out.append(part)
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


def web_url(value: str) -> str | None:
    """`value` when it is an absolute http(s) address, else None (no `javascript:`, `data:`, relative paths)."""
    url = value.strip()
    if not url or len(url) > MAX_URL or any(c <= " " or c == "\x7f" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def checked_fields(fields: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """`fields` without the values of a wrong type or form, and a (key, message) for each one dropped."""
    kept: dict[str, Any] = {}
    trouble: list[tuple[str, str]] = []
    for key, value in fields.items():
        message = _wrong(key, value)
        if message:
            trouble.append((key, message))
            continue
        if key in ("lang", "language") and value not in (None, ""):
            tag = language_tag(str(value))
            if tag is None:
                trouble.append((key, f"{key} {_shown(value)} is not a language tag such as ar, en or ar-EG; ignored"))
                continue
            value = tag
        elif key == "url" and value not in (None, ""):
            url = web_url(str(value))
            if url is None:
                trouble.append((key, f"url {_shown(value)} is not an http(s) address; ignored"))
                continue
            value = url
        kept[key] = value
    return kept, trouble


def _wrong(key: str, value: Any) -> str | None:
    """Why `value` cannot be the `key` field, or None when it can."""
    if value is None:
        return None
    if isinstance(value, bool):
        # YAML 1.1 reads yes/no/on/off as booleans: `outlet: NO` (Norway) arrives as False.
        return f"{key} was read as {str(value).lower()}; put the value in quotes"
    if key in TEXT_KEYS and not isinstance(value, str | int | float):
        return f"{key} must be a text, not {_kind(value)}"
    if key in LIST_KEYS:
        items = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in items):
            return f"{key} must be a list of names or one comma-separated text, not {_kind(value)}"
    if key in DATE_KEYS and not isinstance(value, str | dt.date):
        return f"{key} must be a date such as 2022-01-08, not {_kind(value)}"
    return None


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table of keys"
    if isinstance(value, list | tuple):
        return "a list" if all(isinstance(v, str | int | float) for v in value) else "a nested list"
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _shown(value: Any, limit: int = 40) -> str:
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 4] + "…'"
