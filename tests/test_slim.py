"""A slim article (what the engine keeps once a page is drawn) shows in every list exactly as the whole one does."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, ROOT, TODAY

from generator.build import read_corpus
from generator.config import Config
from generator.model import Article, Mention
from generator.pages.actor_pages import first_mention
from generator.pages.site import Site, summary_view
from generator.pages.slim import KEEP, slim
from generator.publishing.meta import lead


def lists_show(site: Site, article: Article) -> tuple[object, ...]:
    # A fresh copy each time: the site remembers views per article object.
    actors = sorted({m.actor for m in article.mentions})
    return (summary_view(site, replace(article)), lead(article), *(first_mention(article, a) for a in actors))


def corpus(content: Path) -> tuple[Site, tuple[Article, ...]]:
    config = Config(content=content, output=Path("unused"), search=False, workers=1)
    read = read_corpus(config)
    return Site(config, TODAY, read.actors), read.articles


@pytest.mark.parametrize("content", [ROOT / "content", FIXTURES / "archive"], ids=["sample", "fixtures"])
def test_lists_show_the_same_of_a_slim_article(content: Path) -> None:
    site, articles = corpus(content)
    assert articles
    for article in articles:
        thin = slim(article)
        assert thin.slim and slim(thin) is thin
        assert lists_show(site, thin) == lists_show(site, article), article.source


def long_article() -> Article:
    """Mentions far from either end of long paragraphs, two close together, one in the title, sentence ends
    near every cut."""
    filler = "كلام في السياسة والاقتصاد. " * 120  # 3,000 characters of sentences
    run_on = "كلام بلا نقطة " * 250  # a sentence of 3,500 characters: the list cuts it around the name
    paragraphs = [
        "الرياض (واس) - افتتاح. " + filler,
        "فقرة قصيرة.",
        "فقرة أخرى.",
        filler + "قال بوتين أمس. " + filler + "وزار توكاييف البلاد. " + filler,
        filler,
        run_on + "لبيلاروس " + run_on,
        filler + "بوتين مرة أخرى. " + filler,
    ]
    mentions = []
    for i, text in enumerate(paragraphs):
        for name, actor in (("بوتين", "putin"), ("توكاييف", "tokayev"), ("بيلاروس", "belarus")):
            start = text.find(name)
            while start >= 0:
                mentions.append(Mention(actor, i, start, start + len(name)))
                start = text.find(name, start + 1)
    mentions.append(Mention("putin", -1, 0, 5))
    return Article(
        id="long", source="long.txt", format="text", title="بوتين في الرياض", body="\n\n".join(paragraphs),
        lang="ar", dir="rtl", mentions=tuple(mentions), actors=("belarus", "putin", "tokayev"),
    )  # fmt: skip


def test_a_long_article_keeps_only_windows_around_first_mentions() -> None:
    site, _ = corpus(FIXTURES / "archive")
    article = long_article()
    thin = slim(article)
    assert lists_show(site, thin) == lists_show(site, article)
    assert len(thin.paragraphs) == len(article.paragraphs)  # paragraph numbers hold
    assert len(thin.body) < len(article.paragraphs[0]) + 3 * (2 * KEEP + 20) + 10 < len(article.body) / 3
    assert {m.actor for m in thin.mentions} == {"putin", "tokayev", "belarus"}
    assert len(thin.mentions) == 3  # the first of each actor's; the others only mark the article's own page


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_lists_show_the_same_on_real_articles() -> None:
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    checked = 0
    for folder in folders:
        site, articles = corpus(folder)
        for article in random.Random(7).sample(list(articles), min(300, len(articles))):
            assert lists_show(site, slim(article)) == lists_show(site, article), article.source
            checked += 1
    assert checked > 500


def test_an_opening_of_headings_keeps_the_paragraphs_a_feed_summary_comes_from() -> None:
    site, _ = corpus(FIXTURES / "archive")
    prose = "The talks began on Monday in Geneva and went on late. " * 30
    body = "\n\n".join(["# Talks", "## Day one", "```\ncode\n```", "| a | b |", *[prose] * 12])
    article = Article(id="md", source="md.md", format="markdown", title="Talks", body=body, lang="en")
    thin = slim(article)
    assert lists_show(site, thin) == lists_show(site, article)
    assert lead(thin).startswith("The talks began") and thin.paragraphs[4] == prose
    assert set(thin.paragraphs[8:]) == {"…"}  # tried keeping 1, 2, 4, then 8 whole
