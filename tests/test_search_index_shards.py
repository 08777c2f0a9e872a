"""The sharded search index: the sample site indexed in small shards (a page budget of 3) answers as one index
does, a year range loads only its shards, and an unchanged shard is linked from the previous bundle."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import cbor2
import pytest
from conftest import CHROMIUM, ROOT, TODAY, search_documents, served

from generator.build import build
from generator.config import Config, ConfigError, load_config
from generator.search.pagefind import BUNDLE, DATES, FRAGMENT_SIGNATURE, _index, date_tables, index_site
from generator.search.shards import MANIFEST, IndexPage, plan_shards, read_pages, save_stamps, write_copies

BUDGET = 3  # the sample's 26 article pages come to a dozen shards
QUERIES = ["بوتين", "كازاخستان", "الامن", "ايران", "Putin", "OPEC", "النفط"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sharded") / "site"
    build(Config(content=ROOT / "content", output=out), today=TODAY)
    return out


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built with its bundle in shards of at most BUDGET pages, as `arshif.toml` asks."""
    (work := tmp_path_factory.mktemp("sharded-build")).joinpath("arshif.toml").write_text(
        f"content = '{ROOT / 'content'}'\noutput = 'site'\nsearch_shard_pages = {BUDGET}\n", "utf-8"
    )
    build(load_config(work / "arshif.toml"), today=TODAY)
    return work / "site"


def test_a_shard_must_hold_a_page(tmp_path: Path) -> None:
    (tmp_path / "arshif.toml").write_text("search_shard_pages = 0\n", "utf-8")
    with pytest.raises(ConfigError, match="'search_shard_pages' must be at least 1"):
        load_config(tmp_path / "arshif.toml")


