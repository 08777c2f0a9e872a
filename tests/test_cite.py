"""Cite this article: the reference, BibTeX (parsed with bibtexparser), CSL-JSON (validated against the CSL data
schema), RIS, and the Highwire tags Zotero reads, all from the built pages."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import publishing_site
import pytest
from bibtexparser.bparser import BibTexParser
from conftest import CHROMIUM, FIXTURES, page, served
from jsonschema import Draft7Validator
from publishing_site import BASE

from generator.publishing.cite import Reference, bibtex

published, pub_site = publishing_site.published, publishing_site.pub_site  # the session's fixtures
CSL_SCHEMA = json.loads((FIXTURES / "schemas" / "csl-data.json").read_text("utf-8"))
ARTICLES = ["levant", "hostile", "reuters-2024", "spa", "undated"]


def formats(site: Path, article: str) -> dict[str, tuple[str, str]]:
    """Each format the page offers: label -> (its text, the file name its download button gives it)."""
    found = {}
    for details in page(site, f"/articles/{article}/").select("section.cite details"):
        button = details.select_one("button[data-download]")
        assert button["data-type"].startswith("application/")
        found[details.summary.get_text(strip=True)] = (details.pre.get_text(), button["data-download"])
    return found


def parse_bibtex(text: str) -> list[dict[str, str]]:
    return bibtexparser.loads(text, parser=BibTexParser(common_strings=True)).entries


@pytest.mark.parametrize("article", ARTICLES)
def test_bibtex_parses_and_names_the_article(pub_site: Path, article: str) -> None:
    shown, filename = formats(pub_site, article)["BibTeX"]
    assert filename == f"{article}.bib"
    (entry,) = parse_bibtex(shown)
    assert entry["ENTRYTYPE"] == "misc" and entry["url"] == f"{BASE}articles/{article}/"
    assert entry["howpublished"]


def test_bibtex_of_a_hostile_title_keeps_its_braces_balanced() -> None:
    ref = Reference("x", 'a {b} } { \\ % & # $ _ ^ ~ "q"', BASE + "articles/x/", "Archive", outlet="O {x")
    (entry,) = parse_bibtex(bibtex(ref))
    assert entry["title"] == (
        r"a \textbraceleft{}b\textbraceright{} \textbraceright{} \textbraceleft{} "
        r'\textbackslash{} \% \& \# \$ \_ \^{} \~{} "q"'
    )
    assert entry["organization"] == r"O \textbraceleft{}x"


def test_bibtex_fields_of_a_dated_article_with_an_outlet(pub_site: Path) -> None:
    (entry,) = parse_bibtex(formats(pub_site, "reuters-2024")["BibTeX"][0])
    assert entry["title"] == "Almaty airport reopens after a week"
    assert entry["organization"] == "Reuters" and entry["date"] == "2024-01-01" and entry["year"] == "2024"
    assert entry["author"] == "{Jane Reporter}" and entry["langid"] == "english"


@pytest.mark.parametrize("article", ARTICLES)
def test_csl_json_validates_against_the_csl_data_schema(pub_site: Path, article: str) -> None:
    shown, filename = formats(pub_site, article)["CSL-JSON"]
    items = json.loads(shown)
    Draft7Validator(CSL_SCHEMA).validate(items)
    assert filename == f"{article}.json"
    (item,) = items
    assert item["type"] == "article-newspaper" and item["URL"] == f"{BASE}articles/{article}/"


def test_csl_json_of_the_levant_article(pub_site: Path) -> None:
    (item,) = json.loads(formats(pub_site, "levant")["CSL-JSON"][0])
    assert item["issued"] == {"date-parts": [[2022, 1, 8]]}
    assert item["container-title"] == "وكالة الأنباء التجريبية" and item["source"] == "سبوتنيك"
    assert item["language"] == "ar"
    assert item["title"] == page(pub_site, "/articles/levant/").h1.get_text(strip=True)


def test_a_schema_violation_is_caught() -> None:
    """The vendored schema does reject a bad item (a date as a plain string), so the tests above can fail."""
    errors = list(Draft7Validator(CSL_SCHEMA).iter_errors([{"id": "x", "type": "article-newspaper", "issued": "2022"}]))
    assert errors


def test_ris_is_tagged_lines_from_ty_to_er(pub_site: Path) -> None:
    text, _ = formats(pub_site, "reuters-2024")["RIS"]
    lines = text.split("\n")
    assert lines[0] == "TY  - NEWS" and lines[-2] == "ER  - " and lines[-1] == ""
    tags = dict(line.split("  - ", 1) for line in lines[:-1])
    assert tags["TI"] == "Almaty airport reopens after a week" and tags["DA"] == "2024/01/01"
    assert tags["T2"] == "Reuters" and tags["AU"] == "Jane Reporter" and tags["UR"] == BASE + "articles/reuters-2024/"


def test_highwire_tags_for_zotero(pub_site: Path) -> None:
    head = page(pub_site, "/articles/hostile/")
    tags = {m["name"]: m["content"] for m in head.select('meta[name^="citation_"]')}
    assert tags["citation_title"] == head.h1.get_text(strip=True)
    assert tags["citation_publication_date"] == "2023/03/20"
    assert tags["citation_publisher"] == "Reuters" and tags["citation_language"] == "en"
    assert tags["citation_public_url"] == BASE + "articles/hostile/"


def test_the_reference_names_outlet_date_title_and_archive_url(pub_site: Path) -> None:
    section = page(pub_site, "/articles/levant/").select_one("section.cite")
    text = section.select_one(".reference-text").get_text()
    title = page(pub_site, "/articles/levant/").h1.get_text(strip=True)
    assert text.startswith("وكالة الأنباء التجريبية.") and f"“{title}”" in text
    assert "2022" in text and text.endswith(BASE + "articles/levant/")
    assert section.select_one("[data-accessed]") is not None  # the reader's access date, filled in by the page
    assert section.find_parent(attrs={"data-pagefind-body": True}) is None  # never in a search excerpt


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_in_a_browser_each_format_downloads_as_shown_and_the_access_date_is_today(pub_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with served(pub_site) as url:
        tab = browser.new_page(accept_downloads=True)
        tab.goto(f"{url}/articles/hostile/")
        accessed = tab.locator("section.cite [data-accessed]")
        assert accessed.get_attribute("datetime") == tab.evaluate("new Date().toISOString().slice(0, 10)")
        assert accessed.is_visible()
        for label, (text, filename) in formats(pub_site, "hostile").items():
            tab.locator("section.cite summary", has_text=label).click()
            with tab.expect_download() as info:
                tab.locator(f'button[data-download="{filename}"]').click()
            download = info.value
            assert download.suggested_filename == filename
            assert Path(download.path()).read_text("utf-8") == text
        tab.close()
