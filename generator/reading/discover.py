"""Find the articles under the content folder and attach their sidecar (`meta.jsonl`) fields."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.diagnostics import Problem, Severity, display_path
from generator.model import Format, SourceFile

SIDECAR = "meta.jsonl"
FORMATS: dict[str, Format] = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
# A folder's own documentation (the corpus folders ship a README.md each) is not an article.
NOT_ARTICLES = ("readme", "license", "licence", "changelog", "contributing")
MAX_DEPTH = 20
ORPHANS = 10  # sidecar entries without a file that are named one by one
UNREADABLE = "\0unreadable"  # a key no folder can have: the folders that could not be listed


@dataclass(frozen=True)
class Folder:
    """One folder's articles and sidecar problems, with what says whether they may have changed."""

    stamp: tuple[int, ...]  # the folder's mtime (entries added, removed, renamed) and its sidecar's mtime, size
    sources: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]


def discover(content: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every article file under `content`, sorted by relative path (so ids and output are deterministic)."""
    if not content.is_dir():
        return [], [Problem(display_path(content), 0, "content folder does not exist")]
    return flatten(discover_folders(content, {}))


def discover_folders(content: Path, known: Mapping[str, Folder]) -> dict[str, Folder]:
    """`discover`, folder by folder; a folder whose stamp matches `known` is taken from there unread.

    The preview runs this on every rebuild: file names are handled as strings, since pathlib costs ~30 µs a
    file, and unchanged folders cost one stat.
    """
    shown_root = display_path(content)
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    root = os.path.realpath(content)
    seen: set[str] = set()
    folders: dict[str, Folder] = {}
    unreadable: list[Problem] = []

    def cannot_list(e: OSError) -> None:
        unreadable.append(Problem(display_path(e.filename or content), 0, f"cannot read folder: {e.strerror or e}"))

    for folder, dirs, files in os.walk(content, onerror=cannot_list, followlinks=True):
        seen.add(os.path.realpath(folder))
        # Hidden folders hold editor and VCS state, never articles.
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in [d for d in dirs if not _utf8(d)]:
            dirs.remove(name)
            unreadable.append(_badly_named(folder, name, "folder"))
        under = os.path.relpath(folder, content).replace(os.sep, "/")
        under = "" if under == "." else under + "/"
        links = _links_not_followed(folder, dirs, root, seen)
        dirs[:] = [d for d in dirs if d not in links]
        stamp = _stamp(folder, SIDECAR in files)
        before = known.get(under)
        if before is not None and before.stamp == stamp:
            folders[under] = before
        else:
            sources, problems = _read_folder(Path(folder), under, prefix, files, root)
            shown = [Problem(prefix + under + name, 0, why, level) for name, (level, why) in sorted(links.items())]
            folders[under] = Folder(stamp, sources, problems + tuple(shown))
    if unreadable:
        folders[UNREADABLE] = Folder((), (), tuple(unreadable))  # never matches a stamp: looked at every time
    return folders


def _links_not_followed(folder: str, dirs: Sequence[str], root: str, seen: set[str]) -> dict[str, tuple[Severity, str]]:
    """Symlinked folders among `dirs` that must not be walked, with why: a link is followed only to a folder
    inside the content folder that the walk would not reach anyway (never outside, never round in a loop)."""
    refused: dict[str, tuple[Severity, str]] = {}
    for name in dirs:
        path = os.path.join(folder, name)
        if not os.path.islink(path):
            continue
        target = os.path.realpath(path)
        inside = os.path.relpath(target, root)
        if not inside_folder(target, root):
            refused[name] = ("error", "is a symbolic link to a folder outside the content folder; not followed")
        elif target in seen or inside == ".":
            refused[name] = ("warning", "is a symbolic link to a folder already read (a loop); not followed")
        elif not any(part.startswith((".", "_")) for part in inside.split(os.sep)):
            refused[name] = (
                "warning",
                f"is a symbolic link to {inside.replace(os.sep, '/')}/, read there; not followed",
            )
        else:
            seen.add(target)
    return refused


def flatten(folders: Mapping[str, Folder]) -> tuple[list[SourceFile], list[Problem]]:
    found = sorted((src for f in folders.values() for src in f.sources), key=lambda s: s.rel)
    return found, [p for f in folders.values() for p in f.problems]


def _stamp(folder: str, has_sidecar: bool) -> tuple[int, ...]:
    st = os.stat(folder)
    if not has_sidecar:
        return (st.st_mtime_ns,)
    side = os.stat(os.path.join(folder, SIDECAR))
    return (st.st_mtime_ns, side.st_mtime_ns, side.st_size)


def _read_folder(
    here: Path, under: str, prefix: str, files: Sequence[str], root: str
) -> tuple[tuple[SourceFile, ...], tuple[Problem, ...]]:
    problems: list[Problem] = []
    sidecar: dict[str, tuple[int, dict[str, Any]]] = {}
    folder = os.fspath(here)  # names are joined as strings: pathlib costs ~10 µs a file
    if SIDECAR in files and not inside_folder(os.path.realpath(here / SIDECAR), root):
        problems.append(Problem(prefix + under + SIDECAR, 0, "is a symbolic link outside the content folder; skipped"))
    elif SIDECAR in files:
        sidecar, problems = read_sidecar(here / SIDECAR)
    found = []
    links = _symlinks(folder)
    for name in sorted(files):
        stem, suffix = os.path.splitext(name)
        fmt = FORMATS.get(suffix.lower())
        if fmt is None or name.startswith((".", "~", "#")) or stem.lower() in NOT_ARTICLES:
            continue
        if not _utf8(name):
            problems.append(_badly_named(str(here), name, "file"))
            continue
        line, fields = sidecar.pop(name, (0, {}))
        rel, full = under + name, os.path.join(folder, name)
        if (name in links if links is not None else os.path.islink(full)) and not inside_folder(
            os.path.realpath(full), root
        ):
            # A contributor's `ln -s /etc/passwd x.txt` must not publish the machine's files.
            problems.append(
                Problem(prefix + rel, 0, "is a symbolic link to a file outside the content folder; skipped")
            )
            continue
        found.append(SourceFile(full, rel, prefix + rel, fmt, MappingProxyType(fields), line))
    orphans = sorted((line, name) for name, (line, _) in sidecar.items())
    shown = prefix + under + SIDECAR
    problems += [Problem(shown, line, f"no article file named '{name}'", "warning") for line, name in orphans[:ORPHANS]]
    if len(orphans) > ORPHANS:
        # A sidecar of a whole crawl beside a few of its files: one line says it, not a hundred thousand.
        first, last = orphans[ORPHANS][0], orphans[-1][0]
        more = f"and {len(orphans) - ORPHANS:,} more entries name no article file (lines {first}-{last})"
        problems.append(Problem(shown, first, more, "warning"))
    return tuple(found), tuple(problems)


def _symlinks(folder: str) -> set[str] | None:
    """The names in `folder` that are symbolic links, from one listing (the entry's type, no stat of each file);
    None when it cannot be listed again."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except OSError:
        return None


def _utf8(name: str) -> bool:
    """Whether a name from the disk is text: bytes that are not UTF-8 arrive as lone surrogates."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _badly_named(folder: str, name: str, kind: str) -> Problem:
    shown = os.fsencode(os.path.join(folder, name)).decode("utf-8", "replace")
    return Problem(display_path(shown), 0, f"the {kind} name is not UTF-8 text; rename it (skipped)")


def inside_folder(path: str, root: str) -> bool:
    """Whether the resolved `path` is `root` or under it (both resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_sidecar(path: Path) -> tuple[dict[str, tuple[int, dict[str, Any]]], list[Problem]]:
    """`file name -> (line, fields)` from one meta.jsonl; bad lines become problems."""
    rel = display_path(path)
    entries: dict[str, tuple[int, dict[str, Any]]] = {}
    problems: list[Problem] = []
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return {}, [Problem(rel, 0, "not a regular file; not read")]  # a FIFO would block the build
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return {}, [Problem(rel, 0, f"cannot read sidecar: {e}")]
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(Problem(rel, number, f"not a JSON object: {e.msg} (column {e.colno})"))
            continue
        except ValueError as e:  # a number of 5,000 digits: Python refuses to read it (int max_str_digits)
            problems.append(Problem(rel, number, f"cannot be read: {e}"))
            continue
        except RecursionError:
            record = None
        if record is None or nested(record, MAX_DEPTH):
            # Deep values would exhaust the recursion of whatever copies them later (pickling to the workers).
            problems.append(Problem(rel, number, f"entry nests deeper than {MAX_DEPTH} levels; ignored"))
            continue
        name = record.get("file") if isinstance(record, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(Problem(rel, number, 'entry has no "file" key naming an article'))
            continue
        if name in entries:
            first = entries[name][0]
            problems.append(Problem(rel, number, f"'{name}' already described on line {first}; ignored"))
            continue
        entries[name] = (number, record)
    return entries, problems


def nested(value: Any, limit: int) -> bool:
    """Whether lists and objects in `value` nest more than `limit` levels deep (iterative: any depth is safe)."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            v
            for item in level
            for v in (item.values() if isinstance(item, dict) else item)
            if isinstance(v, dict | list)
        ]
    return False
