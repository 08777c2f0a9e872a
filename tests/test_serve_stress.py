"""`arshif serve` under load and abuse, over real loopback sockets, while its files are edited.

Each figure the review asked for is printed (run with `-s` to see them): success rate and latency of a burst,
how many waiting pages got their reload and how fast, how long slow clients are kept.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import CHROMIUM, ROOT, Serving, arshif_serve

from generator.preview.serve import IDLE_S, Live, allowed_hosts, host_name, make_server
from generator.preview.session import OWNER, PREFIX, PreviewFolder, sweep

T = TypeVar("T")
ARTICLE = "ar-2015-07-riyadh-oil-market"
OTHER = "ar-2015-08-cairo-saudi-egypt-talks"


# -- a raw HTTP client -------------------------------------------------------------------------------------------


def request(path: str, host: str = "127.0.0.1", extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode("latin-1")


async def exchange(port: int, raw: bytes, timeout: float = 30) -> tuple[int, bytes, float]:
    """Send `raw` as is, read the answer to the end; (status, whole answer, seconds). Status 0: no answer."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(match.group(1)) if match else 0), data, time.perf_counter() - started


def run_async(job: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: the browser fixture's Playwright loop may be running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result()


def body_of(answer: bytes) -> bytes:
    return answer.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in answer else b""


def text_at(port: int, path: str) -> str:
    return body_of(run_async(exchange(port, request(path)))[1]).decode("utf-8")


def abort(writer: asyncio.StreamWriter) -> None:
    """Leave as a crashed client or a closed tab does: a reset, not a polite close."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def port_of(serving: Serving) -> int:
    return int(serving.url.rsplit(":", 1)[1])


def site_of(serving: Serving) -> Path:
    line = next(line for line in serving.lines if "serving a preview" in line)
    return Path(re.search(r"built in (\S+),", line).group(1))  # type: ignore[union-attr]


def figures(name: str, latencies: list[float], ok: int, total: int) -> str:
    ms = sorted(x * 1000 for x in latencies)
    p99 = statistics.quantiles(ms, n=100)[98] if len(ms) > 1 else ms[0]
    rate = f"{ok}/{total} ok ({100 * ok / total:.1f} %)"
    line = f"{name}: {rate}, p50 {statistics.median(ms):.0f} ms, p99 {p99:.0f} ms, max {ms[-1]:.0f} ms"
    print(f"\n[stress] {line}")
    return line


def retitle(path: Path, title: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    lines[0] = title
    path.write_text("\n".join(lines), "utf-8")


def settle(serving: Serving, quiet: float = 0.6) -> None:
    """Until the preview has said nothing for `quiet` seconds (a rebuild under way has finished)."""
    seen, since = len(serving.lines), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        if len(serving.lines) != seen:
            seen, since = len(serving.lines), time.monotonic()


def tracebacks(lines: list[str]) -> list[str]:
    return [line for line in lines if re.search(r"Traceback|Error|Exception|^-{10,}", line)]


def live_state(page: bytes) -> tuple[int, str]:
    found = re.search(rb'data-generation="(\d+)" data-server="(\w+)"', page)
    assert found, page[-500:]
    return int(found.group(1)), found.group(2).decode()


# -- the preview under test ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("stress")
    shutil.copytree(ROOT / "content", work / "content")
    (work / "arshif.toml").write_text("search = false\n", "utf-8")  # the figures are the server's, not Pagefind's
    (work / "secret.txt").write_text("TOPSECRET do not serve", "utf-8")
    return work


@pytest.fixture(scope="module")
def serving(work: Path) -> Iterator[Serving]:
    with arshif_serve(work / "content") as serving:
        site = site_of(serving)
        os.symlink(work / "secret.txt", site / "out.txt")
        os.symlink(work, site / "articles" / "out")
        (site / "big.bin").write_bytes(os.urandom(8 << 20))
        (site / "big").mkdir()
        (site / "big" / "index.html").write_bytes(b"<!doctype html><body>" + b"<p>x</p>" * (512 << 10) + b"</body>")
        yield serving
    assert tracebacks(serving.lines) == []


def test_500_requests_in_batches_of_50_while_an_article_is_edited(serving: Serving, work: Path) -> None:
    site, port = site_of(serving), port_of(serving)
    urls = sorted(urllib.parse.quote(f"/{p.relative_to(site).parent.as_posix()}/") for p in site.rglob("index.html"))
    urls = [u.replace("/./", "/") for u in urls if "/big/" not in u and "/out/" not in u]
    urls += ["/static/style.css", "/404.html", "/__arshif/live.js"]
    editing = threading.Event()

    def edit() -> None:
        n = 0
        while not editing.is_set():
            retitle(work / "content" / f"{ARTICLE}.txt", f"عنوان متغير رقم {n}")
            n += 1
            time.sleep(0.15)

    async def burst() -> list[tuple[int, bytes, float]]:
        done = []
        for batch in range(10):
            paths = [urls[(batch * 50 + i) % len(urls)] for i in range(50)]
            done += await asyncio.gather(*(exchange(port, request(p), timeout=20) for p in paths))
        return done

    rebuilds = len(serving.rebuilds())
    editor = threading.Thread(target=edit, daemon=True)
    editor.start()
    try:
        answers = run_async(burst())
    finally:
        editing.set()
        editor.join()
    settle(serving)
    ok = sum(1 for status, _, _ in answers if status == 200)
    line = figures("500 GETs, 50 at a time, while editing", [s for _, _, s in answers], ok, len(answers))
    print(f"[stress] rebuilds meanwhile: {len(serving.rebuilds()) - rebuilds}")
    assert ok == 500, [(s, a[:80]) for s, a, _ in answers if s != 200][:5]
    # The figure is the measurement (p99 0.26-0.52 s at load 5-7); the bound leaves a shared CI machine room
    # and still fails the old server (a listen queue of 5: p99 4.5-31 s).
    assert statistics.quantiles([s for _, _, s in answers], n=100)[98] < 2.5, line
    assert len(serving.rebuilds()) > rebuilds  # the edits were rebuilt while it served


def test_200_waiting_pages_all_get_the_reload(serving: Serving, work: Path) -> None:
    port = port_of(serving)
    settle(serving)
    _, page, _ = run_async(exchange(port, request(f"/articles/{ARTICLE}/")))
    generation, server = live_state(page)
    wait = f"/__arshif/wait?since={generation}&server={server}&page=/articles/{ARTICLE}/"

    async def poll() -> tuple[int, bytes, float]:
        status, data, _ = await exchange(port, request(wait), timeout=40)
        return status, data, time.perf_counter()  # when the answer was in

    async def polls() -> tuple[list[tuple[int, bytes, float]], float]:
        waiting = [asyncio.ensure_future(poll()) for _ in range(200)]
        await asyncio.sleep(1.5)  # all connected and waiting
        assert not any(w.done() for w in waiting), "a poll was answered before anything changed"
        edited = time.perf_counter()
        retitle(work / "content" / f"{ARTICLE}.txt", "عنوان ينتظره مئتا متصفح")
        return await asyncio.gather(*waiting), edited

    answers, edited = run_async(polls())
    delays = [arrived - edited for _, _, arrived in answers]  # from the save to the answer in the page
    reloaded = sum(1 for status, data, _ in answers if status == 200 and b'"reload": true' in body_of(data))
    line = figures("200 long polls, then an edit: reload delivered", delays, reloaded, 200)
    assert reloaded == 200, [a[:200] for _, a, _ in answers if b'"reload": true' not in a][:3]
    assert max(delays) < 5.0, line


def test_polls_beyond_the_cap_are_told_to_come_back_later(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><body>home</body>", "utf-8")
    live = Live(max_waiting=3)
    server = make_server(tmp_path, "127.0.0.1", 0, "/", live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    wait = request(f"/__arshif/wait?since=0&server={live.server}&page=/")
    try:

        async def run() -> tuple[list[tuple[int, bytes, float]], tuple[int, bytes, float]]:
            waiting = [asyncio.ensure_future(exchange(port, wait)) for _ in range(3)]
            await asyncio.sleep(0.5)
            beyond = await exchange(port, wait, timeout=5)
            assert not any(w.done() for w in waiting)
            live.publish(frozenset({"/"}))
            return await asyncio.gather(*waiting), beyond

        answers, (status, data, seconds) = run_async(run())
        assert status == 503 and seconds < 1 and b"Retry-After: 5" in data
        assert b'"retry": 5' in body_of(data) and b'"reload": false' in body_of(data)
        assert all(s == 200 and b'"reload": true' in body_of(a) for s, a, _ in answers)
        # a page that is due a reload gets it even while the cap is reached: only waiting is refused
        assert run_async(exchange(port, request(f"/__arshif/wait?since=0&server={live.server}&page=/")))[0] == 200
        print(f"\n[stress] a poll beyond the cap of 3 was answered 503 (retry in 5 s) in {seconds * 1000:.0f} ms")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_a_page_told_to_come_back_later_still_reloads(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """live.js in a real browser: a 503 'retry' answer is waited out, and the next poll brings the reload."""
    (tmp_path / "index.html").write_text("<!doctype html><body><h1>home</h1></body>", "utf-8")
    live = Live(max_waiting=0, retry=0.2)  # no poll may wait: every one is told to come back
    server = make_server(tmp_path, "127.0.0.1", 0, "/", live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tab = browser.new_page()
    try:
        refused: list[int] = []
        tab.on("response", lambda r: refused.append(r.status) if "/__arshif/wait" in r.url else None)
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        tab.evaluate("window.before = true")
        end = time.monotonic() + 10
        while refused.count(503) < 2:  # it came back after the first refusal
            assert time.monotonic() < end, refused
            tab.wait_for_timeout(50)
        live.publish(frozenset({"/"}))
        tab.wait_for_function("window.before === undefined", timeout=10000)
        print(f"\n[stress] live.js: {refused.count(503)} polls refused (503), then the reload came")
    finally:
        tab.close()
        server.shutdown()
        server.server_close()


def test_slow_and_malformed_clients_do_not_block_the_others(serving: Serving) -> None:
    port = port_of(serving)
    malformed = [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # TLS to a plain HTTP port
        b"DELETE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    ]

    async def half(opened: list[float]) -> float:
        """Half a request line, then nothing: how long until the server hangs up."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /articles/ar-2015")
        await writer.drain()
        opened.append(time.perf_counter())
        try:
            await asyncio.wait_for(reader.read(), IDLE_S + 10)
        finally:
            writer.close()
        return time.perf_counter() - opened[-1]

    async def run() -> tuple[list[float], float, list[tuple[int, bytes, float]], list[tuple[int, bytes, float]]]:
        sent, opened = time.perf_counter(), []
        slow = [asyncio.ensure_future(half(opened)) for _ in range(300)]
        while len(opened) < 300 and time.perf_counter() - sent < 5:
            await asyncio.sleep(0.01)
        took = time.perf_counter() - sent
        bad = await asyncio.gather(*(exchange(port, raw, timeout=5) for raw in malformed))
        good = await asyncio.gather(*(exchange(port, request(f"/articles/{ARTICLE}/")) for _ in range(50)))
        return await asyncio.gather(*slow), took, bad, good

    dropped, took, bad, good = run_async(run())
    ok = sum(1 for status, _, _ in good if status == 200)
    line = figures("50 GETs beside 300 half-sent requests and 7 malformed ones", [s for *_, s in good], ok, 50)
    print(f"[stress] 300 half-open connections opened in {took * 1000:.0f} ms")
    print(f"[stress] 7 malformed requests each answered in at most {max(s for *_, s in bad):.2f} s")
    print(f"[stress] 300 half-sent requests dropped after {min(dropped):.1f}-{max(dropped):.1f} s")
    assert took < 5.0  # the old server took 44 s to accept 300
    assert ok == 50 and max(s for *_, s in good) < 2.5, line
    # an error answer each (with no status line to what did not look like HTTP/1: as HTTP/0.9 has it)
    codes = [s or int(re.search(rb"Error code: (\d+)", a).group(1)) for s, a, _ in bad]  # type: ignore[union-attr]
    assert all(400 <= code < 600 for code in codes), codes
    print(f"[stress] their answers: {codes}")
    assert min(dropped) > IDLE_S - 1 and max(dropped) < IDLE_S + 5


