"""The search index in shards: one Pagefind run per language and span of years, merged into one bundle.

Pagefind holds every page it indexes in memory (0.72 GB for 5,000 article pages here, ~1.1 GB for 7,600; linear) and
cannot update an index in place. So article pages are grouped into shards: per language, the years are cut in
aligned halves (0-8191, then 0-4095 and 4096-8191, ...) until a span holds at most `SHARD_PAGES` pages; a single
year over the budget is cut the same way by day (then by a hash of the page's path), and pages without a date form a
group of their own, cut by that hash. A shard is a fixed range, so adding an article moves no other page unless it
pushes its shard over the budget, and then only that shard's pages move (into its two halves). Few, large shards
keep a query cheap: each shard a query searches costs its metadata file and an index chunk per word.

Each shard is one Pagefind run, one after another (memory is bounded by the biggest shard), with a language of its
own (`ar-2016y2`: Pagefind stems and picks its wasm by the part before the first hyphen), so one
`pagefind-entry.json` lists every shard and the search page merges those a query needs
(`mergeIndex(bundle, {language})`). Every shard of a language names that language's wasm (`wasm.ar.pagefind`),
so the browser downloads it once.

`arshif-shards.json` in the bundle holds, per shard, a digest of its pages, its files and per page its path, day
and a digest of what was indexed; the next build, given this bundle as `previous`, links an unchanged shard's files
instead of indexing it again.

An update that changes a few pages does not index their shards again (thousands of pages each): the shards are
linked as they were, the changed and new pages since they were indexed go into one small shard per language
(`ar-d`, the delta), and the ids of the pages those replace or that were deleted are listed as stale
(`arshif-stale.json`, with their filter values so that facet counts leave them out too); the search page drops
stale hits. Once more than `DELTA_PAGES` pages would be in the delta, the shards holding them are indexed again
and the delta is empty: an LSM tree's minor and major compactions, with Pagefind's runs as the merges.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from pagefind.service import get_executable

from generator.config import Config
from generator.parallel import Tick, fork_map, no_progress
from generator.publishing.write import files_under
from generator.search.settle import settle
from generator.search.text import index_copy, page_words, respelled

DATES = "arshif-dates"  # inside the bundle, see `date_tables`
MANIFEST = "arshif-shards.json"
FRAGMENT_SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
# At most this many pages in one Pagefind run (`search_shard_pages`): see Config.
SHARD_PAGES = Config.search_shard_pages
# Pagefind cuts its word index into chunks of this many word locations (its default: 20,000), and a query fetches
# a chunk per word from every shard it searches, while each shard's metadata lists its chunks. At 20,000 real
# articles (5 Arabic shards) a query for تركيا fetched 129 KB of chunks and 130 KB of metadata at 20,000, 28 and
# 155 KB at 4,000: the sum is least near 4,400.
CHUNK_SIZE = 4000
# Bumped when what a shard's files are made from changes in a way its pages' digest cannot see.
FORMAT = 4
STALE = "arshif-stale.json"
# At most this many pages changed since their shard was indexed go into the delta shard: Pagefind indexes 500
# pages in ~1 s here, and the stale list the search page downloads stays a few KB.
DELTA_PAGES = 500
DELTA = "d"  # the delta shard's part after its language: `ar-d`
DIGEST = 24  # hex digits of a page's digest kept in the manifest: 96 bits tell an edit apart
# A page's place in its language: year, then day of the year, then 16 bits of its path's hash (pages without a
# date: the hash alone). Years up to 9999 fit in YEAR_BITS.
YEAR_BITS, DAY_BITS, HASH_BITS = 14, 9, 16
IN_YEAR = DAY_BITS + HASH_BITS
SPACE = 1 << (YEAR_BITS + IN_YEAR)
BODY = b"data-pagefind-body"
LANG = re.compile(r"<html\b[^>]*?\blang=\"([^\"]*)\"", re.I)
DATE_META = re.compile(r"data-pagefind-meta=\"date\[content\]\"\s+content=\"(\d{4})-(\d\d)-(\d\d)")


@dataclass(frozen=True)
class IndexPage:
    """An article page as the index sees it: where it is, its language and date, a digest of what is indexed."""

    path: str  # relative to the site, with /
    lang: str
    date: str  # YYYY-MM-DD, or "" for an undated page
    digest: str

    @property
    def position(self) -> int:
        hashed = int(hashlib.sha256(self.path.encode()).hexdigest()[:12], 16)
        if not self.date:
            return hashed % SPACE
        day = Date.fromisoformat(self.date)
        return (day.year << IN_YEAR) | (day.timetuple().tm_yday << HASH_BITS) | (hashed % (1 << HASH_BITS))


@dataclass(frozen=True)
class Shard:
    lang: str
    dated: bool
    start: int  # the range of positions it covers
    end: int
    pages: tuple[IndexPage, ...]
    delta: bool = False  # the pages changed since the other shards of the language were indexed

    @property
    def language(self) -> str:
        """Its Pagefind language: `ar-2016y2` (the two years from 2016), `ar-2019y1p<start>` (part of 2019), `ar-u`
        or `ar-up<start>` (the undated pages, or part of them). Short, because Pagefind puts it before every page
        id in the metadata file a query downloads. The search page reads the years from it (search.js `shardOf`);
        a delta shard is `ar-d`, of any year."""
        if self.delta:
            return f"{self.lang}-{DELTA}"
        if not self.dated:
            return f"{self.lang}-u" + ("" if (self.start, self.end) == (0, SPACE) else f"p{self.start:x}")
        first, last = self.start >> IN_YEAR, (self.end - 1) >> IN_YEAR
        whole = self.start % (1 << IN_YEAR) == 0 and self.end % (1 << IN_YEAR) == 0
        return f"{self.lang}-{first}y{last - first + 1}" + ("" if whole else f"p{self.start % (1 << IN_YEAR):x}")

    @property
    def wasm(self) -> str:
        return self.lang.split("-")[0]

    def digest(self, version: str) -> str:
        pages = [[p.path, p.digest] for p in sorted(self.pages, key=_path)]
        rows = [FORMAT, version, CHUNK_SIZE, self.language, pages]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _path(page: IndexPage) -> str:
    return page.path


def plan_shards(pages: Iterable[IndexPage], budget: int = SHARD_PAGES) -> list[Shard]:
    """The shards of `pages`, per language dated ones first, each range halved until it holds `budget` or fewer."""
    groups: dict[tuple[str, bool], list[IndexPage]] = {}
    for page in pages:
        groups.setdefault((page.lang, bool(page.date)), []).append(page)
    shards: list[Shard] = []
    for (lang, dated), members in sorted(groups.items(), key=lambda g: (g[0][0], not g[0][1])):
        placed = sorted(((p.position, p) for p in members), key=lambda pair: (pair[0], pair[1].path))
        shards.extend(_halves(lang, dated, placed, 0, SPACE, max(1, budget)))
    return shards


def _halves(
    lang: str, dated: bool, placed: Sequence[tuple[int, IndexPage]], start: int, end: int, budget: int
) -> Iterator[Shard]:
    if len(placed) <= budget or end - start <= 1:
        yield Shard(lang, dated, start, end, tuple(p for _, p in placed))
        return
    middle = (start + end) // 2
    low = [pair for pair in placed if pair[0] < middle]
    high = placed[len(low) :]  # `placed` is sorted by position
    if low:
        yield from _halves(lang, dated, low, start, middle, budget)
    if high:
        yield from _halves(lang, dated, high, middle, end, budget)


Stamp = tuple[int, int, int]  # a page file's inode, size and mtime_ns
Seen = dict[str, tuple[Stamp, "IndexPage | None"]]  # page -> its stamp and what reading it gave (None: no article)


def unchanged_pages(
    root: Path, seen: Mapping[str, tuple[Stamp, IndexPage | None]], pages: Iterable[str],
    changed: Container[str] | None = None,
) -> Seen:  # fmt: skip
    """Those of `pages` whose file is the one `seen` describes (same inode, size and time: an update links
    unchanged pages from the published site), as seen; a stat each, in this process. With `changed`, the pages
    that may differ from those `seen` describes (the caller knows which it wrote), the others need no look."""
    if changed is not None:
        return {relative: seen[relative] for relative in pages if relative in seen and relative not in changed}
    base = os.fspath(root)
    same: Seen = {}
    for relative in pages:
        known = seen.get(relative)
        if known is None:
            continue
        st = os.stat(os.path.join(base, relative))
        if (st.st_ino, st.st_size, st.st_mtime_ns) == known[0]:
            same[relative] = known
    return same


def read_pages(root: Path, pages: Sequence[str], tick: Tick) -> tuple[list[IndexPage], Seen]:
    """What the index needs of each of `pages` (paths relative to `root`, with /) Pagefind would index: its
    language, date and a digest of its bytes; and what was seen of every page, for the next run.

    The digest is of the published page, from which its index copy and its fragment's spelling both follow; the
    copies themselves are written only for the shards that are indexed again (`write_copies`).
    """
    out: list[IndexPage] = []
    now: Seen = {}
    for relative in pages:
        name = os.path.join(root, relative)
        st = os.stat(name)
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        tick()
        data = Path(name).read_bytes()
        if BODY not in data:
            now[relative] = (stamp, None)
            continue
        head = data[: data.find(b"</head>")].decode("utf-8", "replace")
        lang, day = LANG.search(head), DATE_META.search(head)
        page = IndexPage(
            relative,
            (lang.group(1) if lang else "unknown").lower() or "unknown",
            _valid_day(day.groups()) if day else "",
            hashlib.sha256(relative.encode() + b"\0" + data).hexdigest(),
        )
        now[relative] = (stamp, page)
        out.append(page)
    return out, now


# one flat row a page: [path, inode, size, mtime, lang, date, digest] (lang null: no article); 3: with the site
SEEN_FORMAT = 3


def load_seen(path: Path | None) -> tuple[str, Seen]:
    """What the last run saw of the pages (`read_pages`) and the digest of the site it saw them in ("": not
    known); nothing when there is no such file or it is damaged."""
    try:
        data = json.loads(path.read_text("utf-8")) if path is not None and path.is_file() else {}
        if not isinstance(data, dict) or data.get("format") != SEEN_FORMAT:
            return "", {}
        seen: Seen = {}
        for rel, ino, size, mtime, lang, date, digest in data["pages"]:
            page = IndexPage(str(rel), str(lang), str(date), str(digest)) if lang is not None else None
            seen[str(rel)] = ((int(ino), int(size), int(mtime)), page)
        return str(data["site"]), seen
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return "", {}


def save_seen(path: Path, seen: Mapping[str, tuple[Stamp, IndexPage | None]], site: str = "") -> None:
    """Record `seen`, what this run saw of the pages of the site whose digest is `site` ("": not known)."""
    nothing = (None, None, None)
    rows = [[rel, *stamp, *((p.lang, p.date, p.digest) if p else nothing)] for rel, (stamp, p) in sorted(seen.items())]
    body = {"format": SEEN_FORMAT, "site": site, "pages": rows}
    with contextlib.suppress(OSError):  # only the next run's time depends on it
        write_fresh(path, json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def write_copies(root: Path, site: Path, pages: Sequence[str], tick: Tick) -> int:
    """Write the index copy (see search_text) of each of `pages` (paths relative to `root`) into `site`."""
    written = 0
    for relative in pages:
        copy = index_copy((root / relative).read_text("utf-8"))
        tick()
        if copy is not None:
            (site / relative).parent.mkdir(parents=True, exist_ok=True)
            (site / relative).write_text(copy, "utf-8")
            written += 1
    return written


def _valid_day(parts: Sequence[str]) -> str:
    with contextlib.suppress(ValueError):
        return Date(*(int(p) for p in parts)).isoformat()
    return ""


@dataclass(frozen=True)
class Made:
    """A shard's part of the bundle: its entry row, its files (name -> size) and its pages (id -> path, day and
    the digest it was indexed with, cut to DIGEST)."""

    language: str
    digest: str
    hash: str
    wasm: str | None
    page_count: int
    files: Mapping[str, int]
    checksum: str
    pages: Mapping[str, tuple[str, str, str]]
    include_characters: tuple[str, ...]

    @property
    def dates(self) -> dict[str, str]:
        return {page_id: day for page_id, (_, day, _) in self.pages.items() if day}

    def row(self) -> dict[str, object]:
        return {"hash": self.hash, "wasm": self.wasm, "page_count": self.page_count}

    def manifest(self) -> dict[str, object]:
        return {
            "digest": self.digest,
            "hash": self.hash,
            "wasm": self.wasm,
            "page_count": self.page_count,
            "files": dict(sorted(self.files.items())),
            "checksum": self.checksum,
            "pages": {page_id: list(row) for page_id, row in sorted(self.pages.items())},
        }


def pagefind_version() -> str:
    return subprocess.run([str(_executable()), "--version"], capture_output=True, text=True, check=True).stdout.split()[
        -1
    ]


def _executable() -> Path:
    found = get_executable()
    if found is None:
        raise RuntimeError("the Pagefind binary is not installed (pip install 'pagefind[bin]')")
    return found


def run_pagefind(site: Path, out: Path, language: str) -> dict[str, object]:
    """One Pagefind run over `site` into `out`, every page in `language`; its pagefind-entry.json."""
    command = [str(_executable()), "--site", str(site), "--output-path", str(out)]
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK_SIZE)}
    done = subprocess.run([*command, "--force-language", language, "--silent"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"Pagefind failed on the shard {language}: {(done.stdout + done.stderr)[-2000:]}")
    return json.loads((out / ENTRY).read_text("utf-8"))  # type: ignore[no-any-return]


def respell(root: Path, paths: Sequence[str], tick: Tick) -> list[tuple[str, str, str]]:
    """Give each fragment (gzip: a signature, then JSON) its page's published words; its id, date and page."""
    out: list[tuple[str, str, str]] = []
    for name in paths:
        path = Path(name)
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        url = unquote(str(fragment["url"])).lstrip("/")
        page = root / url / "index.html" if not url or url.endswith("/") else root / url
        if page.is_file():
            content = respelled(str(fragment["content"]), page_words(page.read_text("utf-8")))
            if content != fragment["content"]:
                fragment["content"] = content
                body = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode()
                path.write_bytes(gzip.compress(FRAGMENT_SIGNATURE + body, 6, mtime=0))  # same bytes for the same page
        out.append((path.stem, str(fragment.get("meta", {}).get("date") or ""), page.relative_to(root).as_posix()))
        tick()
    return out


