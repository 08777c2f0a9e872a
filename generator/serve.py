"""Serve a site over HTTP from 127.0.0.1, never a file outside the site folder; in preview, with live reload.

Live reload is long polling (as MkDocs does): each served page gets a small script, and the page's
`/__arshif/wait` request returns when a rebuild changed that page (or the list of problems, or a shared
asset). A page is reloaded also when the server it came from was restarted. When the last rebuild has
problems, every page carries an overlay listing them. None of this is in the files on disk.
"""

from __future__ import annotations

import errno
import html
import json
import os
import secrets
import socket
import threading
import time
import urllib.parse
from collections.abc import Sequence
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

# Python's table lacks some of what a site with a search index serves.
EXTRA_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}


LIVE = "/__arshif/"
POLL_S = 25.0  # a long poll is answered after this long even without a change (proxies drop idle requests)
HISTORY = 200  # rebuilds remembered; a page that slept through more simply reloads
LIVE_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")


class Live:
    """What the preview tells its pages: a generation per rebuild, what each changed, the current problems."""

    def __init__(self) -> None:
        self.server = secrets.token_hex(4)  # a page from another server run reloads
        self._cond = threading.Condition()
        self.generation = 0
        self._changes: list[tuple[int, frozenset[str]]] = []
        self.problems: tuple[str, ...] = ()

    def publish(self, changed: frozenset[str], problems: Sequence[object] | None = None) -> None:
        """Record a rebuild: `changed` are site URLs ('/articles/x/'); `problems` None keeps the current ones.

        A page reloads when it changed, when the problems changed (the overlay), or when anything that is not
        a page changed (a stylesheet, a script); search data and the index concern the search page only."""
        shown = self.problems if problems is None else tuple(str(p) for p in problems)
        pages = {"/search/" if u.startswith(("/data/", "/pagefind/")) else u for u in changed}
        with self._cond:
            everything = shown != self.problems or any(not u.endswith(("/", ".html")) for u in pages)
            if not pages and not everything:
                return
            self.problems = shown
            self.generation += 1
            self._changes.append((self.generation, frozenset({"*"}) if everything else frozenset(pages)))
            del self._changes[:-HISTORY]
            self._cond.notify_all()

    def wait(self, since: int, url: str, timeout: float = POLL_S) -> dict[str, object]:
        """Block until a rebuild after `since` changed `url` (or `timeout`); say whether to reload."""
        end = time.monotonic() + timeout
        with self._cond:
            while True:
                if self.generation > since:
                    oldest = self._changes[0][0] if self._changes else self.generation + 1
                    if since + 1 < oldest or any(g > since and ("*" in c or url in c) for g, c in self._changes):
                        return self.answer(True)
                    since = self.generation  # rebuilds that did not touch this page
                left = end - time.monotonic()
                if left <= 0:
                    return self.answer(False)
                self._cond.wait(left)

    def answer(self, reload: bool) -> dict[str, object]:
        return {"server": self.server, "generation": self.generation, "reload": reload}

    def snippet(self, live_path: str) -> bytes:
        """What goes before </body> of every served page."""
        with self._cond:
            generation, problems = self.generation, self.problems
        parts = [
            f'<script src="{live_path}live.js" data-generation="{generation}" data-server="{self.server}"></script>'
        ]
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            parts.append(
                '<div id="arshif-problems" role="alert" dir="ltr"><button type="button" aria-label="close" '
                'onclick="this.parentNode.remove()">×</button>'
                f"<strong>{len(problems)} problem{'s' if len(problems) != 1 else ''} "
                "— a file with an error keeps its last good page until it is fixed</strong>"
                f"<ul>{items}</ul></div><style>{OVERLAY_CSS}</style>"
            )
        return "".join(parts).encode("utf-8")


OVERLAY_CSS = (
    "#arshif-problems{position:fixed;inset:auto 0 0 0;max-height:45vh;overflow:auto;z-index:2147483647;"
    "background:#fff5f5;color:#5c0000;border-top:4px solid #c00;font:14px/1.5 ui-monospace,monospace;"
    "padding:.75em 1em;text-align:left;box-shadow:0 -2px 12px #0003}"
    "#arshif-problems ul{margin:.5em 0 0;padding:0 0 0 1.2em}#arshif-problems li{unicode-bidi:plaintext}"
    "#arshif-problems button{float:right;font-size:1.4em;line-height:1;border:0;background:none;cursor:pointer}"
)


