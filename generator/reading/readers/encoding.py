"""Bytes to text: UTF-8/16/32 by BOM, UTF-8, then the legacy Arabic code pages."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Unrestricted detection calls short ISO-8859-6 Arabic "cp874" (Thai); among these three it is right.
LEGACY = ("cp1256", "iso8859_6", "cp1252")


class DecodeError(ValueError):
    """Bytes that are not text in any encoding we accept."""


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name).removeprefix("\ufeff"), name
            except UnicodeDecodeError as e:
                raise DecodeError(f"has a {name} byte-order mark but is not valid {name}: {e.reason}") from None
    if b"\x00" in data[:8192]:
        raise DecodeError("is a binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # here: most archives are UTF-8, and every build's start counts

    best = from_bytes(data, cp_isolation=list(LEGACY)).best()
    if best is None:
        raise DecodeError("is not UTF-8, UTF-16, Windows-1256 or ISO-8859-6 text")
    return str(best), best.encoding
