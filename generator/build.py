"""`build(config) -> BuildResult`: gather everything, then write. Reads like the recipe it is."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from generator.config import Config
from generator.diagnostics import Problem, display_path, internal_problem
from generator.executor import Executor
from generator.model import Actor, Article, Page, SourceFile
from generator.pages.actor_pages import actor_index_page, actor_pages, term_pages
from generator.pages.archive import (
    EVERYTHING,
    Indexes,
    Scope,
    agency_names,
    outlet_names,
    shared_terms,
    tag_names,
)
from generator.pages.calendar_pages import Dates
from generator.pages.render import BodyRenderer
from generator.pages.site import Site, home_pages, not_found_page, search_page
from generator.parallel import Tick, default_workers, fork_map, give_back_memory, no_progress
from generator.publishing import state
from generator.publishing.meta import agencies_title
from generator.publishing.outputs import publishing_pages
from generator.publishing.write import (
    MARKER,
    Counts,
    Publication,
    PublishError,
    Staging,
    check_content,
    check_counts,
    check_output,
    differing,
    publishing,
)
from generator.reading.discover import discover
from generator.reading.language import LanguageGuesser, preload
from generator.reading.readers import read_article
from generator.reading.understand import understand
from generator.search.pagefind import BUNDLE, index_site
from generator.search.shards import save_stamps
from generator.tagging.actors import builtin_countries, combine, front_matter_actors, load_authority
from generator.tagging.match import Matcher
from generator.tagging.tagger import tag

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _silent(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    actors: Mapping[str, Actor]
    problems: tuple[Problem, ...]
    files: int  # article files found, including those that could not be read


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    files: int
    problems: tuple[Problem, ...]
    seconds: float
    leftovers: int = 0  # scratch folders of killed builds found beside the output and removed
    changed: int = 0  # files written or removed
    updated: bool = False  # drawn from the last build's state, not from nothing


@dataclass(frozen=True)
class Cast:
    """The actors that can be tagged and the matcher that finds them."""

    actors: Mapping[str, Actor]
    matcher: Matcher


def load_cast(config: Config) -> tuple[Cast, list[Problem]]:
    """The actors that can be tagged: built-in countries (unless switched off) and the authority file."""
    authority, problems = ([], []) if not config.actors.exists() else load_authority(config.actors)
    actors = combine(builtin_countries() if config.countries else [], authority)
    matcher = Matcher(actors)
    shown = display_path(config.actors)
    for trouble in matcher.problems:
        line = actors[trouble.actor].line
        if line or trouble.actor in {a.id for a in authority}:
            problems.append(Problem(shown, line, trouble.message, "warning"))
    return Cast(MappingProxyType(actors), matcher), problems


def read_source(
    src: SourceFile, config: Config, cast: Cast, guesser: LanguageGuesser
) -> tuple[Article | None, list[Problem]]:
    """Read, understand and tag one article file; whatever goes wrong is a problem naming it, never a crash."""
    try:
        article, problems = read_article(src, config.max_file_bytes)
        if article is None:
            return None, problems
        article, found = understand(article, src.shown, guesser)
        return tag(article, cast.matcher, cast.actors), problems + found
    except Exception as e:  # RecursionError and MemoryError included: one file must not take the build down
        return None, [internal_problem(src.shown, "reading", e)]


@dataclass(frozen=True)
class Read:
    """One file's outcome: its article (None when it could not be read) and the problems found."""

    rel: str
    article: Article | None
    problems: tuple[Problem, ...]
    drawn: object = None  # what `then` made of it where it was read (the engine: its page, drawn there)


READ_CHUNK = 4000  # files read per round: what comes back to this process is bounded by a round, not the archive
PRELOAD = 100  # files: reading more (in forked workers) imports the language detector once, here, before forking


def read_sources(
    sources: Sequence[SourceFile],
    config: Config,
    cast: Cast,
    progress: Callable[[int], None] = no_progress,
    then: Callable[[Read], Read] | None = None,
) -> list[Read]:
    """`read_source` over `sources`, spread over the config's processes or cluster (see executor), in rounds of
    `READ_CHUNK`; `then`, where given, is applied to each file's `Read` where it was read."""

    def read_share(share: Sequence[SourceFile], tick: Tick) -> list[Read]:
        guesser = LanguageGuesser()
        done = []
        for src in share:
            article, problems = read_source(src, config, cast, guesser)
            read = Read(src.rel, article, tuple(problems))
            done.append(then(read) if then is not None else read)
            tick()
        return done

    if len(sources) >= PRELOAD:
        preload()
    return [read for share in executor_of(config).rounds(read_share, sources, READ_CHUNK, progress) for read in share]


