"""Where the benchmarks keep their numbers: one JSON line per run, appended to benchmarks/results/<name>.jsonl."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path


def append(name: str, result: Mapping[str, object]) -> None:
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    with (folder / f"{name}.jsonl").open("a") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
