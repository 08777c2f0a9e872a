"""The preview's loop: watch the files, rebuild, tell the served pages, refresh the search index.

Threads live here and only here: the watcher's, the rebuild loop, and the search indexer; `Engine` does the
rebuilding and `Live` talks to the pages. So does the preview's private folder (`PreviewFolder`), and the
sweeping of folders that previews killed without a chance to clean up left behind.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import generator
from generator.config import Config, ConfigError
from generator.diagnostics import Problem
from generator.engine import Engine, Fault, Update
from generator.preview.serve import Live
from generator.preview.watch import Batches, Watcher
from generator.search.pagefind import BUNDLE

INDEX_DELAY_S = 1.0
PREFIX = "arshif-preview-"
OWNER = "owner"  # in a preview folder: "<pid> <start time>" of the process it belongs to
MARK = "arshif-index-seconds"  # the indexer's last word; anything else it printed is Pagefind's
# The indexer's own process: it ends itself and Pagefind (its process group) once its stdin closes, so that
# even a preview killed with -9 leaves no indexer running into a folder that is about to be swept.
INDEX_CHILD = f"""\
import os, signal, sys, threading
from pathlib import Path

def orphaned():
    while os.read(0, 4096):  # the raw descriptor: a buffered read would hold a lock the exit needs
        pass
    os.killpg(0, signal.SIGKILL)

threading.Thread(target=orphaned, daemon=True).start()
from generator.search.pagefind import index_site
print({MARK!r}, index_site(Path(sys.argv[1]), Path(sys.argv[2])).seconds, flush=True)
"""


class IndexFailed(Exception):
    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class Indexer:
    """Refreshes the search index in a process of its own, so a page reload never waits for Pagefind.

    Requests that arrive while it runs are folded into one more run; the new bundle replaces the old by
    renaming, so the search page never sees half of one. `done(seconds)` is called after each run, and
    `failed(message, details)` after a run that failed (the old index stays; the next request runs again).
    Being a process, a run is ended at once by `stop`: Ctrl-C never waits for Pagefind. Its temporary files go
    to `scratch` (inside the preview folder, so they go with it).
    """

    def __init__(
        self,
        root: Path,
        done: Callable[[float], None],
        failed: Callable[[str, str], None],
        scratch: Path | None = None,
    ) -> None:
        self.root = root
        self.done = done
        self.failed = failed
        self.scratch = scratch
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._run, name="arshif-index", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
            self._wanted.set()
            if self._child is not None:
                with suppress(OSError):
                    os.killpg(self._child.pid, signal.SIGKILL)  # it and Pagefind; the bundle was half written
        self._thread.join(timeout=5)

    def _run(self) -> None:
        # Pagefind may take both cores for a minute at 20,000 pages; the next save must not wait on it. A
        # Linux thread's niceness passes to the processes it starts (ours, and Pagefind's service).
        with suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        while self._wanted.wait() and not self._stop.is_set():
            # Let the browser reload first (Pagefind takes both cores a while), and fold quick edits into one run.
            while self._wanted.is_set() and not self._stop.is_set():
                self._wanted.clear()
                self._stop.wait(INDEX_DELAY_S)
            if self._stop.is_set():
                return
            try:
                seconds = self._index()
            except Exception as e:  # a failed index must not stop the preview nor later runs; the old one stays
                if not self._stop.is_set():
                    self.failed(str(e) or type(e).__name__, getattr(e, "output", "") or Fault.of(e).trace)
                continue
            if seconds is not None:
                self.done(seconds)

    def _index(self) -> float | None:
        """One run into a fresh bundle, swapped in; None when stopped meanwhile."""
        fresh, live, old = self.root / ".pagefind-next", self.root / BUNDLE, self.root / ".pagefind-old"
        shutil.rmtree(fresh, ignore_errors=True)
        env = dict(os.environ)
        # The child imports this very copy of the package, from wherever the preview was started.
        env["PYTHONPATH"] = os.pathsep.join([str(Path(generator.__file__).parents[1]), env.get("PYTHONPATH", "")])
        if self.scratch is not None:
            self.scratch.mkdir(parents=True, exist_ok=True)
            env["TMPDIR"] = str(self.scratch)
        command = [sys.executable, "-c", INDEX_CHILD, str(self.root), str(fresh)]
        with self._lock:
            if self._stop.is_set():
                return None
            self._child = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # Ctrl-C reaches us, not it; `stop` ends it and Pagefind together
            )
        try:
            assert self._child.stdout is not None
            output = self._child.stdout.read().decode("utf-8", "replace")
            code = self._child.wait()
        finally:
            with self._lock:
                if self._child.stdin is not None:
                    self._child.stdin.close()
                self._child = None
        if self._stop.is_set():
            return None
        lines = output.strip().splitlines()
        said = [line.split()[1] for line in lines if line.startswith(MARK + " ")]
        if code != 0 or not said:
            shutil.rmtree(fresh, ignore_errors=True)
            raise IndexFailed(lines[-1] if lines else f"the indexer exited with {code}", output)
        shutil.rmtree(old, ignore_errors=True)
        if live.exists():
            os.rename(live, old)
        os.rename(fresh, live)
        shutil.rmtree(old, ignore_errors=True)
        return float(said[-1])


class PreviewFolder:
    """The preview's private folder in the temporary folder: `site/` is what is served, `tmp/` the indexer's
    scratch, `errors.log` the tracebacks of internal errors, and `owner` says which process it belongs to, so
    that a later preview can tell the leftovers of a killed one from the folder of one that is running."""

    def __init__(self, parent: Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        (self.path / OWNER).write_text(_owner(os.getpid()), "utf-8")
        self.site, self.scratch, self.log = self.path / "site", self.path / "tmp", self.path / "errors.log"
        self.site.mkdir()
        self.scratch.mkdir()

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def sweep(parent: Path | None = None) -> list[Path]:
    """Remove the preview folders (ours, in `parent`, the temporary folder) whose process is gone.

    A folder without an owner file is left alone: it may be a preview starting this very moment."""
    removed = []
    for folder in _candidates(Path(parent or tempfile.gettempdir())):
        try:
            pid, started = (folder / OWNER).read_text("utf-8").split()
        except (OSError, ValueError):
            continue
        if not _alive(int(pid), started):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _candidates(parent: Path) -> Iterator[Path]:
    with suppress(OSError):
        for entry in os.scandir(parent):
            with suppress(OSError):
                mine = entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid()
                if entry.name.startswith(PREFIX) and mine:
                    yield Path(entry.path)


def _owner(pid: int) -> str:
    return f"{pid} {_started(pid) or '-'}\n"


def _started(pid: int) -> str:
    """When the process started (Linux: clock ticks after boot), so a reused pid is not taken for the owner."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("utf-8")
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]  # field 22; the name before ")" may hold spaces


