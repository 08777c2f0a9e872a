"""`build(config) -> BuildResult`: gather everything, then write. Reads like the recipe it is."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from generator.actor_pages import actor_index_page, actor_pages, term_pages
from generator.actors import builtin_countries, combine, load_authority
from generator.archive import by_actor, by_outlet, by_tag, index_by
from generator.calendar_pages import date_pages, on_this_day
from generator.config import Config
from generator.diagnostics import Problem, display_path
from generator.discover import discover
from generator.language import LanguageGuesser
from generator.model import Actor, Article, Page, SourceFile
from generator.pages import Site, article_page, home_pages, not_found_page, search_page
from generator.parallel import Tick, default_workers, fork_map
from generator.readers import read_article
from generator.render import BodyRenderer, make_environment, pygments_css, render_page
from generator.search import actor_shards, alias_table, index_site
from generator.tagging import Matcher, tag
from generator.understand import understand
from generator.write import check_output, staging

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


def load_cast(config: Config) -> tuple[dict[str, Actor], Matcher, list[Problem]]:
    """The actors that can be tagged: built-in countries (unless switched off) and the authority file."""
    authority, problems = ([], []) if not config.actors.exists() else load_authority(config.actors)
    actors = combine(builtin_countries() if config.countries else [], authority)
    matcher = Matcher(actors)
    shown = display_path(config.actors)
    for trouble in matcher.problems:
        line = actors[trouble.actor].line
        if line or trouble.actor in {a.id for a in authority}:
            problems.append(Problem(shown, line, trouble.message, "warning"))
    return actors, matcher, problems


def read_corpus(config: Config, progress: Progress = _silent) -> Corpus:
    """Discover, read, understand and tag every article; problems are collected, never raised."""
    sources, problems = discover(config.content)
    actors, matcher, trouble = load_cast(config)
    problems += trouble

    def read_share(share: Sequence[SourceFile], tick: Tick) -> tuple[list[Article], list[Problem]]:
        guesser = LanguageGuesser()
        articles: list[Article] = []
        trouble: list[Problem] = []
        for src in share:
            article, found = read_article(src, config.max_file_bytes)
            trouble += found
            if article is not None:
                article, found = understand(article, src.shown, guesser)
                trouble += found
                articles.append(tag(article, matcher, actors))
            tick()
        return articles, trouble

    articles: list[Article] = []
    workers = config.workers or default_workers()
    for share_articles, share_problems in fork_map(
        read_share, sources, workers, lambda n: progress("reading", n, len(sources))
    ):
        articles += share_articles
        problems += share_problems
    shown = {src.rel: src.shown for src in sources}
    articles, trouble = unique_ids(articles, shown)
    return Corpus(tuple(articles), MappingProxyType(actors), tuple(problems + trouble), len(sources))


def unique_ids(articles: Sequence[Article], shown: dict[str, str]) -> tuple[list[Article], list[Problem]]:
    """Two files with one id: the first by path keeps it, the next get -2, -3 ... (stable across builds)."""
    taken: dict[str, str] = {}
    result: list[Article] = []
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.source):
        new_id, n = article.id, 1
        while new_id in taken:
            n += 1
            new_id = f"{article.id}-{n}"
        if new_id != article.id:
            problems.append(
                Problem(
                    shown[article.source],
                    0,
                    f"id '{article.id}' is already used by {taken[article.id]}; published as '{new_id}'",
                )
            )
            article = replace(article, id=new_id)
        taken[new_id] = article.source
        result.append(article)
    return result, problems


def build(config: Config, progress: Progress = _silent, today: dt.date | None = None) -> BuildResult:
    started = time.perf_counter()
    check_output(config.output, protected=[config.content, config.templates])
    corpus = read_corpus(config, progress)
    site = Site(config, today or dt.date.today(), corpus.actors)
    listings = list(listing_pages(site, corpus.articles))
    env = make_environment(config.templates)
    workers = config.workers or default_workers()
    total = len(corpus.articles) + len(listings)

    with staging(config.output) as stage:

        def write_pages(pages: Iterable[Page], tick: Tick) -> tuple[int, int]:
            files = size = 0
            for page in pages:
                size += stage.write(page.output, render_page(env, page))
                files += 1
                tick()
            return files, size

        def write_articles(share: Sequence[Article], tick: Tick) -> tuple[int, int]:
            body = BodyRenderer()
            return write_pages((article_page(site, article, body) for article in share), tick)

        counts = fork_map(write_articles, corpus.articles, workers, lambda n: progress("writing", n, total))
        done = len(corpus.articles)
        counts += fork_map(write_pages, listings, workers, lambda n: progress("writing", done + n, total))
        assets = stage.copy_tree(config.templates / "static", "static")
        stage.write("static/pygments.css", pygments_css())
        stage.write(
            "data/search-actors.json", alias_table(corpus.actors, corpus.articles, config.language, site.href("/"))
        )
        shards = [stage.write(path, text) for path, text in actor_shards(site, corpus.articles)]
        if config.search:
            progress("indexing", 0, 0)
            index_site(stage.root)
    return BuildResult(
        articles=len(corpus.articles),
        pages=sum(files for files, _ in counts),
        files=sum(files for files, _ in counts) + assets + len(shards) + 3,  # + pygments.css, alias table, marker
        bytes=sum(size for _, size in counts),
        problems=corpus.problems,
        seconds=time.perf_counter() - started,
    )


def listing_pages(site: Site, articles: Sequence[Article]) -> Iterator[Page]:
    """Every page that is not an article: home, actors, outlets, tags, dates, 404."""
    actors = index_by(articles, by_actor)
    yield from home_pages(site, articles, {"on_this_day": on_this_day(site, articles)})
    yield actor_index_page(site, actors)
    for actor_id, group in actors.items():
        yield from actor_pages(site, site.actors[actor_id], group)
    yield from term_pages(site, "sources", site.t["outlets"], index_by(articles, by_outlet))
    yield from term_pages(site, "tags", site.t["tags_title"], index_by(articles, by_tag))
    yield from date_pages(site, articles)
    yield search_page(site)
    yield not_found_page(site)
