#!/usr/bin/env python3
"""The one-chunk query words of templates/static/query.js, checked and measured on a built archive.

    python benchmarks/search_terms.py                        # benchmarks/out/site-real-20000, 300 words
    python benchmarks/search_terms.py --site DIR --words 500

The archive's commonest Arabic words (read from its article pages) are each searched twice with the real
Pagefind in headless Chromium, as typed and as `pagefindTerm` rewrites them, each in a new browser context, so
every search pays for its own index chunks. Printed and appended to benchmarks/results/search_terms.jsonl: how
many words were rewritten, how many found fewer pages rewritten (must be 0), how many found a different set
(with the counts, typed/rewritten), and the index-chunk bytes both ways (median, 90th percentile, total).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import threading
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import record  # noqa: E402

from generator.preview.serve import make_server  # noqa: E402

BODY = re.compile(r"data-pagefind-body[^>]*>(.*?)</article>", re.S)
WORD = re.compile(r"[\u0621-\u064a]{3,}")

SEARCH = """
async (q) => {
  document.documentElement.lang = "ar";
  const { pagefindTerm } = await import("/static/query.js");
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  await pagefind.init();
  const term = q.rewrite ? pagefindTerm(q.word) : q.word;
  const found = await pagefind.search(term);
  return { term, ids: found.results.map((r) => r.id).sort().join(" "), count: found.results.length };
}
"""


def common_words(site: Path, limit: int, pages: int = 3000) -> list[str]:
    counts: Counter[str] = Counter()
    for path in sorted((site / "articles").glob("*/index.html"))[:pages]:
        for body in BODY.findall(path.read_text("utf-8")):
            counts.update(WORD.findall(re.sub(r"<[^>]+>", " ", body)))
    return [w for w, _ in counts.most_common(limit)]


def measure(site: Path, words: list[str]) -> list[dict[str, object]]:
    """Each word searched as typed and rewritten, each search in a new browser context (nothing cached)."""
    from playwright.sync_api import sync_playwright

    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/404.html"
    rows: list[dict[str, object]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for word in words:
            row: dict[str, object] = {"word": word}
            for key, rewrite in [("typed", False), ("rewritten", True)]:
                context = browser.new_context()
                chunks: list[int] = []  # Pagefind fetches in a worker: only the context sees those requests
                context.on(
                    "requestfinished",
                    lambda r, chunks=chunks: (
                        chunks.append(r.sizes()["responseBodySize"]) if "/pagefind/index/" in r.url else None
                    ),
                )
                page = context.new_page()
                page.goto(url)
                answer = page.evaluate(SEARCH, {"word": word, "rewrite": rewrite})
                context.close()
                if rewrite:
                    row["as"] = answer["term"]
                row[key], row[key + "_count"], row[key + "_bytes"] = answer["ids"], answer["count"], sum(chunks)
            rows.append(row)
        browser.close()
    server.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=HERE / "out" / "site-real-20000")
    parser.add_argument("--words", type=int, default=300)
    args = parser.parse_args()
    rows = measure(args.site, common_words(args.site, args.words))
    rewritten = [r for r in rows if r["as"] != r["word"]]
    fewer = [r["word"] for r in rows if not set(str(r["typed"]).split()) <= set(str(r["rewritten"]).split())]
    more = [f"{r['word']} {r['typed_count']}/{r['rewritten_count']}" for r in rows if r["typed"] != r["rewritten"]]

    def kb(key: str) -> dict[str, float]:
        values = sorted(int(r[key]) / 1024 for r in rows)  # type: ignore[call-overload]
        return {
            "median": round(statistics.median(values), 1),
            "p90": round(values[int(len(values) * 0.9)], 1),
            "total": round(sum(values), 1),
        }

    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "site": args.site.name,
        "words": len(rows),
        "rewritten": len(rewritten),
        "fewer_pages": len(fewer),
        "fewer_words": fewer[:20],
        "different_pages": len(more),
        "differing_words": more[:20],
        "chunk_kb_typed": kb("typed_bytes"),
        "chunk_kb_rewritten": kb("rewritten_bytes"),
    }
    print(json.dumps(result, ensure_ascii=False))
    record.append("search_terms", result)


if __name__ == "__main__":
    main()
