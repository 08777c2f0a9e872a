#!/usr/bin/env python3
"""Search at scale: index size, and what a cold query costs a browser, on two 20,000-article archives.

    python benchmarks/search_scale.py                         # both archives, their default queries
    python benchmarks/search_scale.py --archive real --query النفط --query روسيا
    python benchmarks/search_scale.py --archive gen --gen-content DIR   # an already generated archive
    python benchmarks/search_scale.py --archive real --sample 100         # 100 of the archive's words
    python benchmarks/search_scale.py --archive real --sample 100 --shard-pages 1000000   # one index per language

`gen` is ../shared/bench/gen_corpus.py's archive (every article from one sentence's ~60 words); `real` is
benchmarks/real_archive.py's (real paragraphs reassembled, natural vocabulary). Each site is built once into
benchmarks/out/site-<archive>-<n> (--rebuild to redo). Then, in headless Chromium with a new context per run
(empty cache), /search/?q=... is opened and every response counted: bytes and requests until the first result
is shown, and after the facets have loaded. arshif's own server does not compress, so the raw sizes are what
arrived; the gzip column is what a static host that gzips text (.html .css .js .json) would send, computed
here from the files (level 6); Pagefind's own files (.pf_* and .pagefind) are gzip already and count as they are.
Medians of --runs cold runs are printed and appended to benchmarks/results/search.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import record  # noqa: E402
from bench_build import generated  # noqa: E402
from real_archive import realistic  # noqa: E402

from generator.build import build  # noqa: E402
from generator.config import Config  # noqa: E402
from generator.preview.serve import make_server  # noqa: E402

QUERIES = {
    # a word, an actor (5,000+ articles in gen), an English word; the generated archive has no اجتماع
    "gen": ["الاستقرار", "روسيا", "summit"],
    "real": ["النفط", "روسيا", "oil"],
}
TEXT = {".html", ".css", ".js", ".json"}
FIRST_RESULT = """
new MutationObserver((_, observer) => {
  if (document.querySelector("#results a.title")) {
    window.firstResultAt = performance.timeOrigin + performance.now();
    window.firstResultIn = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


def kind(url: str) -> str:
    """What a response is, for the breakdown: Pagefind's file kinds, the actor shards, the rest by suffix."""
    path = urlsplit(url).path
    for part, name in [
        ("/index/", "index"),
        ("/filter/", "filter"),
        ("/fragment/", "fragment"),
        ("/data/search/", "shard"),
    ]:
        if part in path:
            return name
    if path.endswith(".pf_meta"):
        return "pf_meta"
    if path.endswith(".pagefind"):
        return "wasm"
    return Path(path).suffix.lstrip(".") or "html"


def tree(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def sizes(site: Path, url: str, reported: int) -> tuple[int, int]:
    """(bytes our server sent, bytes a gzipping static host would send) for one response.

    The server sends files as they are, so a file's size is what went over the wire; Chromium reports 0 for
    a worker script, which would hide pagefind-worker.js.
    """
    path = unquote(urlsplit(url).path).lstrip("/")
    file = site / path / "index.html" if not path or path.endswith("/") else site / path
    if not file.is_file():
        return reported, reported
    data = file.read_bytes()
    return len(data), len(gzip.compress(data, 6)) if file.suffix in TEXT else len(data)


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
            done: list[tuple[float, str, int]] = []  # (finished at, epoch ms; url; bytes reported)
            page.on(
                "requestfinished",
                lambda r, done=done: done.append(
                    (r.timing["startTime"] + r.timing["responseEnd"], r.url, r.sizes()["responseBodySize"])
                ),
            )
            # Python sees events late; the page itself notes when the first result appears (epoch ms).
            page.add_init_script(FIRST_RESULT)
            page.goto(url)
            page.wait_for_selector("#search[data-ready]", timeout=60000)
            first_at, first_s = page.evaluate("[window.firstResultAt || 0, (window.firstResultIn || 0) / 1000]")
            if not first_at:  # nothing found: the answer was shown when the page was ready
                first_at, first_s = page.evaluate("[Date.now(), performance.now() / 1000]")
            first = [(u, n) for t, u, n in done if t <= first_at]

            def kb(rows: list[tuple[str, int]], gz: bool = False) -> float:
                return round(sum(sizes(site, u, n)[gz] for u, n in rows) / 1024, 1)

            every = [(u, n) for _, u, n in done]
            kinds: dict[str, float] = {}
            for u, n in first:
                kinds[kind(u)] = round(kinds.get(kind(u), 0) + sizes(site, u, n)[0] / 1024, 1)
            samples.append(
                {
                    "first_result_s": round(first_s, 3),
                    "first_kb": kb(first),
                    "first_gz_kb": kb(first, gz=True),
                    # the search index's own files (Pagefind's script, wasm, metadata, chunks, fragments): what
                    # its shape decides; the page, its fonts and our scripts are the same whatever the shards
                    "first_index_gz_kb": kb([(u, n) for u, n in first if "/pagefind/" in urlsplit(u).path], gz=True),
                    "first_requests": len(first),
                    "first_by_kind_kb": kinds,
                    "total_kb": kb(every),
                    "total_gz_kb": kb(every, gz=True),
                    "requests": len(every),
                    "index_chunks": sum(1 for u, _ in every if "/pagefind/index/" in u),
                    "results": page.locator("#results a.title").count(),
                    "status": page.locator("#status").inner_text(),
                }
            )
            context.close()
        browser.close()
    server.shutdown()
    return samples


def sample(site: Path, archive: str, n: int) -> None:
    """One cold query for each of `n` Arabic words spread over the archive's 50th to 2,000th commonest (the
    commonest are function words nobody searches alone): how the cost is distributed, not three picked words."""
    from search_terms import common_words

    words = common_words(site, 2000)[50:]
    picked = words[:: max(1, len(words) // n)][:n]
    runs = [(w, cold_query(site, w, 1)[0]) for w in picked]
    gz = sorted(r["first_gz_kb"] for _, r in runs)
    index = sorted(r["first_index_gz_kb"] for _, r in runs)
    secs = sorted(r["first_result_s"] for _, r in runs)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "archive": archive,
        "site": site.name,
        "sample": len(runs),
        "first_gz_kb": {"median": statistics.median(gz), "p90": gz[int(len(gz) * 0.9)], "max": gz[-1]},
        "first_index_gz_kb": {
            "median": statistics.median(index),
            "p90": index[int(len(index) * 0.9)],
            "max": index[-1],
        },
        "first_result_s": {"median": statistics.median(secs), "p90": secs[int(len(secs) * 0.9)], "max": secs[-1]},
        "share_under_300kb": round(sum(g <= 300 for g in gz) / len(gz), 3),
        "share_under_1s": round(sum(t < 1 for t in secs) / len(secs), 3),
        "over_300kb": [f"{w} {r['first_gz_kb']}" for w, r in runs if r["first_gz_kb"] > 300],
    }
    print(json.dumps(result, ensure_ascii=False))
    record.append("search_sample", result)


def site_for(
    archive: str, n: int, content: Path | None, rebuild: bool, shard_pages: int | None = None
) -> tuple[Path, float | None]:
    site = HERE / "out" / (f"site-{archive}-{n}" + (f"-s{shard_pages}" if shard_pages else ""))
    if (site / "pagefind").is_dir() and not rebuild:
        return site, None
    source = content or (generated(n, "md") if archive == "gen" else realistic(n))
    started = time.perf_counter()
    build(Config(content=source, output=site, search_shard_pages=shard_pages or Config.search_shard_pages))
    return site, round(time.perf_counter() - started, 1)


def index_only(site: Path, workers: int) -> None:
    """Index the built `site` again into a scratch bundle: cold (no previous bundle), again with the first as
    `previous` (nothing changed), and once more after one article's body is edited. Wall time and the peak
    resident memory of the largest child process (a Pagefind run) of each."""
    import resource
    import shutil
    import tempfile

    from generator.parallel import default_workers
    from generator.search.pagefind import index_site

    workers = workers or default_workers()
    page = next(iter(sorted((site / "articles").iterdir()))) / "index.html"
    original = page.read_bytes()
    with tempfile.TemporaryDirectory(prefix="arshif-bench-", dir=site.parent) as scratch:
        bundles = [Path(scratch) / f"b{n}" for n in range(3)]
        rows = []
        try:
            for n, step in enumerate(["cold", "unchanged", "one edit"]):
                if step == "one edit":  # a word added to the first paragraph of its body
                    page.write_bytes(original.replace(b"<p>", "<p>تعديل ".encode(), 1))
                started = time.perf_counter()
                result = index_site(site, bundles[n], workers, Path(scratch), previous=bundles[n - 1] if n else None)
                rows.append(
                    {
                        "step": step,
                        "seconds": round(time.perf_counter() - started, 2),
                        "shards": result.shards,
                        "reused": result.reused,
                        "pages": result.pages,
                        "peak_child_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
        finally:
            page.write_bytes(original)
            shutil.rmtree(scratch, ignore_errors=True)
    result = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "site": site.name, "runs": rows}
    record.append("search_index", result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", choices=["gen", "real", "both"], default="both")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--gen-content", type=Path, help="an already generated archive (its md/ folder)")
    parser.add_argument("--query", action="append", help="repeatable; default: the archive's three queries")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--sample", type=int, help="instead of the queries: N words of the archive, one cold run each")
    parser.add_argument("--index", action="store_true", help="instead of the queries: time indexing the built site")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--shard-pages", type=int, help="build with this search_shard_pages (its own site folder)")
    args = parser.parse_args()
    if args.index:
        for archive in ["gen", "real"] if args.archive == "both" else [args.archive]:
            site, _ = site_for(
                archive, args.n, args.gen_content if archive == "gen" else None, args.rebuild, args.shard_pages
            )
            index_only(site, args.workers)
        return
    if args.sample:
        for archive in ["gen", "real"] if args.archive == "both" else [args.archive]:
            site, _ = site_for(
                archive, args.n, args.gen_content if archive == "gen" else None, args.rebuild, args.shard_pages
            )
            sample(site, archive, args.sample)
        return
    for archive in ["gen", "real"] if args.archive == "both" else [args.archive]:
        site, build_s = site_for(
            archive, args.n, args.gen_content if archive == "gen" else None, args.rebuild, args.shard_pages
        )
        bundle_files, bundle_bytes = tree(site / "pagefind")
        shard_files, shard_bytes = tree(site / "data" / "search")
        for query in args.query or QUERIES[archive]:
            samples = cold_query(site, query, args.runs)
            result = {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "archive": archive,
                "site": site.name,
                "articles": sum(1 for _ in (site / "articles").iterdir()),
                "build_s": build_s,
                "index_files": bundle_files,
                "index_mb": round(bundle_bytes / 1e6, 1),
                "shard_files": shard_files,
                "shard_mb": round(shard_bytes / 1e6, 1),
                "alias_table_kb": round((site / "data" / "search-actors.json").stat().st_size / 1024, 1),
                "query": query,
                "cold_query": samples,
                **{
                    f"median_{key}": statistics.median(s[key] for s in samples)
                    for key in ["first_result_s", "first_kb", "first_gz_kb", "total_kb", "total_gz_kb", "requests"]
                },
            }
            print(json.dumps(result, ensure_ascii=False))
            record.append("search", result)


if __name__ == "__main__":
    main()
