"""Find the articles under the content folder and attach their sidecar (`meta.jsonl`) fields."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.diagnostics import Problem, display_path
from generator.model import Format, SourceFile

SIDECAR = "meta.jsonl"
FORMATS: dict[str, Format] = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
# A folder's own documentation (the corpus folders ship a README.md each) is not an article.
NOT_ARTICLES = ("readme", "license", "licence", "changelog", "contributing")


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
    folders: dict[str, Folder] = {}
    for folder, dirs, files in os.walk(content):
        # Hidden folders hold editor and VCS state, never articles.
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        under = os.path.relpath(folder, content).replace(os.sep, "/")
        under = "" if under == "." else under + "/"
        stamp = _stamp(folder, SIDECAR in files)
        before = known.get(under)
        if before is not None and before.stamp == stamp:
            folders[under] = before
        else:
            folders[under] = Folder(stamp, *_read_folder(Path(folder), under, prefix, files))
    return folders


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
    here: Path, under: str, prefix: str, files: Sequence[str]
) -> tuple[tuple[SourceFile, ...], tuple[Problem, ...]]:
    problems: list[Problem] = []
    sidecar: dict[str, tuple[int, dict[str, Any]]] = {}
    if SIDECAR in files:
        sidecar, problems = read_sidecar(here / SIDECAR)
    found = []
    for name in sorted(files):
        stem, suffix = os.path.splitext(name)
        fmt = FORMATS.get(suffix.lower())
        if fmt is None or name.startswith((".", "~", "#")) or stem.lower() in NOT_ARTICLES:
            continue
        line, fields = sidecar.pop(name, (0, {}))
        rel = under + name
        found.append(SourceFile(here / name, rel, prefix + rel, fmt, MappingProxyType(fields), line))
    for name, (line, _) in sorted(sidecar.items(), key=lambda kv: kv[1][0]):
        problems.append(Problem(display_path(here / SIDECAR), line, f"no article file named '{name}'", "warning"))
    return tuple(found), tuple(problems)


def read_sidecar(path: Path) -> tuple[dict[str, tuple[int, dict[str, Any]]], list[Problem]]:
    """`file name -> (line, fields)` from one meta.jsonl; bad lines become problems."""
    rel = display_path(path)
    entries: dict[str, tuple[int, dict[str, Any]]] = {}
    problems: list[Problem] = []
    try:
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
