"""The preview's incremental rebuild: real files changed on disk, real pages read back.

The strongest check is the last: after a run of edits, deletions, renames and an authority-file change, the
preview folder holds exactly the bytes a whole `arshif build` of the same content writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, page

from generator.build import build
from generator.config import Config
from generator.engine import Engine
from generator.publishing.write import MARKER

ARTICLE = "ar-2015-07-riyadh-oil-market"
SEED = "000_25b0c3a9aff7d635"  # the seed article: Putin and Tokayev


@pytest.fixture
def preview(tmp_path: Path) -> Engine:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    p = Engine(Config(content=tmp_path / "content", output=tmp_path / "preview", search=False), today=TODAY)
    first = p.rebuild()
    assert first.articles == 26 and not first.problems
    return p


def retitle(path: Path, title: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    lines[0] = title
    path.write_text("\n".join(lines), "utf-8")


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*.html")}


def test_nothing_changed_writes_nothing(preview: Engine) -> None:
    before = mtimes(preview.root)
    update = preview.rebuild()
    assert update.changed == frozenset() and not update.kinds
    assert mtimes(preview.root) == before


def test_an_edited_title_rewrites_only_the_pages_that_show_it(preview: Engine) -> None:
    before = mtimes(preview.root)
    source = preview.config.content / f"{ARTICLE}.txt"
    retitle(source, "عنوان جديد تماما")
    update = preview.rebuild([source])
    assert page(preview.root, f"/articles/{ARTICLE}/").find("h1").get_text(strip=True) == "عنوان جديد تماما"
    assert f"/articles/{ARTICLE}/" in update.changed
    # its lists show the new title; pages that never listed it are not even rewritten
    assert "عنوان جديد تماما" in page(preview.root, "/dates/2015/07/").get_text()
    after = mtimes(preview.root)
    rewritten = {path for path in after if after[path] != before[path]}
    pages = {u for u in update.changed if u.endswith("/")}
    assert rewritten == {("" if u == "/" else u.strip("/") + "/") + "index.html" for u in pages}
    assert "/data/search/actors/country-sa/1.json" in update.changed  # the search page lists the new title too
    assert f"articles/{SEED}/index.html" not in rewritten
    assert len(rewritten) < 12, rewritten


def test_a_bad_date_keeps_the_last_good_page_until_it_is_fixed(preview: Engine) -> None:
    source = preview.config.content / f"{ARTICLE}.txt"
    good = source.read_text("utf-8")
    date_before = page(preview.root, f"/articles/{ARTICLE}/").find("time")["datetime"]
    source.write_text(good.replace("الرياض 15/10/1436 واس", "(وكالة الأنباء التجريبية - 32 شباط 2022)"), "utf-8")
    update = preview.rebuild([source])
    [problem] = update.problems
    assert problem.path.endswith(f"{ARTICLE}.txt") and problem.line == 3
    assert problem.message == 'cannot read date "32 شباط 2022"'
    # the last good version stays
    assert page(preview.root, f"/articles/{ARTICLE}/").find("time")["datetime"] == date_before
    source.write_text(good, "utf-8")
    assert not preview.rebuild([source]).problems


def test_an_emptied_file_keeps_its_last_good_page(preview: Engine) -> None:
    source = preview.config.content / f"{ARTICLE}.txt"
    before = (preview.root / "articles" / ARTICLE / "index.html").read_bytes()
    source.write_text("", "utf-8")
    update = preview.rebuild([source])
    assert [(p.path.endswith(f"{ARTICLE}.txt"), p.message) for p in update.problems] == [(True, "file is empty")]
    assert (preview.root / "articles" / ARTICLE / "index.html").read_bytes() == before


def test_a_sidecar_edit_reaches_its_article(preview: Engine) -> None:
    sidecar = preview.config.content / "wire" / "meta.jsonl"
    sidecar.write_text(
        sidecar.read_text("utf-8").replace('"outlet": "CNN Arabic"', '"outlet": "وكالة تجريبية"'), "utf-8"
    )
    update = preview.rebuild([sidecar])
    assert "/articles/ar-cnn-kazakhstan-bitcoin-hashrate/" in update.changed
    assert "وكالة تجريبية" in page(preview.root, "/articles/ar-cnn-kazakhstan-bitcoin-hashrate/").get_text()
    assert (preview.root / "sources" / "وكالة-تجريبية" / "index.html").is_file()
    assert not (preview.root / "sources" / "cnn-arabic").exists()  # its only article moved away


def test_deleting_and_renaming_articles(preview: Engine) -> None:
    content = preview.config.content
    (content / f"{SEED}.txt").unlink()
    update = preview.rebuild()
    assert f"/articles/{SEED}/" in update.changed
    assert not (preview.root / "articles" / SEED).exists()
    assert SEED not in (preview.root / "actors" / "putin" / "index.html").read_text("utf-8")
    (content / f"{ARTICLE}.txt").rename(content / "renamed-oil.txt")
    update = preview.rebuild()
    assert not (preview.root / "articles" / ARTICLE).exists()
    assert (preview.root / "articles" / "renamed-oil" / "index.html").is_file()
    assert update.articles == 25


def test_a_template_error_names_the_template_and_line_and_keeps_the_pages(preview: Engine, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    config = Config(content=preview.config.content, output=tmp_path / "p2", search=False, templates=templates)
    p = Engine(config, today=TODAY)
    p.rebuild()
    html_before = (p.root / "articles" / SEED / "index.html").read_bytes()
    article = templates / "article.html"
    text = article.read_text("utf-8")
    article.write_text(text.replace("{% endblock %}", "{% endblok %}", 1), "utf-8")
    update = p.rebuild()
    trouble = [x for x in update.problems if x.path.endswith("article.html")]
    assert trouble and trouble[0].line > 0 and "template error" in trouble[0].message
    assert (p.root / "articles" / SEED / "index.html").read_bytes() == html_before
    article.write_text(text.replace("<article", "<article data-edited", 1), "utf-8")
    update = p.rebuild()
    assert not update.problems
    assert b"data-edited" in (p.root / "articles" / SEED / "index.html").read_bytes()


def test_an_authority_change_retags(preview: Engine) -> None:
    actors = preview.config.actors
    actors.write_text(
        actors.read_text("utf-8")
        # a name no other actor has: one alias of two actors goes to one of them (issue 13)
        + '\n[opec-test]\nkind = "organisation"\nnames = { ar = "وزارة البترول والثروة المعدنية", en = "Ministry" }\n',
        "utf-8",
    )
    update = preview.rebuild([actors])
    assert "actors" in update.kinds
    links = [a["href"] for a in page(preview.root, f"/articles/{ARTICLE}/").select("a[href*='/actors/']")]
    assert "/actors/opec-test/" in links
    assert (preview.root / "actors" / "opec-test" / "index.html").is_file()


def assert_equals_whole_build(preview: Engine, out: Path) -> None:
    build(Config(content=preview.config.content, output=out, search=False), today=TODAY)
    ours = {p.relative_to(preview.root).as_posix(): p.read_bytes() for p in preview.root.rglob("*") if p.is_file()}
    theirs = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    ours.pop(MARKER), theirs.pop(MARKER)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_after_each_edit_the_preview_equals_a_whole_build(preview: Engine, tmp_path: Path) -> None:
    content = preview.config.content
    retitle(content / f"{ARTICLE}.txt", "عنوان بعد التعديل")
    preview.rebuild()
    assert_equals_whole_build(preview, tmp_path / "one")
    (content / f"{SEED}.txt").unlink()  # the actor's only article in its month: pages vanish, counts move
    preview.rebuild()
    assert_equals_whole_build(preview, tmp_path / "two")
    (content / "ar-2015-08-cairo-saudi-egypt-talks.txt").rename(content / "moved.txt")
    (content / "new-one.txt").write_text(
        "لقاء جديد في موسكو\n\n(سبوتنيك - 3 آذار 2019) التقى الرئيس بوتين في موسكو وفدا من كازاخستان.\n", "utf-8"
    )
    preview.rebuild()
    assert_equals_whole_build(preview, tmp_path / "three")


def test_markdown_over_budget_is_plain_text_with_a_warning_that_stays_until_fixed(preview: Engine) -> None:
    slow = preview.config.content / "slow.md"
    slow.write_text("---\ntitle: Slow\n---\n" + "[" * 10000 + "x" + "](y)" * 10000 + "\n", "utf-8")
    update = preview.rebuild([slow])
    assert [p.path.endswith("slow.md") and "shown as plain text" in p.message for p in update.problems] == [True]
    assert "[[[[" in page(preview.root, "/articles/slow/").get_text()
    other = preview.config.content / f"{ARTICLE}.txt"
    retitle(other, "عنوان آخر")
    assert any("shown as plain text" in p.message for p in preview.rebuild([other]).problems)  # not forgotten
    slow.write_text("---\ntitle: Slow\n---\n*now fine*\n", "utf-8")
    update = preview.rebuild([slow])
    assert not update.problems
    assert page(preview.root, "/articles/slow/").find("em") is not None