def _alive(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive, and so not ours to judge
    now = _started(pid)
    return started == "-" or not now or now == started


class PreviewSession:
    """The preview's loop: watch the files, rebuild, tell the served pages, refresh the search index.

    Internal errors (a bug, a template that raises) are shown as problems; each distinct one is also printed
    once with a compact traceback, and every traceback is appended to `log` when there is one."""

    def __init__(
        self,
        config: Config,
        reload: Callable[[], Config],
        config_file: Path,
        live: Live,
        say: Callable[[str], None],
        log: Path | None = None,
        scratch: Path | None = None,
    ) -> None:
        self.config = config
        self.reload = reload
        self.config_file = config_file
        self.live = live
        self.say = say
        self.log = log
        self.scratch = scratch
        self.preview = Engine(config)
        self.batches = Batches()
        self.watcher: Watcher | None = None
        self.watching: tuple[Path, ...] = ()
        self.indexer: Indexer | None = None
        self.thread = threading.Thread(target=self._loop, name="arshif-rebuild", daemon=True)
        self.shown: set[Problem] = set()
        # What the overlay lists: the last rebuild's problems and the search index's; both threads publish.
        self._lock = threading.Lock()
        self._problems: tuple[object, ...] = ()
        self._index_problems: tuple[Problem, ...] = ()
        self._told: set[str] = set()

    def start(self) -> None:
        """The first, whole build; then watching. The server may serve as soon as this returns."""
        update = self.preview.rebuild()
        self._report(update, first=True)
        # The archive now lives as long as the server: keep the collector from walking it after every rebuild.
        gc.collect()
        gc.freeze()
        if self.config.search:
            self.indexer = Indexer(self.config.output, self._indexed, self._index_failed, self.scratch)
            self.indexer.request()
        self._watch()
        self.thread.start()

    def stop(self) -> None:
        self.batches.close()
        if self.watcher is not None:
            self.watcher.stop()
        if self.indexer is not None:
            self.indexer.stop()
        if self.thread.is_alive():
            self.thread.join(timeout=5)  # let a rebuild that is writing finish before the folder goes

    def _publish(self, changed: frozenset[str], problems: tuple[object, ...] | None = None) -> None:
        with self._lock:
            self._problems = self._problems if problems is None else problems
            self.live.publish(changed, [*self._problems, *self._index_problems])

    def _indexed(self, seconds: float) -> None:
        self.say(f"search index refreshed in {seconds:.1f} s")
        with self._lock:
            self._index_problems = ()
        self._publish(frozenset({"/search/"}))

    def _index_failed(self, message: str, details: str) -> None:
        self.say(f"arshif: search index failed: {message} (the previous index stays)")
        self._write_log(f"search index failed: {message}\n{details}")
        with self._lock:
            self._index_problems = (Problem("search index", 0, f"Pagefind failed: {message}"),)
        self._publish(frozenset())

    def _fault(self, fault: Fault) -> None:
        """An internal error: its traceback to the log; the first of its kind, compactly, to the terminal."""
        self._write_log(fault.trace)
        if fault.where not in self._told:
            self._told.add(fault.where)
            where = f"; every traceback is in {self.log}" if self.log else ""
            self.say(f"arshif: internal error ({fault.where}), please report it{where}:\n{fault.compact}")

    def _write_log(self, text: str) -> None:
        if self.log is not None:
            with suppress(OSError), self.log.open("a", encoding="utf-8") as out:
                out.write(text.rstrip() + "\n\n")

    def _watch(self) -> None:
        """Watch the config's folders; a new watcher starts before the old one stops, so no save falls between."""
        folders = (self.config.content.resolve(), self.config.templates.resolve())
        if self.watcher is not None and self.watching == folders:
            return
        old, self.watching = self.watcher, folders
        self.watcher = Watcher(folders, [self.config_file], self.batches)
        self.watcher.start()
        if old is not None:
            old.observer.stop()

    def _loop(self) -> None:
        for batch in self.batches:
            try:
                if self.config_file in batch:
                    self._restart()
                else:
                    self._report(self.preview.rebuild(batch))
            except ConfigError as e:
                self.say(f"arshif: {e}")
                self._publish(frozenset(), (str(e),))
            except Exception as e:  # a bug must not end the preview: show it, keep serving the last good pages
                fault = Fault.of(e)
                self._fault(fault)
                message = f"internal error while rebuilding: {type(e).__name__}: {e}"
                self.say(f"arshif: {message}")
                self._publish(frozenset(), (f"{message} ({fault.where})",))

    def _restart(self) -> None:
        """The config changed: start over with it (folders, base URL, language may all differ)."""
        config = self.reload()
        for child in self.config.output.iterdir():
            if child.name != BUNDLE:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        self.config, self.preview, self.shown = config, Engine(config), set()
        update = self.preview.rebuild()
        self._watch()
        self._report(update, first=True)
        if self.indexer is not None:
            self.indexer.request()

    def _report(self, update: Update, first: bool = False) -> None:
        for fault in update.faults:
            self._fault(fault)
        for problem in sorted(set(update.problems) - self.shown):
            self.say(str(problem))
        self.shown = set(update.problems)
        ms = update.seconds * 1000
        n = len(update.problems)
        fixed = f"{n} problem{'s' if n != 1 else ''}" if n else "no problems"
        if first:
            self.say(f"{update.articles} articles, {len(update.changed)} files, {fixed} in {ms:.0f} ms")
        else:
            self.say(f"rebuilt in {ms:.0f} ms: {len(update.changed)} files changed, {fixed}")
        self._publish(update.changed, update.problems)
        if update.reindex and self.indexer is not None:
            self.indexer.request()
