#!/usr/bin/env python3
"""Time `arshif build` on the changes a news archive sees: from nothing, nothing changed, one article edited, one
added, the authority file edited; with peak memory of the whole process tree (all workers and Pagefind).

    python benchmarks/incremental.py --n 20000            # ../shared/bench/gen_corpus.py, Markdown, with search
    python benchmarks/incremental.py --n 20000 --no-search
    python benchmarks/incremental.py --n 20000 --steps cold,edit,edit,edit   # the steady edit, three times
    python benchmarks/incremental.py --n 20000 --steps cold,edit,edit,edit --against ../old/.venv/bin/arshif

The generated corpus is copied (the edits must not touch the harness's cache). Memory is the largest sum of the
proportional set sizes of every process in the build's session, sampled every 50 ms. Each scenario is one fresh process.
Results are printed and appended to benchmarks/results/incremental.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
ARSHIF = ROOT / ".venv" / "bin" / "arshif"
AUTHORITY = """[mbs]
kind = "person"
names = { ar = "محمد بن سلمان", en = "Mohammed bin Salman" }
aliases = { ar = ["محمد بن سلمان", "بن سلمان"] }
"""


def session_memory(sid: int) -> int:
    """Bytes of memory of every process of session `sid`, each shared page counted once (proportional set size:
    forked workers share their parent's pages until they write to them)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != sid:  # after the name: state, ppid, pgrp, session
                continue
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith(b"Pss:")) * 1024
        except (OSError, IndexError, ValueError, StopIteration):
            continue
    return total


def timed(argv: list[str], cwd: Path) -> dict[str, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, session_memory(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    done.set()
    watcher.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{out.decode(errors='replace')[-2000:]}")
    tail = out.decode(errors="replace").strip().splitlines()[-1:]
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "peak_mb": round(peak / 2**20),
        "said": tail[0] if tail else "",
    }


def edit_one(content: Path) -> None:
    article = sorted(content.glob("*.md"))[len(list(content.glob("*.md"))) // 2]
    text = article.read_text("utf-8")
    article.write_text(text.replace("\n\n", "\n\nفقرة أضيفت للقياس.\n\n", 1), "utf-8")


def add_one(content: Path) -> None:
    (content / "zz-bench-new.md").write_text(
        '---\ntitle: "مقال جديد للقياس"\ndate: 2023-12-31\nlang: ar\n---\nقال محمد بن سلمان إن السوق مستقرة.\n', "utf-8"
    )


def edit_authority(content: Path) -> None:
    path = content / "actors.toml"
    path.write_text(path.read_text("utf-8").replace('en = "Mohammed bin Salman"', 'en = "MBS"'), "utf-8")


# A step: its name in the results and what it changes before the build (None: nothing).
STEPS = {
    "cold": ("cold", None),
    "none": ("no change", None),
    "edit": ("one article edited", edit_one),
    "add": ("one article added", add_one),
    "authority": ("actors.toml edited", edit_authority),
}
DEFAULT_STEPS = ("cold", "none", "edit", "add", "none", "authority")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS),
                        help=f"comma-separated, in order, from: {', '.join(STEPS)} (default: %(default)s)")  # fmt: skip
    parser.add_argument("--against", type=Path, help="another checkout's arshif: each step run by both, in turn")
    args = parser.parse_args()
    unknown = [step for step in args.steps.split(",") if step not in STEPS]
    if unknown:
        sys.exit(f"--steps: unknown step {unknown[0]!r}; the steps are {', '.join(STEPS)}")
    corpus = SHARED / "bench" / "corpus" / f"n{args.n}-s42" / "md"
    if not corpus.is_dir():
        corpus = HERE / "out" / f"gen-n{args.n}" / "md"
        if not corpus.is_dir():
            subprocess.run([sys.executable, str(SHARED / "bench" / "gen_corpus.py"), "--n", str(args.n),
                            "--out", str(corpus.parent), "--format", "md"], check=True)  # fmt: skip
    # Each arshif its own copy of the archive; with --against, every step is run by both in turn, so that the
    # two are compared on the same machine at the same moment (its speed moves by a third from hour to hour).
    runs = {"": ARSHIF} if args.against is None else {" [this]": ARSHIF, " [against]": args.against.resolve()}
    builds = {}
    for tag, arshif in runs.items():
        work = HERE / "out" / f"incremental-n{args.n}{'-against' if tag == ' [against]' else ''}"
        shutil.rmtree(work, ignore_errors=True)
        content = work / "content"
        shutil.copytree(corpus, content)
        (content / "actors.toml").write_text(AUTHORITY, "utf-8")
        (work / "arshif.toml").write_text(f"search = {'false' if args.no_search else 'true'}\n", "utf-8")
        builds[tag] = (work, content, [str(arshif), "build", "--config", str(work / "arshif.toml"), "--content",
                                       str(content), "--out", str(work / "site")])  # fmt: skip
    rows = {}
    for step in args.steps.split(","):
        label, change = STEPS[step]
        for tag, (work, content, build) in builds.items():
            if change is not None:
                change(content)
            again = sum(1 for row in rows if row.startswith(label) and row.endswith(tag))
            name = f"{label} ({again + 1}){tag}" if again else f"{label}{tag}"
            rows[name] = timed(build, work)
            print(f"{name:32} {rows[name]['seconds']:8.2f} s {rows[name]['peak_mb']:7} MB   {rows[name]['said']}",
                  flush=True)  # fmt: skip
    site = builds[next(iter(builds))][0] / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    summary = {"files": len(files), "mb": round(sum(p.stat().st_size for p in files) / 2**20, 1)}
    print(f"output: {summary['files']} files, {summary['mb']} MB")
    record.append("incremental", {"date": dt.date.today().isoformat(), "n": args.n, "search": not args.no_search,
                                  "against": str(args.against) if args.against else None, "runs": rows,
                                  **summary})  # fmt: skip


if __name__ == "__main__":
    main()
