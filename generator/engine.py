"""The incremental engine: a site drawn once, then brought up to date with what changed on disk, page by page.

It serves both commands: the preview keeps one in memory between saves; `arshif build` restores one from the
last build's state (generator/publishing/state.py) and brings a copy of the published site up to date.

What changed is found by comparing each file's (mtime, size, sidecar fields) with the last rebuild, so a
missed or coalesced watch event cannot leave a page stale; paths named by events are re-read regardless.
Only articles whose file changed are read again; a listing page is rendered again only when the data it
receives differs from last time, and a file is written only when its bytes differ. A file whose new version
has an error keeps its last good article on the site (the problem is shown in the overlay), and a template
that does not compile keeps every page as it was.

An exception while drawing or writing one page (a bug, or a template that raises for that article) becomes a
problem naming the article's file, with its traceback kept as a `Fault` for the terminal and the log; the other
pages are still drawn. When a whole stage fails, the state is put back so the next rebuild draws it all again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from generator.build import Cast, Read, executor_of, listing_pages, load_cast, read_source, read_sources, unique_ids
from generator.config import Config
from generator.diagnostics import Problem, display_path
from generator.model import Article, Page, SourceFile
from generator.pages.archive import EVERYTHING, Scope, index_all, reindex, scope_of, shared_terms
from generator.pages.render import BodyRenderer, make_environment, pygments_css, render_page, template_problem
from generator.pages.site import Deferred, Site, article_page, article_url, data_digest
from generator.pages.slim import slim
from generator.parallel import Tick
from generator.publishing.opendata import ACTOR_DATA, article_row
from generator.publishing.state import Signature, Snapshot
from generator.publishing.write import MARKER
from generator.reading.discover import Folder, discover, discover_folders, flatten
from generator.reading.language import LanguageGuesser
from generator.search.pagefind import ALIASES, SHARDS, actor_shards, alias_table
from generator.tagging.actors import front_matter_actors

T = TypeVar("T")
PREVIEW_MARKER = "A preview of arshif; not a published site.\n"
# Pages drawn per round of forked workers. A worker drawing list pages reads the articles they show, and in
# doing so copies the memory pages holding them (reference counts); its copies go when the round ends. At
# 100,000 articles two workers drawing every list page held most of the parent's 0.8 GB each; in rounds of 2,000
# pages up to 0.7 GB each (the build's peak, 2.07 GB); a fork costs a few milliseconds.
DRAW_ROUND = 500


@dataclass(frozen=True)
class Update:
    """What one rebuild did: the site URLs written or removed, and every problem the site has now."""

    changed: frozenset[str]
    problems: tuple[Problem, ...]
    articles: int
    seconds: float
    reindex: bool = False  # article pages changed: the search index is out of date
    kinds: frozenset[str] = field(default_factory=frozenset)  # what was looked at again: content, actors, templates
    faults: tuple[Fault, ...] = ()  # internal errors of this rebuild (each also a problem naming its file)
    theme: tuple[Problem, ...] = ()  # templates that do not compile, or that a page made fail (a TemplateError)


@dataclass(frozen=True)
class Fault:
    """An exception we caught so the preview goes on: where it was raised, and its traceback for a bug report.

    Made where it happened (maybe a worker process), so only text crosses over, never the exception."""

    where: str  # 'ZeroDivisionError at templates/article.html:23'
    compact: str  # one line per frame, for the terminal
    trace: str  # the whole traceback, for the log

    @classmethod
    def of(cls, e: BaseException) -> Fault:
        frames = traceback.extract_tb(e.__traceback__)
        kind = type(e).__name__
        where = f"{kind} at {display_path(frames[-1].filename)}:{frames[-1].lineno}" if frames else kind
        lines = [f"  {display_path(f.filename)}:{f.lineno} in {f.name}" for f in frames[-8:]]
        compact = "\n".join([*lines, f"  {kind}: {e}"])
        return cls(where, compact, "".join(traceback.format_exception(e)))


@dataclass(frozen=True)
class Rendered:
    output: str
    digest: bytes | None  # None: not written (unchanged, or it failed)
    problem: Problem | None
    fault: Fault | None = None  # it raised: see Fault
    note: Problem | None = None  # drawn, with a warning (a Markdown body shown as plain text)


class Engine:
    """The site's state between rebuilds (the only mutable object of the pipeline, by design).

    One engine serves both commands: the preview keeps it in memory between saves, `arshif build` restores it
    from the last build (`snapshot` / `restore`) and brings a copy of the published site up to date.
    """

    def __init__(
        self, config: Config, today: dt.date | None = None, *, marker: str | None = PREVIEW_MARKER,
        progress: Callable[[str, int, int], None] | None = None, publishing: bool = False,
        writer: Callable[[str, bytes], object] | None = None,
        stamped: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:  # fmt: skip
        self.config = config
        self.root = config.output
        self.today = today
        self.marker = marker  # written into a site drawn from nothing (the build writes its own)
        self.progress = progress or (lambda stage, done, total: None)
        # Drawing a site to publish: a page that fails to draw is left out (the preview keeps its last good
        # version), and a file that cannot be written stops the drawing (the preview reports it and goes on).
        self.publishing = publishing
        # how a file is written (relative path, bytes); by default beside the old one, then renamed over it
        self.writer = writer or partial(_atomic_write, self.root)
        # each content file's (mtime_ns, size) as the caller saw it just before (relative path ->): the first
        # reading takes these instead of a stat of every file; the later ones look again
        self.stamped = stamped
        self.folders: dict[str, Folder] = {}
        self.sources: dict[str, SourceFile] = {}
        self.signatures: dict[str, Signature] = {}
        self.restored = False
        self.read: dict[str, Article] = {}  # last good article of each file, by relative path
        self.file_problems: dict[str, tuple[Problem, ...]] = {}
        self.other_problems: tuple[Problem, ...] = ()
        self.cast_problems: tuple[Problem, ...] = ()
        self.template_problems: tuple[Problem, ...] = ()
        self.render_problems: tuple[Problem, ...] = ()
        self.notes: dict[str, Problem] = {}  # output -> the warning drawing it gave
        self.failed: set[str] = set()  # article ids whose page did not render: tried again next time
        self.faults: tuple[Fault, ...] = ()  # of the current rebuild
        self.redraw = False  # the last drawing stopped half way: draw everything next time
        self.articles: dict[str, Article] = {}  # as published, by id
        self.indexes = index_all(())
        self.drawn_from: dict[str, bytes] = {}  # listing page -> digest of the data it was drawn from
        self.digests: dict[str, bytes] = {}  # output -> digest of the bytes on disk
        self.stamps: dict[str, Signature] = {}  # actors file, templates: what they were at the last rebuild
        self.cast: Cast | None = None
        self.env: Environment | None = None
        self.site: Site | None = None
        self.pre: dict[str, tuple[str, Rendered]] = {}  # file -> (id, its page) drawn while reading (this rebuild)
        # what the site made under a key (`Site.kept`: the sitemap's listing), plain data kept between runs
        self.kept: dict[str, tuple[str, Any]] = {}
        self.rows: dict[str, tuple[Article, str, str]] = {}  # `Site.row`'s: each article's open-data row

    # -- keeping it between runs -----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        return Snapshot(
            MappingProxyType(dict(self.signatures)), MappingProxyType(dict(self.read)),
            MappingProxyType(dict(self.file_problems)), self.other_problems, self.cast_problems,
            MappingProxyType(dict(self.notes)), frozenset(self.failed), MappingProxyType(dict(self.digests)),
            MappingProxyType(dict(self.drawn_from)), MappingProxyType(dict(self.stamps)),
            MappingProxyType(dict(self.kept)),
            MappingProxyType(self._file_rows()),
        )  # fmt: skip

    def _file_rows(self) -> dict[str, tuple[str, str]]:
        """Each file's article's open-data row (and its key), where it was made from that very article."""
        return {a.source: (key, row) for a, key, row in self.rows.values() if self.read.get(a.source) is a}

    def restore(self, snap: Snapshot) -> None:
        """Take up where the engine that made `snap` left off (before the first rebuild)."""
        self.signatures, self.read = dict(snap.signatures), dict(snap.read)
        self.file_problems, self.other_problems = dict(snap.file_problems), snap.other_problems
        self.cast_problems, self.notes, self.failed = snap.cast_problems, dict(snap.notes), set(snap.failed)
        self.digests, self.drawn_from, self.stamps = dict(snap.digests), dict(snap.drawn_from), dict(snap.stamps)
        self.kept = dict(snap.kept)
        self.rows = {self.read[rel].id: (self.read[rel], key, row) for rel, (key, row) in snap.rows.items()
                     if rel in self.read}  # fmt: skip
        published, _ = unique_ids(sorted(self.read.values(), key=lambda a: a.source), {r: r for r in self.read})
        self.articles = {a.id: a for a in published}
        self.indexes = index_all(self.articles.values())
        self.restored = True

    # -- the one entry point -------------------------------------------------------------------------------

    def rebuild(self, touched: Iterable[Path] = ()) -> Update:
        """Bring the site in `config.output` up to date; `touched` are files an event named."""
        started = time.perf_counter()
        touched = {p.resolve() for p in touched}
        kinds: set[str] = set()
        self.faults = ()
        self.pre = {}
        start = self.site is None  # this process's first rebuild: load what lives in memory only
        first = start and not self.restored  # nothing drawn yet
        if first:
            self.root.mkdir(parents=True, exist_ok=True)
            if self.marker is not None:
                (self.root / MARKER).write_text(self.marker, encoding="utf-8")
        actors_moved = self._moved(self._actor_stamp(), "actors") or first
        if actors_moved or start:
            if actors_moved:
                kinds.add("actors")
            cast, problems = load_cast(self.config)
            self.cast, self.cast_problems = cast, tuple(problems)
            self.site = Site(self.config, self.today or dt.date.today(), cast.actors, kept=self.kept, rows=self.rows)
        templates_moved = self._moved(self._template_stamp(), "templates") or first
        if start or templates_moved:
            if templates_moved:
                kinds.add("templates")
            self._load_templates(check=templates_moved)
        content = self._read_content(touched, reread_all="actors" in kinds)
        if content is not None:
            kinds.add("content")
        assert self.site is not None and self.cast is not None
        before = self.articles
        published, trouble = unique_ids(sorted(self.read.values(), key=lambda a: a.source), self._shown())
        renamed = self._own_actors(published)
        self.other_problems = content if content is not None else self.other_problems
        id_problems = (*trouble, *shared_terms(published, self._shown()))
        # With a template that does not compile nothing is drawn, and what changed meanwhile stays pending.
        changed: set[str] = set()
        search_stale = False
        if self.env is not None and not self.template_problems:
            self.articles = {a.id: a for a in published}
            edited = self._edited(before, self.articles)
            everything = first or templates_moved or "actors" in kinds or self.redraw or renamed
            if everything or edited or self.failed:
                indexes = self.indexes
                try:
                    changed = self._copy_static() if templates_moved or self.redraw else set()
                    drawn, search_stale = self._draw(before, edited, everything)
                except Exception:
                    # Pages, lists and indexes may now disagree: forget this rebuild's articles so the next
                    # one draws them again, and draw everything then (this one's template change included).
                    self.articles, self.indexes, self.redraw = before, indexes, True
                    raise
                self.redraw = False
                changed |= drawn
        problems = (
            *self.other_problems,
            *self.cast_problems,
            *self.template_problems,
            *self.render_problems,
            *self.notes.values(),
            *id_problems,
            *(p for group in self.file_problems.values() for p in group),
        )
        return Update(
            frozenset(changed),
            tuple(sorted(set(problems))),
            len(self.articles),
            time.perf_counter() - started,
            search_stale,
            frozenset(kinds),
            self.faults,
            (*self.template_problems, *(p for p in self.render_problems if p.detail == "")),
        )

    def _draw(self, before: Mapping[str, Article], edited: set[str], everything: bool) -> tuple[set[str], bool]:
        """Write the pages (and search data) the `edited` articles show on; return the URLs written or removed
        and whether article pages changed (the search index is then out of date)."""
        assert self.site is not None and self.cast is not None
        scope = EVERYTHING if everything else _scope(before, self.articles, edited)
        ids = self.articles.keys() if everything else (edited | self.failed) & self.articles.keys()
        rendered = self._pre_drawn()
        ids -= {r.output.split("/")[1] for r in rendered}
        rendered += self._write_articles([self.articles[i] for i in sorted(ids)])
        self._slim(ids, {r.output for r in rendered if r.problem})
        gone = self._remove(article_url(before[i]) for i in edited if i not in self.articles)
        if everything:
            self.indexes = index_all(self.articles.values())
            # Every open-data row made here, before the list pages' workers fork: they find them made, and the
            # state keeps them, so that the first update does not make (and save) all of them again.
            for article in self.indexes.ordered:
                article_row(self.site, article)
        else:
            old = [before[i] for i in edited if i in before]
            self.indexes = reindex(self.indexes, old, [self.articles[i] for i in edited if i in self.articles])
        pages = [
            *listing_pages(self.site, self.indexes, scope),
            *actor_shards(self.site, self.indexes.actors, scope.actors),
        ]
        rendered += self._write_listings(pages, everything, edited)
        gone |= self._remove(self._vanished(pages, scope))
        written = {_url(r.output) for r in rendered if r.digest is not None}
        self.render_problems = tuple(r.problem for r in rendered if r.problem)
        for r in rendered:  # a page's warning stands until the page is drawn again without it
            if r.note is None:
                self.notes.pop(r.output, None)
            else:
                self.notes[r.output] = r.note
        self.notes = {output: note for output, note in self.notes.items() if output in self.digests}
        self.faults = tuple(r.fault for r in rendered if r.fault)
        self.failed = {r.output.split("/")[1] for r in rendered if r.problem and r.output.startswith("articles/")}
        aliases = alias_table(self.site.actors, self.indexes.ordered, self.config.language, self.site.href("/"))
        written |= {"/" + path for path, body in aliases.items() if self._write(path, body.encode())}
        gone |= self._remove(["/" + o for o in self.digests if o.startswith(ALIASES + "/") and o not in aliases])
        return written | gone, bool(gone or any(u.startswith("/articles/") for u in written))

    # -- reading -------------------------------------------------------------------------------------------

    def _read_content(self, touched: set[Path], reread_all: bool) -> tuple[Problem, ...] | None:
        """Re-read the files that changed; return the folder-level problems, or None when nothing changed."""
        assert self.cast is not None
        root = self.config.content.resolve()
        named = {p.relative_to(root).as_posix() for p in touched if p.is_relative_to(root)}
        # A folder's time has a coarse clock: a folder where an event saw a file come or go is looked at again
        # whatever its time says (an edit of a known file needs only that file's own time and size).
        came_or_went = {n for n in named if n not in self.signatures or not os.path.exists(os.path.join(root, n))}
        named_folders = {os.path.dirname(n) + "/" if "/" in n else "" for n in came_or_went}
        known = {k: v for k, v in self.folders.items() if k not in named_folders}
        if not self.config.content.is_dir():
            self.folders, (found, problems) = {}, discover(self.config.content)
        else:
            self.folders = discover_folders(self.config.content, known)
            found, problems = flatten(self.folders)
        base = os.fspath(self.config.content)
        self.sources = {src.rel: src for src in found}
        stamped, self.stamped = self.stamped or {}, None
        current = {src.rel: _signature(base, src, stamped.get(src.rel)) for src in found}
        stale = [
            self.sources[rel]
            for rel, sig in current.items()
            if reread_all or rel in named or self.signatures.get(rel) != sig
        ]
        removed = self.signatures.keys() - current.keys()
        if not stale and not removed and self.signatures:
            self.signatures = current
            return None
        previous, self.signatures = self.signatures, current
        for rel in removed:
            self.read.pop(rel, None)
            self.file_problems.pop(rel, None)
        try:
            progress = partial(self.progress, "reading", total=len(stale))
            results = read_sources(stale, self.config, self.cast, progress, self._draw_while_reading())
        except Exception:
            self.signatures = previous  # these files did not get read: the next rebuild reads them again
            raise
        for result in results:
            errors = [p for p in result.problems if p.severity == "error"]
            self.file_problems[result.rel] = result.problems
            if result.article is not None and not (errors and result.rel in self.read):
                self.read[result.rel] = result.article
                if isinstance(result.drawn, Rendered):
                    self.pre[result.rel] = (result.article.id, result.drawn)
            elif result.article is None and result.rel in self.read and not errors:
                del self.read[result.rel]
        return tuple(problems)

    def _own_actors(self, published: Sequence[Article]) -> bool:
        """Give the site the front-matter names no actor has as actors of their own; whether one that stays
        changed its name (the pages that name it are not all among those the edited articles are on)."""
        assert self.site is not None and self.cast is not None
        extra = front_matter_actors(published, self.cast.actors)
        if extra == self.site.extra:
            return False
        old = self.site.extra
        self.site = Site(self.config, self.site.build_date, self.cast.actors, extra, kept=self.kept, rows=self.rows)
        return any(old[i] != actor for i, actor in extra.items() if i in old)

    def _shown(self) -> dict[str, str]:
        return {rel: src.shown for rel, src in self.sources.items()}

    @staticmethod
    def _edited(before: Mapping[str, Article], after: Mapping[str, Article]) -> set[str]:
        """Ids added, removed, or whose article changed (an object not the same is compared: one renamed for a
        duplicate id is made again by every update)."""
        return {
            i
            for i in before.keys() | after.keys()
            if before.get(i) is not after.get(i) and before.get(i) != after.get(i)
        }

    def _slim(self, ids: Iterable[str], failed: set[str]) -> None:
        """Keep of each article whose page was just drawn only what the lists read (pages.slim); not of one whose
        file now has an error, whose page could not be drawn from the file again."""
        for i in ids:
            article = self.articles[i]
            if article.slim or Page(article_url(article), "").output in failed:
                continue
            rel = article.source
            if any(p.severity == "error" for p in self.file_problems.get(rel, ())):
                continue
            original = self.read.get(rel)
            self.articles[i] = slim(article)
            if original is article:
                self.read[rel] = self.articles[i]
            elif original is not None:  # renamed for a duplicate id: the file's own article, slimmed as well
                self.read[rel] = slim(original)

    # -- templates -------------------------------------------------------------------------------------------

    def _load_templates(self, check: bool = True) -> None:
        """A fresh environment, kept only when every template compiles. Unless `check`, they are compiled as they
        are first used: they are those of the restored state, which was published, so all of them compiled."""
        env = make_environment(self.config.templates)
        if not check:
            self.env, self.template_problems = env, ()
            return
        problems = []
        for name in env.list_templates(filter_func=lambda n: not n.startswith("static/")):
            try:
                env.get_template(name)
            except TemplateSyntaxError as e:
                shown = display_path(Path(e.filename)) if e.filename else name
                problems.append(Problem(shown, e.lineno or 0, f"template error: {e.message}"))
        self.template_problems = tuple(problems)
        if not problems:
            self.env = env

    def _copy_static(self) -> set[str]:
        """The theme's static files, and our code style sheet unless the theme brings its own; files the theme
        no longer has go."""
        files = {"static/pygments.css": pygments_css().encode()}
        source = self.config.templates / "static"
        for path in sorted(source.rglob("*")) if source.is_dir() else ():
            if path.is_file():
                files["static/" + path.relative_to(source).as_posix()] = path.read_bytes()
        changed = {"/" + relative for relative, data in files.items() if self._write(relative, data)}
        return changed | self._remove(["/" + o for o in self.digests if o.startswith("static/") and o not in files])

    # -- writing -------------------------------------------------------------------------------------------

    def _write_articles(self, articles: Sequence[Article]) -> list[Rendered]:
        return self._render_all(articles, self._article_drawer(articles))

    def _article_drawer(self, articles: Iterable[Article]) -> _Drawer[Article]:
        """What draws article pages; a slim one among `articles` is read again from its file first."""
        site, shown = self.site, self._shown()
        assert site is not None and self.env is not None
        again = _Reread(self.config, self.cast, {a.source: self.sources[a.source] for a in articles if a.slim})

        def blame(article: Article) -> tuple[str, str]:
            return article_url(article), shown.get(article.source, article.source)

        def page_of(article: Article, body: BodyRenderer) -> Page:
            return article_page(site, again(article), body)

        return _Drawer(self.env, self.writer, self.digests, self.publishing, page_of, blame)

    def _draw_while_reading(self) -> Callable[[Read], Read] | None:
        """Each article's page drawn where its file is read, and the article kept slim from there on, so that no
        process holds the archive's bodies; None when no page can be drawn now (a template does not compile).

        Not drawn there: a file whose new version has an error while its last good article stays on the site,
        and an article whose id another file held at the last rebuild (which keeps it is decided here, after
        every file is read). Two new files with one id may both draw it there: `_pre_drawn` sorts that out."""
        if self.env is None or self.template_problems or self.site is None:
            return None
        draw = self._article_drawer(())
        held = {a.id.casefold(): rel for rel, a in self.read.items()}
        kept = frozenset(self.read)
        bodies: dict[str, BodyRenderer] = {}  # one per process that reads

        def then(read: Read) -> Read:
            article = read.article
            if article is None:
                return read
            errors = any(p.severity == "error" for p in read.problems)
            if (errors and read.rel in kept) or held.get(article.id.casefold(), read.rel) != read.rel:
                return read
            drawn = draw(article, bodies.get("body") or bodies.setdefault("body", BodyRenderer()))
            return replace(read, article=article if errors or drawn.problem else slim(article), drawn=drawn)

        return then

    def _pre_drawn(self) -> list[Rendered]:
        """The pages drawn while reading that stand: of an article published under the id it was drawn with, the
        only page drawn at its URL. Any other was maybe written over another's page: it is drawn again."""
        drawn, self.pre = self.pre, {}
        clash = Counter(r.output for _, r in drawn.values())
        good = []
        for rel, (article_id, r) in sorted(drawn.items()):
            published = self.articles.get(article_id)
            if clash[r.output] == 1 and published is not None and published.source == rel:
                good.append(r)
            else:
                self.digests.pop(r.output, None)
        self._note(good)
        return good

    def _write_listings(self, pages: Sequence[Page], force: bool, edited: set[str]) -> list[Rendered]:
        """Draw the pages whose data changed: a list page (with a `shape`) when its shape changed or it shows an
        edited article, decided without making its data; any other page when the digest of its data changed."""
        marks, stale = {}, []
        for p in pages:
            mark = marks[p.output] = p.shape or data_digest(p.context)
            if force or self.drawn_from.get(p.output) != mark or (p.shape and not edited.isdisjoint(p.items)):
                stale.append(p)
        templates = self.config.templates

        def blame(page: Page) -> tuple[str, str]:
            return page.url, display_path(templates / page.template)  # no one article: the template draws it

        assert self.env is not None
        draw = _Drawer(self.env, self.writer, self.digests, self.publishing, lambda page, body: page, blame)
        results = self._render_all(stale, draw)
        failed = {r.output for r in results if r.problem}
        self.drawn_from.update((p.output, marks[p.output]) for p in stale if p.output not in failed)
        return results

    def _render_all(self, items: Sequence[T], draw: _Drawer[T]) -> list[Rendered]:
        """Draw and write `items`' pages over the cores; note the digest of every file written."""

        def render(share: Sequence[T], tick: Tick) -> list[Rendered]:
            body = BodyRenderer()
            done = []
            for item in share:
                done.append(draw(item, body))
                tick()
            return done

        drawing = partial(self.progress, "drawing", total=len(items))
        shares = executor_of(self.config).rounds(render, items, DRAW_ROUND, drawing)
        results = [r for share in shares for r in share]
        self._note(results)
        return results

    def _note(self, results: Sequence[Rendered]) -> None:
        """Note the digest of every file written; in a site to publish, a page that failed is left out."""
        self.digests.update((r.output, r.digest) for r in results if r.digest is not None)
        if self.publishing:
            self._remove(_url(r.output) for r in results if r.problem is not None)

    def _write(self, relative: str, data: bytes) -> bool:
        digest = _digest(data)
        if self.digests.get(relative) == digest:
            return False
        self.writer(relative, data)
        self.digests[relative] = digest
        return True

    def _vanished(self, pages: Sequence[Page], scope: Scope) -> list[str]:
        """Listing pages of a group that was made again but no longer has them (fewer pages, no articles)."""
        made = {p.output for p in pages}
        return [_url(o) for o in self.drawn_from if o not in made and _in_scope(o, scope)]

    def _remove(self, urls: Iterable[str]) -> set[str]:
        removed = set()
        for url in urls:
            output = Page(url, "").output
            self.digests.pop(output, None)
            self.drawn_from.pop(output, None)
            path = self.root / output
            if path.exists():
                path.unlink()
                removed.add(url)
                with suppress(OSError):
                    path.parent.rmdir()  # only when empty
        return removed

    # -- stamps ----------------------------------------------------------------------------------------------

    def _moved(self, stamp: Signature, name: str) -> bool:
        moved = self.stamps.get(name) != stamp
        self.stamps[name] = stamp
        return moved

    def _actor_stamp(self) -> Signature:
        return _stat(self.config.actors)

    def _template_stamp(self) -> Signature:
        files = sorted(p for p in self.config.templates.rglob("*") if p.is_file())
        stamp = hashlib.blake2b("\0".join(f"{p}:{_stat(p)}" for p in files).encode(), digest_size=16)
        return (len(files), 0, stamp.hexdigest())