def index_shard(root: Path, shard: Shard, site: Path, out: Path, bundle: Path, version: str, workers: int) -> Made:
    """Index `shard` (its copies are in `site`) into `out`, respell its fragments, move its files into `bundle`."""
    entry = run_pagefind(site, out, shard.language)
    row = dict(entry["languages"][shard.language])  # type: ignore[index]
    row["hash"] = settle(out, str(row["hash"]), shard.language)
    fragments = [str(p) for p in sorted((out / "fragment").glob("*.pf_fragment"))]
    found = fork_map(partial(respell, root), fragments, workers, no_progress)
    digests = {page.path: page.digest[:DIGEST] for page in shard.pages}
    names = [f"pagefind.{row['hash']}.pf_meta"]
    names += [f"{kind}/{p.name}" for kind in ("index", "fragment", "filter") for p in sorted((out / kind).glob("*"))]
    for name in names:
        _move(out / name, bundle / name)
    wasm = out / f"wasm.{shard.language}.pagefind"
    if wasm.is_file() and not (bundle / f"wasm.{shard.wasm}.pagefind").exists():
        _move(wasm, bundle / f"wasm.{shard.wasm}.pagefind")
    for common in sorted(out.iterdir()):  # pagefind.js and the rest: the same bytes from every run of one Pagefind
        if common.is_file() and common.name != ENTRY and common != wasm and not (bundle / common.name).exists():
            _move(common, bundle / common.name)
    files = {name: (bundle / name).stat().st_size for name in names}
    return Made(
        shard.language,
        shard.digest(version),
        str(row["hash"]),
        shard.wasm if row.get("wasm") else None,
        int(row["page_count"]),
        files,
        _checksum(bundle, files),
        {page_id: (path, day, digests.get(path, "")) for share in found for page_id, day, path in share},
        tuple(entry.get("include_characters") or ()),  # type: ignore[arg-type]
    )


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()  # never write through a link to another build's file
    shutil.move(source, target)


