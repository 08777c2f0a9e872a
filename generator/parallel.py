"""Spread CPU-bound work over the machine's cores with forked processes (inputs are inherited, not pickled)."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
Tick = Callable[[], None]
MIN_PER_WORKER = 200  # below this, starting processes costs more than it saves
TICK_EVERY = 50
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
COLLECT_EVERY = 20_000  # allocations between two passes of the cycle collector in a build (Python's: 700)


def die_with(parent: int) -> None:
    """In a forked worker: die when `parent` does, so a killed build leaves no worker blocked on a pipe forever.

    Linux kills us (PR_SET_PDEATHSIG) the moment the parent dies; if it died before that was set, our parent is
    already someone else and we leave at once. Elsewhere a watcher thread checks the parent every half second.
    """
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no libc to be found: the watcher below does it
            armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def give_back_memory() -> None:
    """Collect what is unreachable and hand the C heap's free pages back to the system (glibc), so that the
    processes that come next (Pagefind's runs) find the memory this one no longer needs."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc: what Python freed stays with it
            ctypes.CDLL(None).malloc_trim(0)


@contextlib.contextmanager
def few_collections(every: int = COLLECT_EVERY) -> Iterator[None]:
    """The cycle collector run every `every` allocations instead of Python's 700, until the block ends.

    A build's objects mostly live until it ends (the restored archive, its indexes, the pages' views), and each
    pass of the collector walks what it holds for nothing: at 20,000 articles an update spent 0.6 s of its 4 s
    there. Garbage without cycles is freed at once either way; cycles are still collected, only later."""
    old = gc.get_threshold()
    gc.set_threshold(every, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def no_progress(done: int) -> None:
    return None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(
    work: Callable[[Sequence[T], Tick], R],
    items: Sequence[T],
    workers: int,
    progress: Callable[[int], None],
) -> list[R]:
    """`work(share, tick)` over `workers` interleaved shares of `items`; results in share order.

    `tick()` is called once per item done, and `progress(done)` reports the running total in this process.
    An exception in a worker is raised here.
    """
    workers = min(workers, len(items) // MIN_PER_WORKER)
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            progress(done)

        return [work(items, tick)]
    ctx = mp.get_context("fork")
    queue = ctx.SimpleQueue()
    parent = os.getpid()

    def run(index: int) -> None:
        die_with(parent)
        pending = 0

        def tick() -> None:
            nonlocal pending
            pending += 1
            if pending == TICK_EVERY:
                queue.put(("tick", index, pending))
                pending = 0

        try:
            result = work(items[index::workers], tick)
        except BaseException as e:
            queue.put(("error", index, e))
        else:
            queue.put(("tick", index, pending))
            queue.put(("done", index, result))

    processes = [ctx.Process(target=run, args=(i,), daemon=True) for i in range(workers)]
    # The workers share the parent's memory until they write to it, and a collection in a worker writes to the
    # header of every object it walks: frozen objects are not walked, so the parent's heap stays shared.
    gc.freeze()
    try:
        for p in processes:
            p.start()
    finally:
        gc.unfreeze()
    results: dict[int, R] = {}
    done = 0
    try:
        while len(results) < workers:
            kind, index, payload = queue.get()
            if kind == "tick":
                done += payload
                progress(done)
            elif kind == "error":
                raise payload
            else:
                results[index] = payload
    finally:
        for p in processes:
            if p.is_alive() and len(results) < workers:
                p.terminate()
            p.join()
    return [results[i] for i in range(workers)]
