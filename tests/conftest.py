"""Shared fixtures: the hand-written archive in tests/fixtures/, built once per session, and HTML helpers."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import BuildResult, build
from generator.config import Config
from generator.serve import make_server

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = dt.date(2026, 1, 8)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed page at a site URL such as '/articles/x/'."""
    relative = url.strip("/")
    target = site / relative / "index.html" if not relative.endswith(".html") else site / relative
    return soup(target)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """tests/fixtures/archive built into a temporary site, once for the session."""
    work = tmp_path_factory.mktemp("fixture-site")
    content = work / "content"
    shutil.copytree(FIXTURES / "archive", content)
    config = Config(content=content, output=work / "site", per_page=3, base_url="https://example.org/news/")
    return work / "site", build(config, today=TODAY)


@pytest.fixture(scope="session")
def fixture_site(fixture_build: tuple[Path, BuildResult]) -> Path:
    return fixture_build[0]


def write_archive(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a small archive (relative name -> text or raw bytes) and return its folder."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    return root


@contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve a built site with our own server on a free port; yield its base URL."""
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (its own browser download needs the internet)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield b
        b.close()