TRAVERSALS = [
    "/../owner",
    "/../../../../etc/passwd",
    "/articles/../../owner",
    "/%2e%2e/owner",
    "/%2E%2E/%2e%2e/etc/passwd",
    "/..%2fowner",
    "/articles/%2e%2e%2f%2e%2e%2fowner",
    "/%252e%252e/owner",
    "/%252e%252e%252fowner",
    "/..\\owner",
    "/articles\\..\\..\\owner",
    "/..%5c..%5cowner",
    "/%00",
    "/out%00.txt",
    "/articles/%00/../../owner",
    "/%c0%ae%c0%ae/owner",
    "/etc/passwd",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/out.txt",
    "/articles/out/secret.txt",
]


def test_no_spelling_of_a_way_out_is_served(serving: Serving, work: Path) -> None:
    port, site = port_of(serving), site_of(serving)
    owner = (site.parent / "owner").read_text("utf-8").strip()
    paths = [*TRAVERSALS, "/" + str(work / "secret.txt"), "/" + urllib.parse.quote(str(work / "secret.txt"), safe="")]

    async def run() -> list[tuple[int, bytes, float]]:
        return await asyncio.gather(*(exchange(port, request(p)) for p in paths))

    answers = run_async(run())
    leaked = [
        p for p, (s, a, _) in zip(paths, answers, strict=True) if s != 404 or b"TOPSECRET" in a or owner.encode() in a
    ]
    print(f"\n[stress] {len(paths)} spellings of a way out: {len(paths) - len(leaked)} answered 404")
    assert leaked == []


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("LocalHost.:8000", True),
        ("[::1]:8000", True),
        ("evil.example:8000", False),
        ("evil.example", False),
        ("127.0.0.1.evil.example", False),
        ("localhost.evil.example:8000", False),
        ("[::1].evil.example", False),
    ],
)
def test_the_host_allow_list(name: str, allowed: bool) -> None:
    hosts = allowed_hosts("127.0.0.1")
    assert hosts is not None and (host_name(name) in hosts) is allowed
    assert allowed_hosts("0.0.0.0") is None and allowed_hosts("::") is None  # shared on purpose: any name


