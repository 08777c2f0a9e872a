"""Shared fixtures: the hand-written archive in tests/fixtures/, built once per session, and HTML helpers."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from generator.build import BuildResult, build
from generator.config import Config
from generator.preview.serve import make_server
from generator.search.shards import FRAGMENT_SIGNATURE, MANIFEST

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


def search_documents(bundle: Path) -> list[dict[str, object]]:
    """What a search bundle answers from: every page Pagefind indexed (url, text, filters, metadata), but those
    its manifest lists as stale (replaced by a delta shard, or gone)."""
    stale = set(json.loads((bundle / MANIFEST).read_text("utf-8"))["stale"])
    found = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        if path.stem not in stale:
            fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
            found.append({k: fragment.get(k) for k in ("url", "content", "filters", "meta", "language")})
    return sorted(found, key=lambda d: str(d["url"]))


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


def authority_archive(root: Path, files: dict[str, str | bytes], authority: str) -> Path:
    """A small archive with its own authority file (`actors.toml`)."""
    content = write_archive(root, files)
    (content / "actors.toml").write_text(authority, "utf-8")
    return content


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


@dataclass
class Serving:
    process: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    def rebuilds(self) -> list[str]:
        return [line for line in self.lines if line.startswith("rebuilt")]

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if sum(1 for line in list(self.lines) if re.search(pattern, line)) >= count:
                return
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in {self.lines}")


@contextmanager
def arshif_serve(content: Path, *extra: str) -> Iterator[Serving]:
    """`arshif serve --port 0` in a process of its own; yields once it says where it serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", "--content", str(content), *extra],
        cwd=content.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    try:
        end = time.monotonic() + 60
        while not any("serving a preview at" in line for line in lines):
            assert process.poll() is None and time.monotonic() < end, lines
            time.sleep(0.05)
        url = re.search(r"http://\S+", next(line for line in lines if "serving a preview" in line)).group(0)  # type: ignore[union-attr]
        yield Serving(process, url.rstrip("/"), lines)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


# Hypothesis (tests/test_properties.py): bounded by default; HYPOTHESIS_PROFILE=long for a deeper search.
settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    database=DirectoryBasedExampleDatabase(ROOT / ".pytest_cache" / "hypothesis"),  # .gitignored
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("long", settings.get_profile("ci"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
