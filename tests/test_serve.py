"""The server over a real socket: what it serves, what it refuses, and `arshif serve` as a user runs it."""

from __future__ import annotations

import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import arshif_serve, served

from generator.preview.serve import PortInUse, make_server
from generator.preview.watch import Batches, Watcher, ignored


def get(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """A raw GET: the path goes out exactly as written (no client-side normalising of '..')."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small hand-made site, with a secret beside it and symlinks pointing in and out."""
    work = tmp_path_factory.mktemp("serve")
    root = work / "site"
    (root / "articles" / "a").mkdir(parents=True)
    (root / "articles" / "a" / "index.html").write_text(
        "<!doctype html><title>a</title><body>article a</body>", "utf-8"
    )
    (root / "404.html").write_text("<!doctype html><title>404</title><body>our own 404 page</body>", "utf-8")
    (root / "pagefind").mkdir()
    for name in ("wasm.ar.pagefind", "pagefind.ar_1.pf_meta", "pagefind.js"):
        (root / "pagefind" / name).write_bytes(b"\0x")
    (root / "app.wasm").write_bytes(b"\0asm")
    (work / "secret.txt").write_text("do not serve", "utf-8")
    os.symlink(work / "secret.txt", root / "outside.txt")
    os.symlink(root / "404.html", root / "inside.html")
    return root


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/articles/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/outside.txt",
        "/..\\secret.txt",
        "/%00/../secret.txt",
        "/%ff%fe",
    ],
)
def test_no_path_outside_the_site_is_served(base: str, path: str) -> None:
    status, _, body = get(base, path)
    assert status == 404
    assert b"do not serve" not in body and b"root:" not in body
    assert b"our own 404 page" in body


def test_a_symlink_that_stays_inside_is_served(base: str) -> None:
    assert get(base, "/inside.html")[0] == 200


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/app.wasm", "application/wasm"),
        ("/pagefind/pagefind.js", "text/javascript; charset=utf-8"),
        ("/pagefind/wasm.ar.pagefind", "application/octet-stream"),
        ("/pagefind/pagefind.ar_1.pf_meta", "application/octet-stream"),
        ("/articles/a/", "text/html"),
    ],
)
def test_mime_types(base: str, path: str, kind: str) -> None:
    status, headers, _ = get(base, path)
    assert status == 200 and headers["content-type"].startswith(kind)


def test_a_folder_without_its_slash_is_redirected(base: str) -> None:
    status, headers, _ = get(base, "/articles/a")
    assert status == 301 and headers["location"].endswith("/articles/a/")


def test_a_taken_port_is_reported_with_a_free_one(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse) as caught:
            make_server(site, "127.0.0.1", port)
        assert caught.value.free and caught.value.free != port
        assert f"port {port} on 127.0.0.1 is already in use" in str(caught.value)


# -- watching --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [".x.txt.swp", "x.txt~", "4913", ".#x.txt", "#x.txt#", "x.txt___jb_tmp___", ".git/index", "x.kate-swp"]
)
def test_editor_litter_is_ignored(name: str) -> None:
    assert ignored(f"/c/{name}")


def test_articles_are_not_ignored() -> None:
    assert not ignored("/c/ar-2015.txt") and not ignored("/c/actors.toml") and not ignored("/t/article.html")


def test_a_burst_of_500_changes_is_one_batch(tmp_path: Path) -> None:
    batches = Batches()
    watcher = Watcher([tmp_path], [], batches)
    watcher.start()
    try:
        for i in range(500):
            (tmp_path / f"a{i:03}.txt").write_text("title\n\nbody\n", "utf-8")
        batch = batches.take()
        assert batch is not None and len({p.name for p in batch}) == 500
        # nothing more was left behind for a second rebuild
        taker = threading.Thread(target=batches.take, daemon=True)
        taker.start()
        taker.join(1.0)
        assert taker.is_alive()
    finally:
        watcher.stop()


# -- `arshif serve` as a user runs it ----------------------------------------------------------------------------


