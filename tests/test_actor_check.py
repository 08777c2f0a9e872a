"""The archivist decides: actors.toml marks, `arshif actors check` and `arshif list --explain` (real files, real
process), on hand-written sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import authority_archive
from test_cli import arshif, arshif_json

from generator.tagging.actors import load_authority

AUTHORITY = """
[al-hayat]
kind = "organisation"
aliases = { ar = ["صحيفة الحياة", "الحياة"] }
context = ["جريدة", "رئيس التحرير"]

[medina]
kind = "place"
aliases = { ar = ["المدينة المنورة", "المدينة"] }

[rayyan]
kind = "organisation"
aliases = { ar = ["الريان"] }
context_only = ["الريان"]
context = ["نادي", "الدوري"]

[country-eg]
unambiguous = ["مصر"]

[saleh]
aliases = { ar = ["صالح"] }
unambiguous = ["صالح"]

[kremlin]
kind = "organisation"
aliases = { ar = ["الكرملين"] }
ambiguous = ["الكرملين"]
"""

# Our own sentences, written for these tests.
ARTICLES = {
    "life.txt": "خواطر\n\nالحياة جميلة رغم كل شيء، والحياة تستمر.\n",
    "paper.txt": "مقابلة\n\nقال رئيس التحرير إن الحياة نشرت التحقيق كاملا.\n",
    "city.txt": "زيارة\n\nتجول الوفد في المدينة القديمة ثم غادر المدينة.\n",
    "holy.txt": "رحلة\n\nوصل الحجاج إلى المدينة المنورة.\n\nوفي المدينة صلوا الجمعة.\n",
    "good.txt": "حكمة\n\nهذا عمل صالح ونافع.\n",
    "kremlin.txt": "موسكو\n\nقال الكرملين إن الاجتماع انتهى.\n",
    "club.txt": "رياضة\n\nفاز الريان في الدوري أمس.\n",
    "oasis.txt": "سياحة\n\nزرنا واحة الريان الجميلة.\n",
    "declared.md": "---\ntitle: مقال\nactors: [مصطفى النمر, medina]\n---\n\nنص بلا أسماء.\n",
    "declared2.md": "---\ntitle: مقال آخر\nactors: [مصطفى النمر]\nnot_actors: [المدينة]\n---\n\n"
    "غادر الوفد المدينة المنورة.\n",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return authority_archive(tmp_path_factory.mktemp("check") / "content", ARTICLES, AUTHORITY)


@pytest.fixture(scope="module")
def listed(archive: Path) -> dict[str, list[str]]:
    return {row["id"]: row["actors"] for row in arshif_json("list", "--content", archive, "--format", "json")}


def test_authority_marks_and_context_words_decide(listed: dict[str, list[str]]) -> None:
    assert "al-hayat" not in listed["life"]  # "life", twice
    assert "al-hayat" in listed["paper"]  # the actor's context words (a phrase) are in the article
    assert "medina" not in listed["city"] and "medina" in listed["holy"]  # the fuller name first
    assert "rayyan" in listed["club"] and "rayyan" not in listed["oasis"]  # context only
    assert listed["good"] == ["saleh"]  # marked unambiguous: the automatic doubt (صالح "good") is overruled
    assert listed["kremlin"] == []  # marked ambiguous, and nothing in the article supports it
    # the front matter's word, with no mention in the text; a name no actor has is an actor of its own
    assert listed["declared"] == ["medina", "mustafa-al-namr"]
    assert "medina" not in listed["declared2"]  # not_actors wins over the text


def test_marks_must_name_an_alias_of_the_actor(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    entry = '[x]\nkind = "place"\naliases = { ar = ["المدينة"] }\nambiguous = ["القاهرة"]\ncontext = 3\n'
    path.write_text(entry, "utf-8")
    actors, problems = load_authority(path)
    assert [p.message for p in problems] == [
        "'x': ambiguous names 'القاهرة', which is not one of its names or aliases",
        "'x': context must be a list of strings",
    ]
    assert actors[0].ambiguous == frozenset()


@pytest.fixture(scope="module")
def report(archive: Path) -> dict[str, Any]:
    return arshif_json("actors", "check", "--content", archive, "--format", "json")


def test_actors_check_lists_the_doubtful_aliases_with_counts_and_sentences(report: dict[str, Any]) -> None:
    risks = {(r["actor"], r["alias"]): r for r in report["risks"]}
    hayat = risks[("al-hayat", "الحياه")]
    assert hayat["articles"] == 2 and hayat["counted"] == 1
    assert "an ordinary word" in hayat["doubt"]
    sentences = {e["article"]: (e["counted"], e["sentence"]) for e in hayat["examples"]}
    assert sentences["life"] == (False, "الحياة جميلة رغم كل شيء، والحياة تستمر.")
    assert sentences["paper"][0] is True
    rayyan = risks[("rayyan", "الريان")]
    assert rayyan["doubt"] == "context only" and rayyan["counted"] == 1
    assert ("medina", "المدينه المنوره") not in risks  # a full name that nothing doubts


def test_actors_check_lists_front_matter_names_missing_from_the_authority_file(report: dict[str, Any]) -> None:
    assert report["candidates"] == [
        {"name": "مصطفى النمر", "id": "mustafa-al-namr", "articles": ["declared", "declared2"]}
    ]


def test_actors_check_as_text(archive: Path) -> None:
    result = arshif("actors", "check", "--content", archive)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # [country-eg] marks a built-in's alias: no problem
    assert "الحياه  [al-hayat]  in 2 articles, counted in 1 — doubted: an ordinary word" in result.stdout
    assert "- life: الحياة جميلة" in result.stdout
    assert "[mustafa-al-namr]  مصطفى النمر  (2 articles: declared, declared2)" in result.stdout


def test_list_explain_says_which_text_made_each_actor_and_what_was_refused(archive: Path) -> None:
    result = arshif("list", "--content", archive, "--explain", "holy")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "holy (holy.txt): medina"
    assert "  + medina  «المدينة المنورة»  paragraph 1, at 15: an unambiguous alias" in lines
    assert "  + medina  «المدينة»  paragraph 2, at 4: the article names it unambiguously elsewhere" in lines
    refused = arshif("list", "--content", archive, "--explain", "city").stdout
    assert "  - medina  «المدينة»  paragraph 1, at 14: needs support: an ordinary word" in refused
    missing = arshif("list", "--content", archive, "--explain", "nope")
    assert missing.returncode == 2 and "no article with id 'nope'" in missing.stderr