class _Drawer(Generic[T]):
    """Draw and write one item's page; a failure is a problem naming the file `blame` gives, not an exception
    (but a file that cannot be written stops a site to publish)."""

    def __init__(
        self, env: Environment, writer: Callable[[str, bytes], object], known: Mapping[str, bytes], publishing: bool,
        page_of: Callable[[T, BodyRenderer], Page], blame: Callable[[T], tuple[str, str]],
    ) -> None:  # fmt: skip
        self.env, self.writer, self.known, self.publishing = env, writer, known, publishing
        self.page_of, self.blame = page_of, blame

    def __call__(self, item: T, body: BodyRenderer) -> Rendered:
        try:
            noted = len(body.fallbacks)
            drawn = _render(self.env, self.page_of(item, body), self.writer, self.known)
            if len(body.fallbacks) > noted:
                drawn = replace(drawn, note=Problem(self.blame(item)[1], 0, body.fallbacks[-1][1], "warning"))
            return drawn
        except Exception as e:  # one page's bug (or its template's) must not cost the other pages
            if self.publishing and isinstance(e, OSError):
                raise
            (url, path), fault = self.blame(item), Fault.of(e)
            said = f"could not draw {url}: {str(e) or type(e).__name__} ({fault.where})"
            return Rendered(Page(url, "").output, None, Problem(path, 0, said, detail=fault.trace), fault)


