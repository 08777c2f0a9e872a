"""Open data: /data/articles.jsonl, /data/actors.json, /data/actors/<id>.json; deterministic, and kept in step by
the incremental build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import publishing_site
from conftest import TODAY
from publishing_site import BASE, publishing_config

from generator.build import build, read_corpus
from generator.config import Config
from generator.pages.archive import newest_first

published, pub_site = publishing_site.published, publishing_site.pub_site  # the session's fixtures
FIELDS = {"id", "url", "title", "date", "date_source", "outlet", "agency", "lang", "actors"}


def rows(site: Path) -> list[dict[str, object]]:
    text = (site / "data/articles.jsonl").read_text("utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def data_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "data").rglob("*")) if p.is_file()}


def test_articles_jsonl_has_one_row_per_article(pub_site: Path) -> None:
    corpus = read_corpus(publishing_config(pub_site.parent))
    found = rows(pub_site)
    assert [r["id"] for r in found] == sorted(a.id for a in corpus.articles)
    assert all(r.keys() >= FIELDS for r in found)
    by_id = {r["id"]: r for r in found}
    assert by_id["levant"] == by_id["levant"] | {
        "url": BASE + "articles/levant/", "date": "2022-01-08", "date_source": "dateline",
        "outlet": "وكالة الأنباء التجريبية", "agency": "سبوتنيك", "lang": "ar",
        "actors": ["putin", "almaty", "kremlin"],
    }  # fmt: skip
    assert by_id["undated"]["date"] is None and by_id["undated"]["date_source"] == "none"
    assert by_id["hostile"]["title"].startswith("</script>")


def test_actors_json_lists_each_actor_with_its_count(pub_site: Path) -> None:
    actors = {a["id"]: a for a in json.loads((pub_site / "data/actors.json").read_text("utf-8"))["actors"]}
    putin = actors["putin"]
    assert putin["kind"] == "person" and putin["wikidata"] == "Q7747"
    assert putin["names"]["en"] == "Vladimir Putin" and "بوتين" in putin["aliases"]["ar"]
    assert putin["articles"] == sum("putin" in r["actors"] for r in rows(pub_site))  # type: ignore[operator]
    assert putin["url"] == BASE + "actors/putin/" and putin["data"] == BASE + "data/actors/putin.json"
    assert actors["nobody-yet"]["articles"] == 0 and actors["nobody-yet"]["data"] is None
    assert actors["almaty"]["kind"] == "place" and actors["almaty"]["wikidata"] is None


def test_an_actors_file_lists_its_articles_newest_first(pub_site: Path) -> None:
    data = json.loads((pub_site / "data/actors/putin.json").read_text("utf-8"))
    corpus = read_corpus(publishing_config(pub_site.parent))
    expected = [a.id for a in newest_first(a for a in corpus.articles if "putin" in a.actors)]
    assert [a["id"] for a in data["articles"]] == expected
    assert data["articles"][-1]["id"] == "undated"
    assert sorted(p.stem for p in (pub_site / "data/actors").iterdir()) == sorted(
        a
        for a in {x for r in rows(pub_site) for x in r["actors"]}  # type: ignore[attr-defined]
    )


def test_two_builds_write_the_same_bytes(pub_site: Path, tmp_path: Path) -> None:
    other = Config(**{**publishing_config(pub_site.parent).__dict__, "output": tmp_path / "again"})
    build(other, today=TODAY)
    assert data_files(other.output) == data_files(pub_site)


def test_an_update_keeps_the_data_as_a_clean_build_has_it(tmp_path: Path) -> None:
    config = publishing_config(tmp_path, search=False)
    build(config, today=TODAY)
    levant = config.content / "levant.txt"
    levant.write_text(levant.read_text("utf-8").replace("مجلس الأمن", "مجلس الأمن والكرملين"), "utf-8")
    (config.content / "spa.txt").unlink()
    (config.content / "new.md").write_text(
        "---\ntitle: New\ndate: 2025-01-02\nlang: en\n---\n\nPutin spoke.\n", "utf-8"
    )
    result = build(config, today=TODAY)
    assert result.updated
    clean = Config(**{**config.__dict__, "output": tmp_path / "clean"})
    shutil.rmtree(clean.output, ignore_errors=True)
    build(clean, today=TODAY, clean=True)
    ours, theirs = data_files(config.output), data_files(clean.output)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert "spa" not in {r["id"] for r in rows(config.output)} and "new" in {r["id"] for r in rows(config.output)}
    assert json.loads((config.output / "data/actors/putin.json").read_text("utf-8"))["articles"][0]["id"] == "new"
