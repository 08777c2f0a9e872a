"""Hostile but fair inputs, one at a time, through the real `arshif` command.

Each case adds one bad thing (a file, a folder, a link, a sidecar line, an authority file) to a copy of a small
good archive, then runs `python -m generator build` (and, where it matters, `check`) as a separate process
with a timeout (TIMEOUT: a hang detector), measuring its wall time and peak memory. What must hold for every case:

* no Python traceback, no hang, exit code 0 for `build` (and 1 for `check` exactly when it prints problems);
* the bad file is named in a compiler-style problem line (`path:line: message` or `path: message`), when the
  case is bad; an article file is either published or named in a problem, never silently dropped;
* the good articles are still built (every page of the good site is still there, with its title);
* nothing is written outside the output folder (the content is untouched, no staging or temporary files are
  left behind, `check` writes nothing), and `check` names the same files as `build`;
* the published HTML carries no NUL or other control characters, no <script> where the good site has none,
  no event-handler attributes, no frames/objects/base/refresh tags, and no link whose scheme (after the
  stripping and case-folding a browser does) is anything but http(s).

The cases run two at a time in the background (ARSHIF_HOSTILE_JOBS to change that); each test waits for its
own. At the end of the session a table gives the number of cases, crashes, hangs, and the worst time and
memory with the case that caused them. Big inputs are generated at test time.
"""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import html
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import write_archive

# A hang detector, not a speed test (speed is measured, not asserted): the worst case takes ~7 s on a quiet
# 2-core machine and CI machines are shared. The summary table reports every case's time.
TIMEOUT = 30.0
JOBS = max(1, int(os.environ.get("ARSHIF_HOSTILE_JOBS", "2")))
# Address space per run: a runaway case fails with MemoryError instead of taking the shared machine down.
MEMORY_LIMIT_KB = 4_000_000
SECRET_VAR, SECRET = "ARSHIF_HOSTILE_MARKER", "zq-environ-marker-5d1c7f"
MARKER = ".arshif-site"

# --- the good archive ---------------------------------------------------------------------------------------

GOOD_AR_TITLE = "بوتين يبحث مع توكاييف الوضع في كازاخستان"
GOOD_EN_TITLE = "Grain exports rise in the spring"
GOOD_FILES: dict[str, str] = {
    "ar-news.txt": f"""{GOOD_AR_TITLE}

(وكالة الأنباء التجريبية / سبوتنيك - 08 كانون الثاني 2022ء) بحث الرئيس الروسي فلاديمير بوتين هاتفيا مع
نظيره الكازاخي الوضع في البلاد.

وأكد الجانبان أهمية التعاون بين روسيا وكازاخستان.
""",
    "en-report.md": f"""---
title: {GOOD_EN_TITLE}
date: 2021-04-12
outlet: Test Wire
tags: [grain, trade]
lang: en
---

Grain exports from Russia rose again in April, traders said.

A second paragraph with **bold** text and a [link](https://example.org/report).
""",
    "actors.toml": """[putin]
kind = "person"
names = { ar = "فلاديمير بوتين", en = "Vladimir Putin" }
aliases = { ar = ["بوتين"], en = ["Putin"] }
""",
}
GOOD_TITLES = {"ar-news": GOOD_AR_TITLE, "en-report": GOOD_EN_TITLE}

TITLE = "اختبار الترميز في الأرشيف"
BODY = "هذا نص عربي قصير لاختبار الترميز.\n\nفقرة ثانية من النص."
TEXT = f"{TITLE}\n\n{BODY}\n"
EN_BODY = "Body text of the article.\n"
WIRE = "Wire title zqw\n\nCHICAGO, March 20 - Grain prices rose on Friday.\n"

Make = Callable[[Path, Path], None]  # (content folder, case folder)


def put(content: Path, name: str, data: str | bytes) -> Path:
    write_archive(content, {name: data})
    return content / name


def adds(files: dict[str, str | bytes | Callable[[], str | bytes]]) -> Make:
    """Files to add, content-relative; a callable value is called at test time (big inputs)."""

    def make(content: Path, work: Path) -> None:
        for name, data in files.items():
            put(content, name, data() if callable(data) else data)

    return make


def md(front: str, body: str = EN_BODY, fence: str = "---") -> str:
    return f"{fence}\n{front.strip(chr(10))}\n{fence}\n\n{body}"


# --- cases --------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    work: Path
    content: Path
    site: Path
    build: Run
    check: Run | None
    outside: list[str]  # paths created, changed or removed outside the output folder by `build`
    check_wrote: list[str]
    tmp_left: list[str]
    new_articles: list[str]


Extra = Callable[[Outcome], list[str]]


@dataclass(frozen=True)
class Case:
    id: str
    make: Make
    bad: tuple[str, ...] = ("bad.md",)  # content-relative (fnmatch) paths a problem line may name; "x/" a folder
    problem: bool | None = True  # True: must be named; False: must not be; None: either
    published: bool | None = None  # True: a new article page; False: none; None: either, but then reported
    new: int | None = None  # exact number of new article pages
    search: bool = False
    check: bool = False
    actors: bool = False  # the case changes actors.toml: the good site's actor pages may differ
    extras: tuple[Extra, ...] = ()
    skip_as_root: bool = False
    config: str = ""  # added to the case's arshif.toml


def case(id: str, make: Make | dict[str, str | bytes | Callable[[], str | bytes]], **kw: object) -> object:
    if isinstance(make, dict):
        if "bad" not in kw:
            kw["bad"] = tuple(make)
        make = adds(make)
    return pytest.param(Case(id, make, **kw), id=id)  # type: ignore[arg-type]


def fm(id: str, front: str, body: str = EN_BODY, fence: str = "---", **kw: object) -> object:
    """A Markdown article bad.md with this front matter."""
    return case(id, {"bad.md": md(front, body, fence)}, **kw)


