#!/usr/bin/env python3
"""Run read_dateline over a seeded sample of corpus first paragraphs that hold a full date somewhere.

    python benchmarks/dateline_sample.py                   # 300 articles from ../shared/corpus
    python benchmarks/dateline_sample.py --n 100 --seed 7 --check
    python benchmarks/dateline_sample.py --all --quiet     # every first paragraph, totals only

Prints, per article, the path, the opening of the first paragraph and what was read, for checking by hand;
then totals and the time per call. `--check` compares the date read with meta.jsonl's `date` where the
corpus has one (a mismatch is not always an error: metadata can be a day off, or the lead's date historical).
The corpus texts are research-only: this prints them to the terminal and writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.arabic import fold_digits  # noqa: E402
from generator.model import Dateline  # noqa: E402
from generator.reading.dateline import read_dateline  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
# Deliberately looser than the parser: a day, a word or two (any month name, known or not), a 4-digit year;
# or a numeric d/m/y. What the parser then leaves unread is what the hand check must look at.
FULL_DATE = re.compile(
    r"(?<!\d)\d{1,2}\s*(?:من\s+)?[^\W\d_]{2,}(?:\s+[^\W\d_]{2,})?(?:\s*[/(\-–]\s*[^\W\d_]{2,}(?:\s+[^\W\d_]{2,})?\)?)?"
    r"\s*,?\s*\d{4}(?!\d)"
    r"|(?<!\d)\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}(?!\d)"
)


def first_paragraph(path: Path) -> str:
    """Line 1 is the title, then a blank line, then paragraphs separated by blank lines."""
    parts = path.read_text("utf-8").split("\n\n")
    return parts[1].strip("\n") if len(parts) > 1 else ""


def reference_of(meta: dict) -> dt.date | None:
    """The metadata date a year-less dateline is read against: publication date, else crawl time."""
    raw = meta.get("date") or (meta.get("date_extracted") or "")[:10]
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def load(corpus: Path) -> list[tuple[Path, str, dict]]:
    rows = []
    for folder in sorted(p for p in corpus.iterdir() if (p / "meta.jsonl").is_file()):
        with (folder / "meta.jsonl").open(encoding="utf-8") as lines:
            metas = {m["file"]: m for m in map(json.loads, lines)}
        for path in sorted(folder.glob("*.txt")):
            rows.append((path, first_paragraph(path), metas.get(path.name, {})))
    return rows


def describe(line: Dateline) -> str:
    bits = [f"date={line.date}", f"cal={line.calendar or '-'}"]
    for name in ("place", "outlet", "agency", "hijri", "month_day", "problem"):
        value = getattr(line, name)
        if value:
            bits.append(f"{name}={value}")
    return " ".join(bits) + (f"\n    text={line.text!r}" if line.text else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--n", type=int, default=300, help="articles to sample (default 300)")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--all", action="store_true", help="every first paragraph, not only those with a full date")
    parser.add_argument("--check", action="store_true", help="compare with meta.jsonl `date` where present")
    parser.add_argument("--quiet", action="store_true", help="totals only")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}")

    rows = load(args.corpus)
    if not args.all:
        rows = [row for row in rows if FULL_DATE.search(fold_digits(row[1]))]
        rows = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
        rows.sort(key=lambda row: str(row[0]))
    read_dateline("الرياض 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس")  # warm up before timing
    results = []
    started = time.perf_counter()
    for _path, paragraph, meta in rows:
        results.append(read_dateline(paragraph, reference_of(meta)))
    elapsed = time.perf_counter() - started

    dated = problems = lines = checked = agree = 0
    for (path, paragraph, meta), line in zip(rows, results, strict=True):
        dated += line.date is not None
        problems += line.problem is not None
        lines += bool(line.text)
        verdict = ""
        if args.check and meta.get("date") and line.date is not None:
            checked += 1
            same = line.date.isoformat() == meta["date"]
            agree += same
            verdict = "  [meta agrees]" if same else f"  [META {meta['date']}]"
        if not args.quiet:
            print(f"{path.parent.name}/{path.name}{verdict}")
            print(f"    {paragraph[:160]!r}")
            print(f"    {describe(line)}")
    print(f"\n{len(rows)} paragraphs: {lines} datelines, {dated} dated, {problems} problems")
    if args.check:
        print(f"checked against meta.jsonl date: {agree}/{checked} agree")
    if rows:
        print(f"{elapsed / len(rows) * 1e6:.1f} µs per call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