def read_corpus(config: Config, progress: Progress = _silent) -> Corpus:
    """Discover, read, understand and tag every article; problems are collected, never raised."""
    sources, problems = discover(config.content)
    cast, trouble = load_cast(config)
    problems += trouble
    reads = read_sources(sources, config, cast, lambda n: progress("reading", n, len(sources)))
    articles = [r.article for r in reads if r.article is not None]
    problems += [p for r in reads for p in r.problems]
    shown = {src.rel: src.shown for src in sources}
    articles, trouble = unique_ids(articles, shown)
    trouble += shared_terms(articles, shown)
    actors = MappingProxyType({**cast.actors, **front_matter_actors(articles, cast.actors)})
    return Corpus(tuple(articles), actors, tuple(problems + trouble), len(sources))


def unique_ids(articles: Sequence[Article], shown: dict[str, str]) -> tuple[list[Article], list[Problem]]:
    """Two files with one id: the first by path keeps it, the next get -2, -3 ... (stable across builds).

    Ids that differ only in case are one id: on a case-insensitive disk or host they would be one folder."""
    taken: dict[str, str] = {}
    result: list[Article] = []
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.source):
        new_id, n = article.id, 1
        while new_id.casefold() in taken:
            n += 1
            new_id = f"{article.id}-{n}"
        if new_id != article.id:
            problems.append(
                Problem(
                    shown[article.source],
                    0,
                    f"id '{article.id}' is already used by {taken[article.id.casefold()]}; published as '{new_id}'",
                )
            )
            article = replace(article, id=new_id)
        taken[new_id.casefold()] = article.source
        result.append(article)
    return result, problems


def executor_of(config: Config) -> Executor:
    return Executor(config.workers, config.scheduler or None)


def shown_path(config: Config, rel: str) -> str:
    """How problems name the content file at `rel` (as discover names it)."""
    return display_path(config.content / rel)


def fallback_problems(config: Config, body: BodyRenderer) -> list[Problem]:
    return [Problem(shown_path(config, source), 0, why, "warning") for source, why in body.fallbacks]


def markdown_problems(articles: Sequence[Article], config: Config) -> list[Problem]:
    """What drawing would say of the Markdown bodies (shown as plain text when over budget), for `check`."""

    def convert(share: Sequence[Article], tick: Tick) -> list[Problem]:
        body = BodyRenderer()
        for article in share:
            body.html(article)
            tick()
        return fallback_problems(config, body)

    markdown = [a for a in articles if a.format == "markdown"]
    workers = config.workers or default_workers()
    return [p for share in fork_map(convert, markdown, workers, no_progress) for p in share]


def _to_stderr(line: str) -> None:
    print(f"arshif: {line}", file=sys.stderr, flush=True)


def build(
    config: Config,
    progress: Progress = _silent,
    today: dt.date | None = None,
    *,
    force: bool = False,
    say: Callable[[str], None] = _to_stderr,
    clean: bool = False,
    stamped: Mapping[str, tuple[int, int]] | None = None,
) -> BuildResult:
    """Read the archive and publish it; a PublishError (nothing changed) when it cannot or should not be.

    The last build's state (`state`), when it can be trusted and `clean` is not asked, makes this an update:
    the new site starts as links to the published files and the engine draws again only what changed.
    `force` publishes an archive that is empty or under half the last build's size; `say` is told when
    another build of the same output holds the lock and this one waits for it. `stamped` is each content file's
    (mtime_ns, size) as the caller just saw them (`state.fingerprint`), so that they are not looked at again.
    """
    from generator.engine import Engine

    started = time.perf_counter()
    check_content(config.content)
    check_output(config.output, protected=[config.content, config.templates])
    key = state.engine_key(config)
    with publishing(config.output, say) as publication:  # one build of an output at a time, from here to the end
        previous = publication.previous
        known = None if clean or previous is None else state.load_snapshot(config.output, key, previous.site)
        spare = state.load_spare(config.output) if known is not None else None
        with publication.staging(from_spare=_usable(publication, spare)) as stage:
            engine = Engine(replace(config, output=stage.root), today, marker=None, progress=progress,
                            publishing=True, writer=stage.write, stamped=stamped)  # fmt: skip
            if known is not None:
                _start_from_published(stage, spare)
                engine.restore(known)
            update = engine.rebuild()
            if update.theme:
                raise PublishError(f"{update.theme[0]}; nothing was published")
            pages = sum(1 for out in engine.digests if out.endswith(".html")) + len(engine.failed)
            counts = Counts(update.articles, pages, site_digest(engine.digests))
            if not force:
                check_counts(config.output, previous, counts)
            stage.counts = counts
            snap = engine.snapshot()
            html = [out for out in snap.digests if out.endswith(".html")]  # every page the site holds
            files = len(snap.digests) + 1  # + the marker
            changes = state.changes(known, snap) if known is not None else None
            updated = known is not None
            # The state is saved before the site is indexed and published (one that is not published is not
            # trusted: it names a site the marker does not), so that what drew the site, the articles included,
            # goes before Pagefind's runs come: they are the build's peak at 100,000 articles.
            state.save_snapshot(config.output, key, counts.site, snap, known)
            del engine, snap, known
            give_back_memory()
            if config.search:
                since = (previous.site, frozenset(changes)) if previous is not None and changes is not None else None
                _search(stage, publication, config, not updated or update.reindex, html, counts.site, since)
        behind = _spare_now(publication, changes)
        if behind is None and publication.make_spare():
            behind = state.Spare(counts.site, ())
        state.save_spare(config.output, behind)
    return BuildResult(
        articles=update.articles,
        pages=pages,
        files=files,
        problems=update.problems,
        seconds=time.perf_counter() - started,
        leftovers=len(publication.removed),
        changed=len(update.changed),
        updated=updated,
    )


