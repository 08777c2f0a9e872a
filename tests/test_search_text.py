"""Pagefind indexes unmarked copies of the pages; its fragments get the published spelling back."""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from generator.search.pagefind import BUNDLE, FRAGMENT_SIGNATURE
from generator.search.shards import plan_shards, read_pages, run_pagefind
from generator.search.text import index_copy, page_words, respelled, unmarked

PAGE = """<html lang="ar"><head><meta data-pagefind-meta="title[content]" content="أوباما يستقبل">
<title>أوباما</title></head><body><nav>الأخبار</nav>
<article data-pagefind-body><h1>أوباما يستقبلُ قادة الخليج</h1>
<p class="byline" data-pagefind-ignore><time>14 أيار 2015</time></p>
<p>قال إنّ <a href="/actors/iran/">إيران</a> و<span class="actor">الإمارات</span> &amp; غيرهما.</p></article>
</body></html>"""


def fragments(bundle: Path) -> dict[str, dict]:
    out = {}
    for path in (bundle / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        out[fragment["url"]] = fragment
    return out


def test_the_index_copy_unmarks_only_what_pagefind_indexes() -> None:
    copy = index_copy(PAGE)
    assert copy is not None
    head, body = copy.split("<article", 1)
    assert head == PAGE.split("<article", 1)[0]  # the title meta and the chrome keep their hamza
    assert "اوباما يستقبل قادة الخليج" in body and "ايران" in body
    assert unmarked(body) == body  # no combining mark is left for Pagefind to keep as a variant
    assert index_copy("<html><body><p>أوباما</p></body></html>") is None  # nothing indexed, nothing copied


def test_page_words_are_what_pagefind_reads() -> None:
    # Inline tags sit inside a word (و<span>الإمارات</span> is one word), blocks end one, ignored parts are out.
    assert page_words(PAGE) == ["أوباما", "يستقبلُ", "قادة", "الخليج", "قال", "إنّ", "إيران", "والإمارات", "&", "غيرهما."]


def test_respelled_gives_back_marks_and_keeps_pagefinds_full_stops() -> None:
    published = page_words(PAGE)
    content = "اوباما يستقبل قادة الخليج. قال ان ايران والامارات & غيرهما."
    assert respelled(content, published) == "أوباما يستقبلُ قادة الخليج. قال إنّ إيران والإمارات & غيرهما."
    # A word Pagefind has and the page does not stays as it is; the rest still align.
    assert respelled("مقدمة " + content, published).startswith("مقدمة أوباما يستقبلُ")


def test_fragments_read_as_pagefind_reads_the_published_pages(fixture_site: Path, tmp_path: Path) -> None:
    """The excerpt text is what Pagefind would take from the published pages; the index has no variants."""

    async def index_published() -> None:
        async with PagefindIndex(IndexConfig(output_path=str(tmp_path / "ref"))) as index:
            await index.add_directory(str(fixture_site))

    # A thread of its own: the session's browser fixture may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, index_published()).result()
    ours, reference = fragments(fixture_site / BUNDLE), fragments(tmp_path / "ref")
    assert ours.keys() == reference.keys() and len(ours) > 5
    for url, fragment in ours.items():
        assert fragment["content"] == " ".join(reference[url]["content"].split()), url
        assert fragment["meta"] == reference[url]["meta"] and fragment["filters"] == reference[url]["filters"]
    marked = [url for url, f in ours.items() if unmarked(f["content"]) != f["content"]]
    assert marked  # the fixture has hamza, so the comparison above covered respelled words

    def size(bundle: Path) -> int:
        return sum(p.stat().st_size for p in (bundle / "index").iterdir())

    # The published pages indexed in the same shards as ours, for a like-for-like size.
    pages = [p.relative_to(fixture_site).as_posix() for p in sorted(fixture_site.rglob("*.html"))]
    for n, shard in enumerate(plan_shards(read_pages(fixture_site, pages, lambda: None)[0])):
        site = tmp_path / f"published-{n}"
        for page in shard.pages:
            (site / page.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fixture_site / page.path, site / page.path)
        run_pagefind(site, tmp_path / "sharded", shard.language)
    assert size(fixture_site / BUNDLE) < size(tmp_path / "sharded")  # hamza spellings no longer kept as variants


def test_a_result_excerpt_opens_with_the_news_not_the_dateline(tmp_path: Path) -> None:
    import datetime as dt

    from generator.build import build
    from generator.config import Config

    root = Path(__file__).resolve().parents[1]
    site = tmp_path / "site"
    build(Config(content=root / "content", output=site, search=True), today=dt.date(2026, 1, 8))
    contents = {}
    for path in (site / BUNDLE / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        contents[fragment["url"]] = fragment["content"]
    riyadh = contents["/articles/ar-2015-07-riyadh-oil-market/"]
    assert "الرياض 15/10/1436 واس" not in riyadh and "أكد مصدر مسؤول" in riyadh
    # the dateline is still on the page, in the text and in the facts
    page = (site / "articles" / "ar-2015-07-riyadh-oil-market" / "index.html").read_text("utf-8")
    assert page.count("الرياض 15/10/1436 واس") >= 2
