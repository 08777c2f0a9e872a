"""Actor, outlet and tag pages built from a generated archive whose true counts are known in advance."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from conftest import TODAY, page, write_archive

from generator.build import build
from generator.config import Config
from generator.model import Article, Mention
from generator.pages.actor_pages import first_mention

AUTHORITY = """
[putin]
kind = "person"
names = { ar = "فلاديمير بوتين", en = "Vladimir Putin" }
aliases = { ar = ["بوتين", "بوتن"], en = ["Putin"] }
wikidata = "Q7747"
description = "رئيس روسيا"

[tokayev]
kind = "person"
names = { ar = "قاسم جومارت توكاييف" }
aliases = { ar = ["توكاييف", "توكايف"] }

[kremlin]
kind = "organisation"
names = { ar = "الكرملين" }
"""
# Article n names Putin when n % 2 == 0, Tokayev when n % 3 == 0, the Kremlin when n % 5 == 0.
N = 47
SENTENCES = {2: "وقال الرئيس وبوتين في حديثه.", 3: "واتصل بتوكايف مساء.", 5: "وأعلن للكرملين بيانا."}


def article(n: int) -> str:
    day = dt.date(2021, 1, 1) + dt.timedelta(days=11 * n)
    named = [s for k, s in SENTENCES.items() if n % k == 0]
    outlet = "وكالة" if n % 4 else "منفذ"
    return f"خبر رقم {n}\n\n({outlet} الأنباء - {day.isoformat()}) نص افتتاحي عادي. {' '.join(named)}\n"


def truth(k: int) -> set[int]:
    return {n for n in range(1, N + 1) if n % k == 0}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("actors")
    files = {f"a{n:03d}.txt": article(n) for n in range(1, N + 1)}
    content = write_archive(root / "content", {**files, "actors.toml": AUTHORITY})
    out = root / "site"
    result = build(Config(content=content, output=out, per_page=5, countries=False), today=TODAY)
    assert result.problems == ()
    return out


def listed(site: Path, url: str) -> list[str]:
    """Follow 'next' from `url`; every article href listed, in order."""
    hrefs: list[str] = []
    while url:
        html = page(site, url)
        hrefs += [a["href"] for a in html.select(".article-list a.title")]
        nxt = html.select_one(".pager a[rel=next]")
        url = nxt["href"] if nxt else ""
    return hrefs


@pytest.mark.parametrize(("actor_id", "k"), [("putin", 2), ("tokayev", 3), ("kremlin", 5)])
def test_actor_pages_list_exactly_the_tagged_articles(site: Path, actor_id: str, k: int) -> None:
    hrefs = listed(site, f"/actors/{actor_id}/")
    assert len(hrefs) == len(set(hrefs))  # each exactly once across pages
    assert {int(h.strip("/").rsplit("/a", 1)[1]) for h in hrefs} == truth(k)
    first = page(site, f"/actors/{actor_id}/")
    assert first.select_one(".count").get_text().split("·")[1].split()[0] == str(len(truth(k)))


def test_actor_page_newest_first_with_marked_sentences(site: Path) -> None:
    html = page(site, "/actors/putin/")
    dates = [t["datetime"] for t in html.select(".article-list time")]
    assert dates == sorted(dates, reverse=True)
    marks = html.select(".mention-sentence mark.mention")
    assert marks and all(m["data-actor"] == "putin" and m.get_text() == "بوتين" for m in marks)
    assert html.select_one('a[href="https://www.wikidata.org/wiki/Q7747"]') is not None
    assert "بوتن" in [b.get_text() for b in html.select(".alias")]
    bars = html.select(".timeline .bar")
    assert sum(int(b["data-count"]) for b in bars) == len(truth(2))


def test_co_occurrence_counts(site: Path) -> None:
    html = page(site, "/actors/putin/")
    together = {
        a["href"].strip("/").rsplit("/", 1)[1]: int(a.select_one(".count").get_text())
        for a in html.select(".together a")
    }
    assert together == {"tokayev": len(truth(6)), "kremlin": len(truth(10))}


def test_actor_index_counts(site: Path) -> None:
    html = page(site, "/actors/")
    counts = {li.a["href"].strip("/").rsplit("/", 1)[1]: int(li["data-count"]) for li in html.select(".actor-list li")}
    assert counts == {"putin": len(truth(2)), "tokayev": len(truth(3)), "kremlin": len(truth(5))}


def test_article_pages_link_actors_and_mark_mentions(site: Path) -> None:
    html = page(site, "/articles/a030/")
    assert [a["data-actor"] for a in html.select("nav.actors a")] == ["putin", "tokayev", "kremlin"]
    assert Counter(m["data-actor"] for m in html.select(".body mark.mention")) == {
        "putin": 1,
        "tokayev": 1,
        "kremlin": 1,
    }


def test_outlet_pages(site: Path) -> None:
    html = page(site, "/sources/")
    counts = {a.get_text(): int(a.find_next("span").get_text()) for a in html.select(".actor-list a")}
    assert counts == {"وكالة الأنباء": N - N // 4, "منفذ الأنباء": N // 4}
    assert len(listed(site, "/sources/منفذ-الأنباء/")) == N // 4


def test_first_mention_sentence_does_not_stop_at_initials() -> None:
    from generator.model import Article, Mention
    from generator.pages.actor_pages import first_mention

    body = "Markets fell. The U.S. and Putin met in Geneva. Talks went on."
    start = body.index("Putin")
    article = Article("a", "a.txt", "text", "T", body, mentions=(Mention("putin", 0, start, start + 5),))
    sentence = str(first_mention(article, "putin"))
    assert sentence.startswith(" The U.S. and") and sentence.endswith("Geneva.")
    assert '<mark class="mention" data-actor="putin">Putin</mark>' in sentence


def test_a_markdown_sentence_is_shown_without_its_markup() -> None:
    body = "خلال محادثات في **الكرملين**، قال [بوتين](https://example.org/p) إن `الوضع` مستقر."
    at = body.index("بوتين")
    article = Article(id="x", source="x.md", format="markdown", title="عنوان", body=body,
                      mentions=(Mention("putin", 0, at, at + len("بوتين")),))  # fmt: skip
    shown = str(first_mention(article, "putin"))
    assert "*" not in shown and "`" not in shown and "](" not in shown and "example.org" not in shown
    assert '<mark class="mention" data-actor="putin">بوتين</mark>' in shown
    assert shown.startswith("خلال محادثات في الكرملين، قال ")
