"""The preview's loop: watch the files, rebuild, tell the served pages, refresh the search index.

Threads live here and only here: the watcher's, the rebuild loop, and the search indexer; `Preview` does the
rebuilding and `Live` talks to the pages.
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from generator.config import Config, ConfigError
from generator.diagnostics import Problem
from generator.preview import Preview, Update
from generator.search import BUNDLE, index_site
from generator.serve import Live
from generator.watch import Batches, Watcher

INDEX_DELAY_S = 1.0


class Indexer:
    """Refreshes the search index in a thread of its own, so a page reload never waits for Pagefind.

    Requests that arrive while it runs are folded into one more run; the new bundle replaces the old by
    renaming, so the search page never sees half of one. `done(seconds)` is called after each run.
    """

    def __init__(self, root: Path, done: Callable[[float], None]) -> None:
        self.root = root
        self.done = done
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="arshif-index", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        self._stop.set()
        self._wanted.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        # Pagefind may take both cores for a minute at 20,000 pages; the next save must not wait on it. A
        # Linux thread's niceness passes to the threads and processes it starts (Pagefind's service).
        with suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        while self._wanted.wait() and not self._stop.is_set():
            # Let the browser reload first (Pagefind takes both cores a while), and fold quick edits into one run.
            while self._wanted.is_set() and not self._stop.is_set():
                self._wanted.clear()
                self._stop.wait(INDEX_DELAY_S)
            if self._stop.is_set():
                return
            fresh, live = self.root / ".pagefind-next", self.root / BUNDLE
            shutil.rmtree(fresh, ignore_errors=True)
            try:
                seconds = index_site(self.root, fresh).seconds
            except Exception:  # a failed index must not stop the preview; the old one stays
                shutil.rmtree(fresh, ignore_errors=True)
                continue
            old = self.root / ".pagefind-old"
            shutil.rmtree(old, ignore_errors=True)
            if live.exists():
                os.rename(live, old)
            os.rename(fresh, live)
            shutil.rmtree(old, ignore_errors=True)
            self.done(seconds)


class PreviewSession:
    """The preview's loop: watch the files, rebuild, tell the served pages, refresh the search index."""

    def __init__(
        self,
        config: Config,
        reload: Callable[[], Config],
        config_file: Path,
        live: Live,
        say: Callable[[str], None],
    ) -> None:
        self.config = config
        self.reload = reload
        self.config_file = config_file
        self.live = live
        self.say = say
        self.preview = Preview(config)
        self.batches = Batches()
        self.watcher: Watcher | None = None
        self.watching: tuple[Path, ...] = ()
        self.indexer: Indexer | None = None
        self.thread = threading.Thread(target=self._loop, name="arshif-rebuild", daemon=True)
        self.shown: set[Problem] = set()

    def start(self) -> None:
        """The first, whole build; then watching. The server may serve as soon as this returns."""
        update = self.preview.rebuild()
        self._report(update, first=True)
        # The archive now lives as long as the server: keep the collector from walking it after every rebuild.
        gc.collect()
        gc.freeze()
        if self.config.search:
            self.indexer = Indexer(self.config.output, self._indexed)
            self.indexer.request()
        self._watch()
        self.thread.start()

    def stop(self) -> None:
        self.batches.close()
        if self.watcher is not None:
            self.watcher.stop()
        if self.indexer is not None:
            self.indexer.stop()

    def _indexed(self, seconds: float) -> None:
        self.say(f"search index refreshed in {seconds:.1f} s")
        self.live.publish(frozenset({"/search/"}))

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
                self.live.publish(frozenset(), [str(e)])
            except Exception as e:  # a bug must not end the preview: show it, keep serving the last good pages
                self.say("".join(traceback.format_exception(e)).rstrip())
                self.live.publish(frozenset(), [f"internal error while rebuilding: {e!r}"])

    def _restart(self) -> None:
        """The config changed: start over with it (folders, base URL, language may all differ)."""
        config = self.reload()
        for child in self.config.output.iterdir():
            if child.name != BUNDLE:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        self.config, self.preview, self.shown = config, Preview(config), set()
        update = self.preview.rebuild()
        self._watch()
        self._report(update, first=True)
        if self.indexer is not None:
            self.indexer.request()

    def _report(self, update: Update, first: bool = False) -> None:
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
        self.live.publish(update.changed, update.problems)
        if update.reindex and self.indexer is not None:
            self.indexer.request()
