"""`build(config) -> BuildResult`: gather everything, then write. Reads like the recipe it is."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from generator.config import Config
from generator.diagnostics import Problem
from generator.discover import discover
from generator.language import LanguageGuesser
from generator.model import Article
from generator.pages import Site, all_pages
from generator.readers import read_article
from generator.render import make_environment, pygments_css, render_page
from generator.understand import understand
from generator.write import check_output, staging

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _silent(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
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


def read_corpus(config: Config, progress: Progress = _silent) -> Corpus:
    """Discover, read and understand every article; problems are collected, never raised."""
    sources, problems = discover(config.content)
    guesser = LanguageGuesser()
    articles: list[Article] = []
    shown: dict[str, str] = {}
    for n, src in enumerate(sources, 1):
        article, trouble = read_article(src, config.max_file_bytes)
        problems += trouble
        if article is not None:
            article, trouble = understand(article, src.shown, guesser)
            problems += trouble
            articles.append(article)
            shown[article.source] = src.shown
        progress("reading", n, len(sources))
    articles, trouble = unique_ids(articles, shown)
    return Corpus(tuple(articles), tuple(problems + trouble), len(sources))


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
    env = make_environment(config.templates)
    site = Site(config, today or dt.date.today())
    pages = 0
    with staging(config.output) as stage:
        for page in all_pages(site, corpus.articles):
            stage.write(page.output, render_page(env, page))
            pages += 1
            progress("writing", pages, 0)
        stage.copy_tree(config.templates / "static", "static")
        stage.write("static/pygments.css", pygments_css())
    return BuildResult(
        articles=len(corpus.articles),
        pages=pages,
        files=stage.files,
        bytes=stage.bytes,
        problems=corpus.problems,
        seconds=time.perf_counter() - started,
    )
