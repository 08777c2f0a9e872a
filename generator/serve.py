"""Preview server: serve the built site over HTTP from 127.0.0.1, never a file outside the site folder."""

from __future__ import annotations

import errno
import os
import socket
import urllib.parse
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


class PortInUse(OSError):
    def __init__(self, host: str, port: int, free: int | None) -> None:
        hint = f"; port {free} is free (use --port {free}, or --port 0 for any)" if free else ""
        super().__init__(f"port {port} on {host} is already in use{hint}")
        self.free = free


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from `root` (mounted at `base_path`); the site's own 404 page; quiet logs."""

    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}

    def __init__(self, *args: object, root: Path, base_path: str, **kwargs: object) -> None:
        self.root = root
        self.base_path = base_path
        super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

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
        return super().send_head()

    def list_directory(self, path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
        return self.send_not_found()

    def send_not_found(self):  # type: ignore[no-untyped-def]
        page = self.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"<h1>404 Not Found</h1>"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind == "application/json" else kind

    def log_message(self, format: str, *args: object) -> None:
        return None


def make_server(root: Path, host: str, port: int, base_path: str = "/") -> ThreadingHTTPServer:
    """Bind now (so a taken port is reported before anything else happens)."""
    handler = partial(SiteHandler, root=root.resolve(), base_path=base_path)
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
