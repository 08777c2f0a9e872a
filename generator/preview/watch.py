"""Watch the content, templates and config file; hand changes over in settled batches.

A `git checkout` or an editor's save is a burst of events; the batch is handed over once no event has come
for `settle` seconds (or `longest` seconds after its first event, so a steady stream still gets rebuilt).
Editors' temporary, swap and backup files never start a rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

SETTLE_S = 0.1
LONGEST_S = 2.0
# vim (.swp, .swx, 4913, ~), emacs (#x#, .#x), JetBrains (___jb_tmp___), Kate, LibreOffice (.~lock), partial
# downloads, OS litter.
IGNORED_SUFFIXES = (
    "~",
    ".swp",
    ".swo",
    ".swx",
    ".swpx",
    ".tmp",
    ".temp",
    ".part",
    ".crdownload",
    ".kate-swp",
    "___jb_tmp___",
    "___jb_old___",
    ".orig",
    ".rej",
)
IGNORED_PREFIXES = (".#", "#", ".~lock.", "~$")
IGNORED_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db", "desktop.ini"})
IGNORED_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__", ".idea", ".vscode"})


def ignored(path: str) -> bool:
    """Whether a change to `path` is an editor's or a tool's, not the author's."""
    p = Path(path)
    name = p.name
    return (
        name in IGNORED_NAMES
        or name.startswith(IGNORED_PREFIXES)
        or name.endswith(IGNORED_SUFFIXES)
        or any(part in IGNORED_FOLDERS for part in p.parts)
    )


class Batches:
    """Paths collected from watch threads, taken by one consumer a settled batch at a time."""

    def __init__(self, settle: float = SETTLE_S, longest: float = LONGEST_S) -> None:
        self.settle, self.longest = settle, longest
        self._cond = threading.Condition()
        self._paths: set[Path] = set()
        self._first = self._last = 0.0
        self._closed = False

    def add(self, path: Path) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._paths:
                self._first = now
            self._paths.add(path)
            self._last = now
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def take(self) -> set[Path] | None:
        """Block until a batch has settled; None once closed."""
        with self._cond:
            while not self._paths and not self._closed:
                self._cond.wait()
            while not self._closed:
                now = time.monotonic()
                quiet = now - self._last
                if quiet >= self.settle or now - self._first >= self.longest:
                    break
                self._cond.wait(min(self.settle - quiet, self.longest - (now - self._first)))
            if self._closed:
                return None
            batch, self._paths = self._paths, set()
            return batch

    def __iter__(self) -> Iterator[set[Path]]:
        while (batch := self.take()) is not None:
            yield batch


class _Handler(FileSystemEventHandler):
    def __init__(self, batches: Batches, only: frozenset[Path] | None) -> None:
        self.batches = batches
        self.only = only  # for a watched folder that holds more than we care about (the config file's)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if ignored(str(path)) or (self.only is not None and path not in self.only):
                continue
            self.batches.add(path)


class Watcher:
    """watchdog observers over `folders` (recursively) and `files`; changes go to `batches`."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path], batches: Batches) -> None:
        self.batches = batches
        self.observer = Observer()
        for folder in {f.resolve() for f in folders if f.is_dir()}:
            self.observer.schedule(_Handler(batches, None), str(folder), recursive=True)
        by_parent: dict[Path, set[Path]] = {}
        for file in files:
            by_parent.setdefault(file.resolve().parent, set()).add(file.resolve())
        for parent, wanted in by_parent.items():
            if parent.is_dir():
                self.observer.schedule(_Handler(batches, frozenset(wanted)), str(parent), recursive=False)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.batches.close()
        self.observer.stop()
        self.observer.join(timeout=5)