def test_a_foreign_host_is_refused_with_nothing_of_the_site(serving: Serving) -> None:
    port = port_of(serving)
    _, page, _ = run_async(exchange(port, request(f"/articles/{ARTICLE}/")))
    generation, server = live_state(page)

    def ask(path: str, host: str, extra: str = "") -> tuple[int, bytes]:
        status, data, _ = run_async(exchange(port, request(path, host, extra), timeout=5))
        return status, body_of(data)

    for path in ("/", f"/articles/{ARTICLE}/", "/static/style.css", "/__arshif/live.js", "/no-such-page/"):
        status, body = ask(path, f"rebind.evil.example:{port}")
        assert status == 403 and b"<html" not in body.lower() and "ال".encode() not in body, (path, body[:200])
    # a waiting poll is refused at once, not held
    assert ask(f"/__arshif/wait?since={generation}&server={server}&page=/", "evil.example")[0] == 403
    assert ask("/", "127.0.0.1", "Host: evil.example\r\n")[0] == 403  # a second Host header is checked too
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert ask("/", host)[0] == 200
    print("\n[stress] a foreign Host header: 403 on pages, files, the live script and the poll")


def test_another_bound_address_is_allowed_by_its_own_name(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><body>home</body>", "utf-8")
    server = make_server(tmp_path, "127.0.0.2", 0)  # all of 127/8 is this machine on Linux
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]

        async def ask(host: str) -> int:
            reader, writer = await asyncio.open_connection("127.0.0.2", port)
            writer.write(request("/", host))
            data = await reader.read()
            writer.close()
            return int(data.split(b" ")[1])

        assert run_async(ask(f"127.0.0.2:{port}")) == 200
        assert run_async(ask(f"localhost:{port}")) == 200
        assert run_async(ask(f"evil.example:{port}")) == 403
    finally:
        server.shutdown()
        server.server_close()


