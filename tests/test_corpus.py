"""The real corpus in ../shared/corpus (present in CI; skipped on a stranger's machine)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, TODAY, page

from generator.build import build, read_corpus
from generator.config import Config

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")]


def meta(folder: str) -> dict[str, dict]:
    lines = (CORPUS / folder / "meta.jsonl").read_text("utf-8").splitlines()
    return {row["file"]: row for row in map(json.loads, lines)}


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return read_corpus(Config(content=CORPUS))


def test_every_article_is_read(corpus) -> None:  # type: ignore[no-untyped-def]
    expected = sum(len(meta(d.name)) for d in CORPUS.iterdir() if (d / "meta.jsonl").is_file())
    assert len(corpus.articles) == expected
    for problem in corpus.problems:
        assert re.match(r"^\S.*?(:\d+)?: ", str(problem)), problem


def test_sidecar_dates_win_where_present(corpus) -> None:  # type: ignore[no-untyped-def]
    rows = {**{f"ant-corpus-v2.1/{k}": v for k, v in meta("ant-corpus-v2.1").items()}}
    rows |= {f"reuters21578/{k}": v for k, v in meta("reuters21578").items()}
    by_source = {a.source: a for a in corpus.articles}
    for source, row in rows.items():
        article = by_source[source]
        assert (article.date.isoformat(), article.date_source) == (row["date"], "sidecar"), source


def test_spa_datelines_give_the_date(corpus) -> None:  # type: ignore[no-untyped-def]
    """SaudiNewsNet has no publication date in its metadata: the dateline is the only source."""
    spa = [a for a in corpus.articles if a.source.startswith("saudinewsnet/") and a.dateline.agency == "واس"]
    assert len(spa) > 100
    dated = [a for a in spa if a.date_source == "dateline"]
    assert len(dated) / len(spa) > 0.9
    assert all(a.date.year == 2015 for a in dated)


def listed(site: Path, url: str) -> list[str]:
    ids: list[str] = []
    while url:
        html = page(site, url)
        ids += [a["href"].strip("/").rsplit("/", 1)[1] for a in html.select(".article-list a.title")]
        nxt = html.select_one(".pager a[rel=next]")
        url = nxt["href"] if nxt else ""
    return ids


def test_whole_corpus_builds_with_every_article_on_its_day(tmp_path: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    result = build(Config(content=CORPUS, output=site, search=False), today=TODAY)
    assert result.articles == len(corpus.articles)
    assert sum(1 for _ in (site / "articles").iterdir()) == result.articles
    expected: dict[str, set[str]] = {}
    for article in corpus.articles:
        expected.setdefault(article.date.isoformat() if article.date else "undated", set()).add(article.id)
    days = json.loads((site / "data" / "dates.json").read_text())["days"]
    assert days == {day: len(ids) for day, ids in expected.items() if day != "undated"}
    for day, ids in expected.items():
        url = "/dates/undated/" if day == "undated" else f"/dates/{day.replace('-', '/')}/"
        on_page = listed(site, url)
        assert len(on_page) == len(ids) and set(on_page) == ids, day
