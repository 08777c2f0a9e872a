"""Find the articles under the content folder and attach their sidecar (`meta.jsonl`) fields."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.diagnostics import Problem, display_path
from generator.model import Format, SourceFile

SIDECAR = "meta.jsonl"
FORMATS: dict[str, Format] = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
# A folder's own documentation (the corpus folders ship a README.md each) is not an article.
NOT_ARTICLES = ("readme", "license", "licence", "changelog", "contributing")


def discover(content: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every article file under `content`, sorted by relative path (so ids and output are deterministic)."""
    problems: list[Problem] = []
    if not content.is_dir():
        return [], [Problem(display_path(content), 0, "content folder does not exist")]
    found: list[SourceFile] = []
    shown_root = display_path(content)
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    for folder, dirs, files in os.walk(content):
        # Hidden folders hold editor and VCS state, never articles.
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        here = Path(folder)
        # Plain string joins: the preview runs this on every rebuild, and pathlib costs ~30 µs a file.
        under = os.path.relpath(folder, content).replace(os.sep, "/")
        under = "" if under == "." else under + "/"
        sidecar: dict[str, tuple[int, dict[str, Any]]] = {}
        if SIDECAR in files:
            sidecar, trouble = read_sidecar(here / SIDECAR)
            problems += trouble
        names = sorted(files)
        for name in names:
            fmt = FORMATS.get(Path(name).suffix.lower())
            if fmt is None or name.startswith((".", "~", "#")) or Path(name).stem.lower() in NOT_ARTICLES:
                continue
            line, fields = sidecar.pop(name, (0, {}))
            rel = under + name
            found.append(SourceFile(here / name, rel, prefix + rel, fmt, MappingProxyType(fields), line))
        for name, (line, _) in sorted(sidecar.items(), key=lambda kv: kv[1][0]):
            problems.append(Problem(display_path(here / SIDECAR), line, f"no article file named '{name}'", "warning"))
    found.sort(key=lambda s: s.rel)
    return found, problems


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
