"""A slim article (what the engine keeps once a page is drawn) shows in every list exactly as the whole one does."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, ROOT, TODAY

from generator.build import read_corpus
from generator.config import Config
from generator.model import Article, Mention
from generator.pages.actor_pages import first_mention
from generator.pages.site import Site, summary_view
from generator.pages.slim import slim
from generator.publishing.meta import description, lead


def lists_show(site: Site, article: Article, actors: Iterable[str]) -> tuple[object, ...]:
    # A fresh copy each time: the site remembers views per article object.
    named = [first_mention(article, a) for a in sorted(actors)]
    return (summary_view(site, replace(article)), lead(article), description(article), *named)


def same_in_lists(site: Site, article: Article) -> Article:
    """`slim(article)`, once it is seen to show in every list (for every actor it names or declares, and for
    one it does not) as `article` does."""
    thin = slim(article)
    actors = {m.actor for m in article.mentions} | set(article.actors) | {"nobody"}
    assert lists_show(site, thin, actors) == lists_show(site, article, actors), article.source
    return thin


def corpus(content: Path) -> tuple[Site, tuple[Article, ...]]:
    config = Config(content=content, output=Path("unused"), search=False, workers=1)
    read = read_corpus(config)
    return Site(config, TODAY, read.actors), read.articles


@pytest.mark.parametrize("content", [ROOT / "content", FIXTURES / "archive"], ids=["sample", "fixtures"])
def test_lists_show_the_same_of_a_slim_article(content: Path) -> None:
    site, articles = corpus(content)
    assert articles
    for article in articles:
        thin = same_in_lists(site, article)
        assert thin.slim and slim(thin) is thin and thin.body == "" and not thin.mentions
    # an excerpt that is the lead's first words is not kept twice
    assert any(g is not None and g.excerpt is None for g in (slim(a).gist for a in articles))


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


def test_a_long_article_keeps_only_the_sentences_that_first_name_its_actors() -> None:
    site, _ = corpus(FIXTURES / "archive")
    article = long_article()
    thin = same_in_lists(site, article)
    assert thin.gist is not None and [a for a, _ in thin.gist.sentences] == ["belarus", "putin", "tokayev"]
    kept = sum(map(len, (thin.gist.excerpt or "", thin.gist.lead, *(s for _, s in thin.gist.sentences))))
    assert kept < len(article.paragraphs[0]) + 3 * 600 < len(article.body) / 3  # a list cuts a run-on sentence
    assert all("</mark>" in sentence for _, sentence in thin.gist.sentences)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_lists_show_the_same_on_real_articles() -> None:
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    checked = 0
    for folder in folders:
        site, articles = corpus(folder)
        for article in random.Random(7).sample(list(articles), min(300, len(articles))):
            same_in_lists(site, article)
            checked += 1
    assert checked > 500


def test_an_opening_of_headings_keeps_the_paragraphs_a_feed_summary_comes_from() -> None:
    site, _ = corpus(FIXTURES / "archive")
    prose = "The talks began on Monday in Geneva and went on late. " * 30
    body = "\n\n".join(["# Talks", "## Day one", "```\ncode\n```", "| a | b |", *[prose] * 12])
    article = Article(id="md", source="md.md", format="markdown", title="Talks", body=body, lang="en")
    thin = same_in_lists(site, article)
    assert lead(thin).startswith("The talks began") and not thin.paragraphs


def test_an_article_naming_thousands_of_actors_in_one_run_on_paragraph_keeps_each_sentence() -> None:
    # Each actor's first mention is found in one pass, and a sentence's ends only as far as its window reaches:
    # made for every actor from the paragraph's start, this took 80 s at 20,000 actors.
    words = [f"اسم{i}" for i in range(5000)]
    body, mentions, at = " ".join(words) + ". وخاتمة", [], 0
    for i, word in enumerate(words):
        mentions.append(Mention(f"actor{i}", 0, at, at + len(word)))
        at += len(word) + 1
    article = Article(id="many", source="many.txt", format="text", title="عنوان", body=body, lang="ar",
                      dir="rtl", mentions=tuple(mentions))  # fmt: skip
    thin = slim(article)
    assert thin.gist is not None and len(thin.gist.sentences) == 5000
    for i in (0, 1, 80, 2500, 4998, 4999):  # either end of the paragraph, and its middle
        assert first_mention(thin, f"actor{i}") == first_mention(article, f"actor{i}")
