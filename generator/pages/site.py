"""Every page of the site as a `Page`: its URL, its template and the data prepared for it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import hijridate
from babel.dates import format_date

from generator.config import Config
from generator.model import Actor, Article, Mention, Page
from generator.pages.calendar_grid import day_url, month_url, year_url
from generator.pages.i18n import count, count_forms, has_messages, locale, messages, region_locale
from generator.pages.marks import BLOCK_MARKS, INLINE_MARKS
from generator.pages.render import BodyRenderer
from generator.pages.segments import term_segment
from generator.publishing import cite, structured
from generator.publishing.meta import Card, agencies_title, description, feed_of, head
from generator.tagging.actors import own_actors

EXCERPT_WORDS = 40
VIEWS = 20_000  # article views a Site remembers (see Site.view)
T = TypeVar("T")
FONTS = ("/static/fonts/noto-naskh-arabic.woff2",)  # preloaded: nearly every page of the archive shows Arabic
# What an excerpt drops: Markdown's block marks at a line's start, its inline marks, a dateline's trailing dash.
LEAD = "\u200e\u200f\u061c \t-–—:،,"


class Site:
    """What every page shares: links under base_url, the UI language and its words."""

    def __init__(
        self, config: Config, build_date: dt.date, actors: Mapping[str, Actor],
        extra: Mapping[str, Actor] | None = None, kept: dict[str, tuple[str, Any]] | None = None,
        rows: dict[str, tuple[Article, str, str]] | None = None,
    ) -> None:  # fmt: skip
        self.config = config
        # `actors`: the authority file's and the built-in ones; `extra`: front-matter names none of them has
        # (tagging.actors.front_matter_actors), which an article's own page shows as the article spells them.
        self.known = actors
        self.extra: Mapping[str, Actor] = extra or {}
        self.actors: Mapping[str, Actor] = {**actors, **extra} if extra else actors
        self._base_path, self._site_url = config.base_path, config.site_url  # parsed once, used for every link
        # Views of one article recur in many lists (home, actor, outlet, date pages) and, in the preview, over
        # rebuilds; an entry is reused only while it belongs to the very same (immutable) Article object. The
        # least recently used go past VIEWS: remembering every view of a big archive would hold it twice over.
        self._views: OrderedDict[tuple[str, str], tuple[Article, Any]] = OrderedDict()
        # name -> (key, value): the last value made under that name; the engine's, which keeps it between runs
        self._kept: dict[str, tuple[str, Any]] = {} if kept is None else kept
        # article id -> (the article, `rows_key`, its encoded row); the engine's, which keeps it between runs
        self._rows: dict[str, tuple[Article, str, str]] = {} if rows is None else rows
        self._dates: dict[dt.date, str] = {}
        self.rows_key = data_digest([self._base_path, self._site_url, sorted(self.actors)]).hex()
        self.ui_locale = locale(config.language)
        self.region = region_locale(config.language, config.locale)  # first weekday, month names on date pages
        self.t = messages(config.language)
        self.build_date = build_date
        self.chrome = {
            "title": config.title,
            "description": config.description,
            "lang": config.language,
            "dir": self.ui_locale.text_direction,
            "home": self.href("/"),
            "nav": [
                {"label": self.t["home"], "href": self.href("/")},
                {"label": self.t["actors"], "href": self.href("/actors/")},
                {"label": self.t["sources"], "href": self.href("/sources/")},
                {"label": self.t["dates"], "href": self.href("/dates/")},
                {"label": agencies_title(config.language), "href": self.href("/agencies/")},
                {"label": self.t["tags_title"], "href": self.href("/tags/")},
            ],
            "search": self.href("/search/"),
            "stylesheets": [self.href("/static/style.css"), self.href("/static/pygments.css")],
            "fonts": [self.href(f) for f in FONTS],
            "favicon": self.href("/static/favicon.svg"),
            "t": self.t,
        }

    def date_text(self, date: dt.date) -> str:
        """`date_text` in the chrome's language; an archive has a few thousand days and lists show each often."""
        text = self._dates.get(date)
        if text is None:
            text = self._dates[date] = date_text(date, self.config.language)
        return text

    def href(self, url: str) -> str:
        return self._base_path + url.lstrip("/")

    def permalink(self, url: str) -> str:
        return self._site_url + self.href(url)

    def actor_link(self, actor_id: str, lang: str = "") -> dict[str, str]:
        """The actor's name in `lang` (the chrome's by default) and page; `lang` says which language it is in."""
        return self.link_to(self.actors[actor_id], lang)

    def link_to(self, actor: Actor, lang: str = "") -> dict[str, str]:
        wanted = lang or self.config.language
        name = actor.name(wanted)
        shown = next((code for code, text in actor.names.items() if text == name), wanted)
        return {"id": actor.id, "name": name, "lang": shown, "href": self.href(actor_url(actor.id))}

    def count(self, n: int, noun: str) -> str:
        """'7 مقالات': `n` of `noun` in the chrome's language, by its plural rule."""
        return count(n, noun, self.config.language, self.config.digits)

    def page(
        self, url: str, template: str, *, description: str | None = None, og: Mapping[str, Any] | None = None,
        jsonld: str | None = None, citation: Sequence[tuple[str, str]] = (), **context: Any,
    ) -> Page:  # fmt: skip
        """A page with what every page's <head> says of it (`meta`): its description, canonical URL, feeds,
        OpenGraph and Twitter cards, and for some JSON-LD (`jsonld`, already escaped) and Highwire tags."""
        canonical = self.permalink(url)
        title = context.get("page_title") or self.config.title
        card = Card(title, description or self.config.description, **(og or {}))
        feed = feed_of(url)
        feeds = [
            {"href": self.href(feed), "type": "application/atom+xml", "title": title},
            {"href": self.href(feed.removesuffix(".xml") + ".json"), "type": "application/feed+json", "title": title},
        ] if feed else []  # fmt: skip
        meta = {**head(canonical, card, self.config.title, feeds), "jsonld": jsonld, "citation": list(citation)}
        return Page(url, template, {"site": self.chrome, "canonical": canonical, "meta": meta, **context})

    def kept(self, name: str, key: str, make: Callable[[], T]) -> T:
        """`make()`, or the value the last call under `name` made when it had the same `key` (the preview's
        rebuilds share one Site: what only a change of `key` can change is not made again)."""
        hit = self._kept.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = make()
        self._kept[name] = (key, value)
        return value

    def row(self, article: Article, make: Callable[[], str]) -> str:
        """`make()`: `article`'s row in the open data, encoded; remembered for this `article` object, not bounded
        like views (20,000 rows are read for every update that changes one), while the row's other inputs (the
        links, which ids are actors) are as they were."""
        hit = self._rows.get(article.id)
        if hit is not None and hit[0] is article and hit[1] == self.rows_key:
            return hit[2]
        value = make()
        self._rows[article.id] = (article, self.rows_key, value)
        return value

    def view(self, kind: str, article: Article, make: Callable[[], T]) -> T:
        """`make()`, remembered for this `article` object under `kind`."""
        key = (kind, article.id)
        hit = self._views.get(key)
        if hit is not None and hit[0] is article:
            self._views.move_to_end(key)
            return hit[1]
        value = make()
        self._views[key] = (article, value)
        self._views.move_to_end(key)
        if len(self._views) > VIEWS:
            self._views.popitem(last=False)
        return value


