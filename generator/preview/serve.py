"""Serve a site over HTTP from 127.0.0.1, never a file outside the site folder; in preview, with live reload.

Live reload is long polling (as MkDocs does): each served page gets a small script, and the page's
`/__arshif/wait` request returns when a rebuild changed that page (or the list of problems, or a shared
asset). A page is reloaded also when the server it came from was restarted. When the last rebuild has
problems, every page carries an overlay listing them. None of this is in the files on disk.

Limits, so that a burst of clients or a misbehaving one cannot stall the rest: a listen queue of hundreds, a
thread per connection (daemons, so a waiting poll never holds up the exit) that drops a client idle for
`IDLE_S`, at most `MAX_WAITING` polls waiting at once (the next ones are told to come back later), and quiet
about clients that leave. Requests must name this machine in `Host` (see `allowed_hosts`): a web page on a name
that an attacker re-points at 127.0.0.1 (DNS rebinding) cannot read the preview, drafts included.
"""

from __future__ import annotations

import errno
import html
import json
import math
import os
import re
import secrets
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Mapping, Sequence
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
MAX_WAITING = 256  # polls waiting at once (a thread each); the next ones are told to come back in RETRY_S
RETRY_S = 5
BACKLOG = 1024  # connections the kernel holds before we accept them (Python's default, 5, drops bursts)
IDLE_S = 10.0  # a client that sends (or reads) nothing for this long is dropped: half-open, slow or gone
# What a client that goes away raises in its thread: no one to tell, so no traceback and no log line.
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})
LIVE_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")


class Live:
    """What the preview tells its pages: a generation per rebuild, what each changed, the current problems."""

    def __init__(self, max_waiting: int = MAX_WAITING, retry: float = RETRY_S) -> None:
        self.server = secrets.token_hex(4)  # a page from another server run reloads
        self.max_waiting, self.retry = max_waiting, retry
        self._cond = threading.Condition()
        self._waiting = 0
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
        """Block until a rebuild after `since` changed `url` (or `timeout`); say whether to reload.

        Beyond `max_waiting` polls at once the answer is at once `retry` (seconds): a page that is due a reload
        still gets it, only the waiting is refused, so threads stay bounded however many tabs are open."""
        end = time.monotonic() + timeout
        counted = False
        with self._cond:
            try:
                while True:
                    if self.generation > since:
                        oldest = self._changes[0][0] if self._changes else self.generation + 1
                        if since + 1 < oldest or any(g > since and ("*" in c or url in c) for g, c in self._changes):
                            return self.answer(True)
                        since = self.generation  # rebuilds that did not touch this page
                    left = end - time.monotonic()
                    if left <= 0:
                        return self.answer(False)
                    if not counted:
                        if self._waiting >= self.max_waiting:
                            return {**self.answer(False), "retry": self.retry}
                        self._waiting, counted = self._waiting + 1, True
                    self._cond.wait(left)
            finally:
                if counted:
                    self._waiting -= 1

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
            items = "".join(f"<li>{isolated(p)}</li>" for p in problems)
            parts.append(
                '<div id="arshif-problems" role="alert" dir="ltr"><button type="button" aria-label="close" '
                'onclick="this.parentNode.remove()">×</button>'
                f"<strong>{len(problems)} problem{'s' if len(problems) != 1 else ''} "
                "— a file with an error keeps its last good page until it is fixed</strong>"
                f"<ul>{items}</ul></div><style>{OVERLAY_CSS}</style>"
            )
        return "".join(parts).encode("utf-8")


QUOTED = re.compile(r"('[^'\n]*'|«[^»\n]*»|\"[^\"\n]*\")")


def isolated(problem: str) -> str:
    """A problem line as HTML, each quoted value in <bdi>: an Arabic date inside the left-to-right line would
    otherwise be laid out scrambled ("32 2022 شباط")."""
    parts = QUOTED.split(problem)
    return "".join(f"<bdi>{html.escape(p)}</bdi>" if i % 2 else html.escape(p) for i, p in enumerate(parts))


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