class _Reread:
    """A slim article (pages.slim) made whole again from its file, which has not changed since it was read (its
    signature is the same), for its page to be drawn again: a template changed, or the last drawing stopped."""

    def __init__(self, config: Config, cast: Cast | None, sources: Mapping[str, SourceFile]) -> None:
        self.config, self.cast, self.sources = config, cast, sources
        self.guesser: LanguageGuesser | None = None  # made in the process that draws, the first time one is needed

    def __call__(self, article: Article) -> Article:
        if not article.slim:
            return article
        assert self.cast is not None
        self.guesser = self.guesser or LanguageGuesser()
        whole, problems = read_source(self.sources[article.source], self.config, self.cast, self.guesser)
        if whole is None:
            raise RuntimeError(f"{article.source} could not be read again: {problems[0].message if problems else ''}")
        return replace(whole, id=article.id)  # an id made unique is the build's, not the file's


# -- pure helpers ----------------------------------------------------------------------------------------------


def _scope(before: Mapping[str, Article], after: Mapping[str, Article], edited: set[str]) -> Scope:
    """The listing groups the edited articles were or are in; every year when a day's count changed."""
    old = [before[i] for i in edited if i in before]
    new = [after[i] for i in edited if i in after]
    moved = sorted(a.date or dt.date.min for a in old) != sorted(a.date or dt.date.min for a in new)
    return scope_of(old + new, every_year=moved)


