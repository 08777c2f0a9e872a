#!/usr/bin/env python3
"""Time `arshif build` on the shared corpus or on N generated articles; report articles/s and peak memory.

    python benchmarks/bench_build.py                      # ../shared/corpus (~14,000 real articles)
    python benchmarks/bench_build.py --generate 20000     # ../shared/bench/gen_corpus.py, Markdown input
    python benchmarks/bench_build.py --content DIR --repeat 3

Each run is a fresh process with an empty output folder; peak RSS is the child's ru_maxrss.
Results are printed and appended to benchmarks/results/build.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"


def generated(n: int, fmt: str) -> Path:
    """A cached generated corpus of n articles (the peers' benchmark generator)."""
    out = HERE / "out" / f"gen-n{n}"
    if not (out / fmt).is_dir():
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "bench" / "gen_corpus.py"),
                "--n",
                str(n),
                "--out",
                str(out),
                "--format",
                "both",
            ],
            check=True,
        )
    return out / fmt


def one_run(content: Path, extra: list[str]) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="arshif-bench-")) / "site"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--quiet", "--content", str(content), "--out", str(out), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr[-2000:]}")
    pages = sum(1 for _ in out.rglob("*.html"))
    articles = sum(1 for _ in (out / "articles").iterdir())
    shutil.rmtree(out.parent, ignore_errors=True)
    return {
        "wall_s": wall,
        "user_s": after.ru_utime - before.ru_utime,
        "sys_s": after.ru_stime - before.ru_stime,
        "peak_rss_mb": after.ru_maxrss / 1024,  # the largest child so far: runs only grow it
        "articles": articles,
        "html_pages": pages,
        "problems": proc.stderr.count("\n"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--content", type=Path, help="an archive folder")
    source.add_argument("--generate", type=int, metavar="N", help="N generated articles")
    parser.add_argument("--format", choices=("md", "txt"), default="md", help="generated input format")
    parser.add_argument("--repeat", type=int, default=1)
    args, extra = parser.parse_known_args()
    if args.generate:
        content, label = generated(args.generate, args.format), f"generated-{args.generate}-{args.format}"
    else:
        content = args.content or SHARED / "corpus"
        label = content.name
    runs = [one_run(content, extra) for _ in range(args.repeat)]
    articles = runs[0]["articles"]
    wall = statistics.median(r["wall_s"] for r in runs)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "content": label,
        "articles": articles,
        "runs": runs,
        "wall_s_median": round(wall, 2),
        "articles_per_s": round(articles / wall, 1),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
    }
    print(
        f"{label}: {articles} articles, {runs[0]['html_pages']} pages, median {wall:.2f} s "
        f"({result['articles_per_s']} articles/s), peak RSS {result['peak_rss_mb']} MB"
    )
    record.append("build", result)


if __name__ == "__main__":
    main()
