"""Turn prepared page data into HTML: the Jinja environment, article bodies (Markdown/plain), sanitising."""

from __future__ import annotations

import ctypes
import json
import re
import threading
import time
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from markupsafe import Markup, escape
from pygments.formatters import HtmlFormatter

from generator.diagnostics import Problem, display_path
from generator.model import EMPTY, JSON_PAGE, TEXT_PAGE, Article, Page

PYGMENTS_STYLE = "friendly"
MARKDOWN_SECONDS = 3.0  # real articles take milliseconds; the budget is for shapes that take hours
CODE_CLASS = "codehilite"
# The page's title is its one <h1>: a body's own top headings (`# x`, or raw <h1>) come out one level down.
TOP_HEADING = re.compile(r"<(/?)h1\b", re.IGNORECASE)
# What can make Python-Markdown (with our extensions) give more than paragraphs of the text as it is: inline
# syntax, raw HTML, entities, escapes, tables, fences, footnotes, abbreviations, attribute lists and control
# characters anywhere; at a line's start a space (code, and the paragraph's own trim), a list's, quote's,
# definition's or setext heading's mark, or a number and a full stop; at its end a space (a line break).
# Prose with none of these (most news) is wrapped in <p> at once: Markdown took a millisecond an article.
MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!|#~{}^\x00-\x09\x0b-\x1f\x7f]|^[^\S\n]|[^\S\n]$|^(?:[-+=:]|\d+[.)])", re.M)

# Python-Markdown's output (headings with toc ids, codehilite spans, tables, footnotes) is kept;
# scripts, styles, event handlers and javascript: URLs from raw HTML in content are not.
_TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map", "center"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "abbr": {"title"},
    "time": {"datetime"},
}


class Theme(Environment):
    """The Jinja environment of a templates folder; it travels to another process (a Dask worker) as that folder's
    path and is made again there, since a compiled environment cannot be pickled."""

    def __init__(self, templates: Path, **options: Any) -> None:
        super().__init__(loader=FileSystemLoader(templates), **options)
        self.templates = templates

    def __reduce__(self) -> tuple[Any, ...]:
        return (make_environment, (self.templates,))