def article_url(article: Article) -> str:
    return f"/articles/{article.id}/"


def actor_url(actor_id: str) -> str:
    return f"/actors/{actor_id}/"


def date_text(date: dt.date, lang: str) -> str:
    """The date as readers of `lang` write it (CLDR long form)."""
    return format_date(date, "long", locale=locale(lang or "en"))


def hijri_text(date: dt.date) -> str | None:
    """'5 جمادى الآخرة 1443 هـ' (Umm al-Qura), None outside the calendar's range."""
    try:
        h = hijridate.Gregorian.fromdate(date).to_hijri()
    except (ValueError, OverflowError):
        return None
    return f"{h.day} {h.month_name('ar')} {h.year} {h.notation('ar')}"


def summary_view(site: Site, article: Article) -> dict[str, Any]:
    """What a list needs to show one article."""
    return site.view("summary", article, lambda: _summary(site, article))


def list_excerpt(article: Article) -> str:
    """The excerpt a list shows: the first EXCERPT_WORDS words of `excerpt_text`."""
    if article.gist is not None:
        return article.gist.excerpt if article.gist.excerpt is not None else first_words(article.gist.lead)
    return first_words(excerpt_text(article))


def first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:EXCERPT_WORDS]) + ("…" if len(words) > EXCERPT_WORDS else "")


def excerpt_text(article: Article) -> str:
    """The summary, else the opening paragraph as a reader sees it: no dateline, no Markdown marks."""
    if article.summary:
        return article.summary
    for i, paragraph in enumerate(article.paragraphs[:3]):
        text = paragraph.lstrip(LEAD)
        if i == 0 and article.dateline.text and text.startswith(article.dateline.text):
            text = text[len(article.dateline.text) :].lstrip(LEAD)
        if article.format == "markdown":
            text = INLINE_MARKS.sub(lambda m: m.group("link") or "", BLOCK_MARKS.sub("", text))
        if text.strip():
            return text
    return ""


