"""The cluster seam: a build whose reading and drawing run on Dask workers publishes what a local build does."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.config import Config
from generator.executor import Executor, ExecutorError

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 3, 8)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_the_dask_build_equals_the_local_one(tmp_path: Path, cluster) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(ROOT / "content", tmp_path / "content")
    local = Config(content=tmp_path / "content", output=tmp_path / "local", search=False)
    on_dask = Config(
        content=tmp_path / "content", output=tmp_path / "dask", search=False, scheduler=cluster.scheduler_address
    )
    mine = build(local, today=TODAY)
    theirs = build(on_dask, today=TODAY)
    assert theirs.articles == mine.articles > 20
    assert files(on_dask.output) == files(local.output)
    assert sorted(map(str, theirs.problems)) == sorted(map(str, mine.problems))
    # the workers did the work: each holds results of tasks it ran
    with distributed.Client(cluster.scheduler_address) as client:
        assert sum(len(log) for log in client.run(lambda dask_worker: list(dask_worker.state.log)).values()) > 0


def test_batches_come_back_in_order(cluster) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    items = list(range(1000))
    shares = Executor(scheduler=cluster.scheduler_address).map(
        lambda share, tick: [i * 2 for i in share], items, seen.append
    )
    assert [x for share in shares for x in share] == [i * 2 for i in items]
    assert seen[-1] == len(items)


def test_no_scheduler_at_the_address_is_one_clear_error() -> None:
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        Executor(scheduler="tcp://127.0.0.1:1").map(lambda share, tick: list(share), [1, 2, 3], lambda n: None)