def body(id: str, text: str | Callable[[], str], **kw: object) -> object:
    """A Markdown article bad.md with a fine title and this body."""
    kw.setdefault("problem", None)
    kw.setdefault("published", True)
    return case(id, {"bad.md": lambda: md("title: Hostile body", text() if callable(text) else text)}, **kw)


# Extra checks -----------------------------------------------------------------------------------------------


def output_files(site: Path) -> Iterator[tuple[str, bytes]]:
    """(site-relative path, bytes) of every page and data file we write (not the copied theme or Pagefind)."""
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and path.suffix in (".html", ".json") and not rel.startswith(("static/", "pagefind/")):
            yield rel, path.read_bytes()


def forbid_text(*needles: str) -> Extra:
    def extra(o: Outcome) -> list[str]:
        found = []
        for rel, data in output_files(o.site):
            text = html.unescape(data.decode("utf-8", "replace"))
            found += [f"{needle[:40]!r} published in {rel}" for needle in needles if needle in text]
        return found[:3]

    return extra


def forbid_path(*patterns: str) -> Extra:
    def extra(o: Outcome) -> list[str]:
        rels = [p.relative_to(o.site).as_posix() for p in o.site.rglob("*")]
        return [f"output has {rel}" for rel in rels for pat in patterns if fnmatch.fnmatch(rel.lower(), pat)][:3]

    return extra


def new_pages(o: Outcome) -> list[BeautifulSoup]:
    return [
        BeautifulSoup((o.site / "articles" / a / "index.html").read_text("utf-8", "replace"), "html.parser")
        for a in o.new_articles
        if (o.site / "articles" / a / "index.html").is_file()
    ]


def title_is(title: str) -> Extra:
    """When the file is published, its title reads as written (not mojibake)."""

    def extra(o: Outcome) -> list[str]:
        shown = [(h.h1.get_text() if h.h1 else None) for h in new_pages(o)]
        return [f"published with title {t!r}, not {title!r}" for t in shown if t != title]

    return extra


def not_created(name: str) -> Extra:
    def extra(o: Outcome) -> list[str]:
        return [f"{name} was created: front matter ran code"] if (o.work / name).exists() else []

    return extra


_BIDI_OPEN = "\u202a\u202b\u202d\u202e"
_ISOLATE_OPEN = "\u2066\u2067\u2068"
_BLOCKS = {
    "html", "body", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "td",
    "th", "tr", "table", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre",
    "title", "figcaption", "option", "bdi", "head", "form", "address",
}  # fmt: skip


def _unbalanced(text: str) -> bool:
    depth = isolates = 0
    for ch in text:
        if ch in _BIDI_OPEN:
            depth += 1
        elif ch == "\u202c":
            depth = max(0, depth - 1)
        elif ch in _ISOLATE_OPEN:
            isolates += 1
        elif ch == "\u2069":
            isolates = max(0, isolates - 1)
    return depth > 0 or isolates > 0


def bidi_contained(o: Outcome) -> list[str]:
    """An unclosed override/embedding in a text may reorder only that text: it must sit alone in its block
    or isolate (a <bdi>, an element with dir=, a block), or be closed or removed."""
    found = []
    for rel, data in output_files(o.site):
        if not rel.endswith(".html"):
            continue
        text = data.decode("utf-8", "replace")
        if not any(c in text for c in _BIDI_OPEN + _ISOLATE_OPEN):
            continue
        for node in BeautifulSoup(text, "html.parser").find_all(string=True):
            if not _unbalanced(node) or node.parent is None or node.parent.name in ("script", "style"):
                continue
            holder = node.parent
            while holder is not None and holder.name not in _BLOCKS and not holder.has_attr("dir"):
                holder = holder.parent
            if holder is None or holder.get_text().strip() != node.strip():
                found.append(f"an unclosed bidi override spills over its text in {rel} <{holder and holder.name}>")
    return found[:3]


def listed_in(section: str, stems: tuple[str, ...], files: tuple[str, ...]) -> Extra:
    """Articles given two spellings of one outlet or tag: each is listed on a /section/<term>/ page, or a
    problem names one of the files."""

    def extra(o: Outcome) -> list[str]:
        if any(o.build.names(f) for f in files):
            return []
        pages = [p.read_text("utf-8") for p in (o.site / section).glob("*/**/index.html")]
        missing = [s for s in stems if not any(f"/articles/{s}/" in page for page in pages)]
        return [f"article {s!r} is on no /{section}/ page and no problem says why" for s in missing]

    return extra


def folder_followed(o: Outcome) -> list[str]:
    """content/link -> content/sub: the folder is read once, and the link either followed (both paths read, the
    second reported as a duplicate) or reported as a link to a folder read already; never silently skipped."""
    if len(o.new_articles) == 2 or (len(o.new_articles) == 1 and o.build.names("link/")):
        return []
    return [f"symlinked folder inside the content: {len(o.new_articles)} new articles and no problem for link/"]


# --- big and nested inputs, made at test time ---------------------------------------------------------------


def deep_toml_front() -> str:
    return md('title = "Deep"\nx = ' + "[" * 10_000 + "]" * 10_000, fence="+++")


def billion_laughs(key: str) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    if key != "title":
        lines.append("title: Laughs")
    lines.append(f"{key}: *i")
    return md("\n".join(lines))


def fifo(name: str) -> Make:
    def make(content: Path, work: Path) -> None:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.mkfifo(path)
        if name.startswith("wire/"):
            put(content, "wire/w.txt", WIRE)

    return make


def link(name: str, target: str | Callable[[Path, Path], str], *also: tuple[str, str]) -> Make:
    def make(content: Path, work: Path) -> None:
        for rel, data in also:
            put(content if not rel.startswith("/") else work, rel.lstrip("/"), data)
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target(content, work) if callable(target) else target)

    return make