def test_clients_that_leave_mid_answer_print_nothing(serving: Serving, work: Path) -> None:
    port = port_of(serving)
    settle(serving)
    before = len(serving.lines)
    _, page, _ = run_async(exchange(port, request(f"/articles/{OTHER}/")))
    generation, server = live_state(page)
    wait = request(f"/__arshif/wait?since={generation}&server={server}&page=/articles/{OTHER}/")

    async def leave(raw: bytes, read: int, pause: float = 0.0) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        await writer.drain()
        if read:
            await reader.readexactly(read)
        await asyncio.sleep(pause)
        abort(writer)

    async def run() -> int:
        jobs = [leave(request("/big.bin"), 1024) for _ in range(60)]
        jobs += [leave(request("/big/"), 1024) for _ in range(60)]
        jobs += [leave(request(f"/articles/{ARTICLE}/"), 0) for _ in range(60)]
        jobs += [leave(b"GET /articles/", 0, 0.2) for _ in range(30)]
        jobs += [leave(wait, 0, 1.0) for _ in range(40)]  # left while waiting; answered after they are gone
        await asyncio.gather(*jobs)
        retitle(work / "content" / f"{OTHER}.txt", "عنوان لا يراه أحد")
        return len(jobs)

    rebuilds = len(serving.rebuilds())
    left = run_async(run())
    serving.wait_for("^rebuilt", count=rebuilds + 1)
    time.sleep(1.0)  # the server writes its answers to the 40 polls that are gone
    said = serving.lines[before:]
    print(f"\n[stress] {left} clients left mid-request or mid-answer; the server said {said}")
    assert tracebacks(said) == []
    assert run_async(exchange(port, request("/")))[0] == 200


