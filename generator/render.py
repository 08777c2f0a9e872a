"""Turn prepared page data into HTML: the Jinja environment, article bodies (Markdown/plain), sanitising."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from pygments.formatters import HtmlFormatter

from generator.model import Article, Page

PYGMENTS_STYLE = "friendly"
CODE_CLASS = "codehilite"

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


def make_environment(templates: Path) -> Environment:
    # No auto_reload: the preview checks a template set whole before it draws with it, then keeps to it.
    return Environment(
        loader=FileSystemLoader(templates),
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
        self._md = markdown.Markdown(
            extensions=["extra", "toc", "codehilite", "sane_lists"],
            extension_configs={"codehilite": {"guess_lang": False, "css_class": CODE_CLASS}},
            output_format="html",
        )

    def html(self, article: Article) -> Markup:
        """Plain text becomes escaped paragraphs with the actor mentions marked; Markdown is converted."""
        if article.format == "markdown":
            raw = self._md.reset().convert(article.body)
            return Markup(sanitise(raw))
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for m in article.mentions:
            spans.setdefault(m.paragraph, []).append((m.start, m.end, m.actor))
        return Markup("\n".join(f"<p>{highlight(p, spans.get(i, ()))}</p>" for i, p in enumerate(article.paragraphs)))


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """`text` escaped, each (start, end, actor) span wrapped in <mark class="mention" data-actor=...>."""
    out: list[str] = []
    pos = 0
    for start, end, actor in sorted(spans):
        if start < pos:  # two actors on one span: mark it once
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark class="mention" data-actor="{}">{}</mark>').format(actor, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def pygments_css() -> str:
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(f".{CODE_CLASS}")


def render_page(env: Environment, page: Page) -> str:
    return env.get_template(page.template).render(page.context)
