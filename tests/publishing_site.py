"""The publishing tests' site: tests/fixtures/publishing built once with an absolute base_url under a sub-path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY

from generator.build import BuildResult, build
from generator.config import Config

BASE = "https://archive.example.org/news/"
FEED_ENTRIES = 3
ARCHIVE = FIXTURES / "publishing"


def publishing_config(root: Path, **options: object) -> Config:
    """A copy of the publishing archive under `root`, and the config that builds it into `root`/site."""
    content = root / "content"
    if not content.exists():
        shutil.copytree(ARCHIVE, content)
    settings = {"base_url": BASE, "per_page": 2, "feed_entries": FEED_ENTRIES, "workers": 1, **options}
    return Config(content=content, output=root / "site", **settings)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    config = publishing_config(tmp_path_factory.mktemp("publishing"))
    return config.output, build(config, today=TODAY)


@pytest.fixture(scope="session")
def pub_site(published: tuple[Path, BuildResult]) -> Path:
    return published[0]
