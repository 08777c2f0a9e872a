"""Search on the sample site: the real Pagefind index, queried by our search page in headless Chromium."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ARTIFACTS, CHROMIUM, ROOT, TODAY, served
from test_browser import SEED

from generator.build import build, read_corpus
from generator.config import Config
from generator.pages.archive import index_all
from generator.pages.site import Site
from generator.search.pagefind import SHARDS, actor_shards, shard_json

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]
CAMP_DAVID = "ar-2015-05-camp-david-gulf-summit"  # says وإيران, never إيران or ايران


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "site"
    build(Config(content=ROOT / "content", output=out), today=TODAY)
    return out


@pytest.fixture(scope="module")
def base_url(built: Path) -> Iterator[str]:
    with served(built) as url:
        yield url


@pytest.fixture(scope="module")
def fine_url(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same site with Kazakhstan's shard cut into pages of one article, so listing it takes many pages."""
    out = tmp_path_factory.mktemp("fine") / "site"
    shutil.copytree(built, out)
    config = Config(content=ROOT / "content", output=out)
    corpus = read_corpus(config)
    shutil.rmtree(out / SHARDS / "country-kz")
    for shard in actor_shards(Site(config, TODAY, corpus.actors), index_all(corpus.articles).actors, per=1):
        if shard.output.startswith(f"{SHARDS}/country-kz/"):
            (out / shard.output).parent.mkdir(parents=True, exist_ok=True)
            (out / shard.output).write_text(shard_json(shard.context), "utf-8")
    with served(out) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser):  # type: ignore[no-untyped-def]
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


