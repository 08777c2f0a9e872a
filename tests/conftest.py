"""Shared fixtures: the hand-written archive in tests/fixtures/, built once per session, and HTML helpers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import BuildResult, build
from generator.config import Config

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = dt.date(2026, 1, 8)


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
