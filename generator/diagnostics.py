"""Problems found while building: collected per file, printed compiler-style, never raised past a file."""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"
    detail: str = field(default="", compare=False)  # an internal error's traceback, for a bug report

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tag = "" if self.severity == "error" else "warning: "
        return f"{where}: {tag}{self.message}"


def internal_problem(path: str, stage: str, error: BaseException) -> Problem:
    """A bug (ours or a library's) met on one file, as a problem naming the file; the traceback is kept aside."""
    said = " ".join(str(error).split())[:160]
    return Problem(
        path,
        0,
        f"internal error while {stage} this file ({type(error).__name__}{': ' + said if said else ''}); skipped",
        detail="".join(traceback.format_exception(error)),
    )


def save_details(problems: Iterable[Problem], folder: str | None = None) -> str | None:
    """Write the tracebacks of internal errors to a log for a bug report; return its path (None when none)."""
    details = [f"{p}\n{p.detail}" for p in sorted(problems) if p.detail]
    if not details:
        return None
    handle, path = tempfile.mkstemp(prefix="arshif-internal-errors-", suffix=".log", dir=folder, text=True)
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write("\n".join(details))
    return path


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems))


def display_path(path: os.PathLike[str] | str) -> str:
    """How messages name a file: relative to the working folder when inside it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative
