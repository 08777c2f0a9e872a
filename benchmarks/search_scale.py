#!/usr/bin/env python3
"""Search at scale: index size, file count, and what a cold query costs a browser.

    python benchmarks/search_scale.py --generate 20000            # build a generated archive, then measure
    python benchmarks/search_scale.py --site DIR --query بوتين     # measure an already built site

Serves the site with arshif's own server, opens /search/?q=... in headless Chromium with an empty cache,
and counts the bytes of every response the query needed and the time until the first result is shown.
Results are printed and appended to benchmarks/results/search.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_build import generated  # noqa: E402

from generator.build import build  # noqa: E402
from generator.config import Config  # noqa: E402
from generator.serve import make_server  # noqa: E402


def tree(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def cold_query(site: Path, query: str, runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(query)}"
    samples = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            context = browser.new_context()  # a new context: nothing cached
            page = context.new_page()
            sizes: dict[str, int] = {}
            page.on("requestfinished", lambda r, sizes=sizes: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#results a.title", timeout=30000)
            first = time.perf_counter() - started
            page.wait_for_selector("#search[data-ready]", timeout=30000)
            search_bytes = sum(n for u, n in sizes.items() if "/pagefind/" in u or "/data/" in u)
            samples.append(
                {
                    "first_result_s": round(first, 3),
                    "query_kb": round(search_bytes / 1024, 1),
                    "page_kb": round(sum(sizes.values()) / 1024, 1),
                    "requests": len(sizes),
                    "results": page.locator("#results a.title").count(),
                }
            )
            context.close()
        browser.close()
    server.shutdown()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--generate", type=int, default=20000)
    parser.add_argument("--query", default="روسيا")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = args.site
    build_s = None
    if site is None:
        site = HERE / "out" / f"site-{args.generate}"
        started = time.perf_counter()
        build(Config(content=generated(args.generate, "md"), output=site))
        build_s = round(time.perf_counter() - started, 1)
    bundle_files, bundle_bytes = tree(site / "pagefind")
    filter_files, filter_bytes = tree(site / "pagefind" / "filter")
    samples = cold_query(site, args.query, args.runs)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "site": site.name,
        "articles": sum(1 for _ in (site / "articles").iterdir()),
        "build_s": build_s,
        "index_files": bundle_files,
        "index_mb": round(bundle_bytes / 1e6, 1),
        "filter_files": filter_files,
        "filter_kb": round(filter_bytes / 1024, 1),
        "alias_table_kb": round((site / "data" / "search-actors.json").stat().st_size / 1024, 1),
        "query": args.query,
        "cold_query": samples,
        "median_first_result_s": statistics.median(s["first_result_s"] for s in samples),
        "median_query_kb": statistics.median(s["query_kb"] for s in samples),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "search.jsonl").open("a") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
