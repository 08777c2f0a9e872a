"""What content can make the build do: never write outside the output, link a script, publish a machine's files,
or leave a URL that does not fit. Each case is a real build of a small archive, its output read back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import TODAY, page, write_archive

from generator.build import build, read_corpus
from generator.config import Config
from generator.pages.segments import MAX_BYTES, segment
from generator.reading.readers.values import language_tag, web_url

GOOD = {"good.txt": "عنوان جيد\n\nنص المقال الجيد.\n"}


def site_of(tmp_path: Path, files: dict[str, str | bytes], **options: object) -> tuple[Path, list[str]]:
    content = write_archive(tmp_path / "content", {**GOOD, **files})
    config = Config(content=content, output=tmp_path / "site", **options)  # type: ignore[arg-type]
    result = build(config, today=TODAY)
    return tmp_path / "site", [str(p) for p in result.problems]


def every_file(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("field", ["front matter", "sidecar"])
def test_a_lang_that_is_a_path_writes_nothing_outside_the_output(tmp_path: Path, field: str) -> None:
    """Pagefind builds file names from the page language: `lang: ../../x` once wrote the index outside."""
    target = tmp_path / "elsewhere"
    target.mkdir()
    escape = os.path.relpath(target, tmp_path / "site" / "pagefind" / "index") + "/x"
    files: dict[str, str | bytes] = (
        {"evil.md": f'---\ntitle: Evil\nlang: "{escape}"\n---\nSome words to index.\n'}
        if field == "front matter"
        else {
            "wire/evil.txt": "Evil\n\nSome words to index.\n",
            "wire/meta.jsonl": f'{{"file": "evil.txt", "language": "{escape}"}}\n',
        }
    )
    before = every_file(tmp_path)
    site, problems = site_of(tmp_path, files, search=True)
    assert list(target.iterdir()) == []
    new = {p for p in every_file(tmp_path) - before if site not in p.parents and p != site}
    # the build's lock, its state and its spare (links to the site's files) are beside the output, by design
    ours = (".arshif-cache", ".site-spare", "content")
    outside = {p for p in new if not p.name.startswith(".site") and not any(part in p.parts for part in ours)}
    assert not outside, outside
    assert any("evil" in p and "not a language tag" in p for p in problems), problems
    assert page(site, "/articles/evil/").html["lang"] in ("en", "und")  # the detected language instead


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.domain)", " JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
     "vbscript:msgbox(1)", "java\tscript:alert(1)", "/relative/path", "https://"],
)  # fmt: skip
def test_an_original_url_is_only_ever_a_web_address(tmp_path: Path, url: str) -> None:
    site, problems = site_of(
        tmp_path,
        {
            "front.md": f"---\ntitle: Front\nurl: {url!r}\n---\nBody.\n".replace("'", '"'),
            "wire/side.txt": "Side\n\nBody.\n",
            "wire/meta.jsonl": '{{"file": "side.txt", "url": {}}}\n'.format(__import__("json").dumps(url)),
        },
    )
    for article in ("front", "side"):
        hrefs = [a["href"] for a in page(site, f"/articles/{article}/").find_all("a", href=True)]
        assert all(h.startswith(("/", "http://", "https://", "#")) or not h for h in hrefs), hrefs
        assert not any(h.strip() == url.strip() for h in hrefs)
    assert sum("not an http(s) address" in p for p in problems) == 2, problems


def test_a_real_web_address_is_kept(tmp_path: Path) -> None:
    site, _ = site_of(tmp_path, {"a.md": '---\ntitle: A\nurl: "https://example.org/news/1?x=1"\n---\nBody.\n'})
    assert page(site, "/articles/a/").find("a", href="https://example.org/news/1?x=1") is not None


def test_a_symlinked_file_leading_outside_is_not_published(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret title\n\nroot:x:0:0:the machine's own file\n", "utf-8")
    content = write_archive(tmp_path / "content", {**GOOD, "inside/real.txt": "Real\n\nA real body.\n"})
    (content / "passwd.txt").symlink_to(secret)
    (content / "alias.txt").symlink_to(content / "inside" / "real.txt")  # inside: published
    result = build(Config(content=content, output=tmp_path / "site", search=True), today=TODAY)
    site = tmp_path / "site"
    published = "".join(p.read_text("utf-8", "replace") for p in site.rglob("*") if p.is_file())
    assert "the machine's own file" not in published
    assert not (site / "articles" / "passwd").exists()
    assert (site / "articles" / "alias").is_dir()
    assert any("passwd.txt" in str(p) and "outside the content folder" in str(p) for p in result.problems)


def test_symlinked_folders_are_followed_inside_and_refused_outside(tmp_path: Path) -> None:
    outside = write_archive(tmp_path / "elsewhere", {"far.txt": "Far\n\nFrom far away.\n"})
    content = write_archive(tmp_path / "content", {**GOOD, "_store/2022/kept.txt": "Kept\n\nStored body.\n"})
    (content / "2022").symlink_to(content / "_store" / "2022")  # into a folder the walk skips: followed
    (content / "far").symlink_to(outside)
    (content / "2022" / "loop").symlink_to(content)
    corpus = read_corpus(Config(content=content, output=tmp_path / "site"))
    assert sorted(a.source for a in corpus.articles) == ["2022/kept.txt", "good.txt"]
    said = {Path(p.path).name: p.message for p in corpus.problems}
    assert "outside the content folder" in said["far"]
    assert "loop" in said["loop"]


def test_a_fifo_named_like_an_article_does_not_block(tmp_path: Path) -> None:
    content = write_archive(tmp_path / "content", GOOD)
    os.mkfifo(content / "pipe.txt")
    corpus = read_corpus(Config(content=content, output=tmp_path / "site"))
    assert [a.source for a in corpus.articles] == ["good.txt"]
    assert any(p.path.endswith("pipe.txt") and "not a regular file" in p.message for p in corpus.problems)


@pytest.mark.parametrize(
    ("value", "tag"),
    [("ar", "ar"), ("AR_eg", "ar-EG"), ("zh-hant-tw", "zh-Hant-TW"), ("en-US-x-twain", "en-US-x-twain"),
     ("sr-Latn-RS", "sr-Latn-RS"), ("../../x", None), ("<b>ar</b>", None), ("a" * 36, None), ("", None),
     ("ar-" + "x" * 40, None), ("e", None), ("ar--eg", None)],
)  # fmt: skip
def test_language_tags(value: str, tag: str | None) -> None:
    assert language_tag(value) == tag


@pytest.mark.parametrize(
    ("value", "ok"),
    [("https://a.org/x", True), ("HTTP://A.ORG", True), ("javascript:x", False), ("//a.org/x", False),
     ("https://a.org/\x00x", False), ("mailto:a@b.org", False), ("http://", False)],
)  # fmt: skip
def test_web_urls(value: str, ok: bool) -> None:
    assert (web_url(value) is not None) == ok


@pytest.mark.parametrize(
    "value",
    ["ب" * 300, "x" * 1000, "index.html", "report.HTML", "feed.xml", "a.pf_fragment", "..", "../../etc", "a/b\\c"],
)
def test_segments_fit_and_never_look_like_files(value: str) -> None:
    seg = segment(value)
    assert 0 < len(seg.encode("utf-8")) <= MAX_BYTES
    assert "/" not in seg and "\\" not in seg and seg not in (".", "..")
    assert not seg.lower().endswith((".html", ".xml", ".json", ".pf_fragment"))
    assert segment(value) == seg  # stable: the same value always gives the same URL


def test_long_values_that_share_a_prefix_stay_apart() -> None:
    a, b = "ب" * 200 + "أ", "ب" * 200 + "ت"
    assert segment(a) != segment(b)
    assert segment(a).startswith("ب" * 40)  # readable


def test_ids_tags_and_outlets_too_long_for_a_file_name_still_build(tmp_path: Path) -> None:
    long_id = "خبر" * 100
    site, _problems = site_of(
        tmp_path,
        {
            f"{'ع' * 125}.txt": "Long name\n\nBody.\n",  # 250 bytes: as long as a file name can be
            "b.md": f"---\ntitle: B\nid: {long_id}\ntags: [{'و' * 300}]\noutlet: {'م' * 180}\n---\nBody.\n",
            "index.html.md": "---\ntitle: Collides\n---\nBody.\n",
            "c.md": "---\ntitle: C\nid: report.html\n---\nBody.\n",
        },
    )
    ids = {p.name for p in (site / "articles").iterdir()}
    assert len(ids) == 5 and all(len(i.encode()) <= MAX_BYTES for i in ids)
    assert "index-html" in ids and "report-html" in ids
    assert len(list((site / "tags").iterdir())) == 2  # index.html and the one tag
    assert len(list((site / "sources").iterdir())) == 2


def test_outlets_differing_in_case_share_one_page_that_lists_both(tmp_path: Path) -> None:
    site, problems = site_of(
        tmp_path,
        {
            "a.md": "---\ntitle: First\noutlet: CNN\ntags: [Oil, C++]\n---\nBody.\n",
            "b.md": "---\ntitle: Second\noutlet: cnn\ntags: [oil, C]\n---\nBody.\n",
        },
    )
    listed = {a.get_text(strip=True) for a in page(site, "/sources/cnn/").select("main a")}
    assert {"First", "Second"} <= listed
    oil = {a.get_text(strip=True) for a in page(site, "/tags/oil/").select("main a")}
    assert {"First", "Second"} <= oil
    assert (site / "tags" / "c++").is_dir() and (site / "tags" / "c").is_dir()  # apart, not folded
    assert not any("cnn" in p.lower() for p in problems)  # case alone is the same outlet: nothing to say


def test_spellings_that_fold_to_one_url_are_reported(tmp_path: Path) -> None:
    _, problems = site_of(
        tmp_path,
        {
            "a.md": "---\ntitle: A\ntags: ['New York']\n---\nBody.\n",
            "b.md": "---\ntitle: B\ntags: ['new-york']\n---\nBody.\n",
        },
    )
    assert any("b.md" in p and "/tags/new-york/ lists both" in p for p in problems), problems


@pytest.mark.parametrize(
    ("front", "says"),
    [
        ("date: 2022-02-30", 'cannot read date "2022-02-30"'),
        ("date: 2022-13-01", 'cannot read date "2022-13-01"'),
        ("date: 9999-12-31", "outside the years"),
        ("date: 0001-01-01", "outside the years"),
        ("title: [a, b]", "title must be a text"),
        ("outlet: [1, 2]", "outlet must be a text"),
        ("outlet: NO", "outlet was read as false"),
        ("actors: {x: y}", "actors must be a list"),
        ("tags: [[a]]", "tags must be a list"),
        ("date: 20220108", "date must be a date"),
        ("a: &a [x, x]\nb: [*a, *a]", "aliases"),
        ("title: " + "[" * 50 + "]" * 50, "nests deeper"),
    ],
)
def test_front_matter_mistakes_are_problems_and_the_article_is_published(tmp_path: Path, front: str, says: str) -> None:
    site, problems = site_of(tmp_path, {"x.md": f"---\n{front}\n---\n# Heading title\n\nBody.\n"})
    assert any(p.startswith("content/x.md") or "/x.md" in p for p in problems if says in p), problems
    assert (site / "articles" / "x" / "index.html").is_file()
    text = (site / "articles" / "x" / "index.html").read_text("utf-8")
    assert "['a', 'b']" not in text and "[1, 2]" not in text
    assert not (site / "sources" / "1-2").exists()


def test_a_date_in_december_9999_does_not_stop_the_build(tmp_path: Path) -> None:
    site, problems = site_of(tmp_path, {"x.md": '---\ntitle: Far future\ndate: "9999-12-31"\n---\nBody.\n'})
    assert (site / "dates" / "undated" / "index.html").is_file()
    assert any("outside the years" in p for p in problems)
    assert "Far future" in page(site, "/dates/undated/").get_text()


def test_nul_bytes_after_the_first_8_kb_are_not_published(tmp_path: Path) -> None:
    body = "كلمة " * 3000 + "\x00\x01 بعد"
    site, problems = site_of(tmp_path, {"nul.txt": ("Title\n\n" + body + "\n").encode("utf-8")})
    html = (site / "articles" / "nul" / "index.html").read_bytes()
    assert b"\x00" not in html and b"\x01" not in html
    assert any("control characters" in p for p in problems)


def test_markdown_that_would_take_hours_is_shown_as_plain_text(tmp_path: Path) -> None:
    site, problems = site_of(
        tmp_path,
        {"slow.md": "---\ntitle: Slow\n---\n" + "[" * 10000 + "x" + "](y)" * 10000 + "\n", "ok.md": "# OK\n\n*fine*\n"},
    )
    assert any("slow.md" in p and "shown as plain text" in p for p in problems), problems
    assert "[[[[" in page(site, "/articles/slow/").get_text()
    assert page(site, "/articles/ok/").find("em") is not None


def test_a_page_that_fails_to_draw_is_a_problem_naming_its_file_and_the_rest_is_built(tmp_path: Path) -> None:
    """Not the theme's mistake (a Jinja error stops the build, see test_build): data that makes drawing fail."""
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parents[1] / "templates", templates)
    article = templates / "article.html"
    trap = '{% block main %}{% if article.id == "boom" %}{{ 1 // 0 }}{% endif %}'
    article.write_text(article.read_text("utf-8").replace("{% block main %}", trap), "utf-8")
    site, problems = site_of(tmp_path, {"boom.txt": "Boom\n\nBody.\n"}, templates=templates)
    assert (site / "articles" / "good" / "index.html").is_file()
    assert not (site / "articles" / "boom").exists()
    assert any("boom.txt" in p and "could not draw /articles/boom/" in p and "ZeroDivisionError" in p for p in problems)
