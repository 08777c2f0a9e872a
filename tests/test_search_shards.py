"""The per-actor shards the search page lists an actor's articles from, written from tests/fixtures/archive."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import replace
from pathlib import Path

from conftest import FIXTURES, TODAY

from generator.build import read_corpus
from generator.config import Config
from generator.pages.archive import index_all
from generator.pages.site import Site
from generator.search.pagefind import (
    BUNDLE,
    DATES,
    FRAGMENT_SIGNATURE,
    SHARDS,
    actor_shards,
    alias_table,
    date_tables,
    shard_json,
)


def test_shards_are_paginated_newest_first_and_carry_what_a_result_shows(tmp_path: Path) -> None:
    config = Config(content=FIXTURES / "archive", output=tmp_path / "site", per_page=3)
    corpus = read_corpus(config)
    # Every fixture article names Oman, so one actor has enough articles to need several pages.
    articles = [replace(a, actors=tuple(dict.fromkeys((*a.actors, "country-om")))) for a in corpus.articles]
    site = Site(config, TODAY, corpus.actors)
    files = {page.output: shard_json(page.context) for page in actor_shards(site, index_all(articles).actors, per=2)}
    oman = sorted((name for name in files if name.startswith(f"{SHARDS}/country-om/")), key=lambda n: int(Path(n).stem))
    assert len(oman) == -(-len(articles) // 2) >= 3
    pages = [json.loads(files[name]) for name in oman]
    assert pages[0]["total"] == len(articles) and all("total" not in p for p in pages[1:])
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1))
    assert {p["pages"] for p in pages} == {len(pages)}
    entries = [e for p in pages for e in p["items"]]
    assert len({e["url"] for e in entries}) == len(articles)
    dated = [e["date"] for e in entries if e["date"]]
    assert dated == sorted(dated, reverse=True)
    assert entries[: len(dated)] == [e for e in entries if e["date"]]  # undated ones come last
    first = entries[0]
    assert set(first) == {"url", "title", "date", "date_text", "outlet", "lang", "year", "actors", "excerpt"}
    assert first["excerpt"] == ""  # Oman was added to these articles by hand: no sentence of theirs names it
    assert first["year"] == first["date"][:4] and "country-om" in first["actors"]
    assert first["url"].startswith("/articles/") and dt.date.fromisoformat(first["date"])


def test_alias_table_says_where_an_actors_shard_is() -> None:
    config = Config(content=FIXTURES / "archive", output=Path("unused"), base_url="https://example.org/news/")
    corpus = read_corpus(config)
    files = alias_table(corpus.actors, corpus.articles, "ar", "/news/")
    table = json.loads(files["data/search-actors.json"])
    assert table["shards"] == f"/news/{SHARDS}/" and table["actors"]["country-om"]["count"] == 1
    # Aliases are split by their first letter: عمان (and its other spellings) under ع, Oman under o.
    assert table["aliases"] == "/news/data/search/aliases/"
    assert json.loads(files[f"data/search/aliases/{ord('ع'):x}.json"])["عمان"] == ["country-om"]
    assert json.loads(files[f"data/search/aliases/{ord('o'):x}.json"])["oman"] == ["country-om"]
    assert all(
        next(iter(json.loads(body)))[0] == chr(int(path.rsplit("/", 1)[1][:-5], 16))
        for path, body in files.items()
        if "/aliases/" in path
    )


def test_the_build_writes_one_shard_per_actor_with_articles(fixture_site: Path) -> None:
    shard = fixture_site / SHARDS / "country-om" / "1.json"
    body = json.loads(shard.read_text("utf-8"))
    assert body["total"] == 1 and body["items"][0]["url"] == "/news/articles/ar-levant/"
    assert sorted(p.name for p in (fixture_site / SHARDS).iterdir()) == ["country-om"]


def test_the_bundle_has_date_tables_naming_its_own_pages(fixture_site: Path) -> None:
    """Sorting by date reads, per year, the Pagefind ids of each day's pages (see search.date_tables)."""
    bundle = fixture_site / BUNDLE
    tables = bundle / DATES
    years = json.loads((tables / "years.json").read_text("utf-8"))
    assert years and years == sorted(years, reverse=True)
    fragments = {
        p.stem: json.loads(gzip.decompress(p.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        for p in (bundle / "fragment").iterdir()
    }
    listed = {}
    for year in years:
        days = json.loads((tables / f"{year}.json").read_text("utf-8"))["days"]
        assert [d for d, _ in days] == sorted((d for d, _ in days), reverse=True)
        assert all(d[:4] == year for d, _ in days)
        listed.update({page_id: day for day, ids in days for page_id in ids.split(" ")})
    dated = {page_id: f["meta"]["date"] for page_id, f in fragments.items() if f["meta"].get("date")}
    assert listed == dated and len(dated) < len(fragments)  # every dated page once, on its day; undated ones not


def test_date_tables_group_pages_by_year_and_day() -> None:
    fragments = [
        ("ar_1", {"meta": {"date": "2018-04-02"}}),
        ("en_2", {"meta": {"date": "2018-04-02"}}),
        ("ar_3", {"meta": {"date": "2015-07-01"}}),
        ("ar_4", {"meta": {}}),
    ]
    tables = date_tables(fragments)
    assert json.loads(tables["years.json"]) == ["2018", "2015"]
    assert json.loads(tables["2018.json"]) == {"days": [["2018-04-02", "ar_1 en_2"]]}
    assert set(tables) == {"years.json", "2018.json", "2015.json"}