def link_loop(content: Path, work: Path) -> None:
    (content / "l1.txt").symlink_to("l2.txt")
    (content / "l2.txt").symlink_to("l1.txt")


def unreadable(content: Path, work: Path) -> None:
    os.chmod(put(content, "bad.txt", TEXT), 0)


def invalid_name(content: Path, work: Path) -> None:
    path = os.fsencode(content) + b"/\xff\xfe-bad.txt"
    with open(path, "wb") as f:
        f.write(TEXT.encode())


def traversal(work: Path) -> str:
    (work / "victim").mkdir(exist_ok=True)
    return "../" * 12 + str(work / "victim" / "x").lstrip("/")


def lang_traversal(content: Path, work: Path) -> None:
    put(content, "bad.md", md(f'title: Traversal\nlang: "{traversal(work)}"'))


def sidecar_lang_traversal(content: Path, work: Path) -> None:
    put(content, "wire/w.txt", WIRE)
    put(content, "wire/meta.jsonl", json.dumps({"file": "w.txt", "lang": traversal(work)}) + "\n")


def python_object(content: Path, work: Path) -> None:
    put(content, "bad.md", md(f'title: !!python/object/apply:os.system ["touch {work / "pwned"}"]'))


def sidecar(*lines: str, article: str = WIRE) -> dict[str, str | bytes | Callable[[], str | bytes]]:
    return {"wire/meta.jsonl": "".join(line + "\n" for line in lines), "wire/w.txt": article}


def sidecar_fields(**fields: object) -> dict[str, str | bytes | Callable[[], str | bytes]]:
    return sidecar(json.dumps({"file": "w.txt", **fields}))


SIDE = ("wire/meta.jsonl", "wire/w.txt")
PASSWD = Path("/etc/passwd").read_text(errors="replace").splitlines()[0] if Path("/etc/passwd").exists() else "root:x:"

# Python's str() of a list, mapping, set or bytes: the quoted marker words, "[1, 2]", "b'zq".
WRONG_REPRS = ("'zqa'", "'zqb'", "'zqx'", "[1, 2]", "b'zq", "'http://a.example")
no_repr = forbid_text(*WRONG_REPRS)

UNDER_CAP = "max_file_bytes = 10000000\n"
LANG_36 = "ar-x-aaaaaaaa-bbbbbbbb-cccccccc-dddd"
assert len(LANG_36) == 36

HTML_PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "img-onerror": '<img src=x onerror="alert(1)">',
    "a-href-entity-tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "md-link-js": "[click](javascript:alert(1))",
    "md-ref-link-js": "[click][r]\n\n[r]: javascript:alert(1)",
    "md-link-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "attr-list-onclick": 'A paragraph.\n{: onclick="alert(1)" }',
}

JS_URLS = {
    "javascript": "javascript:alert(1)",
    "mixed-case": "JaVaScRiPt:alert(1)",
    "leading-space": " javascript:alert(1)",
    "tab-inside": "java\tscript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "vbscript": "vbscript:msgbox(1)",
}

