"""fork_map: the forked path gives the same results as the serial one, reports progress, and raises errors."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from generator.parallel import MIN_PER_WORKER, Tick, fork_map


def squares(share: Sequence[int], tick: Tick) -> list[int]:
    out = []
    for n in share:
        out.append(n * n)
        tick()
    return out


def test_forked_results_equal_serial_and_progress_reaches_the_total() -> None:
    items = list(range(3 * MIN_PER_WORKER))
    seen: list[int] = []
    forked = fork_map(squares, items, 2, seen.append)
    assert len(forked) == 2  # really ran in two processes
    assert sorted(x for share in forked for x in share) == [n * n for n in items]
    assert seen[-1] == len(items) and seen == sorted(seen)
    assert fork_map(squares, items, 1, lambda n: None) == [[n * n for n in items]]


def test_an_error_in_a_worker_is_raised_in_the_parent() -> None:
    def boom(share: Sequence[int], tick: Tick) -> None:
        raise ValueError(f"bad share of {len(share)}")

    with pytest.raises(ValueError, match="bad share"):
        fork_map(boom, list(range(3 * MIN_PER_WORKER)), 2, lambda n: None)
