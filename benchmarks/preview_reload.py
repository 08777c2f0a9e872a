#!/usr/bin/env python3
"""Preview: time from saving one article to the reloaded page in a browser, and the server's memory.

    python benchmarks/preview_reload.py                       # the sample archive (content/)
    python benchmarks/preview_reload.py --generate 20000      # the shared generator's 20,000 articles

Runs `arshif serve --port 0` as a user would, opens the article's page in headless Chromium, rewrites the
article's title in its file, and waits until the page shows it (no action in the browser). The content is
copied first, so the archive itself is never edited. Results are appended to benchmarks/results/preview.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import record  # noqa: E402
from bench_build import generated  # noqa: E402


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, default=0, help="use N generated articles instead of content/")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = generated(args.generate, "md") if args.generate else HERE.parent / "content"
    work = HERE / "out" / f"preview-{args.generate or 'sample'}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work / "content")
    content = work / "content"
    article = sorted(p for p in content.iterdir() if p.suffix in (".txt", ".md"))[len(list(content.iterdir())) // 2]

    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", "--content", str(content)],
        cwd=work,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(line.rstrip() for line in process.stderr), daemon=True).start()  # type: ignore[union-attr]

    def wait_for(pattern: str, timeout: float = 900) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in list(lines):
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        raise SystemExit(f"timed out waiting for {pattern!r}: {lines[-5:]}")

    url = re.search(r"http://\S+", wait_for("serving a preview at")).group(0)  # type: ignore[union-attr]
    ready_s = time.perf_counter() - started
    wait_for("search index refreshed")
    indexed_s = time.perf_counter() - started
    memory_idle = rss_mb(process.pid)

    from playwright.sync_api import sync_playwright

    samples = []
    rebuilds = []
    original = article.read_text("utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        tab.goto(f"{url}articles/{article.stem}/")
        for run in range(args.runs):
            title = f"عنوان تجريبي رقم {run}"
            text = re.sub(r'^title: ".*"$', f'title: "{title}"', original, count=1, flags=re.M)
            if text == original:  # plain text: the title is the first line
                text = title + original[original.index("\n") :]
            before = len([line for line in lines if line.startswith("rebuilt")])
            saved = time.perf_counter()
            article.write_text(text, "utf-8")
            tab.wait_for_function(f"document.querySelector('h1').textContent.includes({json.dumps(title)})")
            samples.append(round(time.perf_counter() - saved, 3))
            while len([line for line in lines if line.startswith("rebuilt")]) <= before:
                time.sleep(0.01)
            rebuilds.append([line for line in lines if line.startswith("rebuilt")][-1])
            time.sleep(0.5)
        browser.close()
    memory = rss_mb(process.pid)
    process.terminate()
    process.wait(timeout=60)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "archive": f"generated {args.generate}" if args.generate else "sample content/",
        "articles": sum(1 for p in content.iterdir() if p.suffix in (".txt", ".md")),
        "first_build_s": round(ready_s, 1),
        "search_index_ready_s": round(indexed_s, 1),
        "save_to_reloaded_s": samples,
        "median_save_to_reloaded_s": statistics.median(samples),
        "rebuild_lines": rebuilds,
        "server_rss_mb_idle": round(memory_idle[0]),
        "server_rss_mb_after": round(memory[0]),
        "server_peak_rss_mb": round(memory[1]),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    record.append("preview", result)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