def test_serve_reports_a_taken_port_and_exits_2(content: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--port", str(port), "--content", str(content)],
            cwd=content.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert re.search(rf"port {port} on 127.0.0.1 is already in use; port \d+ is free", done.stderr)


def test_serve_binds_localhost_and_leaves_site_alone(content: Path) -> None:
    with arshif_serve(content) as serving:
        assert serving.url.startswith("http://127.0.0.1:")
        status, _, body = get(serving.url, "/")
        assert status == 200 and b"/__arshif/live.js" in body
    assert not (content.parent / "site").exists()


def test_a_burst_of_500_file_changes_is_one_rebuild(content: Path) -> None:
    with arshif_serve(content) as serving:
        time.sleep(0.5)
        for i in range(500):
            (content / f"burst-{i:03}.txt").write_text(f"خبر رقم {i}\n\nنص الخبر رقم {i}.\n", "utf-8")
        serving.wait_for(r"^rebuilt")
        time.sleep(1.5)
        assert len(serving.rebuilds()) == 1, serving.rebuilds()
        assert get(serving.url, "/articles/burst-499/")[0] == 200


def test_deleting_and_renaming_while_serving(content: Path) -> None:
    with arshif_serve(content) as serving:
        article = "ar-2015-07-riyadh-oil-market"
        assert get(serving.url, f"/articles/{article}/")[0] == 200
        (content / f"{article}.txt").rename(content / "oil-renamed.txt")
        serving.wait_for(r"^rebuilt")
        assert get(serving.url, f"/articles/{article}/")[0] == 404
        assert get(serving.url, "/articles/oil-renamed/")[0] == 200
        (content / "oil-renamed.txt").unlink()
        serving.wait_for(r"^rebuilt", 2)
        assert get(serving.url, "/articles/oil-renamed/")[0] == 404
        assert b"oil-renamed" not in get(serving.url, "/dates/2015/")[2]


def test_ctrl_c_stops_cleanly_and_removes_the_preview(content: Path) -> None:
    with arshif_serve(content) as serving:
        line = next(line for line in serving.lines if "serving a preview" in line)
        folder = Path(re.search(r"built in (\S+),", line).group(1))  # type: ignore[union-attr]
        assert (folder / "index.html").is_file()
        serving.process.send_signal(signal.SIGINT)
        assert serving.process.wait(timeout=30) == 0
        serving.wait_for("^stopped")
    assert not folder.exists()


def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored(content: Path) -> None:
    """A shell's `&` without job control starts a command with SIGINT ignored; Ctrl-C must still stop it."""
    serve = shlex.join([sys.executable, "-m", "generator", "serve", "--port", "0", "--content", str(content)])
    command = f"trap '' INT; exec {serve}"
    process = subprocess.Popen(["sh", "-c", command], cwd=content.parent, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "serving a preview" in line:
                break
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()


def test_a_config_change_starts_the_preview_over(content: Path) -> None:
    config = content.parent / "arshif.toml"
    config.write_text('title = "أرشيف أول"\n', "utf-8")
    with arshif_serve(content) as serving:
        assert "<title>" in get(serving.url, "/")[2].decode() and "أرشيف أول" in get(serving.url, "/")[2].decode()
        config.write_text('title = "أرشيف ثان"\n', "utf-8")
        serving.wait_for("articles, .* files", 2)
        assert "أرشيف ثان" in get(serving.url, "/")[2].decode()
        config.write_text('title = "x"\nno_such_key = 1\n', "utf-8")
        serving.wait_for("unknown key 'no_such_key'")
        assert "no_such_key" in get(serving.url, "/")[2].decode()  # shown in the page's overlay


def test_editor_swap_files_start_no_rebuild(content: Path) -> None:
    with arshif_serve(content) as serving:
        time.sleep(0.5)
        for name in (".ar-2015-07-riyadh-oil-market.txt.swp", "ar-2015-07-riyadh-oil-market.txt~", "4913"):
            (content / name).write_text("x", "utf-8")
        time.sleep(1.5)
        assert serving.rebuilds() == []
        (content / "ar-2015-07-riyadh-oil-market.txt~").rename(content / "from-backup.txt")  # now an article
        serving.wait_for("^rebuilt")
        assert get(serving.url, "/articles/from-backup/")[0] == 200