class PortInUse(OSError):
    def __init__(self, host: str, port: int, free: int | None) -> None:
        hint = f"; port {free} is free (use --port {free}, or --port 0 for any)" if free else ""
        super().__init__(f"port {port} on {host} is already in use{hint}")
        self.free = free


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from `root` (mounted at `base_path`); the site's own 404 page; quiet logs."""

    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}

    def __init__(self, *args: object, root: Path, base_path: str, live: Live | None = None, **kwargs: object) -> None:
        self.root = root
        self.base_path = base_path
        self.live = live
        super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        if self.live is not None and self.path.startswith(LIVE):
            return self.send_live()
        return super().do_GET()

    def send_live(self) -> None:
        assert self.live is not None
        url = urllib.parse.urlsplit(self.path)
        if url.path == LIVE + "live.js":
            return self.send_bytes(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_JS.encode())
        if url.path != LIVE + "wait":
            return self.send_not_found()
        query = urllib.parse.parse_qs(url.query)
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        page = query.get("page", ["/"])[0]
        page = "/" + page[len(self.base_path) :] if page.startswith(self.base_path) else page
        if query.get("server", [self.live.server])[0] != self.live.server:
            answer = self.live.answer(True)  # the page came from an earlier run of the server
        else:
            answer = self.live.wait(since, page.removesuffix("index.html"))
        return self.send_bytes(HTTPStatus.OK, "application/json", json.dumps(answer).encode())

    def send_bytes(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.live is not None:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        """Map a URL path to a file under root, or to '' when it would leave root."""
        path = urllib.parse.urlsplit(path).path
        path = urllib.parse.unquote(path, errors="strict")
        if not path.startswith(self.base_path):
            return ""
        parts = [p for p in path[len(self.base_path) :].split("/") if p not in ("", ".")]
        if any(p == ".." or "\\" in p or "\x00" in p or os.sep in p for p in parts):
            return ""
        candidate = self.root.joinpath(*parts)
        try:
            resolved = candidate.resolve(strict=False)
        except (OSError, RuntimeError):
            return ""
        # Symlinks are followed only while they stay inside the site.
        if resolved != self.root and self.root not in resolved.parents:
            return ""
        if path.endswith("/") or resolved.is_dir():
            return str(candidate) + ("/" if not str(candidate).endswith("/") else "")
        return str(candidate)

    def send_head(self):  # type: ignore[no-untyped-def]
        try:
            local = self.translate_path(self.path)
        except UnicodeDecodeError:
            local = ""
        if local and os.path.isdir(local) and not os.path.exists(os.path.join(local, "index.html")):
            local = ""  # no directory listings
        if not local or not os.path.exists(local):
            return self.send_not_found()
        page = os.path.join(local, "index.html") if os.path.isdir(local) else local
        slash = not os.path.isdir(local) or urllib.parse.urlsplit(self.path).path.endswith("/")
        if self.live is not None and slash and page.endswith(".html"):
            self.send_page(HTTPStatus.OK, Path(page).read_bytes())
            return None
        return super().send_head()  # files, and the redirect of a folder to its URL with a slash

    def send_page(self, status: HTTPStatus, body: bytes) -> None:
        """An HTML page, with the preview's script (and problems) when this server is a preview."""
        if self.live is not None:
            snippet = self.live.snippet(LIVE)
            at = body.rfind(b"</body>")
            body = body[:at] + snippet + body[at:] if at >= 0 else body + snippet
        self.send_bytes(status, "text/html; charset=utf-8", body)

    def list_directory(self, path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
        return self.send_not_found()

    def send_not_found(self):  # type: ignore[no-untyped-def]
        page = self.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><h1>404 Not Found</h1>"
        self.send_page(HTTPStatus.NOT_FOUND, body)
        return None

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind == "application/json" else kind

    def log_message(self, format: str, *args: object) -> None:
        return None


def make_server(
    root: Path, host: str, port: int, base_path: str = "/", live: Live | None = None
) -> ThreadingHTTPServer:
    """Bind now (so a taken port is reported before anything else happens); `live` makes it a preview."""
    handler = partial(SiteHandler, root=root.resolve(), base_path=base_path, live=live)
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise PortInUse(host, port, next_free_port(host, port)) from None
        raise
    server.daemon_threads = True
    return server


def next_free_port(host: str, start: int, tries: int = 50) -> int | None:
    for port in range(start + 1, min(start + 1 + tries, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    return None