# -- problems, the indexer, and leftovers ----------------------------------------------------------------------


def test_a_page_that_raises_becomes_a_problem_naming_its_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "arshif.toml").write_text('templates = "templates"\nsearch = false\n', "utf-8")
    article = tmp_path / "templates" / "article.html"
    # A template that raises (not a TemplateError) for one article: as a bug in our code would.
    text = article.read_text("utf-8")
    article.write_text(
        text.replace(
            "<h1>{{ article.title }}</h1>",
            '<h1>{{ article.title }}</h1>{% if "BOOM" in article.title %}{{ 1 // 0 }}{% endif %}',
            1,
        ),
        "utf-8",
    )
    source, other = tmp_path / "content" / f"{ARTICLE}.txt", tmp_path / "content" / f"{OTHER}.txt"
    with arshif_serve(tmp_path / "content") as serving:
        port = port_of(serving)
        retitle(source, "BOOM عنوان")
        retitle(other, "عنوان آخر في الدفعة نفسها")
        serving.wait_for(r"^rebuilt .* 1 problem")
        end = time.monotonic() + 10  # the two edits may have been two batches
        while "عنوان آخر" not in text_at(port, f"/articles/{OTHER}/"):
            assert time.monotonic() < end
            time.sleep(0.1)
        said = "\n".join(serving.lines)
        shown = f"content/{ARTICLE}.txt: could not draw /articles/{ARTICLE}/: integer division or modulo by zero"
        assert shown in said and "ZeroDivisionError at " in said and "article.html:" in said
        assert "Traceback (most recent call last)" not in said  # compact in the terminal; whole in the log
        assert said.count("arshif: internal error (ZeroDivisionError") == 1
        overlay = text_at(port, "/")
        assert shown in overlay.replace("&#x27;", "'")
        log = site_of(serving).parent / "errors.log"
        assert "Traceback (most recent call last)" in log.read_text("utf-8")
        retitle(source, "عنوان سليم")
        serving.wait_for(r"^rebuilt .* no problems")
        fixed = text_at(port, f"/articles/{ARTICLE}/")
        assert "عنوان سليم" in fixed and "arshif-problems" not in fixed
        print(f"\n[stress] a page that raised was shown as: {shown} (…)")


