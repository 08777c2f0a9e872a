"""`arshif actors suggest` and `arshif actors list` on small hand-written archives (real files, real process)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import authority_archive, write_archive
from test_cli import arshif, arshif_json

from generator.tagging.suggest import new_id, skeleton

AUTHORITY = """
[putin]
kind = "person"
names = { ar = "بوتين", en = "Putin" }

[tokayev]
kind = "person"
names = { ar = "توكاييف" }

[nobody]
kind = "person"
names = { ar = "زيد الخيالي" }
"""

# Our own sentences, written for these tests (the corpus itself is not copied here).
ARTICLES = {
    "a1.txt": "بوتن يستقبل ضيفه\n\nاستقبل الرئيس الروسي، فلاديمير بوتين، وزير الخارجية الكندي سامي النمر أمس.\n",
    "a2.txt": "لقاء في موسكو\n\nقال بوتن إن المحادثات مفيدة. وأكد وزير الخارجية الكندي سامي النمر ذلك.\n",
    "a3.txt": "زيارة رسمية\n\nوصل الرئيس الكازاخي قاسم جومارت توكاييف إلى موسكو، والتقى بوتن والرئيس فلاديمير بوتين.\n",
    "a4.txt": "تصريحات\n\nوأعلن الرئيس قاسم جومارت توكاييف أن المتحدث باسم وزارة الخارجية الكندية، سامي النمر، وصل.\n",
    "a5.txt": "خبر قصير\n\nقال المتحدث الرسمي باسم الرئاسة الروسية، دميتري بيسكوف إن الرئيس زيد الخيالي لم يصل.\n",
    "a6.txt": "خبر آخر\n\nوأوضح المتحدث الرسمي باسم الرئاسة الروسية، دميتري بيسكوف أن الرئيس زيد الخيالي غائب.\n",
    "e1.md": "# Talks\n\nPresident Ronald Reagan met Treasury Secretary James Baker in MARCH. The talks went well.\n",
    "e2.md": "# More talks\n\nTREASURY SECRETARY ON TOUR\n\nJames Baker said President Ronald Reagan agreed.\n",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return authority_archive(tmp_path_factory.mktemp("suggest") / "content", ARTICLES, AUTHORITY)


@pytest.fixture(scope="module")
def found(archive: Path) -> dict[str, Any]:
    return arshif_json("actors", "suggest", "--content", archive, "--format", "json")


def test_a_name_after_a_title_and_qualifiers_is_a_new_actor_with_its_count(found: dict[str, Any]) -> None:
    actors = {a["name"]: a for a in found["actors"]}
    assert actors["سامي النمر"]["count"] == 3  # after وزير الخارجية الكندي, and المتحدث باسم وزارة ...، (comma)
    assert actors["سامي النمر"]["kind"] == "person" and actors["سامي النمر"]["id"] == "sami-al-namr"
    assert actors["دميتري بيسكوف"]["count"] == 2 and "بيسكوف" in actors["دميتري بيسكوف"]["example"]
    assert actors["Ronald Reagan"]["count"] == 2 and actors["James Baker"]["kind"] == "person"
    assert not [name for name in actors if "TREASURY" in name or name in ("MARCH", "The")]


def test_a_skeleton_variant_is_proposed_for_the_right_actor(found: dict[str, Any]) -> None:
    variants = [s for s in found["aliases"] if s["source"] == "skeleton"]
    assert [(s["actor"], s["alias"], s["like"], s["count"]) for s in variants] == [("putin", "بوتن", "بوتين", 3)]


def test_known_actors_are_not_proposed_but_longer_names_become_aliases(found: dict[str, Any]) -> None:
    names = {a["name"] for a in found["actors"]}
    assert not names & {"فلاديمير بوتين", "بوتين", "قاسم جومارت توكاييف", "زيد الخيالي"}
    longer = {(s["actor"], s["alias"]) for s in found["aliases"] if s["source"] == "title"}
    assert longer == {("putin", "فلاديمير بوتين"), ("tokayev", "قاسم جومارت توكاييف")}


def test_toml_output_pastes_into_an_authority_file(archive: Path) -> None:
    result = arshif("actors", "suggest", "--content", archive, "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# New aliases for known actors\n")
    assert "# بوتن looks like بوتين (putin): 3 articles — e.g. «" in result.stdout
    aliases, actors = result.stdout.split("# New actors\n")
    new = tomllib.loads(actors)
    assert len(new) == 2 and new["sami-al-namr"] == {"kind": "person", "names": {"ar": "سامي النمر"}}
    assert tomllib.loads(aliases)["putin"]["aliases"]["ar"][0] == "بوتن"


def test_min_count_and_bad_arguments(archive: Path) -> None:
    result = arshif("actors", "suggest", "--content", archive, "--format", "json", "--min-count", "3")
    assert [a["name"] for a in json.loads(result.stdout)["actors"]] == ["سامي النمر"]
    assert arshif("actors", "suggest", "--content", archive, "--min-count", "0").returncode == 2
    assert arshif("actors").returncode == 2


def test_actors_list_counts_articles(archive: Path) -> None:
    rows = {r["id"]: r for r in arshif_json("actors", "list", "--content", archive, "--format", "json")}
    assert rows["putin"] == {"id": "putin", "kind": "person", "name": "بوتين", "articles": 2}
    assert rows["tokayev"]["articles"] == 2 and rows["nobody"]["articles"] == 2
    assert "country-ca" not in rows  # الكندي is an adjective, not Canada
    assert all(r["articles"] > 0 for i, r in rows.items() if i.startswith("country-"))
    table = arshif("actors", "list", "--content", archive).stdout.splitlines()
    assert table[0].split("\t") == ["id", "kind", "name", "articles"]


def test_skeleton_and_ids() -> None:
    assert skeleton("بوتن") == skeleton("بوتين") == "بتن"
    assert new_id("فلاديمير بوتين", ["fladimir-butin"]) == "fladimir-butin-2"
    assert new_id("Ronald Reagan", []) == "ronald-reagan"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("محمد بن سلمان", "mohammed-bin-salman"),  # was mhmd-bn-slman
        ("عبد الفتاح السيسي", "abdel-fattah-al-sisi"),  # was abd-alftah-alsisi
        ("عبد الله الثاني", "abdullah-al-thani"),
        ("مصطفى النمر", "mustafa-al-namr"),
        ("فاطمة", "fatma"),
    ],
)
def test_ids_are_readable(name: str, expected: str) -> None:
    assert new_id(name, []) == expected


def test_examples_are_cut_at_word_edges_and_leave_the_dateline_out() -> None:
    from generator.model import Article, Dateline
    from generator.tagging.names import sentence_around

    dateline = "(وكالة الأنباء التجريبية / سبوتنيك - 08 كانون الثاني 2022ء)"
    body = dateline + " استقبل الرئيس الكازاخي قاسم جومارت توكاييف في العاصمة وفدا كبيرا من رجال الأعمال والمستثمرين"
    body += " القادمين من بلدان كثيرة بعيدة لبحث مشروعات مشتركة في الطاقة والنقل والزراعة والتعليم والصحة."
    article = Article(id="a", source="a.txt", format="text", title="t", body=body, dateline=Dateline(text=dateline))
    shown = sentence_around(article, 0, body.index("قاسم"), width=60)
    assert "سبوتنيك" not in shown and "كانون" not in shown
    assert shown.startswith("استقبل الرئيس") or shown.startswith("…")
    words = set(body.split())
    assert all(w in words for w in shown.strip("…").split())  # no word cut in half at either end
    assert shown.endswith("…")


def test_no_empty_headings_in_toml(tmp_path: Path) -> None:
    content = write_archive(tmp_path / "content", {"a.txt": "خبر\n\nنص بلا أسماء.\n"})
    result = arshif("actors", "suggest", "--content", content)
    assert result.returncode == 0, result.stderr
    assert "# New aliases" not in result.stdout and "# New actors" not in result.stdout