def search(page, base_url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/search/?q={quote(query)}")
    page.wait_for_selector("#search[data-ready]", timeout=15000)
    return hrefs(page)


def hrefs(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        h.strip("/").rsplit("/", 1)[-1]
        for h in page.locator("#results a.title").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    ]


@pytest.mark.parametrize("query", ["بوتن", "بوتين", "وبوتين", "توكايف", "توكاييف"])
def test_every_spelling_finds_the_seed(page, base_url: str, query: str) -> None:  # type: ignore[no-untyped-def]
    assert SEED in search(page, base_url, query)


def test_actor_chip_for_a_spelling_variant(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    search(page, base_url, "بوتن")
    chip = page.locator("#chips a.actor-chip")
    assert chip.count() == 1 and chip.get_attribute("data-actor") == "putin"
    assert chip.get_attribute("href").endswith("/actors/putin/")


def test_an_actors_articles_show_the_sentence_that_names_it(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    search(page, base_url, "بوتن")
    seed = page.locator("#results li", has=page.locator(f'a.title[href$="/{SEED}/"]'))
    marked = seed.locator(".excerpt mark").all_inner_texts()
    assert marked and all("بوت" in m for m in marked)


def test_latin_query_finds_arabic_articles(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    found = search(page, base_url, "Putin")
    arabic = [h for h in found if h.startswith(("ar-", "000_"))]
    assert SEED in arabic and len(arabic) >= 3


def test_bare_spelling_finds_the_glued_one(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    assert CAMP_DAVID in search(page, base_url, "ايران")


def test_excerpts_are_spelled_as_the_articles_are(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """Pagefind indexed unmarked copies (no hamza), yet its excerpts show the articles' own spelling."""
    assert search(page, base_url, "الامن")  # no actor: every result is a Pagefind hit with its excerpt
    assert not page.locator("#chips a").count()
    marked = page.locator("#results .excerpt mark").all_inner_texts()
    assert marked and all("الأمن" in m or "أمن" in m for m in marked), marked


def test_facet_narrows_counts_update_and_url_round_trips(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    before = search(page, base_url, "كازاخستان")
    page.wait_for_selector('.facet[data-facet="actor"] label')
    if page.locator('.facet[data-facet="actor"] .facet-more[aria-expanded="false"]').count():
        page.locator('.facet[data-facet="actor"] .facet-more').click()  # a long facet shows its first 10 values
    facet = page.locator('.facet[data-facet="actor"] label', has_text="فلاديمير بوتين")
    count = int(facet.locator(".count").inner_text())
    facet.locator("input").check()
    page.wait_for_function("document.location.search.includes('actor=')")
    page.wait_for_function(f"document.querySelectorAll('#results a.title').length === {count}")
    after = hrefs(page)
    assert len(after) == count < len(before) and set(after) <= set(before)
    shared = page.url
    assert "actor=" in shared
    page.goto(shared)  # a shared link shows the same results
    page.wait_for_selector("#search[data-ready]")
    assert sorted(hrefs(page)) == sorted(after)
    assert page.locator('.facet[data-facet="actor"] input:checked').count() == 1
    page.go_back()
    page.wait_for_function("!document.location.search.includes('actor=')")


def test_no_hits_explains_what_to_try(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    assert search(page, base_url, "زبرجدستانيات") == []
    assert page.locator("#no-results").is_visible()


def test_screenshot_of_an_arabic_search_with_facets(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    search(page, base_url, "بوتن")
    assert page.evaluate("getComputedStyle(document.querySelector('#search')).direction") == "rtl"
    assert page.locator(".facet").count() >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-putin.png"), full_page=True)


def cold(browser, base_url: str, query: str):  # type: ignore[no-untyped-def]
    """A search in a new browser context (nothing cached): the tab, and the site paths it fetched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    seen: list[str] = []
    tab.on("request", lambda r: seen.append(r.url.removeprefix(base_url)))
    search(tab, base_url, query)
    return tab, seen


def test_an_actor_comes_from_its_shard_not_a_full_index_load(browser, base_url: str, built: Path) -> None:  # type: ignore[no-untyped-def]
    tab, seen = cold(browser, base_url, "Putin")
    arabic = [h for h in hrefs(tab) if h.startswith(("ar-", "000_"))]
    assert SEED in arabic and len(arabic) >= 3
    assert f"/{SHARDS}/putin/1.json" in seen
    chunks = [u for u in seen if "/pagefind/index/" in u]
    everything = len(list((built / "pagefind" / "index").iterdir()))
    # One chunk per word looked up, in the English index only (a Latin query); a filter-only search for the
    # actor would have loaded every chunk of every index.
    assert 1 <= len(chunks) < everything and all("/index/en-" in u for u in chunks), (chunks, everything)
    assert not [u for u in seen if "pagefind.ar-" in u or "wasm.ar." in u]
    tab.context.close()


def test_an_arabic_query_loads_the_arabic_index_first_and_filters_after(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab, seen = cold(browser, base_url, "ايران")
    assert CAMP_DAVID in hrefs(tab)
    assert [u for u in seen if "pagefind.ar-" in u] and not [u for u in seen if "pagefind.en-" in u]
    assert tab.locator(".facet").count() >= 2  # the sidebar came once the filter files were in
    tab.context.close()


def test_more_loads_further_shard_pages(browser, fine_url: str) -> None:  # type: ignore[no-untyped-def]
    tab, seen = cold(browser, fine_url, "كازاخستان")
    shard = [u for u in seen if "/country-kz/" in u]
    assert 1 < len(shard) < 11  # a few pages, not all eleven
    before = tab.locator("#results a.title").count()
    assert tab.locator("#status").inner_text().startswith(str(before - len(shard) + 11))
    tab.locator("#results button.more").click()
    tab.wait_for_function(f"document.querySelectorAll('#results a.title').length > {before}")
    assert len([u for u in seen if "/country-kz/" in u]) > len(shard)
    listed = hrefs(tab)
    assert len(listed) == len(set(listed))
    tab.context.close()


def arabic_words(limit: int) -> list[str]:
    """The commonest Arabic words of the sample articles, as a reader would type them."""
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "content").glob("*.txt")):
        counts.update(re.findall(r"[\u0621-\u064a]{3,}", path.read_text("utf-8")))
    return [w for w, _ in counts.most_common(limit)]


def test_the_one_chunk_spelling_finds_exactly_what_the_word_finds(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """`pagefindTerm` changes what Pagefind downloads, not what it finds: a rewritten word finds every page the
    word finds in the real index (more only where its ending sorts into the next chunk; see query.js)."""
    tab = browser.new_page()
    tab.goto(f"{base_url}/404.html")
    words = arabic_words(200)
    compared = tab.evaluate(
        """async (words) => {
            document.documentElement.lang = "ar";
            const pagefind = await import("/pagefind/pagefind.js");
            const { pagefindTerm } = await import("/static/query.js");
            await pagefind.init();
            const ids = async (q) => (await pagefind.search(q)).results.map((r) => r.id);
            const out = [];
            for (const word of words) {
                const term = pagefindTerm(word);
                out.push([word, term, await ids(word), await ids(term)]);
            }
            return out;
        }""",
        words,
    )
    tab.close()
    rewritten = [(w, t) for w, t, _, _ in compared if t != w]
    assert len(rewritten) > len(words) // 4, rewritten  # many words change, or the test would prove nothing
    assert {("النفط", "نفط"), ("الرئيس", "رييس")} <= set(rewritten)  # as Pagefind stems them, unmarked
    lost = [(w, t, len(a), len(b)) for w, t, a, b in compared if not set(a) <= set(b)]
    assert not lost, lost
    assert sum(1 for _, _, a, _ in compared if a) > len(words) // 2  # the words are in the index


def listed_in_full(tab) -> list[str]:  # type: ignore[no-untyped-def]
    """Every result, "more" pressed until it is gone."""
    while tab.locator("#results button.more").count():
        before = tab.locator("#results a.title").count()
        tab.locator("#results button.more").click()
        tab.wait_for_function(f"document.querySelectorAll('#results a.title').length > {before}")
    return hrefs(tab)


def test_sort_by_date_lists_the_same_results_newest_first(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab, seen = cold(browser, base_url, "في")
    relevance = sorted(listed_in_full(tab))
    assert not [u for u in seen if "/arshif-dates/" in u]  # a relevance search never fetches the date tables
    tab.goto(f"{base_url}/search/?q={quote('في')}&sort=date")
    tab.wait_for_selector("#search[data-ready]")
    assert sorted(listed_in_full(tab)) == relevance and len(relevance) >= 10
    dates = tab.locator("#results li").evaluate_all("li => li.map(x => x.querySelector('time')?.dateTime || '')")
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and len(set(dated)) >= 5
    assert dates[: len(dated)] == dated  # undated articles come last
    assert [u for u in seen if "/pagefind/arshif-dates/years.json" in u]
    tab.context.close()


def test_the_language_facet_counts_and_narrows_without_a_filter_file(browser, base_url: str, built: Path) -> None:  # type: ignore[no-untyped-def]
    # A facet-only browse searches both indexes: Arabic (the primary) and English (merged).
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{base_url}/search/?year=2015")
    tab.wait_for_selector("#search[data-ready]")
    facet = tab.locator('.facet[data-facet="language"]')
    tab.wait_for_function("document.querySelectorAll('.facet[data-facet=language] label').length >= 2")
    counts = {
        label.locator("input").get_attribute("value"): int(label.locator(".count").inner_text())
        for label in facet.locator("label").all()
    }
    listed = listed_in_full(tab)
    assert counts["en"] == sum(1 for h in listed if h.startswith("en-")) >= 1
    assert counts["ar"] == sum(1 for h in listed if not h.startswith("en-")) >= 3
    facet.locator("label", has_text="en").locator("input").check()
    tab.wait_for_function("document.location.search.includes('language=en')")
    tab.wait_for_function(f"document.querySelectorAll('#results a.title').length === {counts['en']}")
    assert all(h.startswith("en-") for h in hrefs(tab))
    context.close()
    # The language facet is each index's own (Pagefind's mergeFilter): no page lists a language filter.
    page = (built / "articles" / SEED / "index.html").read_text("utf-8")
    assert 'data-pagefind-filter="language' not in page and 'data-pagefind-filter="year' in page


def test_typing_suggests_actors_from_the_letters_alias_file(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab, seen = cold(browser, base_url, "")
    for typed, expected in [("بوت", "فلاديمير بوتين"), ("Put", "فلاديمير بوتين"), ("كازاخ", "كازاخستان")]:
        tab.locator("#q").fill(typed)
        tab.wait_for_function(
            "(name) => [...document.querySelectorAll('#actor-suggestions option')].some((o) => o.value === name)",
            arg=expected,
        )
    # Only the letters typed were fetched, not every alias.
    fetched = sorted(u.rsplit("/", 1)[1] for u in seen if "/data/search/aliases/" in u)
    assert fetched == sorted({f"{ord(c):x}.json" for c in "بpك"}), fetched
    tab.context.close()


def tab_to(tab, script: str, limit: int = 300) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until `script` (about document.activeElement) holds: the keyboard alone, as a reader would."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(script):
            return
    raise AssertionError(f"Tab never reached {script}")


def test_ticking_a_facet_with_the_keyboard_keeps_the_focus_on_it(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    tab, _ = cold(browser, base_url, "كازاخستان")
    tab.wait_for_selector('.facet[data-facet="language"] input')
    tab.locator("#q").focus()
    tab_to(tab, "document.activeElement.closest('.facet[data-facet=language]') !== null")
    value = tab.evaluate("document.activeElement.value")
    tab.keyboard.press("Space")
    tab.wait_for_function(f"document.location.search.includes('language={value}')")
    tab.wait_for_function("document.querySelector('.facet[data-facet=language] input:checked') !== null")
    # Drawn again, and the focus is on the same box, ticked, not lost to <body>.
    assert tab.evaluate("document.activeElement.type === 'checkbox' && document.activeElement.checked")
    assert tab.evaluate("document.activeElement.value") == value
    # The facet names the language in its own words, not its code.
    names = tab.locator('.facet[data-facet="language"] bdi').all_inner_texts()
    assert set(names) <= {"العربية", "English"} and names
    tab.context.close()


def test_more_with_the_keyboard_says_what_it_does_and_keeps_the_place(browser, fine_url: str) -> None:  # type: ignore[no-untyped-def]
    tab, _ = cold(browser, fine_url, "كازاخستان")
    before = tab.locator("#results a.title").count()
    label = tab.locator("#results button.more").inner_text()
    assert str(before) in label and label != "…"
    tab.locator("#q").focus()
    tab_to(tab, "document.activeElement.matches('#results button.more')")
    tab.keyboard.press("Enter")
    tab.wait_for_function(f"document.querySelectorAll('#results a.title').length > {before}")
    # The focus goes to the first new result, and the URL keeps how many are shown.
    assert tab.evaluate(f"document.activeElement === document.querySelectorAll('#results a.title')[{before}]")
    assert "n=" in tab.url
    shown = tab.locator("#results a.title").count()
    tab.goto(tab.url)
    tab.wait_for_selector("#search[data-ready]")
    assert tab.locator("#results a.title").count() >= shown
    tab.context.close()


@pytest.mark.parametrize(
    ("typed", "meant"), [("كازخستان", "كازاخستان"), ("Kazakstan", "كازاخستان"), ("بوتيين", "فلاديمير بوتين")]
)
def test_a_name_a_letter_off_gets_a_did_you_mean(page, base_url: str, typed: str, meant: str) -> None:  # type: ignore[no-untyped-def]
    search(page, base_url, typed)
    assert page.locator("#did-you-mean").is_visible()
    link = page.locator("#suggestions a", has_text=meant)
    assert link.count() == 1
    link.click()
    page.wait_for_selector("#search[data-ready]")
    assert page.locator("#chips .actor-chip").count() >= 1


def test_empty_search_invites_browsing_and_warns_of_nothing(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    warnings: list[str] = []
    tab.on("console", lambda m: warnings.append(m.text) if m.type in ("warning", "error") else None)
    seen: list[str] = []
    tab.on("request", lambda r: seen.append(r.url))
    search(tab, base_url, "")
    assert tab.locator("#browse").is_visible()
    assert tab.locator("#browse-actors a").count() >= 5 and tab.locator("#browse-languages a").count() == 2
    tab.wait_for_function("document.querySelectorAll('#browse-recent a.title').length === 5")
    # One search landmark, labelled; the query box takes the direction of what is typed.
    assert tab.locator("[role=search]").count() == 1 and tab.locator("[role=search]").get_attribute("aria-label")
    assert tab.locator("#q").get_attribute("dir") == "auto"
    for query in ['"بوتين"', "<b>"]:
        tab.locator("#q").fill(query)
        tab.locator("#q").press("Enter")
        tab.wait_for_timeout(300)
    assert not [u for u in seen if "/aliases/" in u and (u.endswith("/22.json") or u.endswith("/3c.json"))]
    assert not [w for w in warnings if "noWorker" in w or "Unknown" in w], warnings
    # On a phone the results come first: the facets wait behind a button.
    search(tab, base_url, "كازاخستان")
    toggle = tab.locator("#facets-toggle")
    assert toggle.is_visible() and not tab.locator("#facets").is_visible()
    toggle.press("Enter")
    assert tab.locator("#facets").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    context.close()
