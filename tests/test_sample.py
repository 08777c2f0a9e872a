"""The sample archive that ships in content/: what a new user sees first must be right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, page
from test_cli import arshif

from generator.build import build
from generator.config import Config

SEED = "000_25b0c3a9aff7d635"
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    build(Config(content=CONTENT, output=out), today=TODAY)
    return out


def test_seed_article_as_listed() -> None:
    rows = {r["id"]: r for r in json.loads(arshif("list", "--format", "json", cwd=ROOT).stdout)}
    seed = rows[SEED]
    assert seed["title"] == (
        "بوتن وتوكايف يبحثان هاتفيا الوضع في كازاخستان والأخير يؤكد تطوره نحو الاستقرار – الكرملين"
    )
    assert (seed["date"], seed["date_source"]) == ("2022-01-08", "dateline")
    assert (seed["outlet"], seed["agency"]) == ("پاکستان پوائنٹ نیوز", "سبوتنيك")
    assert (seed["lang"], seed["dir"]) == ("ar", "rtl")
    assert seed["dateline"] == "(پاکستان پوائنٹ نیوز / سبوتنيك - 08 كانون الثاني 2022ء)"


def test_seed_article_page(sample_site: Path) -> None:
    html = page(sample_site, f"/articles/{SEED}/")
    assert (html.html["lang"], html.html["dir"]) == ("ar", "rtl")
    assert (html.body.article["lang"], html.body.article["dir"]) == ("ar", "rtl")
    assert html.select_one("article time")["datetime"] == "2022-01-08"


def test_sample_is_clean_and_varied() -> None:
    result = arshif("check", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    rows = json.loads(arshif("list", "--format", "json", cwd=ROOT).stdout)
    assert len(rows) >= 21
    langs = {r["lang"] for r in rows}
    assert {"ar", "en"} <= langs
    assert sum(r["date"] is None for r in rows) >= 1
    assert any(r["path"].endswith(".md") for r in rows)
    assert {r["date_source"] for r in rows} >= {"dateline", "sidecar", "front-matter", "none"}


@pytest.mark.skipif(not (ROOT.parent / "shared" / "seed").is_dir(), reason="shared seed not present")
def test_seed_is_the_shared_file_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seed" / f"{SEED}.txt"
    assert (CONTENT / f"{SEED}.txt").read_bytes() == shared.read_bytes()


def test_every_sample_article_is_dated_except_the_deliberately_undated() -> None:
    rows = json.loads(arshif("list", "--format", "json", cwd=ROOT).stdout)
    undated = sorted(r["id"] for r in rows if r["date"] is None)
    assert undated == [r["id"] for r in rows if "undated" in r["id"]] and undated