def _usable(publication: Publication, spare: state.Spare | None) -> bool:
    """Whether the spare beside the output is the site the state says it is (one build behind the published)."""
    kept = publication.output.counts(publication.output.spare) if spare is not None else None
    return kept is not None and spare is not None and kept.site == spare.site


def _start_from_published(stage: Staging, spare: state.Spare | None) -> None:
    """Make the new site's folder hold the published files: the spare brought up to date (only what the last build
    changed is linked again), or, without one, a link to every published file."""
    if stage.base is not None and spare is not None:
        stage.sync(spare.changes)
    else:
        stage.clone(skip=(BUNDLE,))


def _spare_now(publication: Publication, changes: tuple[str, ...] | None) -> state.Spare | None:
    """The site just replaced is the spare now, one build behind: what brings it up to date is what this build
    changed (`changes`: an update knows it; a build from nothing compares the two trees)."""
    previous = publication.previous
    if previous is None:
        return None
    if changes is not None:
        return state.Spare(previous.site, changes)
    if publication.output.spare.is_dir():
        changed = differing(publication.output.spare, publication.output.path, skip=(BUNDLE, MARKER))
        return state.Spare(previous.site, tuple(changed))
    return None


def _search(stage: Staging, publication: Publication, config: Config, reindex: bool, html: Sequence[str],
            site: str, since: tuple[str, Container[str]] | None) -> None:  # fmt: skip
    """Index the new site (whose digest is `site`), or keep the published index when no article page changed;
    `since` is the published site's digest and the files this build changed, when it knows them."""
    old = publication.output.path / BUNDLE
    if not reindex and old.is_dir():
        stage.sync_tree(BUNDLE)
        return
    # A shard whose pages did not change is linked from the published bundle, not indexed again; the scratch
    # copies go beside the output, where the next build finds them if this one dies.
    cache = state.state_file(publication.output.path)
    index_site(stage.root, workers=config.workers or default_workers(), scratch=publication.scratch_dir,
               scratch_prefix=publication.output.scratch("index"), previous=old if old.is_dir() else None,
               seen=cache.with_suffix(".pages.json"), stamps=cache.with_suffix(".bundle.json"), html=html,
               budget=config.search_shard_pages, site=site, since=since)  # fmt: skip
    stage.keep_unchanged(BUNDLE)
    save_stamps(stage.root / BUNDLE, cache.with_suffix(".bundle.json"))  # the files as they will be published


def site_digest(digests: Mapping[str, bytes]) -> str:
    """One digest of every file's: two sites with the same digest hold the same pages."""
    h = hashlib.blake2b(digest_size=16)
    for output, digest in sorted(digests.items()):
        h.update(output.encode("utf-8", "surrogateescape") + b"\0" + digest)
    return h.hexdigest()


def listing_pages(site: Site, indexes: Indexes, scope: Scope = EVERYTHING) -> Iterator[Page]:
    """Every page that is not an article (those groups in `scope`): the pages for readers, then the feeds, the
    sitemap and the data files."""
    browsing = list(browsing_pages(site, indexes, scope))
    yield from browsing
    # The sitemap lists every browsing page: those just made, when they are every one.
    every = (lambda: browsing) if scope is EVERYTHING else (lambda: browsing_pages(site, indexes))
    yield from publishing_pages(site, indexes, every, scope)


def browsing_pages(site: Site, indexes: Indexes, scope: Scope = EVERYTHING) -> Iterator[Page]:
    """Home, actors, outlets, agencies, tags, dates, search, 404 (those groups in `scope`)."""
    dates = Dates(site, indexes)
    yield from home_pages(site, indexes.ordered, {"on_this_day": dates.on_this_day()})
    yield actor_index_page(site, indexes.actors)
    for actor_id, group in indexes.actors.items():
        if scope.has("actors", actor_id):
            yield from actor_pages(site, site.actors[actor_id], group)
    yield from term_pages(site, "sources", site.t["outlets"], indexes.outlets, outlet_names, scope.outlets)
    # Agencies are few and outside the scopes an update redraws: all of them, always (unchanged ones are not drawn).
    yield from term_pages(site, "agencies", agencies_title(site.config.language), indexes.agencies, agency_names)
    yield from term_pages(site, "tags", site.t["tags_title"], indexes.tags, tag_names, scope.tags)
    yield from dates.pages(scope)
    yield search_page(site)
    yield not_found_page(site)
