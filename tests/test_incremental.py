"""An update from the last build's state publishes the very bytes a build from nothing does, whatever changed."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import search_documents

from generator.build import BuildResult, build
from generator.config import Config
from generator.publishing.state import state_file
from generator.search.pagefind import BUNDLE, DATES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content"
TODAY = dt.date(2026, 3, 8)


def files(site: Path) -> dict[str, bytes]:
    """Every published file but the search bundle (Pagefind's own files are compared by `search_documents`)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.relative_to(site).parts[0] != BUNDLE
    }


def same_as_clean(tmp_path: Path, config: Config, result: BuildResult) -> None:
    clean = Config(**{**config.__dict__, "output": tmp_path / "clean"})
    shutil.rmtree(clean.output, ignore_errors=True)
    reference = build(clean, today=TODAY, clean=True)
    assert result.updated
    ours, theirs = files(config.output), files(clean.output)
    assert sorted(ours) == sorted(theirs)
    assert [k for k in ours if ours[k] != theirs[k]] == []
    assert sorted(map(str, result.problems)) == sorted(map(str, reference.problems))
    if config.search:
        assert search_documents(config.output / BUNDLE) == search_documents(clean.output / BUNDLE)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns()))  # a new time even within the clock's tick


@pytest.fixture
def sample(tmp_path: Path) -> Config:
    shutil.copytree(SAMPLE, tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    config = Config(content=tmp_path / "content", output=tmp_path / "site", templates=tmp_path / "templates",
                    search=False)  # fmt: skip
    first = build(config, today=TODAY)
    assert not first.updated and first.articles > 20
    return config


def first_article(content: Path) -> Path:
    return sorted(content.glob("ar-*.txt"))[0]


STEPS: dict[str, Callable[[Path], None]] = {
    "body edit": lambda c: edit(first_article(c), "\n\n", "\n\nفقرة جديدة عن النفط وروسيا.\n\n"),
    "title edit": lambda c: edit(first_article(c), "", "عنوان جديد: "),
    "new article": lambda c: (c / "zz-new.txt").write_text(
        "مقال جديد عن بوتين\n\n(سبوتنيك - 08 كانون الثاني 2022) قال بوتين إن روسيا ستزيد صادرات النفط.\n", "utf-8"
    ),
    "deleted article": lambda c: first_article(c).unlink(),
    "renamed article": lambda c: first_article(c).rename(c / "renamed.txt"),
    "date moved": lambda c: edit(first_article(c), " 2015", " 2016"),
    "actors edit": lambda c: edit(c / "actors.toml", 'en = "Vladimir Putin"', 'en = "V. Putin"'),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_kind_of_change_gives_the_site_a_clean_build_gives(sample: Config, tmp_path: Path, step: str) -> None:
    STEPS[step](sample.content)
    same_as_clean(tmp_path, sample, build(sample, today=TODAY))


def test_a_sequence_of_changes_gives_the_site_a_clean_build_gives(sample: Config, tmp_path: Path) -> None:
    content = sample.content
    for step in ("body edit", "new article", "deleted article", "renamed article", "actors edit", "date moved"):
        STEPS[step](content)
        result = build(sample, today=TODAY)
        same_as_clean(tmp_path, sample, result)
    # a sidecar field and a template change
    wire = content / "wire-new"
    wire.mkdir()
    (wire / "w1.txt").write_text("Grain prices\n\nWheat rose on Monday in Chicago.\n", "utf-8")
    (wire / "meta.jsonl").write_text('{"file": "w1.txt", "date": "1987-03-20"}\n', "utf-8")
    same_as_clean(tmp_path, sample, build(sample, today=TODAY))
    (wire / "meta.jsonl").write_text('{"file": "w1.txt", "date": "1987-03-21", "outlet": "R"}\n', "utf-8")
    same_as_clean(tmp_path, sample, build(sample, today=TODAY))
    base = sample.templates / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- theme edit --></body>"), "utf-8")
    result = build(sample, today=TODAY)
    same_as_clean(tmp_path, sample, result)
    assert "<!-- theme edit -->" in (sample.output / "index.html").read_text("utf-8")


def test_an_update_rewrites_only_what_changed(sample: Config) -> None:
    before = {p: p.stat().st_ino for p in sample.output.rglob("*") if p.is_file()}
    STEPS["body edit"](sample.content)
    result = build(sample, today=TODAY)
    after = {p: p.stat().st_ino for p in sample.output.rglob("*") if p.is_file()}
    rewritten = sorted(p.relative_to(sample.output).as_posix() for p in after if before.get(p) != after[p])
    assert result.updated and result.changed >= 1
    assert any(r.startswith("articles/") for r in rewritten)
    assert len(rewritten) < len(after) // 5, rewritten


def test_the_search_index_of_an_update_holds_what_a_clean_build_indexes(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "content")
    config = Config(content=tmp_path / "content", output=tmp_path / "site", search=True)
    build(config, today=TODAY)
    STEPS["body edit"](config.content)
    STEPS["new article"](config.content)
    result = build(config, today=TODAY)
    same_as_clean(tmp_path, config, result)
    assert "ar-d" in json.loads((config.output / BUNDLE / "pagefind-entry.json").read_text("utf-8"))["languages"]
    assert any("فقرة جديدة عن النفط" in str(d["content"]) for d in search_documents(config.output / BUNDLE))


def test_the_same_folders_named_relative_or_absolute_are_the_same_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    build(Config(content=Path("content"), output=Path("site"), search=False), today=TODAY)
    STEPS["body edit"](tmp_path / "content")
    result = build(Config(content=tmp_path / "content", output=tmp_path / "site", search=False), today=TODAY)
    assert result.updated and result.changed < result.files // 5


def test_an_update_bundle_holds_what_its_manifest_names_and_nothing_else(tmp_path: Path) -> None:
    """An update's bundle starts as the site it updates holds it (the spare, two builds behind): after three
    updates in a row, no file of a replaced delta or date table is left, and every file the manifest names is
    there; and it answers as a clean build's does."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    config = Config(content=tmp_path / "content", output=tmp_path / "site", search=True)
    build(config, today=TODAY)
    for n in range(3):
        edit(first_article(config.content), "\n\n", f"\n\nفقرة رقم {n} عن النفط.\n\n")
        result = build(config, today=TODAY)
        same_as_clean(tmp_path, config, result)
        bundle = config.output / BUNDLE
        manifest = json.loads((bundle / "arshif-shards.json").read_text("utf-8"))
        named = {*manifest["common"], *(f for shard in manifest["shards"].values() for f in shard["files"])}
        own = {"pagefind-entry.json", "arshif-shards.json", "arshif-stale.json"}
        held = files_of(bundle)
        assert named <= held, sorted(named - held)
        assert {f for f in held - named if f not in own and not f.startswith(f"{DATES}/")} == set()
        dates = {f for f in held if f.startswith(f"{DATES}/")}
        assert dates == {f for f in files_of(tmp_path / "clean" / BUNDLE) if f.startswith(f"{DATES}/")}
    assert "ar-d" in json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]


def files_of(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "emptied tables", "other site"])
def test_a_damaged_state_is_not_trusted_and_the_build_is_still_right(
    sample: Config, tmp_path: Path, damage: str
) -> None:
    path = state_file(sample.output)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif damage == "emptied tables":
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM outputs")
            db.execute("UPDATE sources SET article = '{\"id\": 1}'")
        db.close()
    else:  # the state of another site's build, same key: the marker's digest tells them apart
        other = tmp_path / "other"
        shutil.copytree(sample.content, other)
        first_article(other).unlink()
        build(Config(**{**sample.__dict__, "content": other}), today=TODAY)
    STEPS["body edit"](sample.content)
    result = build(sample, today=TODAY)
    if damage != "emptied tables":
        assert not result.updated
    clean = Config(**{**sample.__dict__, "output": tmp_path / "clean"})
    build(clean, today=TODAY, clean=True)
    assert files(sample.output) == files(clean.output)
    assert build(sample, today=TODAY).updated  # and the state is whole again


@pytest.mark.parametrize("search", [False, True])
def test_a_build_killed_midway_leaves_the_old_site_and_the_next_build_is_right(
    sample: Config, tmp_path: Path, search: bool
) -> None:
    """Killed while drawing, or (with search) after the state is saved and before the site is published."""
    if search:
        sample = Config(**{**sample.__dict__, "search": True})
        build(sample, today=TODAY)
    published = files(sample.output)
    STEPS["new article"](sample.content)
    STEPS["body edit"](sample.content)
    config = tmp_path / "arshif.toml"
    config.write_text(f'content = "{sample.content}"\noutput = "{sample.output}"\ntemplates = "{sample.templates}"\n'
                      f"search = {str(search).lower()}\n", "utf-8")  # fmt: skip
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5) if search else (0.3, 0.6, 0.9):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--config", str(config), "-q"],
                                cwd=tmp_path, start_new_session=True)  # fmt: skip
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        now = files(sample.output)
        assert now == published or "articles/zz-new/index.html" in now  # the old site whole, or the new one
        if now != published:
            break
    result = build(sample, today=TODAY)
    clean = Config(**{**sample.__dict__, "output": tmp_path / "clean"})
    build(clean, today=TODAY, clean=True)
    assert files(sample.output) == files(clean.output)
    assert result.articles == len([p for p in files(clean.output) if p.startswith("articles/")])
    if search:
        assert search_documents(sample.output / BUNDLE) == search_documents(clean.output / BUNDLE)


@pytest.mark.parametrize("damage", ["removed", "another site"])
def test_an_update_starts_from_the_spare_only_when_it_is_the_site_before(
    sample: Config, tmp_path: Path, damage: str
) -> None:
    """The spare (the site before the published one) is where an update starts; one that is gone or is not that
    site is not used, and the update links every published file instead."""
    STEPS["body edit"](sample.content)
    build(sample, today=TODAY)
    spare = sample.output.with_name(f".{sample.output.name}-spare")
    assert (spare / ".arshif-site").is_file()
    if damage == "removed":
        shutil.rmtree(spare)
    elif damage == "another site":
        marker = spare / ".arshif-site"
        marker.write_text(marker.read_text("utf-8").replace('"site": "', '"site": "0'), "utf-8")
    STEPS["new article"](sample.content)
    result = build(sample, today=TODAY)
    same_as_clean(tmp_path, sample, result)


def test_a_first_build_leaves_a_spare_of_links_that_the_next_update_starts_from(sample: Config, tmp_path: Path) -> None:
    """A first build into an output leaves the spare an update starts from: links to the files it published (so
    the first update does not link every file itself), which the update never writes through."""
    site, spare = sample.output, sample.output.with_name(f".{sample.output.name}-spare")

    def inodes(folder: Path) -> dict[str, int]:
        return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}

    first = inodes(site)
    assert inodes(spare) == first
    before = files(site)
    STEPS["body edit"](sample.content)
    same_as_clean(tmp_path, sample, build(sample, today=TODAY))
    assert files(spare) == before  # the first site, whole, as it was published
    assert any(first[k] == v for k, v in inodes(site).items())  # what did not change is still the same file


def test_the_search_index_reads_again_only_the_pages_that_changed(tmp_path: Path) -> None:
    """Pages linked from the last build (same inode, size, time) are taken as `seen` recorded them, not read."""
    from generator.search.pagefind import index_site

    shutil.copytree(SAMPLE, tmp_path / "content")
    config = Config(content=tmp_path / "content", output=tmp_path / "site", search=False)
    build(config, today=TODAY)
    seen = tmp_path / "seen.json"
    first = index_site(config.output, tmp_path / "b1", seen=seen)
    update = tmp_path / "update"
    subprocess.run(["cp", "-al", str(config.output), str(update)], check=True)  # an update starts as links
    page = next((update / "articles").glob("ar-*/index.html"))
    text = page.read_text("utf-8")
    page.unlink()
    page.write_text(text.replace("</article>", "<p>فقرة جديدة</p></article>", 1), "utf-8")
    second = index_site(update, tmp_path / "b2", previous=tmp_path / "b1", seen=seen)
    assert first.read > 100 and second.read == 1
    assert second.reused == second.shards and second.stale == 1  # the edited page went into the delta shard
    fresh = index_site(update, tmp_path / "b3")  # no memory of the last run: the same index
    assert search_documents(tmp_path / "b2") == search_documents(tmp_path / "b3")
    assert fresh.read == first.read


def test_rebuilding_from_nothing_leaves_only_the_site_s_own_files(tmp_path: Path) -> None:
    """With search, a --clean build over a published site: shards linked from it are not left behind twice."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    config = Config(content=tmp_path / "content", output=tmp_path / "site", search=True)
    build(config, today=TODAY)
    names = sorted(p.relative_to(config.output).as_posix() for p in config.output.rglob("*") if p.is_file())
    build(config, today=TODAY, clean=True)
    again = sorted(p.relative_to(config.output).as_posix() for p in config.output.rglob("*") if p.is_file())
    assert again == names


def test_a_build_from_nothing_keeps_every_open_data_row_for_the_next_update(tmp_path: Path) -> None:
    """The list pages of a big archive are drawn in forked workers; the rows of the open data they make there
    must be in the state as well, or the first update makes and saves every one again (at 20,000 articles a
    second of its time)."""
    content = tmp_path / "content"
    content.mkdir()
    # 1,260 articles, one a day, make 1,449 list pages: their last round of drawing (500 each) holds the data
    # files and is shared out among workers (a round of fewer than 400 is drawn here)
    for n in range(1260):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=n)
        (content / f"a{n:04}.txt").write_text(
            f"Report {n}\n\n(Reuters - {day:%d %B %Y}) Vladimir Putin met Kassym-Jomart Tokayev on day {n}.\n", "utf-8"
        )
    config = Config(content=content, output=tmp_path / "site", search=False, workers=2)
    assert build(config, today=TODAY).articles == 1260
    with sqlite3.connect(state_file(config.output)) as db:
        rows = db.execute("SELECT count(*), count(row) FROM sources WHERE article IS NOT NULL").fetchone()
    assert rows == (1260, 1260)