@pytest.fixture(scope="module")
def single(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same pages with one Pagefind run over all of them (the index copies), as before shards."""
    out = tmp_path_factory.mktemp("single") / "site"
    shutil.copytree(sample, out, ignore=shutil.ignore_patterns(BUNDLE))
    copies = out.parent / "copies"
    indexed, _ = read_pages(out, [p.relative_to(out).as_posix() for p in out.rglob("*.html")], lambda: None)
    write_copies(out, copies, [p.path for p in indexed], lambda: None)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the browser fixture may run an event loop in this thread
        pool.submit(_index, copies, out / BUNDLE).result()
    found = [
        (p.stem, json.loads(gzip.decompress(p.read_bytes()).removeprefix(FRAGMENT_SIGNATURE)))
        for p in (out / BUNDLE / "fragment").iterdir()
    ]
    for name, body in date_tables(found).items():  # for sorting by date, as index_site writes them
        (out / BUNDLE / DATES).mkdir(exist_ok=True)
        (out / BUNDLE / DATES / name).write_text(body, "utf-8")
    return out


def languages(bundle: Path) -> dict[str, dict[str, object]]:
    return json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]


def years(language: str) -> tuple[int, int] | None:
    """The years a shard spans, as search.js `shardOf` reads them from its name (None: undated)."""
    tag = language.rsplit("-", 1)[1].split("p")[0]
    if tag.startswith("u"):
        return None
    first, count = tag.split("y")
    return int(first), int(first) + int(count) - 1


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_shards_are_bounded_and_share_one_wasm_per_language(sharded: Path) -> None:
    rows = languages(sharded / BUNDLE)
    assert len(rows) > 6 and all(int(r["page_count"]) <= BUDGET for r in rows.values())
    assert {r["wasm"] for r in rows.values()} == {"ar", "en"}
    wasm = sorted(p.name for p in (sharded / BUNDLE).glob("wasm.*"))
    assert wasm == ["wasm.ar.pagefind", "wasm.en.pagefind", "wasm.unknown.pagefind"]
    assert sum(int(r["page_count"]) for r in rows.values()) == len(list((sharded / "articles").iterdir()))
    assert any(years(name) is None for name in rows)  # the undated pages have shards of their own


def page(path: str, day: str = "") -> IndexPage:
    return IndexPage(path, "ar", day, path)


def test_adding_a_page_moves_no_other_page_unless_its_shard_splits() -> None:
    pages = [page(f"articles/a{n}/index.html", f"20{10 + n % 9}-0{1 + n % 9}-1{n % 10}") for n in range(60)]
    pages += [page(f"articles/u{n}/index.html") for n in range(5)]
    before = {p.path: s.language for s in plan_shards(pages, 8) for p in s.pages}
    for n in range(20):
        extra = page(f"articles/new{n}/index.html", f"20{10 + n % 9}-0{1 + n % 7}-2{n % 9}")
        after = {p.path: s.language for s in plan_shards([*pages, extra], 8) for p in s.pages}
        moved = {path for path in before if before[path] != after[path]}
        # only pages of the shard the new page joined may move (into its halves, when it passed the budget)
        assert len({before[path] for path in moved}) <= 1, (extra, moved)
    assert plan_shards(pages, 8) == plan_shards(list(reversed(pages)), 8)  # order-independent


def test_a_second_index_with_previous_links_every_shard(sample: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    cold = index_site(sample, first, budget=BUDGET)
    kept = tree(first)
    warm = index_site(sample, second, budget=BUDGET, previous=first)
    assert cold.reused == 0 and warm.reused == warm.shards == cold.shards > 6
    assert tree(first) == kept  # the previous bundle is only read
    assert tree(second) == kept  # same pages, same bytes: entry, date tables, manifest included
    fragment = next((second / "fragment").iterdir())
    assert fragment.stat().st_ino == (first / "fragment" / fragment.name).stat().st_ino  # linked, not copied


def test_two_indexings_of_the_same_pages_are_the_same_bytes(sample: Path, tmp_path: Path) -> None:
    """Pagefind writes a shard's filters and their values in hash-map order, another each run (search/settle.py):
    put in order, two runs from nothing publish the same files, filter files and metadata included."""
    first, second = tmp_path / "first", tmp_path / "second"
    index_site(sample, first)  # one shard a language: the most actor values a filter file can hold
    index_site(sample, second)
    assert tree(first) == tree(second)
    filters = [cbor2.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))
               for p in sorted((first / "filter").iterdir())]  # fmt: skip
    for name, values in filters:
        assert [value for value, _ in values] == sorted(value for value, _ in values), name
    # enough values for hash-map order to differ from run to run
    assert max(len(values) for name, values in filters if name == "actor") > 5


def edit_one_article(sample: Path, site: Path) -> str:
    """A copy of the sample with one dated Arabic article's body changed; the article's page path."""
    shutil.copytree(sample, site, ignore=shutil.ignore_patterns(BUNDLE))
    path = "articles/ar-2018-06-opec-vienna-output/index.html"
    text = (site / path).read_text("utf-8")
    (site / path).write_text(text.replace("<p>", "<p>زبرجدستانيات ", 1), "utf-8")
    return path


def test_an_edit_past_the_delta_budget_reindexes_only_its_shard(sample: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    index_site(sample, first, budget=BUDGET)
    edited = edit_one_article(sample, tmp_path / "site")
    again = index_site(tmp_path / "site", second, budget=BUDGET, previous=first, delta_pages=0)
    assert again.reused == again.shards - 1
    old, new = json.loads((first / MANIFEST).read_text()), json.loads((second / MANIFEST).read_text())
    changed = [s for s in new["shards"] if new["shards"][s]["digest"] != old["shards"][s]["digest"]]
    assert len(changed) == 1 and years(changed[0]) is not None and years(changed[0])[0] <= 2018 <= years(changed[0])[1]
    assert set(new["shards"]) == set(old["shards"])
    assert new["shards"][changed[0]]["files"] != old["shards"][changed[0]]["files"]
    unchanged = [s for s in new["shards"] if s not in changed]
    assert all(new["shards"][s] == old["shards"][s] for s in unchanged)
    assert edited and languages(second)[changed[0]] != languages(first)[changed[0]]


def test_an_edit_goes_into_a_delta_shard_until_the_delta_is_full(sample: Path, tmp_path: Path) -> None:
    """Changed pages are indexed on their own (`ar-d`), the shards linked as they were and the replaced pages listed
    as stale; the delta holds every page changed since the shards were indexed; past its budget it is folded in."""
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    index_site(sample, first, budget=BUDGET)
    path = edit_one_article(sample, tmp_path / "site")
    site = tmp_path / "site"
    again = index_site(site, second, budget=BUDGET, previous=first)
    assert again.reused == again.shards and again.stale == 1
    assert languages(second)["ar-d"]["page_count"] == 1
    stale = json.loads((second / "arshif-stale.json").read_text())["stale"]
    (old,) = stale
    manifest = json.loads((first / MANIFEST).read_text())["shards"]
    assert any(old in shard["pages"] and shard["pages"][old][0] == path for shard in manifest.values())
    assert stale[old]["year"] == ["2018"]  # its filter values, for the facet counts
    fresh = tmp_path / "fresh"
    index_site(site, fresh, budget=BUDGET)
    assert search_documents(second) == search_documents(fresh)
    # a second edit: the delta holds both pages, the first still stale
    other = "articles/ar-2015-07-riyadh-oil-market/index.html"
    text = (site / other).read_text("utf-8")
    (site / other).write_text(text.replace("<p>", "<p>زمردستانيات ", 1), "utf-8")
    later = index_site(site, third, budget=BUDGET, previous=second)
    assert later.stale == 2 and languages(third)["ar-d"]["page_count"] == 2
    index_site(site, fresh, budget=BUDGET)
    assert search_documents(third) == search_documents(fresh)
    # past the delta's budget: the shards holding the changed pages are indexed again, and no delta is left
    folded = index_site(site, tmp_path / "folded", budget=BUDGET, previous=third, delta_pages=1)
    assert folded.stale == 0 and "ar-d" not in languages(tmp_path / "folded")
    assert not (tmp_path / "folded" / "arshif-stale.json").exists()
    assert folded.reused == folded.shards - 2
    digests = {k: v["digest"] for k, v in json.loads((tmp_path / "folded" / MANIFEST).read_text())["shards"].items()}
    assert digests == {k: v["digest"] for k, v in json.loads((fresh / MANIFEST).read_text())["shards"].items()}


@pytest.mark.parametrize("damage", ["manifest", "fragment", "missing", "foreign"])
def test_a_corrupt_previous_is_not_trusted(sample: Path, tmp_path: Path, damage: str) -> None:
    good, bad, out = tmp_path / "good", tmp_path / "bad", tmp_path / "out"
    index_site(sample, good, budget=BUDGET)
    shutil.copytree(good, bad)
    manifest = json.loads((bad / MANIFEST).read_text())
    victim = sorted(manifest["shards"])[0]
    fragment = next(name for name in manifest["shards"][victim]["files"] if name.startswith("fragment/"))
    if damage == "manifest":
        (bad / MANIFEST).write_text('{"format": 2, "shards": [')
    elif damage == "fragment":
        (bad / fragment).write_bytes((bad / fragment).read_bytes()[:-5] + b"xxxxx")  # same size, other bytes
    elif damage == "missing":
        (bad / fragment).unlink()
    else:
        (bad / MANIFEST).write_text(json.dumps({**manifest, "pagefind": "0.0.1"}))
    kept = tree(bad)
    result = index_site(sample, out, budget=BUDGET, previous=bad)
    assert tree(bad) == kept
    assert result.reused == (0 if damage in {"manifest", "foreign"} else result.shards - 1)
    fragments = {name for name in tree(good) if name.startswith("fragment/")}
    assert {name for name in tree(out) if name.startswith("fragment/")} == fragments  # whole again
    fresh = json.loads((out / MANIFEST).read_text())["shards"]
    assert {s: fresh[s]["digest"] for s in fresh} == {s: manifest["shards"][s]["digest"] for s in fresh}
    assert index_site(sample, tmp_path / "none", budget=BUDGET, previous=tmp_path / "absent").reused == 0


def test_a_previous_file_changed_since_its_stamp_was_recorded_is_not_trusted(sample: Path, tmp_path: Path) -> None:
    """The stamps the last build recorded spare reading its bundle for checksums, but only for files that still
    have them: one written over in place (same size, other bytes, a new time) is caught."""
    first, stamps = tmp_path / "first", tmp_path / "bundle.json"
    index_site(sample, first, budget=BUDGET)
    save_stamps(first, stamps)
    assert index_site(sample, tmp_path / "again", budget=BUDGET, previous=first, stamps=stamps).reused > 6
    manifest = json.loads((first / MANIFEST).read_text())
    victim = sorted(manifest["shards"])[0]
    fragment = next(name for name in manifest["shards"][victim]["files"] if name.startswith("fragment/"))
    with open(first / fragment, "r+b") as f:  # in place: the inode stays
        f.seek(-5, os.SEEK_END)
        f.write(b"xxxxx")
    result = index_site(sample, tmp_path / "out", budget=BUDGET, previous=first, stamps=stamps)
    assert result.reused == result.shards - 1
    assert (tmp_path / "out" / fragment).read_bytes() != (first / fragment).read_bytes()  # indexed again


def test_a_bundle_holding_the_published_files_trusts_them_by_their_stamps(sample: Path, tmp_path: Path) -> None:
    """An update's bundle starts as links to the published files: those still as recorded are kept where they are
    (no look at the published bundle, no link made again); one written over in place since is caught, though the
    stamps saved after the change kept what was recorded for it (same inode)."""
    first, stamps = tmp_path / "first", tmp_path / "bundle.json"
    index_site(sample, first, budget=BUDGET)
    save_stamps(first, stamps)

    def linked(name: str) -> Path:
        shutil.copytree(first, tmp_path / name, copy_function=os.link)
        return tmp_path / name

    def inodes(folder: Path) -> dict[str, int]:
        return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}

    staged = linked("staged")
    result = index_site(sample, staged, budget=BUDGET, previous=first, stamps=stamps)
    assert result.reused == result.shards
    manifest = json.loads((first / MANIFEST).read_text())
    shard_files = {name for shard in manifest["shards"].values() for name in shard["files"]}
    assert {n: i for n, i in inodes(staged).items() if n in shard_files} == {n: inodes(first)[n] for n in shard_files}
    victim = sorted(manifest["shards"])[0]
    fragment = next(name for name in manifest["shards"][victim]["files"] if name.startswith("fragment/"))
    with open(first / fragment, "r+b") as f:  # in place: the inode stays, and so the update's link sees it too
        f.seek(-5, os.SEEK_END)
        f.write(b"xxxxx")
    save_stamps(first, stamps)
    again = linked("again")
    result = index_site(sample, again, budget=BUDGET, previous=first, stamps=stamps)
    assert result.reused == result.shards - 1
    assert (again / fragment).read_bytes() != (first / fragment).read_bytes()  # indexed again, not written through
    assert (first / fragment).read_bytes().endswith(b"xxxxx")


browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")


@pytest.fixture(scope="module")
def urls(sharded: Path, single: Path) -> Iterator[tuple[str, str]]:
    with served(sharded) as one, served(single) as two:
        yield one, two


def answer(browser, base_url: str, query: str) -> tuple[list[str], str, list[str]]:  # type: ignore[no-untyped-def]
    """A cold search: the result links (sorted), the status line, and the bundle files fetched."""
    context = browser.new_context()
    tab = context.new_page()
    seen: list[str] = []
    tab.on("request", lambda r: seen.append(r.url.removeprefix(base_url)))
    tab.goto(f"{base_url}/search/?{query}")
    tab.wait_for_selector("#search[data-ready]", timeout=15000)
    links = tab.locator("#results a.title").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    status = tab.locator("#status").inner_text()
    context.close()
    return sorted(links), status, seen


@browser_only
@pytest.mark.browser
@pytest.mark.parametrize("query", QUERIES)
def test_the_shards_answer_as_one_index_does(browser, urls: tuple[str, str], query: str) -> None:  # type: ignore[no-untyped-def]
    for extra in ["", "&sort=date"]:
        links, status, _ = answer(browser, urls[0], f"q={quote(query)}{extra}")
        one_links, one_status, _ = answer(browser, urls[1], f"q={quote(query)}{extra}")
        assert status == one_status and links, (query, extra)
        # Pagefind ranks each shard on its own, so beyond one page of results the first page may differ; by date
        # (our tables) it may not
        if extra or len(links) < 20:
            assert links == one_links, (query, extra)


@browser_only
@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "first", "last"), [("كازاخستان", 2022, 2022), ("النفط", 2015, 2018), ("ايران", 2015, 2015)]
)
def test_a_year_range_loads_only_its_shards(  # type: ignore[no-untyped-def]
    browser, sharded: Path, urls: tuple[str, str], query: str, first: int, last: int
) -> None:
    asked = f"q={quote(query)}&from={first}&to={last}"
    links, status, seen = answer(browser, urls[0], asked)
    assert (links, status) == answer(browser, urls[1], asked)[:2] and links
    metas = [u for u in seen if u.endswith(".pf_meta")]
    loaded = {u.split("pagefind.", 1)[1].split("_")[0] for u in metas}
    spans = {name: years(name) for name in languages(sharded / BUNDLE)}
    assert loaded and all(spans[s] is not None and spans[s][0] <= last and spans[s][1] >= first for s in loaded)
    arabic = {s for s, span in spans.items() if s.startswith("ar-") and span and span[0] <= last and span[1] >= first}
    assert loaded == arabic  # every Arabic shard of those years, none of another year
    chunks = {u.split("/index/", 1)[1].split("_")[0] for u in seen if "/index/" in u}
    assert chunks <= loaded and len(metas) == len(loaded)  # no other shard's metadata or chunks


def test_index_site_leaves_no_scratch_behind(sample: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    index_site(sample, tmp_path / "b", budget=BUDGET, scratch=scratch)
    assert not list(scratch.iterdir()) and not os.path.exists(sample / BUNDLE / "shard-0")


@pytest.fixture(scope="module")
def updated(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The sample indexed, then one article's page edited (its word فيينا replaced by a new one) and indexed again
    with a delta shard; beside it the same pages indexed from nothing. Both served."""
    work = tmp_path_factory.mktemp("delta")
    index_site(sample, work / "first", budget=BUDGET)
    path = "articles/ar-2018-06-opec-vienna-output/index.html"
    site = work / "site"
    shutil.copytree(sample, site, ignore=shutil.ignore_patterns(BUNDLE))
    body = (site / path).read_text("utf-8")
    head, tail = body.split("</head>", 1)
    (site / path).write_text(head + "</head>" + tail.replace("فيينا", "زبرجدستانيات"), "utf-8")
    assert index_site(site, budget=BUDGET, previous=work / "first").stale == 1
    fresh = work / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(fresh, budget=BUDGET)
    with served(site) as one, served(fresh) as two:
        yield one, two


@browser_only
@pytest.mark.browser
@pytest.mark.parametrize("query", ["فيينا", "زبرجدستانيات", "النفط", "OPEC"])
def test_a_delta_shard_answers_as_an_index_from_nothing(browser, updated: tuple[str, str], query: str) -> None:  # type: ignore[no-untyped-def]
    """The edited page is found by its new word and not by the word it lost (its old copy is stale, and not
    counted either); the other pages as before."""
    for extra in ["", "&sort=date", "&year=2018"]:
        links, status, seen = answer(browser, updated[0], f"q={quote(query)}{extra}")
        assert (links, status) == answer(browser, updated[1], f"q={quote(query)}{extra}")[:2], (query, extra)
        assert any("/pagefind/arshif-stale.json" in u for u in seen)