def _summary(site: Site, article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "href": site.href(article_url(article)),
        "lang": article.lang,
        "dir": article.dir,
        "date_iso": article.date.isoformat() if article.date else None,
        "date_text": site.date_text(article.date) if article.date else site.t["undated"],
        "outlet": article.outlet,
        "excerpt": list_excerpt(article),
        "sentence": None,  # an actor page shows the sentence that names the actor instead
    }


def mention_order(m: Mention) -> tuple[bool, int, int]:
    """The order in which an actor's first mention is found: in the text before the title, then by place."""
    return (m.paragraph < 0, m.paragraph, m.start)


def first_mentions(article: Article) -> Article:
    """The article with only each actor's first mention in its text: every mention marked makes a patchy page."""
    seen: set[str] = set()
    kept = []
    for m in sorted(article.mentions, key=mention_order):
        if m.paragraph >= 0 and m.actor not in seen:
            seen.add(m.actor)
            kept.append(m)
    return replace(article, mentions=tuple(sorted(kept, key=lambda m: (m.paragraph, m.start))))


def article_page(site: Site, article: Article, body: BodyRenderer) -> Page:
    url = article_url(article)
    arabic = article.lang == "ar"
    # The words around the text (byline, actor chips) are in the article's language when the chrome has words
    # for it, so one line never mixes "January 8, 2022" with "يناير 2022"; otherwise all in the site's.
    own = article.lang if article.lang and has_messages(article.lang) else site.config.language
    words = messages(own)
    view = {
        "id": article.id,
        "title": article.title,
        "lang": article.lang,
        "dir": article.dir,
        "date_iso": article.date.isoformat() if article.date else None,
        "date_text": date_text(article.date, own) if article.date else None,
        "chrome_lang": own,
        "chrome_dir": locale(own).text_direction,
        "t": words,
        "hijri_text": hijri_text(article.date) if article.date and arabic and site.config.hijri else None,
        "date_source": article.date_source,
        "outlet": article.outlet,
        "agency": article.agency,
        "dateline": article.dateline.text or None,
        "body_html": body.html(first_mentions(article)),
        "tags": list(article.tags),
        "actors": [site.link_to(a, own) for a in article_actors(site, article)],
        "words": site.count(article.words, "word"),
        "source": article.source,
        "original_url": article.url,
        "author": article.author,
        "permalink": site.permalink(url),
        "day_href": site.href(day_url(article.date)) if article.date else None,
        "month_href": site.href(month_url(article.date.year, article.date.month)) if article.date else None,
        "year_href": site.href(year_url(article.date.year)) if article.date else None,
        "month_text": format_date(article.date, "LLLL y", locale=site.ui_locale) if article.date else None,
        "year_text": str(article.date.year) if article.date else None,
    }
    return site.page(url, "article.html", article=view, page_title=article.title, **article_meta(site, article))


def article_actors(site: Site, article: Article) -> list[Actor]:
    """The actors an article page shows: from the authority file, and its own front-matter names as it spells
    them (so that the page depends on the article alone, whatever other articles call the same actor)."""
    own = own_actors(article, site.known)
    return [site.known.get(a) or own[a] for a in dict.fromkeys(article.actors) if a in site.known or a in own]


def actor_meta(site: Site, actor: Actor) -> dict[str, Any]:
    """What an actor's pages tell machines: its description and its JSON-LD (Person, Organization, Country...)."""
    data = structured.actor_data(actor, site.config.language, site.permalink(actor_url(actor.id)))
    kind = "profile" if actor.kind == "person" else "website"
    return {"description": actor.description or None, "og": {"kind": kind}, "jsonld": structured.script_json(data)}


def article_meta(site: Site, article: Article) -> dict[str, Any]:
    """What an article page tells machines: description, OpenGraph, JSON-LD, Highwire tags, and the citation."""
    url = site.permalink(article_url(article))
    said = description(article)
    actors = [(a, site.permalink(actor_url(a.id))) for a in article_actors(site, article)]
    outlet = site.permalink(f"/sources/{term_segment(article.outlet)}/") if article.outlet else None
    agency = site.permalink(f"/agencies/{term_segment(article.agency)}/") if article.agency else None
    home = (site.config.title, site.permalink("/"))
    data = structured.article_data(article, url, said, home, outlet, agency, actors, site.config.language)
    ref = cite.reference(article, url, site.config.title)
    og = {
        "kind": "article",
        "lang": article.lang,
        "published": article.date.isoformat() if article.date else None,
        "section": article.outlet or article.agency,
        "tags": tuple(a.name(site.config.language) for a, _ in actors),
    }
    shown = site.date_text(article.date) if article.date else None
    return {"description": said, "og": og, "jsonld": structured.script_json(data), "citation": cite.highwire(ref),
            "cite": cite.citation_view(ref, shown, site.config.language)}  # fmt: skip