def allowed_hosts(bind: str) -> frozenset[str] | None:
    """The names a server bound to `bind` answers to in `Host`; None: any.

    Bound to one address (127.0.0.1 by default), only this machine's names and that address: a page on any
    other name is a page whose DNS was turned toward us. Bound to every address (0.0.0.0, ::) the preview is
    shared on purpose, under names and addresses we cannot know (the machine's LAN address, its mDNS name), so
    every name is answered; that is the choice `--host 0.0.0.0` makes, and the README says so.
    """
    if bind in ANY_ADDRESS:
        return None
    bind = bind.lower()
    return LOCAL_HOSTS | {f"[{bind}]" if ":" in bind else bind}


def host_name(header: str) -> str:
    """The name in a Host header, without its port: 'LocalHost:8000' -> 'localhost', '[::1]:80' -> '[::1]'."""
    header = header.strip().lower()
    if header.startswith("["):  # an IPv6 address; after it only a port may come
        end = header.find("]") + 1
        return header[:end] if end and (header[end:] == "" or header[end] == ":") else header
    name = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
    return name.removesuffix(".")  # 'localhost.' is the same name


class SiteServer(ThreadingHTTPServer):
    """A thread per connection, a listen queue that holds a burst of hundreds, quiet about clients that leave."""

    request_queue_size = BACKLOG
    daemon_threads = True  # a long poll that is waiting never holds up the exit
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], GONE):
            return  # the client closed its tab or its connection: nothing went wrong here
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer6(SiteServer):
    address_family = socket.AF_INET6


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from `root` (mounted at `base_path`); the site's own 404 page; quiet logs."""

    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}
    timeout = IDLE_S  # on every read and write of the connection's socket

    def __init__(
        self,
        *args: object,
        root: Path,
        base_path: str,
        live: Live | None = None,
        hosts: frozenset[str] | None = None,
        **kwargs: object,
    ) -> None:
        self.root = root
        self.base_path = base_path
        self.live = live
        self.hosts = hosts
        super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    def parse_request(self) -> bool:
        """The request line and headers, and then the Host check, before any method sees the request."""
        if not super().parse_request():
            return False
        # No Host at all is a hand-written HTTP/1.0 request, never a browser's; rebinding needs a browser.
        names = self.headers.get_all("Host") or []
        if self.hosts is not None and any(host_name(n) not in self.hosts for n in names):
            self.close_connection = True
            body = b"403 Forbidden: this server answers only to this machine's names (see arshif serve --host)\n"
            self.send_bytes(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", body)
            return False
        return True

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
        body = json.dumps(answer).encode()
        if "retry" in answer:  # too many polls waiting: come back later (live.js waits, then asks again)
            retry = {"Retry-After": str(math.ceil(self.live.retry))}
            return self.send_bytes(HTTPStatus.SERVICE_UNAVAILABLE, "application/json", body, retry)
        return self.send_bytes(HTTPStatus.OK, "application/json", body)

    def send_bytes(self, status: HTTPStatus, kind: str, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.live is not None:
            self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
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
            try:
                body = Path(page).read_bytes()
            except OSError:  # removed by a rebuild since we looked
                return self.send_not_found()
            self.send_page(HTTPStatus.OK, body)
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
        try:
            body = (self.root / "404.html").read_bytes()
        except OSError:  # not built (yet), or being replaced
            body = b"<!doctype html><title>404</title><h1>404 Not Found</h1>"
        self.send_page(HTTPStatus.NOT_FOUND, body)
        return None

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind == "application/json" else kind

    def log_message(self, format: str, *args: object) -> None:
        return None


def make_server(root: Path, host: str, port: int, base_path: str = "/", live: Live | None = None) -> SiteServer:
    """Bind now (so a taken port is reported before anything else happens); `live` makes it a preview."""
    handler = partial(SiteHandler, root=root.resolve(), base_path=base_path, live=live, hosts=allowed_hosts(host))
    kind = SiteServer6 if ":" in host else SiteServer
    try:
        return kind((host, port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise PortInUse(host, port, next_free_port(host, port)) from None
        raise


def next_free_port(host: str, start: int, tries: int = 50) -> int | None:
    for port in range(start + 1, min(start + 1 + tries, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    return None