def _checksum(folder: Path, files: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Previous:
    """What the bundle of the last build offers: its folder and its manifest (empty when it cannot be trusted)."""

    folder: Path | None
    shards: Mapping[str, Mapping[str, object]]
    common: Mapping[str, int]
    include_characters: tuple[str, ...]
    # its files as the last build left them (inode, size, time): a file that still has its stamp is not read
    # again for its shard's checksum
    stamps: Mapping[str, Stamp] = field(default_factory=dict)


NOTHING = Previous(None, {}, {}, ())


def read_previous(folder: Path | None, version: str, stamps: Path | None = None) -> Previous:
    """The previous bundle's manifest, or nothing when it is absent, unreadable or of another Pagefind or format;
    with the stamps `save_stamps` recorded of its files in `stamps`."""
    if folder is None:
        return NOTHING
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("pagefind") != version:
            return NOTHING
        shards, common = manifest["shards"], manifest["common"]
        if not isinstance(shards, dict) or not isinstance(common, dict):
            return NOTHING
        include = tuple(str(c) for c in manifest["include_characters"])
        return Previous(folder, shards, common, include, load_stamps(stamps))
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return NOTHING


def reuse(previous: Previous, shard: Shard, version: str, bundle: Path) -> Made | None:
    """`shard`'s files linked (or copied) from the previous bundle, when its pages are unchanged and its files
    there are whole; None otherwise."""
    old = previous.shards.get(shard.language)
    if not isinstance(old, dict) or old.get("digest") != shard.digest(version):
        return None
    return keep(previous, shard.language, bundle)


def keep(previous: Previous, language: str, bundle: Path) -> Made | None:
    """The shard `language` of the previous bundle linked as it is, when its files there are whole."""
    old = previous.shards.get(language)
    if previous.folder is None or not isinstance(old, dict):
        return None
    try:
        made = Made(
            language,
            str(old["digest"]),
            str(old["hash"]),
            None if old["wasm"] is None else str(old["wasm"]),
            int(old["page_count"]),
            {str(k): int(v) for k, v in old["files"].items()},
            str(old["checksum"]),
            {str(k): (str(path), str(day), str(digest)) for k, (path, day, digest) in old["pages"].items()},
            previous.include_characters,
        )
        there = _as_recorded(bundle, made.files, previous.stamps, os.stat(previous.folder).st_dev)
        rest = {name: size for name, size in made.files.items() if name not in there}
        now = _stamps(previous.folder, rest)
        if now is None:
            return None
        known = all(previous.stamps.get(name) == stamp for name, stamp in now.items())
        if not known and _checksum(previous.folder, made.files) != made.checksum:
            return None
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None
    _link_all(previous.folder, bundle, rest, now)
    return made


def _as_recorded(bundle: Path, files: Mapping[str, int], stamps: Mapping[str, Stamp], device: int) -> set[str]:
    """Those of `files` that `bundle` (an update's, started from the site before) already holds as the last build
    published them: the very file (its inode, on the published bundle's disk), of the size and time recorded.
    They need no look at the published bundle, nor a link."""
    base = os.fspath(bundle)
    found = set()
    for name, size in files.items():
        recorded = stamps.get(name)
        if recorded is None or recorded[1] != size or _outside(name):
            continue
        try:
            st = os.lstat(os.path.join(base, name))
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and st.st_dev == device and (st.st_ino, st.st_size, st.st_mtime_ns) == recorded:
            found.add(name)
    return found


@dataclass(frozen=True)
class Delta:
    """The pages changed or new since their shard was indexed (a delta shard per language) and the ids of the
    indexed pages they replace or that are gone (stale)."""

    shards: tuple[Shard, ...]
    stale: tuple[str, ...]


def is_delta(language: str) -> bool:
    return language.rpartition("-")[2] == DELTA


def plan_delta(previous: Previous, shards: Sequence[Shard], limit: int = DELTA_PAGES) -> Delta | None:
    """The delta that brings the previous bundle's shards up to `shards`; None when the shards themselves must
    change (one was split, a language or a span of years is new, more than `limit` pages changed)."""
    base = {k: v for k, v in previous.shards.items() if not is_delta(k)}
    if previous.folder is None or set(base) != {shard.language for shard in shards}:
        return None
    changed: list[IndexPage] = []
    stale: list[str] = []
    try:
        for shard in shards:
            rows = base[shard.language]["pages"].items()
            indexed = {str(row[0]): (str(page_id), str(row[2])) for page_id, row in rows}
            now = {page.path: page.digest[:DIGEST] for page in shard.pages}
            changed += [page for page in shard.pages if indexed.get(page.path, ("", ""))[1] != now[page.path]]
            stale += [page_id for path, (page_id, digest) in indexed.items() if now.get(path) != digest]
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    if max(len(changed), len(stale)) > limit:
        return None
    by_lang: dict[str, list[IndexPage]] = {}
    for page in changed:
        by_lang.setdefault(page.lang, []).append(page)
    delta = (Shard(lang, False, 0, SPACE, tuple(sorted(pages, key=_path)), True) for lang, pages in by_lang.items())
    return Delta(tuple(sorted(delta, key=lambda d: d.lang)), tuple(sorted(stale)))


def stale_filters(folder: Path, ids: Iterable[str]) -> dict[str, object]:
    """Each stale page's filter values (from its fragment in `folder`), so the search page can count without it."""
    out: dict[str, object] = {}
    for page_id in ids:
        with contextlib.suppress(OSError, ValueError):
            data = gzip.decompress((folder / "fragment" / f"{page_id}.pf_fragment").read_bytes())
            out[page_id] = json.loads(data.removeprefix(FRAGMENT_SIGNATURE)).get("filters", {})
    return out


def reuse_common(previous: Previous, bundle: Path) -> None:
    """Link Pagefind's own files (pagefind.js, the wasm of each language) that the bundle lacks from `previous`."""
    if previous.folder is None or not _whole(previous.folder, previous.common):
        return
    _link_all(previous.folder, bundle, [name for name in previous.common if not (bundle / name).exists()])


def _whole(folder: Path, files: Mapping[str, int]) -> bool:
    return _stamps(folder, files) is not None


def _outside(name: str) -> bool:
    """Whether a file name from a manifest would leave its folder (a manifest is not trusted)."""
    return os.path.isabs(name) or ".." in name.split("/")


def _stamps(folder: Path, files: Mapping[str, int]) -> dict[str, Stamp] | None:
    """Each of `files`' stamp, when every one is a regular file inside `folder` of the size given; else None."""
    out: dict[str, Stamp] = {}
    base = os.fspath(folder)
    for name, size in files.items():
        if _outside(name):
            return None
        try:
            st = os.lstat(os.path.join(base, name))
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size != size:
            return None
        out[name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def save_stamps(bundle: Path, path: Path) -> None:
    """Record the stamp of every file of `bundle` as published, for the next build's `read_previous`."""
    # A file that is the one recorded last time (its folder entry gives the inode, no stat) keeps its stamp: were
    # it changed in place since, its time now differs from that stamp and the next build sees it.
    before = load_stamps(path)
    rows = {}
    for name, entry in sorted(files_under(bundle)):
        recorded = before.get(name)
        if recorded is not None and entry.inode() == recorded[0] and not entry.is_symlink():
            rows[name] = list(recorded)
            continue
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(st.st_mode):
            rows[name] = [st.st_ino, st.st_size, st.st_mtime_ns]
    with contextlib.suppress(OSError):  # only the next run's time depends on it
        write_fresh(path, json.dumps(rows, separators=(",", ":")))


def load_stamps(path: Path | None) -> dict[str, Stamp]:
    try:
        rows = json.loads(path.read_text("utf-8")) if path is not None and path.is_file() else {}
        return {str(name): (int(a), int(b), int(c)) for name, (a, b, c) in rows.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _link_all(source: Path, target: Path, names: Iterable[str], stamps: Mapping[str, Stamp] | None = None) -> None:
    """Link each of `names` (relative, with /) under `source` to the same name under `target` (or copy it, where
    links cannot be made); what was at a target is replaced, never written through. With the sources' `stamps`,
    a target that is already the source's file (its inode: an update's bundle starts as the site it updates
    holds it) is left as it is."""
    made: set[str] = set()
    src, dst = os.fspath(source), os.fspath(target)
    device = os.stat(src).st_dev if stamps is not None else None
    for name in names:
        there = os.path.join(dst, name)
        if stamps is not None:
            with contextlib.suppress(OSError):
                st = os.lstat(there)
                if st.st_ino == stamps[name][0] and st.st_dev == device:
                    continue
        folder = os.path.dirname(there)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with contextlib.suppress(FileNotFoundError):
            try:
                os.unlink(there)
            except IsADirectoryError:  # a damaged bundle the update started from
                shutil.rmtree(there)
        try:
            os.link(os.path.join(src, name), there)
        except OSError:  # another filesystem, or links not allowed: a copy will do
            shutil.copyfile(os.path.join(src, name), there)


def clear_top(bundle: Path) -> None:
    """Remove the files at the top of `bundle` (Pagefind's script and wasm, the shards' metadata, the entry and
    the manifests): an update that starts from the bundle before keeps only the shards' files below it."""
    for entry in os.scandir(bundle):
        if not entry.is_dir(follow_symlinks=False):
            os.unlink(entry.path)


def prune(bundle: Path, made: Sequence[Made]) -> int:
    """Remove from the folders of `bundle` every file that is not one of `made`'s (the shards and deltas an
    earlier bundle held, its date tables: they are written anew); how many."""
    wanted = {name for m in made for name in m.files}
    removed = 0
    for name, entry in list(files_under(bundle)):
        if "/" in name and name not in wanted:
            os.unlink(entry.path)
            removed += 1
    return removed


def common_files(bundle: Path) -> dict[str, int]:
    """Pagefind's own files in `bundle` (top level, not a shard's): name -> size."""
    skip = {ENTRY, MANIFEST, STALE}
    return {
        p.name: p.stat().st_size
        for p in sorted(bundle.iterdir())
        if p.is_file() and p.name not in skip and not p.name.endswith(".pf_meta")
    }


def write_fresh(path: Path, text: str) -> None:
    """Write `path` as a new file: when it is a link to the previous bundle's, that one stays as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    path.write_text(text, "utf-8")


def entry_json(version: str, made: Sequence[Made], include_characters: Sequence[str]) -> str:
    """One pagefind-entry.json for every shard, as Pagefind writes it (compact, languages sorted)."""
    languages = {m.language: m.row() for m in sorted(made, key=lambda m: m.language)}
    body = {"version": version, "languages": languages, "include_characters": list(include_characters)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def manifest_json(
    version: str, made: Sequence[Made], common: Mapping[str, int], include: Sequence[str], stale: Sequence[str] = ()
) -> str:
    shards = {m.language: m.manifest() for m in sorted(made, key=lambda m: m.language)}
    body = {
        "format": FORMAT,
        "pagefind": version,
        "include_characters": list(include),
        "common": dict(sorted(common.items())),
        "shards": shards,
        "stale": sorted(stale),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def date_tables(fragments: Iterable[tuple[str, Mapping[str, object]]]) -> dict[str, str]:
    """Files for sorting by date: `years.json` (newest first) and per year the Pagefind page ids of each day.

    Pagefind could sort by date itself, but its sort list sits in the metadata file every search downloads
    (39 KB of 164 at 20,000 articles), and it sorts each shard on its own. These tables are fetched only when a
    reader sorts by date, newest year first and only as far as the page shown needs. They live in the bundle
    because they name Pagefind's ids.
    """
    days: dict[str, dict[str, list[str]]] = {}
    for page_id, fragment in fragments:
        date = str(fragment.get("meta", {}).get("date") or "")  # type: ignore[union-attr]
        if len(date) >= 4:
            days.setdefault(date[:4], {}).setdefault(date, []).append(page_id)
    tables = {"years.json": json.dumps(sorted(days, reverse=True))}
    for year, by_day in days.items():
        rows = [[day, " ".join(sorted(ids))] for day, ids in sorted(by_day.items(), reverse=True)]
        tables[f"{year}.json"] = json.dumps({"days": rows}, separators=(",", ":"))
    return tables
