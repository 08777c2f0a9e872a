"""`build(config) -> BuildResult`: gather everything, then write. Reads like the recipe it is."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from jinja2 import Environment, TemplateError

from generator.actor_pages import actor_index_page, actor_pages, term_pages
from generator.actors import builtin_countries, combine, load_authority
from generator.archive import EVERYTHING, Indexes, Scope, index_all, outlet_names, shared_terms, tag_names
from generator.calendar_pages import Dates
from generator.config import Config
from generator.diagnostics import Problem, display_path, internal_problem
from generator.discover import discover
from generator.language import LanguageGuesser
from generator.model import Actor, Article, Page, SourceFile
from generator.pages import Site, article_page, home_pages, not_found_page, search_page
from generator.parallel import Tick, default_workers, fork_map, no_progress
from generator.readers import read_article
from generator.render import BodyRenderer, make_environment, pygments_css, render_page, template_problem
from generator.search import BUNDLE, actor_shards, alias_table, index_site, shard_json
from generator.tagging import Matcher, tag
from generator.understand import understand
from generator.write import Counts, PublishError, check_content, check_counts, check_output, publishing

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
    bytes: int
    problems: tuple[Problem, ...]
    seconds: float
    leftovers: int = 0  # scratch folders of killed builds found beside the output and removed


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


def read_sources(
    sources: Sequence[SourceFile],
    config: Config,
    cast: Cast,
    workers: int,
    progress: Callable[[int], None] = no_progress,
) -> list[Read]:
    """`read_source` over `sources`, spread over `workers` processes."""

    def read_share(share: Sequence[SourceFile], tick: Tick) -> list[Read]:
        guesser = LanguageGuesser()
        done = []
        for src in share:
            article, problems = read_source(src, config, cast, guesser)
            done.append(Read(src.rel, article, tuple(problems)))
            tick()
        return done

    return [read for share in fork_map(read_share, sources, workers, progress) for read in share]


def read_corpus(config: Config, progress: Progress = _silent) -> Corpus:
    """Discover, read, understand and tag every article; problems are collected, never raised."""
    sources, problems = discover(config.content)
    cast, trouble = load_cast(config)
    problems += trouble
    workers = config.workers or default_workers()
    reads = read_sources(sources, config, cast, workers, lambda n: progress("reading", n, len(sources)))
    articles = [r.article for r in reads if r.article is not None]
    problems += [p for r in reads for p in r.problems]
    shown = {src.rel: src.shown for src in sources}
    articles, trouble = unique_ids(articles, shown)
    trouble += shared_terms(articles, shown)
    return Corpus(tuple(articles), cast.actors, tuple(problems + trouble), len(sources))


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


def shown_path(config: Config, rel: str) -> str:
    """How problems name the content file at `rel` (as discover names it)."""
    return display_path(config.content / rel)


def drawn(env: Environment, page: Page) -> str:
    """`page` rendered; a template that fails is the theme's mistake, not the content's: nothing is published."""
    try:
        return render_page(env, page)
    except TemplateError as e:
        raise PublishError(f"{template_problem(env, page, e)}; nothing was published") from None


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
) -> BuildResult:
    """Read the archive and publish it; a PublishError (nothing changed) when it cannot or should not be.

    `force` publishes an archive that is empty or under half the last build's size; `say` is told when
    another build of the same output holds the lock and this one waits for it.
    """
    started = time.perf_counter()
    check_content(config.content)
    check_output(config.output, protected=[config.content, config.templates])
    with publishing(config.output, say) as publication:  # one build of an output at a time, from here to the end
        corpus = read_corpus(config, progress)
        site = Site(config, today or dt.date.today(), corpus.actors)
        indexes = index_all(corpus.articles)
        listings = list(listing_pages(site, indexes))
        env = make_environment(config.templates)
        workers = config.workers or default_workers()
        total = len(corpus.articles) + len(listings)
        if not force:
            check_counts(config.output, publication.previous, Counts(len(corpus.articles), total))

        with publication.staging(Counts(len(corpus.articles), total)) as stage:

            def write_pages(pages: Iterable[Page], tick: Tick) -> tuple[int, int]:
                files = size = 0
                for page in pages:
                    size += stage.write(page.output, drawn(env, page))
                    files += 1
                    tick()
                return files, size

            def write_articles(share: Sequence[Article], tick: Tick) -> tuple[int, int, list[Problem]]:
                body = BodyRenderer()
                files = size = 0
                problems: list[Problem] = []
                for article in share:
                    try:
                        page = article_page(site, article, body)
                        html = drawn(env, page)
                    except PublishError:
                        raise
                    except Exception as e:  # one article's page must not take the build down
                        problems.append(internal_problem(shown_path(config, article.source), "drawing", e))
                        continue
                    size += stage.write(page.output, html)
                    files += 1
                    tick()
                return files, size, problems + fallback_problems(config, body)

            written = fork_map(write_articles, corpus.articles, workers, lambda n: progress("writing", n, total))
            counts = [(files, size) for files, size, _ in written]
            done = len(corpus.articles)
            counts += fork_map(write_pages, listings, workers, lambda n: progress("writing", done + n, total))
            assets = stage.copy_tree(config.templates / "static", "static")
            stage.write("static/pygments.css", pygments_css())
            aliases = alias_table(corpus.actors, corpus.articles, config.language, site.href("/"))
            shards = [stage.write(path, body) for path, body in aliases.items()]
            shards += [stage.write(path, shard_json(body)) for path, body in actor_shards(site, indexes.actors)]
            if config.search:
                progress("indexing", 0, 0)
                # its scratch copies go beside the output too, where the next build finds them if this one dies
                index_site(stage.root, workers=workers, scratch=publication.scratch_dir,
                           scratch_prefix=publication.output.scratch("index"))  # fmt: skip
                stage.keep_unchanged(BUNDLE)
    return BuildResult(
        articles=len(corpus.articles),
        pages=sum(files for files, _ in counts),
        files=sum(files for files, _ in counts) + assets + len(shards) + 2,  # + pygments.css, marker
        bytes=sum(size for _, size in counts),
        problems=corpus.problems + tuple(p for *_, problems in written for p in problems),
        seconds=time.perf_counter() - started,
        leftovers=len(publication.removed),
    )


def listing_pages(site: Site, indexes: Indexes, scope: Scope = EVERYTHING) -> Iterator[Page]:
    """Every page that is not an article: home, actors, outlets, tags, dates, 404 (those groups in `scope`)."""
    dates = Dates(site, indexes)
    yield from home_pages(site, indexes.ordered, {"on_this_day": dates.on_this_day()})
    yield actor_index_page(site, indexes.actors)
    for actor_id, group in indexes.actors.items():
        if scope.has("actors", actor_id):
            yield from actor_pages(site, site.actors[actor_id], group)
    yield from term_pages(site, "sources", site.t["outlets"], indexes.outlets, outlet_names, scope.outlets)
    yield from term_pages(site, "tags", site.t["tags_title"], indexes.tags, tag_names, scope.tags)
    yield from dates.pages(scope)
    yield search_page(site)
    yield not_found_page(site)
