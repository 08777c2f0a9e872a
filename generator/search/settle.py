"""Pagefind's filter files made the same bytes for the same pages, from one run to the next.

Pagefind (1.5) keeps a shard's filters and each filter's values in hash maps, whose order changes from run to
run: the same pages give filter files with their values in another order, named by the hash of those bytes,
and a metadata file that lists the filters in another order under those names. A cold build of an unchanged
archive would then publish other files for nothing, which a deploy uploads again. Here each filter file gets
its values in order and a name made from its bytes, and the metadata file lists the filters in order under
those names; it is renamed by its own bytes, as Pagefind names it. The files are CBOR (after Pagefind's
signature, gzipped); decoding and encoding them again gives Pagefind's bytes back, which is checked first.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
FILTERS = 3  # the metadata's field listing [filter, file hash] pairs
HASH_DIGITS = 12


def settle(out: Path, meta_hash: str, language: str) -> str:
    """Put in order the filter files of the Pagefind run in `out` for `language`, whose metadata file is
    `pagefind.<meta_hash>.pf_meta`; return the metadata file's hash now (`meta_hash` when the files are not as
    this code knows them: they are then left as Pagefind wrote them)."""
    meta_path = out / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    if not _is_meta(meta):
        return meta_hash
    filters = []
    for name, file_hash in meta[FILTERS]:
        path = out / "filter" / f"{file_hash}.pf_filter"
        index = _read(path)
        if not _is_filter(index):
            return meta_hash
        index[1] = sorted(([value, sorted(pages)] for value, pages in index[1]), key=lambda pair: pair[0])
        data = _encoded(index)
        settled = f"{language}_{hashlib.sha256(data).hexdigest()[:HASH_DIGITS]}"
        filters.append((name, file_hash, settled, data))
    for _, file_hash, settled, data in filters:  # every file read before any is replaced
        (out / "filter" / f"{file_hash}.pf_filter").unlink()
        (out / "filter" / f"{settled}.pf_filter").write_bytes(data)
    meta[FILTERS] = sorted([name, settled] for name, _, settled, _ in filters)
    data = _encoded(meta)
    settled_meta = f"{language}_{hashlib.sha256(data).hexdigest()[:HASH_DIGITS]}"
    meta_path.unlink()
    (out / f"pagefind.{settled_meta}.pf_meta").write_bytes(data)
    return settled_meta


def _read(path: Path) -> Any:
    """A Pagefind file's CBOR value; None when it is not one whose encoding round-trips to its own bytes."""
    try:
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(SIGNATURE):
            return None
        value = cbor2.loads(raw[len(SIGNATURE) :])
        return value if cbor2.dumps(value) == raw[len(SIGNATURE) :] else None
    except (OSError, EOFError, ValueError, cbor2.CBORDecodeError):
        return None


def _encoded(value: Any) -> bytes:
    # Pagefind's own compression level; no time in the header, so the same value gives the same bytes
    return gzip.compress(SIGNATURE + cbor2.dumps(value), 9, mtime=0)


def _is_meta(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) > FILTERS
        and isinstance(value[FILTERS], list)
        and all(_is_pair(f, str) for f in value[FILTERS])
    )


def _is_filter(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], list)
        and all(_is_pair(v, list) and all(isinstance(p, int) for p in v[1]) for v in value[1])
    )


def _is_pair(value: Any, second: type) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], second)