def home_pages(site: Site, ordered: Sequence[Article], extra: Mapping[str, Any] | None = None) -> Iterator[Page]:
    """`/`, `/page/2/`, ...: `ordered` (newest first, as `Indexes.ordered` holds them)."""
    yield from paginate(site, "/", ordered, "index.html", {"heading": site.t["articles"], **(extra or {})})


def paginate(
    site: Site,
    base: str,
    items: Sequence[Article],
    template: str,
    extra: Mapping[str, Any],
    view: Callable[[Article], dict[str, Any]] | None = None,
    numbers: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> Iterator[Page]:
    """`base`, `base`page/2/, ...: one Page per slice of `per_page` articles, each article through `view`;
    `numbers(pager)` adds what a page shows of its pager in its own words. The items are made when drawn."""
    per = site.config.per_page
    count = max(1, math.ceil(len(items) / per))
    show = view or (lambda article: summary_view(site, article))
    group = data_digest([base, template, extra])

    def url(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    def pager(n: int) -> dict[str, Any]:
        return {
            "number": n,
            "count": count,
            "total": len(items),
            "total_text": site.count(len(items), "article"),
            "previous": site.href(url(n - 1)) if n > 1 else None,
            "next": site.href(url(n + 1)) if n < count else None,
            "pages": [
                {"number": k, "href": site.href(url(k)), "current": k == n, "gap": False} if k else {"gap": True}
                for k in page_window(n, count)
            ],
        }

    for n in range(1, count + 1):
        chunk = items[(n - 1) * per : n * per]
        more = numbers(pager(n)) if numbers else {}

        def make(chunk: Sequence[Article] = chunk, more: Mapping[str, Any] = more, n: int = n) -> Mapping[str, Any]:
            return site.page(url(n), template, items=[show(a) for a in chunk], pager=pager(n), **extra, **more).context

        # The pager follows from the page's number, the count and the total (the site's words and links are the
        # build's): an update that draws a few of an actor's 400 pages does not make the other pagers.
        ids = tuple(a.id for a in chunk)
        yield Page(url(n), template, Deferred(make), ids, data_digest([group.hex(), n, count, len(items), more, ids]))


class Deferred(Mapping[str, Any]):
    """A page's data, made when first read: a page an update does not draw again never makes it, and one it does
    makes it in the process that draws it."""

    def __init__(self, make: Callable[[], Mapping[str, Any]]) -> None:
        self._make = make
        self._data: Mapping[str, Any] | None = None

    def _made(self) -> Mapping[str, Any]:
        if self._data is None:
            self._data = self._make()
        return self._data

    def release(self) -> None:
        """Forget the data once the page is drawn: a worker drawing 100,000 pages would otherwise keep them all."""
        self._data = None

    def __getitem__(self, key: str) -> Any:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def data_digest(data: Any) -> bytes:
    """A digest of the data a page is drawn from: equal data, equal digest, in any process."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"a page's data holds a {type(value).__name__}, which cannot be compared across builds")


def page_window(current: int, count: int, around: int = 2) -> list[int]:
    """Page numbers to show: the first, the last, and those near the current one; 0 marks a gap."""
    wanted = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    shown: list[int] = []
    for k in wanted:
        if shown and k - shown[-1] > 1:
            shown.append(0)
        shown.append(k)
    return shown


def search_page(site: Site) -> Page:
    t = site.t
    labels = {"actor": t["facet_actor"], "outlet": t["facet_outlet"], "year": t["facet_year"],
              "language": t["facet_language"], "more": t["more_values"], "fewer": t["fewer_values"],
              "more_results": t["more_results_of"]}  # fmt: skip
    browse = [{"label": t["browse_recent"], "href": site.href("/")}, *site.chrome["nav"][1:]]
    return site.page(
        "/search/", "search.html", page_title=t["search"], base=site.href("/"), facet_labels=labels, browse=browse,
        results_forms=count_forms("result", site.config.language),
    )  # fmt: skip


def not_found_page(site: Site) -> Page:
    return site.page("/404.html", "404.html", page_title=site.t["not_found"])