def make_environment(templates: Path) -> Environment:
    # No auto_reload: the preview checks a template set whole before it draws with it, then keeps to it.
    return Theme(
        templates,
        auto_reload=False,
        autoescape=select_autoescape(("html", "xml"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class BodyRenderer:
    """Article bodies to safe HTML; holds one Markdown converter, reset between articles."""

    def __init__(self) -> None:
        self._md = _markdown()
        self._deadline = Deadline(MARKDOWN_SECONDS)
        self.fallbacks: list[tuple[str, str]] = []

    def html(self, article: Article) -> Markup:
        """Plain text becomes escaped paragraphs with the actor mentions marked; Markdown is converted.

        A Markdown body shown as plain text instead is noted in `fallbacks` as (article source, why)."""
        markup, why = self.body(article)
        if why:
            self.fallbacks.append((article.source, why))
        return markup

    def body(self, article: Article) -> tuple[Markup, str | None]:
        """`html`, and why a Markdown body was shown as plain text instead (None when it was not)."""
        if article.format == "markdown":
            prose = plain_markdown(article.body)
            if prose is not None:
                return Markup(sanitise(prose)), None
            try:
                with self._deadline:
                    raw = self._md.reset().convert(article.body)
                return Markup(sanitise(TOP_HEADING.sub(r"<\1h2", raw))), None
            except (Overtime, RecursionError) as e:
                # Python-Markdown's time explodes on some shapes (deep nesting, thousands of unclosed brackets).
                why = "nests too deeply" if isinstance(e, RecursionError) else f"took over {MARKDOWN_SECONDS:g} s"
                self._md = _markdown()  # a converter interrupted half-way may hold half a document
                return self._plain(article), f"Markdown {why} to convert; shown as plain text"
        return self._plain(article), None

    def _plain(self, article: Article) -> Markup:
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for m in article.mentions:
            spans.setdefault(m.paragraph, []).append((m.start, m.end, m.actor))
        paragraphs = [highlight(p, spans.get(i, ())) for i, p in enumerate(article.paragraphs)]
        line = article.dateline.text
        at = article.paragraphs[0].find(line) if line and article.paragraphs else -1
        if 0 <= at < 3 and not any(m.paragraph == 0 and m.start < at + len(line) for m in article.mentions):
            # The dateline opens the text: the search leaves it out, so a result's excerpt opens with the news.
            head, tail = article.paragraphs[0][: at + len(line)], article.paragraphs[0][at + len(line) :]
            moved = [(s - len(head), e - len(head), a) for s, e, a in spans.get(0, ())]
            paragraphs[0] = Markup('<span class="dateline" data-pagefind-ignore>{}</span>{}').format(
                head, highlight(tail, moved)
            )
        return Markup("\n".join(f"<p>{p}</p>" for p in paragraphs))


def plain_markdown(source: str) -> str | None:
    """What Python-Markdown makes of `source` when it is prose without any Markdown syntax (see
    MARKDOWN_SYNTAX): its paragraphs in <p>; None when it has syntax."""
    if MARKDOWN_SYNTAX.search(source):
        return None
    paragraphs = (p.strip("\n") for p in re.split(r"\n{2,}", source))
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "toc", "codehilite", "sane_lists"],
        extension_configs={"codehilite": {"guess_lang": False, "css_class": CODE_CLASS}},
        output_format="html",
    )


class Overtime(Exception):
    """Raised inside a block that ran past its `Deadline`."""


class Deadline:
    """Raise `Overtime` in the thread inside the `with` block once `seconds` have passed there.

    A watchdog thread sets an asynchronous exception on the working thread (the interpreter raises it between
    two bytecodes): unlike SIGALRM this works in any thread, and the preview draws on a thread of its own. A
    long call into C is not interrupted, but Python-Markdown is Python. One watchdog serves every block in
    turn (a thread per article would cost more than most articles), and it ends after a second of idleness.
    """

    IDLE_S = 1.0

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._cond = threading.Condition()
        self._until: float | None = None
        self._target = 0
        self._fired = False
        self._watchdog: threading.Thread | None = None

    def __enter__(self) -> Deadline:
        with self._cond:
            self._target = threading.get_ident()
            self._until = time.monotonic() + self.seconds
            self._fired = False
            # is_alive() is also False for a watchdog inherited through fork: threads do not survive it.
            if self._watchdog is None or not self._watchdog.is_alive():
                self._watchdog = threading.Thread(target=self._watch, name="markdown-deadline", daemon=True)
                self._watchdog.start()
            self._cond.notify()
        return self

    def _watch(self) -> None:
        with self._cond:
            while True:
                if self._until is None:
                    if not self._cond.wait(self.IDLE_S) and self._until is None:
                        self._watchdog = None
                        return
                    continue
                left = self._until - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), ctypes.py_object(Overtime))
                self._fired, self._until = True, None

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._until = None
            if self._fired and exc[0] is None:
                # Fired as the block ended and not raised yet: take it back, so it cannot strike later code.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), None)
            self._fired = False
            self._cond.notify()


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """`text` escaped, each (start, end, actor) span wrapped in <mark class="mention" data-actor=...>."""
    # Plain str pieces joined once: Markup.format per mention cost seconds on an article naming 200,000 actors.
    out: list[str] = []
    pos = 0
    for start, end, actor in sorted(spans):
        if start < pos:  # two actors on one span: mark it once
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="mention" data-actor="{escape(actor)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def pygments_css() -> str:
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(f".{CODE_CLASS}")


def render_page(env: Environment, page: Page) -> str:
    if page.template == JSON_PAGE:
        return compact_json(page.context)
    if page.template == TEXT_PAGE:
        return str(page.context["text"])
    return env.get_template(page.template).render(page.context)


def compact_json(data: Mapping[str, object], encoded: Mapping[str, str] = EMPTY) -> str:
    """Compact JSON, as every search data file is written; the members named in `encoded` are given as JSON text
    already (made once for many files)."""
    if not encoded:
        return _compact(dict(data))
    return "{" + ",".join(f"{_compact(k)}:{encoded[k] if k in encoded else _compact(v)}" for k, v in data.items()) + "}"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def template_problem(env: Environment, page: Page, error: TemplateError) -> Problem:
    """A template failing on `page`, named as `templates/x.html:line: /url/: what`."""
    path = Path(env.loader.searchpath[0]) / page.template  # type: ignore[union-attr]
    # Jinja puts the template's own lines in the traceback (an undefined name carries no lineno of its own).
    lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(page.template)]
    line = getattr(error, "lineno", None) or (lines[-1] if lines else 0) or 0
    return Problem(display_path(path), line, f"{page.url}: {error}")
