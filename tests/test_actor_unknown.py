"""Front matter `actors:` names the authority file lacks are actors of their own, never dropped (issue 13)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import page, write_archive
from test_incremental import same_as_clean

from generator.build import build
from generator.cli import main
from generator.config import Config

TODAY = dt.date(2026, 3, 8)
AUTHORITY = '[putin]\nkind = "person"\nnames = { ar = "فلاديمير بوتين", en = "Vladimir Putin" }\n'


def md(title: str, actors: str, body: str = "A short report from the wire.", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2022-01-08\nlang: en\nactors: {actors}\n{extra}---\n\n{body}\n"


def archive(tmp_path: Path) -> Config:
    write_archive(
        tmp_path / "content",
        {
            "actors.toml": AUTHORITY,
            "a.md": md("First", '["Hamdi Qandil", putin]'),
            "b.md": md("Second", '["Hamdi  Qandil", "Zeinab Badawi"]'),
            "c.md": md("Third", '["Zeinab Badawi"]', extra='not_actors: ["Zeinab Badawi"]\n'),
        },
    )
    return Config(content=tmp_path / "content", output=tmp_path / "site", search=False, countries=False)


def test_a_front_matter_name_no_actor_has_gets_a_page_of_its_own(tmp_path: Path) -> None:
    config = archive(tmp_path)
    result = build(config, today=TODAY)
    assert not [p for p in result.problems if p.severity == "error"]
    actor = page(config.output, "/actors/hamdi-qandil/")
    assert actor.h1 is not None and actor.h1.get_text(strip=True) == "Hamdi Qandil"
    listed = {a["href"] for a in actor.select("main a[href^='/articles/']")}
    assert {"/articles/a/", "/articles/b/"} <= listed  # the same name however spaced
    chips = [a["href"] for a in page(config.output, "/articles/b/").select("a[href^='/actors/']")]
    assert "/actors/hamdi-qandil/" in chips and "/actors/zeinab-badawi/" in chips
    index = page(config.output, "/actors/").get_text(" ", strip=True)
    assert "Hamdi Qandil" in index and "لم تصنف بعد" in index  # its kind waits for the authority file
    # not_actors keeps the last word: the article that refuses the name is not on its page
    zeinab = {a["href"] for a in page(config.output, "/actors/zeinab-badawi/").select("main a[href^='/articles/']")}
    assert "/articles/b/" in zeinab and "/articles/c/" not in zeinab
    data = {a["id"]: a for a in json.loads((config.output / "data" / "actors.json").read_text("utf-8"))["actors"]}
    assert data["hamdi-qandil"]["kind"] == "unknown" and data["hamdi-qandil"]["articles"] == 2


def test_actors_check_still_lists_them_as_candidates_for_the_authority_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = archive(tmp_path)
    (tmp_path / "arshif.toml").write_text("countries = false\n", "utf-8")
    assert main(["actors", "check", "--content", str(config.content), "--config", str(tmp_path / "arshif.toml")]) == 0
    said = capsys.readouterr().out
    assert "Hamdi Qandil" in said and "hamdi-qandil" in said


def test_an_update_that_adds_and_drops_such_names_gives_a_clean_build(tmp_path: Path) -> None:
    config = archive(tmp_path)
    build(config, today=TODAY)
    (config.content / "a.md").write_text(md("First", '["Nabil Fahmy"]'), "utf-8")  # one new, one dropped here
    (config.content / "b.md").unlink()  # Hamdi Qandil's and Zeinab Badawi's last articles
    result = build(config, today=TODAY)
    same_as_clean(tmp_path, config, result)
    assert not (config.output / "actors" / "hamdi-qandil").exists()
    assert (config.output / "actors" / "nabil-fahmy" / "index.html").is_file()