def _in_scope(output: str, scope: Scope) -> bool:
    """Whether a listing page's group was made again under `scope` (whole-site pages always are)."""
    parts = output.split("/")
    if output.startswith(SHARDS + "/"):
        return scope.has("actors", parts[3])
    if output.startswith(ACTOR_DATA):
        return scope.has("actors", parts[2].removesuffix(".json"))
    section, key = parts[0], parts[1] if len(parts) > 2 else ""
    if section == "actors" and key:
        return scope.has("actors", key)
    if section in ("sources", "tags") and key:
        return scope.has("outlets" if section == "sources" else "tags", key)
    if section == "dates" and key.isdigit():
        period = [int(p) for p in itertools.takewhile(str.isdigit, parts[1:])]
        return scope.has_period(*period[:3])
    return True


def _render(
    env: Environment, page: Page, writer: Callable[[str, bytes], object], known: Mapping[str, bytes]
) -> Rendered:
    """Render `page` and write it when its bytes changed."""
    try:
        data = render_page(env, page).encode("utf-8")
    except TemplateError as e:
        return Rendered(page.output, None, template_problem(env, page, e))
    finally:
        if isinstance(page.context, Deferred):
            page.context.release()
    digest = _digest(data)
    if known.get(page.output) == digest:
        return Rendered(page.output, None, None)
    writer(page.output, data)
    return Rendered(page.output, digest, None)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _atomic_write(root: Path, relative: str, data: bytes) -> None:
    """The server may be reading the old file: write beside it, then rename over it."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)


def _url(output: str) -> str:
    return "/" + (output.removesuffix("index.html"))


def _stat(path: str | Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return (0, -1, "")
    return (st.st_mtime_ns, st.st_size, "")


def _signature(base: str, src: SourceFile, stamped: tuple[int, int] | None = None) -> Signature:
    """What says a file may have changed (os.path over pathlib: this runs for every file on every rebuild);
    `stamped` its time and size when the caller knows them."""
    mtime, size = stamped if stamped is not None else _stat(os.path.join(base, src.rel))[:2]
    return (mtime, size, f"{src.sidecar_line}:{sorted(src.sidecar.items())!r}" if src.sidecar else "")
