"""Property tests of the pure readers: whatever bytes, text, front matter, dateline or sidecar line comes in,
they return a value (never raise), and what they return can be published.

Bounded for CI by the "ci" Hypothesis profile (tests/conftest.py); `HYPOTHESIS_PROFILE=long` runs ~2000
examples a test.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.diagnostics import Problem, display_path
from generator.model import Article, Dateline, SourceFile
from generator.reading.discover import read_sidecar
from generator.reading.readers import drop_controls, read_article
from generator.reading.readers.markdown import parse_markdown
from generator.reading.readers.parsed import Parsed

MAX_BYTES = 1_000_000


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def source(folder: Path, data: bytes, fmt: str) -> SourceFile:
    name = "a.md" if fmt == "markdown" else "a.txt"
    path = folder / name
    path.write_bytes(data)
    return SourceFile(str(path), name, display_path(path), fmt)  # type: ignore[arg-type]


def scheme(url: str) -> str | None:
    """The scheme a browser would see (controls and spaces stripped, tabs/newlines removed, case folded)."""
    v = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).lower()
    m = re.match(r"([a-z][a-z0-9+.\-]*):", v)
    return m.group(1) if m else None


def publishable(text: str, what: str) -> None:
    assert isinstance(text, str), (what, text)
    assert "\x00" not in text, what
    text.encode("utf-8")  # no lone surrogates: every page is written as UTF-8


def check_read(src: SourceFile, result: object) -> Article | None:
    """What read_article hands back: (Article | None, [Problem]) that can be published or printed as is."""
    assert isinstance(result, tuple) and len(result) == 2
    article, problems = result
    assert isinstance(problems, list)
    sidecar = str(Path(src.shown).with_name("meta.jsonl"))
    for p in problems:
        assert isinstance(p, Problem)
        assert p.path in (src.shown, sidecar), p
        assert isinstance(p.line, int) and p.line >= 0
        assert p.severity in ("error", "warning")
        assert str(p).startswith(p.path)
        publishable(p.message, "problem message")
    if article is None:
        assert any(p.severity == "error" for p in problems), "a file that is not published must say why"
        return None
    assert isinstance(article, Article)
    assert article.title.strip(), "published without a title"
    for what in ("title", "body", "id", "lang", "summary"):
        publishable(getattr(article, what), what)
    for what in ("outlet", "agency", "author", "url"):
        value = getattr(article, what)
        assert value is None or (publishable(value, what) is None and value.strip())
    for what in ("tags", "actors", "not_actors"):
        values = getattr(article, what)
        assert isinstance(values, tuple)
        for v in values:
            publishable(v, what)
            assert v.strip(), what
    # The id is a folder name under /articles/.
    assert article.id and "/" not in article.id and article.id not in (".", "..")
    assert len(article.id.encode("utf-8")) <= 255, len(article.id.encode("utf-8"))
    assert article.url is None or scheme(article.url) in (None, "http", "https"), article.url
    assert article.date is None or isinstance(article.date, dt.date)
    return article


# --- read_article ---------------------------------------------------------------------------------------------

FORMATS = st.sampled_from(["text", "markdown"])
ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B) if c != 0x0640)  # no tatweel
LETTERS = ARABIC_LETTERS + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PLAIN = st.text(alphabet=LETTERS + "0123456789" + EASTERN_DIGITS + " .,،؛:!?-()/\"'", max_size=60)


@given(data=st.binary(max_size=4096), fmt=FORMATS)
def test_read_article_on_random_bytes(folder: Path, data: bytes, fmt: str) -> None:
    src = source(folder, data, fmt)
    check_read(src, read_article(src, MAX_BYTES))


@given(
    prefix=st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]),
    data=st.binary(max_size=2048),
    fmt=FORMATS,
)
def test_read_article_on_random_bytes_behind_a_bom(folder: Path, prefix: bytes, data: bytes, fmt: str) -> None:
    src = source(folder, prefix + data, fmt)
    check_read(src, read_article(src, MAX_BYTES))


@given(text=st.text(max_size=3000), fmt=FORMATS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_read_article_on_random_text(folder: Path, text: str, fmt: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates cannot be written in any of them
        assume(False)
    src = source(folder, data, fmt)
    check_read(src, read_article(src, MAX_BYTES))


LINE = st.text(alphabet=LETTERS + "0123456789 .,،!?-", min_size=0, max_size=80)


@given(
    lines=st.lists(LINE, min_size=1, max_size=30), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"])
)
def test_plain_text_with_a_title_is_published_with_that_title(folder: Path, lines: list[str], encoding: str) -> None:
    text = "\n".join(lines)
    assume(text.strip())
    src = source(folder, text.encode(encoding), "text")
    article = check_read(src, read_article(src, MAX_BYTES))
    assert article is not None
    assert article.title == next(line.strip() for line in lines if line.strip())


KEYS = st.sampled_from(
    ["title", "date", "outlet", "agency", "lang", "tags", "summary", "id", "actors", "not_actors", "url", "author",
     "language", "abstract", "category", "x"]
)  # fmt: skip
YAML_VALUES = st.one_of(
    PLAIN,
    st.sampled_from(["[a, b]", "{a: b}", "2022-02-30", "2022-13-01", "9999-12-31", "0000-01-01", "-1", "true", "null",
                     "~", "!!python/object:os.system", "&a [x]", "*a", "|", ">", "'", '"', "[", "{", "1" * 5000,
                     "javascript:alert(1)", "../../x", "<b>ar</b>", "\u202eevil", "- x", ": :"]),
)  # fmt: skip
TOML_VALUES = st.one_of(
    PLAIN.map(json.dumps),
    st.sampled_from(["[1, 2]", "{a = 1}", "2022-02-30", "1979-05-27T07:32:00Z", "10:30:00", "true", "inf", "nan",
                     '"""', "'", "[", "{", "1" * 5000, '"javascript:alert(1)"', "[[[[[[", "0x1F"]),
)  # fmt: skip


@st.composite
def front_matter_like(draw: st.DrawFn) -> str:
    fence = draw(st.sampled_from(["---", "+++", "---", "+++", "", "# Heading"]))
    values = TOML_VALUES if fence == "+++" else YAML_VALUES
    sep = " = " if fence == "+++" else ": "
    lines = draw(
        st.lists(
            st.one_of(
                st.builds(lambda k, v: f"{k}{sep}{v}", KEYS, values),
                st.builds(lambda k, v: f"  - {v}" if k else f"{v}", st.booleans(), values),
                PLAIN,
            ),
            max_size=12,
        )
    )
    closing = draw(st.sampled_from([fence, fence, "...", "", "---", "+++"]))
    body = draw(st.lists(PLAIN, max_size=6))
    return "\n".join([fence, *lines, closing, *body])


def check_parsed(text: str, parsed: object) -> Parsed:
    assert isinstance(parsed, Parsed)
    lines = text.count("\n") + 1
    for line, message in parsed.problems:
        assert isinstance(line, int) and 0 <= line <= lines + 1, (line, message)
        publishable(message, "problem message")
    assert all(isinstance(k, str) for k in parsed.fields)
    for what in ("title", "body"):
        publishable(getattr(parsed, what), what)
    assert 0 <= parsed.body_line <= lines and 0 <= parsed.title_line <= lines
    return parsed


@given(text=front_matter_like())
def test_parse_markdown_on_front_matter_like_text(text: str) -> None:
    check_parsed(text, parse_markdown(text))


@given(text=st.text(max_size=2000))
def test_parse_markdown_on_random_text(text: str) -> None:
    # read_article removes control characters before a format reader sees the text
    text = drop_controls(text)[0]
    check_parsed(text, parse_markdown(text))


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)  # fmt: skip
TOML_SCALARS = st.one_of(
    st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.text(max_size=20)
)


def nested(scalars: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=40,
    )  # fmt: skip


def toml_value(value: object) -> str:
    """An inline TOML value (a small dumper: the standard library reads TOML but does not write it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


TITLE = st.text(st.characters(categories=["L", "N", "Zs", "P"], exclude_characters="\x85\u2028\u2029"), min_size=1,
                max_size=40)  # fmt: skip


@given(
    data=st.dictionaries(st.one_of(KEYS, st.text(max_size=10)), nested(SCALARS), max_size=6),
    title=TITLE,
    style=st.sampled_from(["block", "flow", "json"]),
)
def test_parse_markdown_on_nested_yaml_and_json(data: dict[str, object], title: str, style: str) -> None:
    data = {**data, "title": title}
    if style == "json":
        block = json.dumps(data, ensure_ascii=False)
    else:
        block = yaml.safe_dump(data, allow_unicode=True, default_flow_style=style == "flow", width=10**9)
    text = f"---\n{block.rstrip(chr(10))}\n---\n\nBody.\n"
    parsed = check_parsed(text, parse_markdown(text))
    fenced = any(line.strip() in ("---", "...") for line in block.splitlines())
    if not parsed.problems and not fenced:
        assert parsed.title == title.strip()


@given(data=st.dictionaries(st.one_of(KEYS, st.text(max_size=10)), nested(TOML_SCALARS), max_size=6), title=TITLE)
def test_parse_markdown_on_nested_toml(data: dict[str, object], title: str) -> None:
    data = {**data, "title": title}
    block = "\n".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in data.items())
    text = f"+++\n{block}\n+++\n\nBody.\n"
    parsed = check_parsed(text, parse_markdown(text))
    if not parsed.problems and not any(line.strip() in ("+++", "...") for line in block.splitlines()):
        assert parsed.title == title.strip()


DEEP = st.integers(min_value=1, max_value=30_000)


@given(depth=DEEP, kind=st.sampled_from(["yaml-list", "yaml-map", "yaml-block", "toml-array", "toml-table", "json"]))
def test_parse_markdown_on_deep_nesting(depth: int, kind: str) -> None:
    value = {
        "yaml-list": "x: " + "[" * depth + "]" * depth,
        "yaml-map": "x: " + "{a: " * depth + "1" + "}" * depth,
        "yaml-block": "x:\n" + "".join("  " * i + "- \n" for i in range(min(depth, 2000))),
        "toml-array": "x = " + "[" * depth + "]" * depth,
        "toml-table": "x = " + "{a = " * depth + "1" + "}" * depth,
        "json": json.dumps({"x": 1})[:-1] + ', "y": ' + "[" * depth + "]" * depth + "}",
    }[kind]
    fence = "+++" if kind.startswith("toml") else "---"
    text = f'{fence}\ntitle = "Deep"\n{value}\n{fence}\n\nBody.\n' if fence == "+++" else f"---\n{value}\n---\n# T\n"
    check_parsed(text, parse_markdown(text))


# --- read_dateline --------------------------------------------------------------------------------------------

MONTHS = (
    "كانون الثاني", "كانون ثاني", "يناير", "جانفي", "شباط", "فبراير", "فيفري", "آذار", "مارس", "نيسان", "أبريل",
    "إبريل", "ابريل", "أيار", "مايو", "ماي", "حزيران", "يونيو", "يونيه", "جوان", "تموز", "يوليو", "جويلية", "آب",
    "أغسطس", "اغسطس", "أوت", "غشت", "أيلول", "سبتمبر", "تشرين الأول", "أكتوبر", "اكتوبر", "تشرين الثاني", "نوفمبر",
    "كانون الأول", "ديسمبر", "دجنبر", "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "ربيع الثاني", "جمادى الأولى",
    "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذي الحجة", "January", "Feb", "March", "May",
    "Sept", "December", "DEC",
)  # fmt: skip
WORDS = (
    "القاهرة", "الرياض", "دبي", "موسكو", "(", ")", "-", "–", "—", "/", "،", ",", ":", ".", "هـ", "م", "ء", "الموافق",
    "واس", "سبوتنيك", "رويترز", "أ ف ب", "في", "يوم", "أمس", "الاثنين", "WASHINGTON", "(CNN)", "--", "AKRON, Ohio",
    "\u200f", "\u200e", "\u202e", "\u0640", "\u064e", "ـ", "\ufeff", "\u00a0",
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(0, 99_999).map(str),
    st.integers(0, 99_999).map(lambda n: str(n).translate(str.maketrans("0123456789", EASTERN_DIGITS))),
    st.integers(1, 31).map(lambda n: f"{n:02}"),
    st.sampled_from(["0", "00", "0000", "9999", "10000", "1436", "1500", "1343", "29", "30", "31", "32", "2022ء"]),
    st.builds(lambda d, m, y: f"{d}/{m}/{y}", st.integers(0, 40), st.integers(0, 14), st.integers(0, 99_999)),
)
TOKENS = st.one_of(st.sampled_from(MONTHS), st.sampled_from(WORDS), NUMBERS,
                   st.text(alphabet=ARABIC_LETTERS + EASTERN_DIGITS + "0123456789", max_size=8))  # fmt: skip


@st.composite
def dateline_like(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(TOKENS, max_size=25))
    joiners = draw(
        st.lists(st.sampled_from([" ", " ", "", "  ", "\n", "،"]), min_size=len(tokens), max_size=len(tokens))
    )
    tail = draw(st.text(max_size=80))
    return "".join(t + j for t, j in zip(tokens, joiners, strict=False)) + tail


def check_dateline(paragraph: str, result: object) -> None:
    assert isinstance(result, Dateline)
    if result.date is not None:
        assert isinstance(result.date, dt.date)
        assert 1 <= result.date.year <= 9998, result.date
        assert result.calendar in ("gregorian", "hijri")
    for what in ("text", "place", "outlet", "agency"):
        value = getattr(result, what)
        assert value is None or value in paragraph, (what, value)
    assert result.problem is None or isinstance(result.problem, str)


REFERENCES = st.one_of(
    st.none(), st.dates(), st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(9998, 12, 31)])
)


@given(paragraph=dateline_like(), reference=REFERENCES)
def test_read_dateline_on_dateline_like_text(paragraph: str, reference: dt.date | None) -> None:
    from generator.reading.dateline import read_dateline

    check_dateline(paragraph, read_dateline(paragraph, reference))


@given(paragraph=st.text(max_size=400), reference=REFERENCES)
def test_read_dateline_on_random_text(paragraph: str, reference: dt.date | None) -> None:
    from generator.reading.dateline import read_dateline

    check_dateline(paragraph, read_dateline(paragraph, reference))


@given(
    day=st.integers(0, 40),
    month=st.sampled_from(MONTHS),
    year=st.integers(0, 99_999),
    eastern=st.booleans(),
    shape=st.sampled_from(["({o} - {d} {m} {y})", "القاهرة {d} {m} {y} واس", "{d} {m} {y} هـ الموافق {d} {m} {y} م",
                           "WASHINGTON, {m} {d} -", "(سبوتنيك / {o} - {d} {m} {y}ء)"]),
    reference=REFERENCES,
)  # fmt: skip
def test_read_dateline_on_datelines_with_any_numbers(
    day: int, month: str, year: int, eastern: bool, shape: str, reference: dt.date | None
) -> None:
    from generator.reading.dateline import read_dateline

    digits = str.maketrans("0123456789", EASTERN_DIGITS) if eastern else {}
    paragraph = shape.format(o="وكالة الأنباء", d=str(day).translate(digits), m=month, y=str(year).translate(digits))
    paragraph += " نص الخبر."
    check_dateline(paragraph, read_dateline(paragraph, reference))


# --- read_sidecar ---------------------------------------------------------------------------------------------

JSON_VALUES = nested(SCALARS)
SIDECAR_LINES = st.one_of(
    JSON_VALUES.map(json.dumps),
    st.builds(lambda name, fields: json.dumps({"file": name, **fields}), st.one_of(st.text(max_size=12), JSON_VALUES),
              st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), JSON_VALUES, max_size=5)),
    st.text(max_size=200),
    DEEP.map(lambda d: '{"file": "a.txt", "x": ' + "[" * d + "]" * d + "}"),
    DEEP.map(lambda d: "[" * d),
    st.integers(4000, 6000).map(lambda n: '{"file": "a.txt", "n": ' + "1" * n + "}"),
    st.sampled_from(['{"file": "a.txt"}', '{"file": "../a.txt"}', '{"file": ""}', "null", "[]", "{}", '{"file": null}',
                     '{"file": "a.txt", "date": "2022-02-30"}', "\ufeff{}", '{"file": "a.txt", "file": 3}',
                     '{"file": "a.txt", "x": NaN}', '{"file": "a.txt", "x": 1e400}']),
)  # fmt: skip


def check_sidecar(path: Path, lines: int, result: object) -> None:
    assert isinstance(result, tuple) and len(result) == 2
    entries, problems = result
    assert isinstance(entries, dict) and isinstance(problems, list)
    for name, (line, fields) in entries.items():
        assert isinstance(name, str) and name
        assert isinstance(line, int) and 1 <= line <= lines
        assert isinstance(fields, dict) and fields.get("file") == name
    for p in problems:
        assert isinstance(p, Problem) and p.path == display_path(path)
        assert isinstance(p.line, int) and 0 <= p.line <= lines
        publishable(p.message, "problem message")


@given(lines=st.lists(SIDECAR_LINES, max_size=20))
def test_read_sidecar_on_random_lines(folder: Path, lines: list[str]) -> None:
    path = folder / "meta.jsonl"
    try:
        path.write_text("\n".join(lines) + "\n", "utf-8")
    except UnicodeEncodeError:  # lone surrogates in generated text
        assume(False)
    check_sidecar(path, max(1, len(path.read_text("utf-8").splitlines())), read_sidecar(path))


@given(data=st.binary(max_size=2000))
def test_read_sidecar_on_random_bytes(folder: Path, data: bytes) -> None:
    path = folder / "meta.jsonl"
    path.write_bytes(data)
    lines = len(data.decode("utf-8", "replace").splitlines())
    check_sidecar(path, max(1, lines), read_sidecar(path))


# Pieces of news prose, and every character or line opening that means something to Markdown (a few of them
# dropped into the prose, so that most examples stay prose the fast path takes).
PROSE = ["قال", "بوتين", "وتوكايف", "Putin", "said", "2022", "١٤٤٣", "08", "(", ")", "،", "؛", ".", ",", '"', "'", "-",
         ":", "+", "=", "?", "%", "/", "http://x.org", " ", " ", " ", "\n", "\n", "\n\n", "\n\n\n"]  # fmt: skip
SYNTAX = [" _x_ ", " __x__ ", " *x* ", " **x** ", " `x` ", " [x](/y) ", " ![x](/y) ", " <b>x</b> ", " &amp; ", " & ",
          " \\* ", " a|b ", "\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n", "\n~~~\nx\n~~~\n", "\n```\nx\n```\n",
          " {: #x} ", " x[^1]\n\n[^1]: y\n", "\n*[HTML]: y\n", " <http://x.org> ", "\t", "\u00a0", "  \n",
          "\n x", "\n    x", "\n- x", "\n+ x", "\n* x", "\n1. x", "\n2) x", "\n٣. x", "\nx\n---\n",
          "\nx\n===\n", "\nx\n: y\n", "\n# x\n", "\n> x", "\n***\n", "\n[x]: /y\n", " ^x^ ", " ~~x~~ ",
          " \\. ", "\n\n[TOC]\n\n"]  # fmt: skip


@given(
    prose=st.lists(st.sampled_from(PROSE), max_size=60),
    syntax=st.lists(st.tuples(st.integers(0, 60), st.sampled_from(SYNTAX)), max_size=4),
)
def test_plain_markdown_is_what_markdown_makes_of_prose(prose: list[str], syntax: list[tuple[int, str]]) -> None:
    from generator.pages.render import _markdown, plain_markdown, sanitise

    for at, piece in syntax:
        prose.insert(at, piece)
    text = "".join(prose)
    fast = plain_markdown(text)
    if fast is not None:
        assert sanitise(fast) == sanitise(_markdown().convert(text)), text


def test_plain_markdown_takes_prose_and_leaves_syntax_to_markdown() -> None:
    from generator.pages.render import _markdown, plain_markdown, sanitise

    for piece in SYNTAX:  # each construct at least once, whatever the examples above drew
        text = f"قال بوتين{piece}وتوكايف Putin"
        fast = plain_markdown(text)
        assert fast is None or sanitise(fast) == sanitise(_markdown().convert(text)), text

    prose = '(سبوتنيك - 08 كانون الثاني 2022) قال: بوتين، وتوكايف.\nسطر ثان\n\nPutin said 50% "yes".'
    assert plain_markdown(prose) == (
        '<p>(سبوتنيك - 08 كانون الثاني 2022) قال: بوتين، وتوكايف.\nسطر ثان</p>\n<p>Putin said 50% "yes".</p>'
    )
    for syntax in ["a *b*", "a\n- b", "a\n2022. b", "a  \nb", " a", "a\n===", "a &amp; b", "<b>a</b>", "a\n: b"]:
        assert plain_markdown(syntax) is None, syntax