def test_a_failing_index_is_shown_and_ctrl_c_does_not_wait_for_pagefind(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    source = tmp_path / "content" / f"{ARTICLE}.txt"
    with arshif_serve(tmp_path / "content") as serving:
        port, site = port_of(serving), site_of(serving)
        serving.wait_for("search index refreshed")
        # an article page the indexer then cannot read (pages that are not articles are not read at all)
        (site / "broken.html").write_bytes(b'<html lang="ar"><body data-pagefind-body>\xff\xfe not UTF-8</body></html>')
        retitle(source, "عنوان أول")
        serving.wait_for("arshif: search index failed: ")
        [line] = [x for x in serving.lines if "search index failed" in x]
        assert "UnicodeDecodeError" in line and "previous index stays" in line
        home = text_at(port, "/")
        assert "search index: Pagefind failed: UnicodeDecodeError" in home
        (site / "broken.html").unlink()
        retitle(source, "عنوان ثان")  # later runs still happen, and clear the problem
        serving.wait_for("search index refreshed", count=2)
        time.sleep(0.3)
        assert "arshif-problems" not in text_at(port, "/")

        retitle(source, "عنوان ثالث")
        scratch = site.parent / "tmp"
        end = time.monotonic() + 20
        while not any(scratch.glob("arshif-index-*")):  # Pagefind's run has begun
            assert time.monotonic() < end, "the index never started"
            time.sleep(0.01)
        stopped = time.perf_counter()
        serving.process.send_signal(signal.SIGTERM)
        assert serving.process.wait(timeout=10) == 0
        seconds = time.perf_counter() - stopped
        print(f"\n[stress] SIGTERM while Pagefind ran: exited in {seconds * 1000:.0f} ms")
        assert seconds < 3
        assert not site.parent.exists()
        assert [p for p in _processes() if str(site.parent) in p] == []  # no indexer, no Pagefind left


def _processes() -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return found


def test_the_next_preview_sweeps_what_a_killed_one_left_and_two_ctrl_c_still_clean_up(
    serving: Serving, tmp_path: Path
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "arshif.toml").write_text("search = false\n", "utf-8")
    # A process that makes its preview folder as `arshif serve` does, then is killed with -9.
    make = (
        "import time; from generator.preview.session import PreviewFolder as F; print(F().path, flush=True);"
        " time.sleep(60)"
    )
    killed = subprocess.Popen([sys.executable, "-c", make], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert killed.stdout is not None
    left = Path(killed.stdout.readline().strip())
    killed.kill()
    killed.wait()
    assert left.is_dir()  # no chance to clean up
    living = site_of(serving).parent
    with arshif_serve(tmp_path / "content") as again:
        mine = site_of(again).parent
        assert not left.exists()
        assert living.exists() and mine.exists()  # never a running preview's
        again.process.send_signal(signal.SIGINT)
        time.sleep(0.05)  # the second while it cleans up
        again.process.send_signal(signal.SIGINT)
        assert again.process.wait(timeout=10) == 0
        again.wait_for("^stopped")
    assert not mine.exists() and tracebacks(again.lines) == []
    print(f"\n[stress] a preview killed with -9 left {left.name}; the next one removed it and kept {living.name}")


def test_sweep_removes_only_the_folders_of_processes_that_are_gone(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    mine = PreviewFolder(tmp_path)  # this process: alive
    folders = {name: tmp_path / f"{PREFIX}{name}" for name in ("dead", "reused", "starting", "other")}
    for folder in folders.values():
        folder.mkdir()
    (folders["dead"] / OWNER).write_text(f"{dead_pid} -\n", "utf-8")
    (folders["reused"] / OWNER).write_text(f"{os.getpid()} 1\n", "utf-8")  # our pid, another start: reused
    (folders["other"] / OWNER).write_text("1 -\n", "utf-8")  # init: alive, and not ours to judge
    removed = sweep(tmp_path)
    assert sorted(removed) == sorted([folders["dead"], folders["reused"]])
    assert mine.path.exists() and folders["starting"].exists() and folders["other"].exists()
