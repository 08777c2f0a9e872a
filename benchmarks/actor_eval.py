"""How well the tagger finds actors, on a gold-annotated set: precision, recall, F1 per kind, and speed.

    python benchmarks/actor_eval.py [--dev ../shared/ner-dev] [--top 15] [--no-record]
    python benchmarks/actor_eval.py --counts DIR [DIR ...]      # the most tagged actors of a real archive

The dev set's authority list (`[{"id", "kind", "aliases"}]`) becomes an `actors.toml` in a scratch folder
(built-in countries off), its articles are read and tagged by the same code `arshif list` uses, and its own
`score.py` scores the predictions. The figures are appended to benchmarks/results/actor_eval.jsonl.
`--counts` tags archives with the built-in countries on and prints the most tagged actors (to compare
before and after a change of the method).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from generator.build import load_cast, read_corpus
from generator.config import Config
from generator.tagging.tagger import tag

try:
    from benchmarks import record
except ImportError:  # run as a script from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import record  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "ner-dev"
KINDS = {"person": "person", "organisation": "organisation", "place": "place"}


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def authority_toml(entries: list[dict[str, object]]) -> str:
    """The dev set's authority list as an actors.toml: one table per actor, its aliases in Arabic."""
    out = []
    for entry in entries:
        aliases = ", ".join(toml_string(str(a)) for a in entry["aliases"])  # type: ignore[attr-defined]
        kind = KINDS.get(str(entry["kind"]), "person")
        out.append(f'[{entry["id"]}]\nkind = "{kind}"\naliases = {{ ar = [{aliases}] }}\n')
    return "\n".join(out)


def tag_folder(docs: Path, actors_file: Path, countries: bool) -> tuple[list[dict[str, object]], dict[str, float]]:
    """Read and tag every article under `docs`; predictions and timings (reading whole, tagging alone)."""
    config = Config(content=docs, actors_file=str(actors_file), countries=countries, search=False, workers=1)
    started = time.perf_counter()
    corpus = read_corpus(config)
    read_s = time.perf_counter() - started
    cast, _ = load_cast(config)
    bare = [replace(a, mentions=(), actors=()) for a in corpus.articles]
    started = time.perf_counter()
    for article in bare:
        tag(article, cast.matcher, cast.actors)
    tag_s = time.perf_counter() - started
    n = max(1, len(corpus.articles))
    predictions = [{"file": a.source, "actors": list(a.actors)} for a in corpus.articles]
    return predictions, {
        "articles": len(corpus.articles),
        "read_ms_per_article": round(1000 * read_s / n, 3),
        "tag_ms_per_article": round(1000 * tag_s / n, 3),
    }


def evaluate(dev: Path, top: int) -> dict[str, object]:
    data = dev / "newsfane-dev"
    entries = json.loads((data / "authority.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="actor-eval-") as scratch:
        actors_file = Path(scratch) / "actors.toml"
        actors_file.write_text(authority_toml(entries), "utf-8")
        predictions, timing = tag_folder(data / "docs", actors_file, countries=False)
        pred_file, score_file = Path(scratch) / "pred.jsonl", Path(scratch) / "score.json"
        pred_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), "utf-8")
        shown = subprocess.run(
            [sys.executable, str(dev / "score.py"), str(data / "gold.jsonl"), str(pred_file),
             "--actors", str(data / "authority.json"), "--top", str(top), "--json", str(score_file)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        scores = json.loads(score_file.read_text("utf-8"))
    print(shown)
    print(f"reading {timing['read_ms_per_article']} ms per article, tagging alone {timing['tag_ms_per_article']} ms")
    return {"scores": scores, **timing}


def counts(folders: list[Path], top: int) -> dict[str, object]:
    """The most tagged actors of real archives, with the built-in countries (and each archive's actors.toml)."""
    tally: Counter[str] = Counter()
    total, tag_ms = 0, 0.0
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="actor-eval-") as scratch:
            own = folder / "actors.toml"
            actors_file = own if own.exists() else Path(scratch) / "none.toml"
            predictions, timing = tag_folder(folder, actors_file, countries=True)
        tally.update(a for p in predictions for a in p["actors"])  # type: ignore[attr-defined]
        total += int(timing["articles"])
        tag_ms += float(timing["tag_ms_per_article"]) * int(timing["articles"])
    for actor_id, n in tally.most_common(top):
        print(f"{n:6d}  {actor_id}")
    per_article = round(tag_ms / max(1, total), 3)
    print(f"{total} articles, {sum(tally.values())} tags, tagging alone {per_article} ms per article")
    return {"articles": total, "tags": sum(tally.values()), "tag_ms_per_article": per_article,
            "top": tally.most_common(top)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev set's folder (default: ../shared/ner-dev)")
    parser.add_argument("--top", type=int, default=15, help="how many false positives / negatives (or actors)")
    parser.add_argument("--counts", type=Path, nargs="+", metavar="DIR", help="count tags in these archives instead")
    parser.add_argument("--note", default="", help="a word on what changed, kept with the figures")
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/results/")
    args = parser.parse_args()
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    if args.counts:
        result = counts(args.counts, args.top)
        name, what = "actor_counts", [str(f.name) for f in args.counts]
    else:
        if not (args.dev / "score.py").exists():
            print(f"no dev set at {args.dev}", file=sys.stderr)
            return 2
        result = evaluate(args.dev, args.top)
        name, what = "actor_eval", ["ner-dev"]
    if not args.no_record:
        record.append(name, {"when": when, "content": what, "note": args.note, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
