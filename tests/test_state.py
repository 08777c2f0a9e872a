"""The build state: a build with nothing changed is skipped, and anything that changed builds again.

Real builds through the real command, the state file on disk tampered with for real."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest
from conftest import ROOT, write_archive

from generator.model import Article, Dateline, Gist, Mention
from generator.publishing.state import Snapshot, load_snapshot, save_snapshot, state_file

SKIPPED = "nothing changed since the last build"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_archive(
        tmp_path / "content",
        {"a.txt": "Title A\n\nFirst body.\n", "b.md": "---\ntitle: B\ndate: 2022-02-30\n---\nSecond body.\n"},
    )
    (tmp_path / "arshif.toml").write_text('title = "State"\nsearch = false\n', "utf-8")
    return tmp_path


def arshif(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *args], cwd=project, capture_output=True, text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120,
    )  # fmt: skip


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def test_nothing_changed_is_skipped_and_says_the_same_problems(project: Path) -> None:
    first = arshif(project)
    assert first.returncode == 0 and SKIPPED not in first.stderr
    before = inodes(project / "site")
    again = arshif(project)
    assert again.returncode == 0 and SKIPPED in again.stderr, again.stderr
    assert 'cannot read date "2022-02-30"' in again.stderr  # the last build's problems, printed again
    assert inodes(project / "site") == before
    assert arshif(project, "--strict").returncode == 1  # they still count under --strict


@pytest.mark.parametrize(
    "change",
    ["edit an article", "add an article", "remove an article", "edit the config", "edit a template",
     "edit actors.toml", "delete the site", "replace the site's marker", "--clean"],
)  # fmt: skip
def test_anything_that_changed_builds_again(project: Path, change: str) -> None:
    templates = project / "templates"
    subprocess.run(["cp", "-r", str(ROOT / "templates"), str(templates)], check=True)
    config = project / "arshif.toml"
    config.write_text(config.read_text("utf-8") + 'templates = "templates"\n', "utf-8")
    assert arshif(project).returncode == 0
    assert SKIPPED in arshif(project).stderr
    args: tuple[str, ...] = ()
    if change == "edit an article":
        (project / "content" / "a.txt").write_text("Title A, edited\n\nFirst body.\n", "utf-8")
    elif change == "add an article":
        write_archive(project / "content", {"c.txt": "Title C\n\nThird body.\n"})
    elif change == "remove an article":
        (project / "content" / "a.txt").unlink()
    elif change == "edit the config":
        config.write_text(config.read_text("utf-8").replace('"State"', '"State 2"'), "utf-8")
    elif change == "edit a template":
        base = templates / "base.html"
        base.write_text(base.read_text("utf-8") + "\n", "utf-8")
    elif change == "edit actors.toml":
        write_archive(project / "content", {"actors.toml": '[a]\nnames = { en = "Title" }\n'})
    elif change == "delete the site":
        subprocess.run(["rm", "-r", str(project / "site")], check=True)
    elif change == "replace the site's marker":
        marker = project / "site" / ".arshif-site"
        marker.write_text("another site's marker\n" + marker.read_text("utf-8"), "utf-8")
    else:
        args = ("--clean",)
    result = arshif(project, *args)
    assert result.returncode == 0 and SKIPPED not in result.stderr, result.stderr
    assert SKIPPED in arshif(project).stderr  # and the state is right again


@pytest.mark.parametrize("damage", [b"not a database at all", b"", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_corrupt_state_is_never_trusted(project: Path, damage: bytes) -> None:
    assert arshif(project).returncode == 0
    state_file(project / "site").write_bytes(damage)
    (project / "content" / "a.txt").write_text("Title A, edited\n\nFirst body.\n", "utf-8")
    result = arshif(project)
    assert result.returncode == 0 and SKIPPED not in result.stderr and "Traceback" not in result.stderr
    assert "Title A, edited" in (project / "site" / "articles" / "a" / "index.html").read_text("utf-8")
    assert SKIPPED in arshif(project).stderr


def _snapshot_of(articles: dict[str, Article]) -> Snapshot:
    empty = MappingProxyType({})
    return Snapshot(
        signatures=MappingProxyType({rel: (1, 2, "") for rel in articles}), read=MappingProxyType(articles),
        file_problems=MappingProxyType({rel: () for rel in articles}), other_problems=(), cast_problems=(),
        notes=empty, failed=frozenset(), digests=empty, drawn_from=empty, stamps=empty, kept=empty, rows=empty,
    )  # fmt: skip


def test_every_field_of_an_article_comes_back_from_the_state(tmp_path: Path) -> None:
    line = Dateline("(سبأ - 5 رمضان 1436هـ)", "صنعاء", "سبأ", "رويترز", dt.date(2015, 6, 22), "hijri", (1436, 9, 5),
                    (6, 22), "a problem")  # fmt: skip
    whole = Article(
        "a-1", "x/a.md", "markdown", "عنوان", "فقرة\n\nأخرى", 4, dt.date(2015, 6, 22), "dateline", dt.date(2015, 7, 1),
        line, "سبأ", "رويترز", "ar", "rtl", 12, "ملخص", ("t1", "t2"), ("sa", "ye"), ("us",),
        (Mention("sa", -1, 0, 3), Mention("ye", 0, 4, 9)), "https://example.org/a", "كاتب", ("مجهول",), True,
        Gist("مقتطف", "فقرة", (("sa", "<mark>عنوان</mark>"), ("ye", "أخرى"))),
    )  # fmt: skip
    bare = Article("b", "b.txt", "text", "B", "")
    at_default = [f.name for f in dataclasses.fields(Article) if getattr(whole, f.name) == f.default]
    assert at_default == [], at_default  # a field added to Article must be given a value here
    output = tmp_path / "site"
    save_snapshot(output, "key", "site", _snapshot_of({"x/a.md": whole, "b.txt": bare}), None)
    back = load_snapshot(output, "key", "site")
    assert back is not None and dict(back.read) == {"x/a.md": whole, "b.txt": bare}
    assert all(type(getattr(back.read["x/a.md"], f.name)) is type(getattr(whole, f.name))
               for f in dataclasses.fields(Article))  # fmt: skip
    gist = back.read["x/a.md"].gist
    assert gist is not None and all(type(pair) is tuple for pair in gist.sentences)


def test_an_article_row_of_another_shape_makes_the_state_untrusted(tmp_path: Path) -> None:
    output = tmp_path / "site"
    save_snapshot(output, "key", "site", _snapshot_of({"b.txt": Article("b", "b.txt", "text", "B", "")}), None)
    with sqlite3.connect(state_file(output)) as db:
        db.execute("UPDATE sources SET article = ?", (json.dumps(["b", "b.txt", "text"]),))
    db.close()
    assert load_snapshot(output, "key", "site") is None