CASES = [
    # bytes and encodings
    case("empty", {"bad.txt": b""}, new=0),
    case("whitespace-only", {"bad.txt": b" \n\t\n  \r\n\n"}, new=0),
    case("binary-png", {"bad.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 64}, new=0, check=True),
    case("nul-in-first-8k", {"bad.txt": TEXT.encode() + b"zq\x00\x00zq\n"}),
    case("nul-after-8k", {"bad.txt": (TEXT + "ن" * 5000 + "\n").encode() + b"zq\x00\x00zq\n"}),
    case("invalid-utf8-bytes", {"bad.txt": b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\x80\x81" * 200}),
    case("utf8-one-bad-byte", {"bad.txt": TEXT.encode() + b"\xff" + (BODY * 20).encode()}, extras=(title_is(TITLE),)),
    case(
        "utf16le-bom",
        {"bad.txt": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")},
        problem=False,
        new=1,
        extras=(title_is(TITLE),),
    ),
    case("utf16le-no-bom", {"bad.txt": TEXT.encode("utf-16-le")}, problem=None, extras=(title_is(TITLE),)),
    case("cp1256", {"bad.txt": TEXT.encode("cp1256")}, new=1, extras=(title_is(TITLE),), check=True),
    # sizes
    case("file-50mb", {"bad.txt": lambda: "Big\n\n" + "كلمة " * 5_600_000}, new=0, check=True),
    # "Under the cap": the README's 10 MB, whatever the default is today.
    case(
        "md-million-lines",
        {"bad.md": lambda: "# Lines\n\n" + "ab\n" * 1_000_000},
        problem=None,
        published=True,
        config=UNDER_CAP,
    ),
    case(
        "md-line-5mb",
        {"bad.md": lambda: "# Long line\n\n" + "word " * 1_000_000 + "\n"},
        problem=None,
        published=True,
        config=UNDER_CAP,
    ),
    case("title-100k-chars", {"bad.txt": lambda: "كلمة " * 20_000 + "\n\nنص قصير.\n"}, problem=None),
    # front matter syntax
    fm("yaml-broken", "title: [unclosed\ndate: 2022-01-08", published=None, check=True),
    fm("toml-broken", 'title = "x\ndate = ', fence="+++"),
    case("front-matter-never-closed", {"bad.md": "---\ntitle: Never closed\n\nbody text\n"}),
    case("yaml-python-object", python_object, extras=(not_created("pwned"),), check=True),
    case(
        "yaml-billion-laughs-title",
        {"bad.md": lambda: billion_laughs("title")},
        check=True,
        extras=(forbid_text("['lol'"),),
    ),
    case("yaml-billion-laughs-tags", {"bad.md": lambda: billion_laughs("tags")}, extras=(forbid_text("['lol'"),)),
    case("yaml-nested-flow-list", {"bad.md": lambda: md("title: Deep\nx: " + "[" * 10_000 + "]" * 10_000)}),
    case("toml-nested-10000", {"bad.md": deep_toml_front}),
    case("yaml-int-5000-digits", {"bad.md": md("title: Digits\nid: " + "1" * 5000)}),
    # dates
    fm("yaml-date-feb-30", "title: Feb 30\ndate: 2022-02-30", published=True, check=True),
    fm("yaml-date-month-13", "title: Month 13\ndate: 2022-13-01", published=True),
    fm("yaml-timestamp-hour-25", "title: Hour 25\ndate: 2022-01-08 25:00:00", published=True),
    fm("date-9999-12-31-yaml", "title: Far future\ndate: 9999-12-31", problem=None, published=True),
    fm("date-year-0-string", 'title: Year 0\ndate: "0000-01-01"', published=True),
    fm("date-negative-year-string", 'title: Negative\ndate: "-0001-01-01"', published=True),
    fm("date-year-10000-string", 'title: Year 10000\ndate: "10000-01-01"', published=True),
    fm("date-int", "title: Int date\ndate: 20220108", published=True),
    case(
        "dateline-impossible",
        {"bad.txt": "Impossible\n\n(وكالة الأنباء - 32 شباط 2022) نص الخبر.\n"},
        published=True,
        check=True,
    ),
    case(
        "dateline-year-9999",
        {"bad.txt": "Far\n\n(وكالة الأنباء - 31 ديسمبر 9999) نص الخبر.\n"},
        problem=None,
        published=True,
    ),
    # wrong front matter types
    fm("title-list", "title: [zqa, zqb]", extras=(no_repr,), check=True),
    fm("outlet-list-of-ints", "title: Outlet ints\noutlet: [1, 2]", extras=(no_repr, forbid_path("sources/1-2*"))),
    fm("tags-mapping", "title: Tags map\ntags: {zqa: zqb}", extras=(no_repr, forbid_path("tags/zqa-zqb*"))),
    fm("actors-mapping", "title: Actors map\nactors: {zqx: zqy}", extras=(no_repr,)),
    fm("lang-int", "title: Lang int\nlang: 12"),
    fm("url-list", "title: Url list\nurl: [http://a.example/zqa, http://b.example/zqb]", extras=(no_repr,)),
    case(
        "sidecar-wrong-types",
        sidecar_fields(title=["zqa", "zqb"], tags={"zqx": "zqy"}, outlet=[1, 2]),
        bad=SIDE,
        extras=(no_repr, forbid_path("sources/1-2*")),
    ),
    # lang
    case("lang-path-traversal", lang_traversal, search=True, check=True),
    case("sidecar-lang-path-traversal", sidecar_lang_traversal, bad=SIDE, search=True),
    fm("lang-36-chars", f"title: Lang 36\nlang: {LANG_36}", problem=None, published=True, search=True),
    fm("lang-260-chars", "title: Lang 260\nlang: " + "a" * 260, search=True),
    fm("lang-3000-chars", "title: Lang 3000\nlang: " + "a" * 3000, search=True),
    fm("lang-markup", 'title: Lang markup\nlang: "<b>ar</b>"', search=True),
    fm("lang-odd-code", "title: Odd code\nlang: xx-YYYY-zz-12345678", problem=None, published=True, search=True),
    # urls
    *(fm(f"url-{name}", f"title: Url {name}\nurl: {json.dumps(url)}") for name, url in JS_URLS.items()),
    *(
        case(f"sidecar-url-{name}", sidecar_fields(url=JS_URLS[name]), bad=SIDE)
        for name in ("javascript", "data", "vbscript")
    ),
    # ids, file names and the paths they publish to
    fm("id-250-arabic", "title: Long id\nid: " + "ب" * 250, problem=None),
    fm("id-1000-arabic", "title: Longer id\nid: " + "ب" * 1000, problem=None, check=True),
    case("filename-125-arabic", {"ب" * 125 + ".txt": TEXT}, problem=None, published=True),
    case("filename-invalid-utf8", invalid_name, bad=("*bad.txt",), problem=None),
    *(
        fm(
            f"id-{name}",
            f"title: Collision {name}\nid: {json.dumps(name)}",
            problem=None,
            published=True,
            search=name == "pagefind",
        )
        for name in ("index.html", "report.html", "static", "pagefind", "data", "page", "search", "404.html")
    ),
    case("duplicate-ids-two-folders", {"a/same.txt": TEXT, "b/same.txt": TEXT}, bad=("b/same.txt",), new=2, check=True),
    case("duplicate-id-of-good-article", {"zz.md": md("title: Impostor zq\nid: ar-news")}, bad=("zz.md",), new=1),
    # long terms
    fm("tag-300-latin", "title: Long tag\ntags: [" + "t" * 300 + "]", problem=None, published=True),
    fm("outlet-180-arabic", "title: Long outlet\noutlet: " + "ق" * 180, problem=None, published=True),
    # terms that differ only in case or punctuation
    case(
        "outlets-CNN-cnn",
        {"cnn-a.md": md("title: CNN upper\noutlet: CNN"), "cnn-b.md": md("title: cnn lower\noutlet: cnn")},
        problem=None,
        new=2,
        extras=(listed_in("sources", ("cnn-a", "cnn-b"), ("cnn-a.md", "cnn-b.md")),),
    ),
    case(
        "tags-Oil-oil",
        {"oil-a.md": md("title: Oil upper\ntags: [Oil]"), "oil-b.md": md("title: oil lower\ntags: [oil]")},
        problem=None,
        new=2,
        extras=(listed_in("tags", ("oil-a", "oil-b"), ("oil-a.md", "oil-b.md")),),
    ),
    case(
        "tags-C++-C",
        {"cpp-a.md": md('title: C plus plus\ntags: ["C++"]'), "cpp-b.md": md("title: C\ntags: [C]")},
        problem=None,
        new=2,
        extras=(listed_in("tags", ("cpp-a", "cpp-b"), ("cpp-a.md", "cpp-b.md")),),
    ),
    # Markdown structure
    body("md-nested-list-600", "\n".join("    " * i + "- item" for i in range(600))),
    body("md-nested-list-5000-inline", "- " * 5000 + "x"),
    body("md-emphasis-100k", lambda: "*" * 100_000 + "x" + "*" * 100_000),
    body("md-brackets-100k", lambda: "[" * 100_000),
    body("md-open-links-25k", lambda: "[a](" * 25_000),  # each opening a link that never closes
    body("md-angles-100k", lambda: "<" * 100_000),
    body("md-inline-spans-100k", lambda: "*a* " * 100_000),
    body("md-blockquote-3000-lines", lambda: "> line of a quote\n" * 3000),
    body("md-blockquote-20000-lines", lambda: "> line of a quote\n" * 20_000),
    body("md-blockquote-nested-10000", lambda: ">" * 10_000 + " deep"),
    body("md-same-heading-20000", lambda: "## Same heading\n\n" * 20_000),
    body("md-code-30000-lines", lambda: "```python\n" + "def f(x):\n    return x + 1\n" * 15_000 + "```\n"),
    # raw HTML and links in Markdown (the global checks look for scripts, handlers and schemes)
    *(body(f"html-{name}", f"Before.\n\n{payload}\n\nAfter.\n") for name, payload in HTML_PAYLOADS.items()),
    # links, special files
    case(
        "symlink-to-etc-passwd",
        link("passwd.txt", "/etc/passwd"),
        bad=("passwd.txt",),
        new=0,
        check=True,
        extras=(forbid_text(PASSWD),),
    ),
    case(
        "symlink-to-proc-environ",
        link("env.txt", "/proc/self/environ"),
        bad=("env.txt",),
        new=0,
        extras=(forbid_text(SECRET),),
    ),
    case("symlink-to-dev-zero", link("zero.txt", "/dev/zero"), bad=("zero.txt",), new=0, check=True),
    case("symlink-file-inside", link("alias.txt", "ar-news.txt"), bad=("alias.txt",), problem=None),
    case(
        "symlink-folder-inside",
        link("link", "sub", ("sub/s.txt", TEXT)),
        bad=("link/", "sub/s.txt"),
        problem=None,
        extras=(folder_followed,),
    ),
    case(
        "symlink-folder-outside",
        link("ext", lambda c, w: str(w / "outside"), ("/outside/o.txt", "zq-outside-secret\n\nbody\n")),
        bad=("ext/",),
        new=0,
        extras=(forbid_text("zq-outside-secret"),),
        check=True,
    ),
    case("symlink-loop-folder", link("loop", "."), bad=("loop/",), new=0),
    case("symlink-loop-file", link_loop, bad=("l1.txt", "l2.txt"), new=0),
    case("symlink-dangling", link("gone.txt", "nowhere.txt"), bad=("gone.txt",), new=0),
    case("fifo-article", fifo("x.txt"), bad=("x.txt",), new=0, check=True),
    case("unreadable-file", unreadable, bad=("bad.txt",), new=0, skip_as_root=True, check=True),
    # sidecars
    case(
        "sidecar-100k-lines",
        {
            "wire/meta.jsonl": lambda: "".join(
                json.dumps({"file": f"f{i:06}.txt", "title": "t"}) + "\n" for i in range(100_000)
            ),
            "wire/w.txt": WIRE,
        },
        bad=("wire/meta.jsonl",),
        check=True,
    ),
    case("sidecar-non-objects", sidecar("[1, 2]", '"text"', "42", "null", "true"), bad=("wire/meta.jsonl",)),
    case(
        "sidecar-file-traversal",
        sidecar(json.dumps({"file": "../ar-news.txt", "title": "zq hijacked"})),
        bad=("wire/meta.jsonl",),
        extras=(forbid_text("zq hijacked"),),
    ),
    case(
        "sidecar-nested-json",
        {
            "wire/meta.jsonl": lambda: '{"file": "w.txt", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
            "wire/w.txt": WIRE,
        },
        bad=("wire/meta.jsonl",),
        check=True,
    ),
    case("sidecar-int-5000-digits", sidecar('{"file": "w.txt", "n": ' + "1" * 5000 + "}"), bad=("wire/meta.jsonl",)),
    case("sidecar-fifo", fifo("wire/meta.jsonl"), bad=("wire/meta.jsonl",), check=True),
    # the authority file
    case(
        "actors-50000",
        {
            "actors.toml": lambda: (
                GOOD_FILES["actors.toml"]
                + "".join(f'[zq{i:05}]\nnames = {{ en = "Zqname{i:05} Person" }}\n' for i in range(50_000))
            )
        },
        actors=True,
        bad=("actors.toml",),
        problem=None,
        check=True,
    ),
    case("actors-not-toml", {"actors.toml": "this is [not toml\n"}, actors=True, check=True),
    case(
        "actors-alias-claimed-twice",
        {
            "actors.toml": GOOD_FILES["actors.toml"] + '[impostor]\nnames = { en = "Impostor" }\n'
            'aliases = { ar = ["بوتين"], en = ["Putin"] }\n'
        },
        actors=True,
    ),
    case(
        "actors-nested-10000",
        {"actors.toml": lambda: GOOD_FILES["actors.toml"] + "[deep]\nx = " + "[" * 10_000 + "]" * 10_000 + "\n"},
        actors=True,
    ),
    case(
        "actors-wrong-types",
        {
            "actors.toml": GOOD_FILES["actors.toml"] + '[a]\nnames = "str"\n[b]\nkind = ["person"]\n'
            'names = { en = "B" }\n[c]\nnames = { en = "C" }\naliases = { en = [1, 2] }\n'
            '[D-Upper]\nnames = { en = "D" }\n'
            '[e]\nnames = { en = "E" }\nwikidata = 5\ndescription = [1]\n'
        },
        actors=True,
    ),
    case(
        "actors-int-5000-digits",
        {"actors.toml": GOOD_FILES["actors.toml"] + "[n]\nx = " + "1" * 5000 + "\n"},
        actors=True,
    ),
    case("actors-fifo", fifo("actors.toml"), bad=("actors.toml",), actors=True, check=True),
    # control characters and direction overrides
    case(
        "title-control-chars",
        {"bad.txt": "Alert\x07\x1b[31m red\x08 zq\x7f\n\nBody\x01 with\x0b controls.\n"},
        problem=None,
    ),
    case(
        "title-bidi-override",
        {"bad.txt": "\u202eevil gnp.exe\n\n\u202eنص \u202dمع\u2067 تجاوز الاتجاه.\n"},
        problem=None,
        published=True,
        extras=(bidi_contained,),
    ),
    fm(
        "outlet-bidi-override",
        'title: Outlet override\noutlet: "\u202eCNN"',
        problem=None,
        published=True,
        extras=(bidi_contained,),
    ),
]


# --- running -------------------------------------------------------------------------------------------------


@dataclass
class Run:
    rc: int
    stderr: str
    seconds: float
    rss_kb: int
    timed_out: bool

    @property
    def crashed(self) -> bool:
        return "Traceback" in self.stderr

    @property
    def problem_lines(self) -> list[str]:
        return [
            line
            for line in self.stderr.splitlines()
            if line.strip() and not re.match(r"\d+ articles, ", line) and _PATH.match(line)
        ]

    def named(self) -> set[str]:
        """The paths problem lines name."""
        return {m.group(1) for line in self.problem_lines if (m := _PATH.match(line))}

    def names(self, pattern: str) -> bool:
        """Whether a problem line names content/<pattern> (a folder pattern 'x/' also matches x and x/...)."""
        want = "content/" + pattern
        for path in self.named():
            if want.endswith("/"):
                if path == want[:-1] or fnmatch.fnmatch(path, want + "*"):
                    return True
            elif fnmatch.fnmatch(path, want):
                return True
        return False

    def tail(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1][:200] if lines else ""


_PATH = re.compile(r"(.+?)(?::\d+)?: ")


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """One `python -m generator ...` in a session of its own; killed (with its children) after TIMEOUT.

    Peak memory comes from /usr/bin/time (the maximum resident set of the command and its children). Without
    it, wait4's figure is used, which on Linux also counts the test process the command was forked from.
    """
    script = f'ulimit -v {MEMORY_LIMIT_KB} 2>/dev/null; exec "$@"'
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(suffix=".rss") as rss:
        timing = [TIME, "-f", "%M", "-o", rss.name] if TIME else []
        cmd = ["/bin/sh", "-c", script, "sh", *timing, sys.executable, "-m", "generator", *args]
        start = time.monotonic()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
            start_new_session=True,
        )  # fmt: skip
        timed_out, hung_peak = False, 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > TIMEOUT:
                timed_out = True
                hung_peak = session_peak_kb(proc.pid)
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.monotonic() - start
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # anything it left running in its session
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        peak = hung_peak if timed_out else usage.ru_maxrss
        if TIME and not timed_out:
            figures = [w for w in Path(rss.name).read_text(errors="replace").split() if w.isdigit()]
            peak = int(figures[-1]) if figures else peak
    return Run(proc.returncode, text, seconds, peak, timed_out)


def session_peak_kb(session: int) -> int:
    """The largest peak resident set (VmHWM) among the live processes of a session, read before killing it."""
    peak = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getsid(int(entry)) != session:
                continue
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        if m := re.search(r"^VmHWM:\s+(\d+)", status, re.MULTILINE):
            peak = max(peak, int(m.group(1)))
    return peak


def snapshot(root: Path, skip: set[Path]) -> dict[str, tuple[int, int, int]]:
    """path -> (type, size, mtime) of everything under `root` (links not followed), `skip` left out."""
    found: dict[str, tuple[int, int, int]] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in dirs + files:
            path = here / name
            st = os.lstat(path)
            kind = stat.S_IFMT(st.st_mode)
            plain = kind != stat.S_IFDIR
            found[str(path.relative_to(root))] = (kind, st.st_size if plain else 0, st.st_mtime_ns if plain else 0)
    return found


def differences(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> list[str]:
    return sorted(
        [f"created {p}" for p in after.keys() - before.keys()]
        + [f"removed {p}" for p in before.keys() - after.keys()]
        + [f"changed {p}" for p in before.keys() & after.keys() if before[p] != after[p]]
    )


def run_case(case: Case, work: Path) -> Outcome:
    content = work / "content"
    for name, text in GOOD_FILES.items():
        put(content, name, text)
    case.make(content, work)
    (work / "arshif.toml").write_text(("" if case.search else "search = false\n") + case.config)
    (work / "out").mkdir()
    (work / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(work / "tmp"), SECRET_VAR: SECRET}
    env.pop("ARSHIF_HOSTILE_JOBS", None)
    site = work / "out" / "site"
    skip = {site, work / "out" / ".site-spare", work / "tmp"}  # the spare: the published site's files, linked
    before = snapshot(work, skip)
    build = run_cli(["build", "--content", "content", "--out", "out/site", "--config", "arshif.toml"], work, env)
    # The build's lock (`.site.lock`, generator/publishing/write.py), its spare (`.site-spare`, links to the site's
    # files, where the next update starts), and its state beside the output
    # (`.arshif-cache/site.sqlite`, generator/publishing/state.py; `site.pages.json`, what the search index saw of the
    # pages; `site.bundle.json`, the stamps of the bundle's files) are all that may appear there.
    allowed = {"created out/.site.lock", "created out/.arshif-cache", "created out/.arshif-cache/site.sqlite",
               "created out/.arshif-cache/site.pages.json", "created out/.arshif-cache/site.bundle.json"}  # fmt: skip
    outside = [d for d in differences(before, snapshot(work, skip)) if d not in allowed]
    tmp_left = sorted(os.listdir(work / "tmp"))
    check, check_wrote = None, []
    if case.check:
        before = snapshot(work, {work / "tmp"})
        check = run_cli(["check", "--content", "content", "--config", "arshif.toml"], work, env)
        check_wrote = differences(before, snapshot(work, {work / "tmp"}))
    articles = site / "articles"
    new = sorted(set(os.listdir(articles)) - set(GOOD_TITLES)) if articles.is_dir() else []
    return Outcome(work, content, site, build, check, outside, check_wrote, tmp_left, new)


# --- the good site, and the background runner -----------------------------------------------------------------


@dataclass
class Baseline:
    pages: set[str]
    scripts: dict[str, int]


@dataclass
class Record:
    case: str
    build: Run
    check: Run | None
    failures: list[str] = field(default_factory=list)


RECORDS: dict[str, Record] = {}


@pytest.fixture(scope="session")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return run_case(Case("good", lambda c, w: None, check=True), tmp_path_factory.mktemp("hostile-good"))


@pytest.fixture(scope="session")
def baseline(good_site: Outcome) -> Baseline:
    site = good_site.site
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    scripts = {rel: data.count(b"<script") for rel, data in output_files(site)}
    return Baseline(pages, scripts)


@pytest.fixture(scope="session")
def hostile_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[Outcome]]]:
    """Every selected case started in the background, in test order, JOBS at a time."""
    selected = [
        item.callspec.params["hostile"]
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("hostile"), Case)
    ]
    pool = ThreadPoolExecutor(max_workers=JOBS)
    futures: dict[str, Future[Outcome]] = {}
    for c in selected:
        if c.id in futures or (c.skip_as_root and os.geteuid() == 0):
            continue
        futures[c.id] = pool.submit(run_case, c, tmp_path_factory.mktemp(f"hostile-{c.id[:40]}"))
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)
    report(request.config)


def report(config: pytest.Config) -> None:
    if not RECORDS:
        return
    records = list(RECORDS.values())
    runs = [(r.case, name, run) for r in records for name, run in (("build", r.build), ("check", r.check)) if run]
    crashes = [f"{c} ({n})" for c, n, run in runs if run.crashed]
    hangs = [f"{c} ({n})" for c, n, run in runs if run.timed_out]
    slow = sorted(runs, key=lambda x: -x[2].seconds)
    big = sorted(runs, key=lambda x: -x[2].rss_kb)
    failing = [r for r in records if r.failures]
    lines = [
        "",
        "hostile inputs: "
        f"{len(records)} cases, {len(runs)} runs, {len(crashes)} crashes, {len(hangs)} hangs, {len(failing)} failing",
        f"worst time   {slow[0][2].seconds:6.2f} s   {slow[0][0]} ({slow[0][1]})",
        f"worst memory {big[0][2].rss_kb / 1024:6.0f} MB  {big[0][0]} ({big[0][1]})",
        "slowest runs:  " + ", ".join(f"{c}/{n} {run.seconds:.1f}s" for c, n, run in slow[:8]),
        "largest runs:  " + ", ".join(f"{c}/{n} {run.rss_kb / 1024:.0f}MB" for c, n, run in big[:8]),
        f"{'case':42} {'build s':>8} {'MB':>6} {'check s':>8} {'MB':>6}  result",
    ]
    for r in records:
        chk = f"{r.check.seconds:8.2f} {r.check.rss_kb / 1024:6.0f}" if r.check else f"{'':8} {'':6}"
        result = "ok" if not r.failures else r.failures[0][:110]
        lines.append(f"{r.case[:42]:42} {r.build.seconds:8.2f} {r.build.rss_kb / 1024:6.0f} {chk}  {result}")
    text = "\n".join(lines)
    out = Path(tempfile.gettempdir()) / "arshif-hostile-summary.txt"
    out.write_text(text + "\n", "utf-8")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(text)
        reporter.write_line(f"(also in {out})")


# --- the checks ------------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_ATTR_URL = re.compile(
    r"""[\s"'/](?:href|src|action|formaction|xlink:href|poster|data|background|ping)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_HANDLER = re.compile(r"<[a-zA-Z][^<>]*?[\s\"'/]on[a-z]+\s*=", re.IGNORECASE)
_DANGEROUS_TAGS = re.compile(
    r"<(iframe|frame|frameset|object|embed|base|applet)\b|<meta[^<>]*http-equiv", re.IGNORECASE
)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value: entities decoded, tabs/newlines removed anywhere,
    leading and trailing controls and spaces stripped, case folded."""
    v = re.sub(r"[\t\n\r]", "", html.unescape(value)).strip(_C0_AND_SPACE).lower()
    m = _SCHEME.match(v)
    return m.group(1) if m else None


def page_failures(o: Outcome, base: Baseline) -> list[str]:
    found: list[str] = []
    for rel, data in output_files(o.site):
        if b"\x00" in data:
            found.append(f"NUL byte published in {rel}")
        if not rel.endswith(".html"):
            continue
        text = data.decode("utf-8", "replace")
        if m := _CONTROL.search(text):
            found.append(f"control character U+{ord(m.group()):04X} published in {rel}")
        # A page the good archive has may hold its scripts; a new page, what a good page of its section holds.
        section = rel.split("/", 1)[0] + "/"
        allowed = base.scripts.get(rel, max((n for r, n in base.scripts.items() if r.startswith(section)), default=0))
        if text.count("<script") > allowed:
            found.append(f"<script> published in {rel}")
        if m := _HANDLER.search(text):
            found.append(f"event-handler attribute in {rel}: {m.group()[-40:]!r}")
        if m := _DANGEROUS_TAGS.search(text):
            found.append(f"{m.group()!r} published in {rel}")
        for tag in _TAG.finditer(text):
            for m in _ATTR_URL.finditer(tag.group()):
                value = next(g for g in m.groups() if g is not None)
                scheme = url_scheme(value)
                if scheme is not None and scheme not in ("http", "https"):
                    found.append(f"link with scheme {scheme}: in {rel}: {value[:60]!r}")
    return list(dict.fromkeys(found))[:6]


def run_failures(name: str, run: Run) -> list[str]:
    if run.timed_out:
        return [f"{name} hung: killed after {TIMEOUT:.0f} s"]
    if run.crashed:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        error = next(
            (line for line in reversed(lines) if re.match(r"\w+(\.\w+)*(Error|Exception|Exit)\b", line)), run.tail()
        )
        return [f"{name} crashed: {error[:160]}"]
    return []


def evaluate(case: Case, o: Outcome, base: Baseline) -> list[str]:
    b = o.build
    failures = run_failures("build", b)
    if failures:
        return failures
    if b.rc != 0:
        return [f"build exit code {b.rc}: {b.tail()}"]
    named = any(b.names(p) for p in case.bad)
    if case.problem is True and not named:
        failures.append(f"no problem line names {' or '.join('content/' + p for p in case.bad)}")
    if case.problem is False and named:
        failures.append(f"a problem names a good file: {b.problem_lines[0][:120]}")
    if not (o.site / MARKER).is_file():
        return [*failures, "no site was published"]
    # The good site is still there, page for page, with its titles.
    have = {p.relative_to(o.site).as_posix() for p in o.site.rglob("*") if p.is_file()}
    lost = sorted(
        p for p in base.pages - have if not (case.actors and p.startswith(("actors/", "data/actors/", "data/search/")))
    )
    if lost:
        failures.append(f"good pages missing: {', '.join(lost[:4])}")
    for article_id, title in GOOD_TITLES.items():
        page = o.site / "articles" / article_id / "index.html"
        if page.is_file():
            h1 = BeautifulSoup(page.read_text("utf-8"), "html.parser").h1
            if h1 is None or h1.get_text() != title:
                failures.append(f"good article {article_id} now shows {h1 and h1.get_text()[:60]!r}")
    n = len(o.new_articles)
    if case.new is not None and n != case.new:
        failures.append(f"{n} new article pages, want {case.new}")
    elif case.published is True and n == 0:
        failures.append("the article was not published")
    elif case.published is False and n:
        failures.append(f"published as {o.new_articles[0][:60]}")
    is_article = any(p.endswith((".txt", ".md")) for p in case.bad)
    if case.published is None and case.new is None and is_article and n == 0 and not named:
        failures.append("the file was neither published nor named in a problem")
    if o.outside:
        failures.append(f"wrote outside the output folder: {', '.join(o.outside[:3])}")
    logs = [name for name in o.tmp_left if "internal-error" in name]
    if logs:
        failures.append(f"an internal error was caught on this input (its log is left in TMPDIR: {logs[0]})")
    elif o.tmp_left:
        failures.append(f"left temporary files: {', '.join(o.tmp_left[:3])}")
    failures += page_failures(o, base)
    for extra in case.extras:
        failures += extra(o)
    if o.check is not None:
        c = o.check
        trouble = run_failures("check", c)
        if trouble:
            failures += trouble
        else:
            want = 1 if c.problem_lines else 0
            if c.rc != want:
                failures.append(f"check exit code {c.rc} with {len(c.problem_lines)} problem lines: {c.tail()}")
            if c.named() != b.named():
                failures.append(f"check names {sorted(c.named())[:3]}, build names {sorted(b.named())[:3]}")
            if o.check_wrote:
                failures.append(f"check wrote: {', '.join(o.check_wrote[:3])}")
    return failures


def test_the_good_archive_builds_clean(good_site: Outcome, baseline: Baseline) -> None:
    assert run_failures("build", good_site.build) == [] and good_site.build.rc == 0
    assert good_site.build.problem_lines == [], good_site.build.stderr
    assert good_site.check is not None and good_site.check.rc == 0 and good_site.check.problem_lines == []
    assert good_site.new_articles == [] and good_site.outside == [] and good_site.tmp_left == []
    assert {"index.html", "404.html", "articles/ar-news/index.html", "articles/en-report/index.html"} <= baseline.pages
    assert any(p.startswith("actors/putin/") for p in baseline.pages)
    assert page_failures(good_site, baseline) == []


@pytest.mark.parametrize("hostile", CASES)
def test_hostile_input(hostile: Case, hostile_runs: dict[str, Future[Outcome]], baseline: Baseline) -> None:
    if hostile.skip_as_root and os.geteuid() == 0:
        pytest.skip("root reads every file: an unreadable file cannot be made")
    outcome = hostile_runs[hostile.id].result()
    failures = evaluate(hostile, outcome, baseline)
    RECORDS[hostile.id] = Record(hostile.id, outcome.build, outcome.check, failures)
    for path in outcome.content.rglob("*"):  # big inputs are not kept between sessions
        if path.is_file() and not path.is_symlink() and path.stat().st_size > 1_000_000:
            path.unlink()
    assert not failures, "\n".join(failures)


def test_case_ids_are_unique() -> None:
    ids = [p.id for p in CASES]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids))
