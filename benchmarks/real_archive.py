#!/usr/bin/env python3
"""A realistic archive for measuring search: N distinct articles reassembled from real news paragraphs.

    python benchmarks/real_archive.py                 # 20,000 articles into benchmarks/out/real-n20000/md
    python benchmarks/real_archive.py --n 5000 --seed 7

Needs ../shared/corpus (sub-folders with meta.jsonl and article files); without it, says so and stops.
The generated benchmark archive writes every article from one sentence's words, so every word is in every
page; real paragraphs give a natural (Zipf-like) vocabulary instead. Each article takes a real lead (its
title, outlet and dateline come with it) and 2-6 further paragraphs from other articles of the same language,
and a date spread over 2015-2023. Actors are not declared: the build tags them from the text.
Deterministic for a seed. The output stays under benchmarks/out/ (git-ignored): the texts are licensed for
research use only and must not be committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
FIRST_DAY, DAYS = dt.date(2015, 1, 1), (dt.date(2023, 12, 31) - dt.date(2015, 1, 1)).days


@dataclass(frozen=True)
class Lead:
    """A real article's opening: what a reassembled article borrows to look like news."""

    title: str
    first: str
    outlet: str
    lang: str


@dataclass(frozen=True)
class Pool:
    leads: tuple[Lead, ...]
    paragraphs: tuple[str, ...]


def read_pools(corpus: Path) -> dict[str, Pool]:
    """Per language: every article's lead, and every later paragraph."""
    leads: dict[str, list[Lead]] = {}
    paragraphs: dict[str, list[str]] = {}
    for meta in sorted(corpus.glob("*/meta.jsonl")):
        for line in meta.read_text("utf-8").splitlines():
            record = json.loads(line)
            path = meta.parent / record["file"]
            if not path.is_file():
                continue
            title, _, body = path.read_text("utf-8").partition("\n\n")
            parts = [p.strip() for p in body.split("\n\n") if len(p.split()) >= 8]
            lang = record.get("language") or "ar"
            if not title.strip() or not parts:
                continue
            outlet = record.get("outlet") or record.get("source") or meta.parent.name
            leads.setdefault(lang, []).append(Lead(" ".join(title.split()), parts[0], outlet, lang))
            paragraphs.setdefault(lang, []).extend(parts[1:])
    return {lang: Pool(tuple(leads[lang]), tuple(paragraphs.get(lang) or ())) for lang in leads}


def article(pools: dict[str, Pool], seed: int, i: int) -> str:
    rng = random.Random(seed * 1_000_003 + i)
    langs = sorted(pools)
    weights = [len(pools[lang].leads) for lang in langs]
    pool = pools[rng.choices(langs, weights)[0]]
    lead = rng.choice(pool.leads)
    body = [lead.first, *rng.sample(pool.paragraphs, min(len(pool.paragraphs), rng.randint(2, 6)))]
    date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS + 1))
    front = [
        "---",
        f"title: {json.dumps(lead.title, ensure_ascii=False)}",
        f"date: {date.isoformat()}",
        f"outlet: {json.dumps(lead.outlet, ensure_ascii=False)}",
        f"lang: {lead.lang}",
        "---",
    ]
    return "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"


def realistic(n: int, seed: int = 1, corpus: Path = CORPUS) -> Path:
    """The folder of n reassembled articles (written once, then reused)."""
    out = HERE / "out" / f"real-n{n}" / "md"
    if (out / f"r{n - 1:07d}.md").is_file():
        return out
    if not corpus.is_dir():
        raise SystemExit(f"no corpus at {corpus}: the realistic archive is built from it")
    pools = read_pools(corpus)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (out / f"r{i:07d}.md").write_text(article(pools, seed, i), "utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    out = realistic(args.n, args.seed, args.corpus)
    print(out, file=sys.stderr)


if __name__ == "__main__":
    main()
