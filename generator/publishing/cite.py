"""Cite this article: a formatted reference, BibTeX, CSL-JSON and RIS, and the Highwire tags Zotero reads."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from generator.model import Article

# BibTeX's special characters, written so that any title keeps its braces balanced and its text intact: BibTeX
# counts braces even after a backslash, so a lone { or } becomes a command, not \{.
_BIBTEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "&": r"\&",
           "#": r"\#", "$": r"\$", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}  # fmt: skip
_BIBTEX_CHARS = re.compile("[" + re.escape("".join(_BIBTEX)) + "]")
BIBTEX_LANGUAGES = {"ar": "arabic", "en": "english", "fr": "french", "ru": "russian", "ur": "urdu", "fa": "persian"}


@dataclass(frozen=True)
class Reference:
    """What a citation says of an article, every format made from these same values."""

    id: str
    title: str
    url: str  # the archive's permalink
    archive: str  # the archive's title
    outlet: str | None = None
    agency: str | None = None
    author: str | None = None
    date: str | None = None  # ISO
    lang: str = ""
    original: str | None = None  # the original publication's address


def reference(article: Article, url: str, archive: str) -> Reference:
    return Reference(article.id, " ".join(article.title.split()), url, archive, _one_line(article.outlet),
                     _one_line(article.agency), _one_line(article.author),
                     article.date.isoformat() if article.date else None, article.lang, article.url)  # fmt: skip


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def cite_key(ref: Reference) -> str:
    """A BibTeX key every tool accepts: the id's ASCII letters and digits, else a digest of the id."""
    key = re.sub(r"[^A-Za-z0-9_:-]+", "-", ref.id).strip("-")
    return key if key and key[0].isalpha() else "arshif-" + hashlib.blake2b(ref.id.encode(), digest_size=5).hexdigest()


def bibtex(ref: Reference) -> str:
    fields = [("title", ref.title)]
    if ref.author:
        fields.append(("author", "{" + _bib(ref.author) + "}"))  # a name written as given, not split
    fields += [("organization", ref.outlet)] if ref.outlet else []
    fields += [("note", f"via {ref.agency}")] if ref.agency else []
    fields += [("date", ref.date)] if ref.date else []
    fields += [("year", ref.date[:4])] if ref.date else []
    fields += [("langid", BIBTEX_LANGUAGES.get(ref.lang.split("-")[0], ref.lang))] if ref.lang else []
    fields += [("howpublished", ref.archive), ("url", ref.url)]
    body = ",\n".join(f"  {name} = {{{value if name in ('author', 'url') else _bib(value)}}}" for name, value in fields)
    return f"@misc{{{cite_key(ref)},\n{body}\n}}\n"  # @misc: classic BibTeX knows it, biblatex too


def _bib(text: str) -> str:
    return _BIBTEX_CHARS.sub(lambda m: _BIBTEX[m.group()], text)


def csl(ref: Reference) -> dict[str, Any]:
    """The CSL-JSON item (an `article-newspaper` whose container is the outlet)."""
    item: dict[str, Any] = {"id": ref.id, "type": "article-newspaper", "title": ref.title}
    if ref.author:
        item["author"] = [{"literal": ref.author}]
    if ref.outlet or ref.agency:
        item["container-title"] = ref.outlet or ref.agency
    if ref.agency and ref.outlet:
        item["source"] = ref.agency
    if ref.date:
        item["issued"] = {"date-parts": [[int(part) for part in ref.date.split("-")]]}
    if ref.lang:
        item["language"] = ref.lang
    item["publisher"] = ref.archive
    item["URL"] = ref.url
    return item


def csl_json(ref: Reference) -> str:
    return json.dumps([csl(ref)], ensure_ascii=False, indent=2) + "\n"


def ris(ref: Reference) -> str:
    lines = [("TY", "NEWS"), ("TI", ref.title)]
    lines += [("AU", ref.author)] if ref.author else []
    lines += [("T2", ref.outlet or ref.agency)] if ref.outlet or ref.agency else []
    lines += [("N1", f"via {ref.agency}")] if ref.agency and ref.outlet else []
    if ref.date:
        lines += [("PY", ref.date[:4]), ("DA", ref.date.replace("-", "/"))]
    lines += [("LA", ref.lang)] if ref.lang else []
    lines += [("PB", ref.archive), ("UR", ref.url), ("ID", ref.id), ("ER", "")]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)  # LF, as a page shows text (tools read both)


def text_reference(ref: Reference, date_text: str | None) -> str:
    """The reference as one sentence (the access date is the reader's, added by the page)."""
    who = ref.outlet or ref.agency or ref.archive
    parts = [f"{who}.", f"“{ref.title}”."]
    parts += [f"{date_text}."] if date_text else []
    parts += [f"{ref.archive}:", ref.url]
    return " ".join(parts)


def highwire(ref: Reference) -> list[tuple[str, str]]:
    """Highwire Press `citation_*` and Dublin Core meta tags, as Zotero's page translator reads them."""
    tags = [("citation_title", ref.title)]
    tags += [("citation_author", ref.author)] if ref.author else []
    if ref.date:
        tags += [("citation_publication_date", ref.date.replace("-", "/")), ("citation_date", ref.date)]
    tags += [("citation_publisher", ref.outlet or ref.agency)] if ref.outlet or ref.agency else []
    tags += [("citation_language", ref.lang)] if ref.lang else []
    tags += [("citation_public_url", ref.url), ("DC.title", ref.title), ("DC.type", "Text")]
    tags += [("DC.date", ref.date)] if ref.date else []
    tags += [("DC.publisher", ref.outlet or ref.agency)] if ref.outlet or ref.agency else []
    tags += [("DC.language", ref.lang)] if ref.lang else []
    tags += [("DC.identifier", ref.url)]
    return tags


LABELS = {
    "ar": {"heading": "استشهد بهذا المقال", "accessed": "تاريخ الاطلاع:", "download": "تنزيل"},
    "en": {"heading": "Cite this article", "accessed": "Accessed", "download": "Download"},
    "fr": {"heading": "Citer cet article", "accessed": "Consulté le", "download": "Télécharger"},
}


def citation_view(ref: Reference, date_text: str | None, lang: str = "en") -> dict[str, Any]:
    """What _cite.html shows: the reference to copy, each format to copy or to download (the page's script makes
    the file from the text shown: no data: link, no extra file per article)."""
    formats = [
        ("BibTeX", "bib", "application/x-bibtex", bibtex(ref)),
        ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json", csl_json(ref)),
        ("RIS", "ris", "application/x-research-info-systems", ris(ref)),
    ]
    name = cite_key(ref)
    return {
        "labels": LABELS.get(lang.split("-")[0], LABELS["en"]),
        "text": text_reference(ref, date_text),
        "formats": [
            {"label": label, "text": text, "type": media, "filename": f"{name}.{ext}"}
            for label, ext, media, text in formats
        ],
    }
