"""Where the per-file stages run: forked processes on this machine, or the workers of a Dask cluster.

Reading and drawing go through `Executor.map`: `work(share, tick)` over shares of the items, results in order.
Locally the shares are `parallel.fork_map`'s (forked workers inherit their inputs, nothing is pickled). With a
scheduler address (`arshif build --scheduler tcp://host:8786`, or `scheduler = "..."` in arshif.toml), the items
go in batches of `BATCH` to `distributed.Client.get_executor()` (it ignores `chunksize`, and a task costs about a
millisecond, so one task per file would cost more than the work); the work and its inputs travel by cloudpickle.

The cluster's workers read the content and write the new site themselves, so content, templates and the output's
folder must be on a filesystem every worker sees at the same path (NFS, a cluster filesystem). Dask is an
optional extra: `pip install 'arshif[dask]'`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from generator.parallel import Tick, default_workers, fork_map

T = TypeVar("T")
R = TypeVar("R")
BATCH = 200  # files per Dask task: ~1 ms of scheduling against ~0.5-5 ms of work per file


class ExecutorError(Exception):
    """The cluster asked for cannot be used (Dask missing, no scheduler at that address)."""


@dataclass(frozen=True)
class Executor:
    """The local process pool (`scheduler` None, `workers` processes; 0 = one per core) or a Dask cluster."""

    workers: int = 0
    scheduler: str | None = None

    def map(
        self, work: Callable[[Sequence[T], Tick], R], items: Sequence[T], progress: Callable[[int], None]
    ) -> list[R]:
        if self.scheduler is None:
            return fork_map(work, items, self.workers or default_workers(), progress)
        return _on_cluster(self.scheduler, work, items, progress)

    def rounds(
        self, work: Callable[[Sequence[T], Tick], R], items: Sequence[T], size: int, progress: Callable[[int], None]
    ) -> list[R]:
        """`map` over `items` in rounds of `size`. Locally each round's workers are forked afresh and end with it,
        so what they copy of this process's memory (CPython writes a reference count into every object a worker
        reads) and what comes back from them is bounded by a round, not by the archive."""
        out: list[R] = []
        for start in range(0, len(items), size):
            out += self.map(work, items[start : start + size], lambda n, start=start: progress(start + n))
        return out


def _on_cluster(
    address: str, work: Callable[[Sequence[T], Tick], R], items: Sequence[T], progress: Callable[[int], None]
) -> list[R]:
    try:
        from distributed import Client
    except ImportError:
        raise ExecutorError(f"--scheduler {address}: Dask is not installed (pip install 'arshif[dask]')") from None
    if not items:
        return []
    try:
        client = Client(address, timeout=10, set_as_default=False)
    except OSError as e:
        raise ExecutorError(f"--scheduler {address}: cannot reach the Dask scheduler ({e})") from None
    with client, client.get_executor() as pool:
        batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
        futures = [pool.submit(_batch, work, batch) for batch in batches]
        results, done = [], 0
        for future, batch in zip(futures, batches, strict=True):
            results.append(future.result())
            done += len(batch)
            progress(done)
    return results


def _batch(work: Callable[[Sequence[Any], Tick], R], batch: Sequence[Any]) -> R:
    return work(batch, _no_tick)


def _no_tick() -> None:
    return None
