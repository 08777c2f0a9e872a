"""An article as the list pages read it, without its text: what the engine keeps once its page is drawn.

A list shows an article's title, date and excerpt, a feed its opening prose, and an actor's list the sentence
that first names the actor (`actor_pages.first_mention`). Once the article's own page is drawn, the engine keeps
of the body only those texts, made there once (`Gist`), not the paragraphs they come from: an archive's bodies
are most of its memory and of its build state, forked workers copy what they touch of it, and the list pages
of a big archive, drawn in many processes, would each make them again. Of the dateline it keeps the text.
The article's own page is drawn from the file again when it has to be (see engine).
"""

from __future__ import annotations

from dataclasses import replace

from generator.model import Article, Dateline, Gist, Mention
from generator.pages.actor_pages import naming_sentence
from generator.pages.site import first_words, list_excerpt, mention_order
from generator.publishing.meta import lead


def slim(article: Article) -> Article:
    """`article` with no body, and the texts its list entries read of it in its gist."""
    if article.slim:
        return article
    first: dict[str, Mention] = {}  # each actor's, in one pass: an article may name thousands of actors
    for m in sorted(article.mentions, key=mention_order):
        first.setdefault(m.actor, m)
    paragraphs = article.paragraphs
    said = tuple((actor, str(naming_sentence(article, m, paragraphs))) for actor, m in sorted(first.items()))
    opening, excerpt = lead(article), list_excerpt(article)
    gist = Gist(None if excerpt == first_words(opening) else excerpt, opening, said)
    line = Dateline(text=article.dateline.text)
    return replace(article, body="", mentions=(), dateline=line, slim=True, gist=gist)
