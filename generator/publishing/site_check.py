"""`arshif check --site`: read a built site as a crawler would and say what is broken, `path:line: message`.

Every internal link, fragment and asset must resolve; each page has one <h1>, a `lang` and a `dir` on <html>
and a title; feeds, sitemaps and data files parse; every page but the home and the 404 page is linked from
another page. Nothing is written."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from generator.diagnostics import display_path
from generator.parallel import Tick, default_workers, fork_map, no_progress

SKIPPED = "pagefind/"  # the search index's own files are Pagefind's: there to link to, not ours to read
LINKS = {"a": "href", "link": "href", "area": "href", "script": "src", "img": "src", "iframe": "src",
         "source": "src", "audio": "src", "video": "src", "form": "action"}  # fmt: skip
NOT_FOLLOWED = ("data:", "mailto:", "tel:", "javascript:")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the site: the file (relative to the site), the line (0: none), what is wrong."""

    file: str
    line: int
    message: str

    def shown(self, root: Path) -> str:
        where = display_path(root / self.file) + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Link:
    line: int
    raw: str  # as written in the page
    target: str  # the file it names, relative to the site ("" when it leaves the site)
    fragment: str
    counts: bool  # a link a reader follows (<a>, <area>, a <form>'s action): its target is not an orphan


@dataclass(frozen=True)
class Scanned:
    """What one HTML page holds that the checks need."""

    file: str
    ids: frozenset[str]
    links: tuple[Link, ...]
    findings: tuple[Finding, ...]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str, bool]] = []  # line, tag, value, followed
        self.h1 = 0
        self.html: dict[str, str | None] | None = None
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0]
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key] or "")
        if tag == "html" and self.html is None:
            self.html = values
        elif tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        attribute = LINKS.get(tag)
        value = values.get(attribute) if attribute else None
        if value is not None and not (tag == "link" and "preconnect" in (values.get("rel") or "")):
            self.links.append((line, tag, value.strip(), tag in ("a", "area", "form")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


class SiteMap:
    """How URLs of this site map to its files: `base_path` is where the site lives on its host, `site_url`
    (scheme://host, or '') how its absolute links begin."""

    def __init__(self, root: Path, base_path: str = "/", site_url: str = "") -> None:
        self.root = root
        self.base_path = base_path
        self.site_url = site_url

    def file_of(self, url: str, page_url: str) -> tuple[str | None, str]:
        """(the file `url` names relative to the site, or None when it is not ours to check; its fragment).
        '' for a file outside the base path."""
        if url.startswith(NOT_FOLLOWED) or not url:
            return None, ""
        absolute = urljoin(self.site_url + page_url if self.site_url else "http://site.invalid" + page_url, url)
        parts = urlsplit(absolute)
        ours = self.site_url or "http://site.invalid"
        if f"{parts.scheme}://{parts.netloc}" != ours:
            return None, ""  # another site's: not followed
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            return "", parts.fragment
        relative = path[len(self.base_path) :]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        elif (self.root / relative).is_dir():
            relative += "/index.html"
        return relative, unquote(parts.fragment)

    def url_of(self, file: str) -> str:
        return self.base_path + file.removesuffix("index.html")


def scan(site: SiteMap, file: str) -> Scanned:
    path = site.root / file
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return Scanned(file, frozenset(), (), (Finding(file, 0, f"cannot read: {e}"),))
    parser = _Page()
    parser.feed(text)
    parser.close()
    findings = []
    if parser.h1 != 1:
        findings.append(Finding(file, 0, f"{parser.h1} <h1> elements; a page has one"))
    html = parser.html or {}
    for attribute in ("lang", "dir"):
        if not html.get(attribute):
            findings.append(Finding(file, 1, f"<html> has no {attribute}"))
    if not "".join(parser.title).strip():
        findings.append(Finding(file, 0, "no <title>"))
    links = []
    page_url = site.url_of(file)
    for line, _tag, value, followed in parser.links:
        target, fragment = site.file_of(value, page_url)
        if target is not None:
            links.append(Link(line, value, target, fragment, followed))
    return Scanned(file, frozenset(parser.ids), tuple(dict.fromkeys(links)), tuple(findings))


def check_site(root: Path, base_path: str = "/", site_url: str = "", workers: int = 0) -> list[Finding]:
    """Every finding on the site built in `root`, in file order."""
    site = SiteMap(root, base_path, site_url)
    files = sorted(_files(root))
    present = set(files)
    pages = [f for f in files if f.endswith(".html") and not f.startswith(SKIPPED)]

    def scan_share(share: Sequence[str], tick: Tick) -> list[Scanned]:
        done = []
        for file in share:
            done.append(scan(site, file))
            tick()
        return done

    scanned = {
        s.file: s for part in fork_map(scan_share, pages, workers or default_workers(), no_progress) for s in part
    }
    findings = [f for s in scanned.values() for f in s.findings]
    linked: set[str] = set()
    for page in scanned.values():
        for link in page.links:
            findings += _broken(page.file, link, present, scanned)
            if link.counts and link.target != page.file:
                linked.add(link.target)
    for file in pages:
        if file not in linked and file not in ("index.html", "404.html"):
            findings.append(Finding(file, 0, f"orphan: no page links to {site.url_of(file)}"))
    findings += _assets(site, files, present)
    findings += _machine_files(site, files, present)
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.message))


def _files(root: Path) -> Iterable[str]:
    for folder, dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith("."):
                yield name if relative == "." else f"{Path(relative).as_posix()}/{name}"


def _broken(file: str, link: Link, present: set[str], scanned: dict[str, Scanned]) -> list[Finding]:
    if link.target == "":
        return [Finding(file, link.line, f"link {link.raw} leaves the site's base path")]
    if link.target not in present:
        return [Finding(file, link.line, f"broken link {link.raw}: no such page or file")]
    if link.fragment and link.target in scanned and link.fragment not in scanned[link.target].ids:
        return [Finding(file, link.line, f"broken link {link.raw}: no element with id '{link.fragment}' there")]
    return []


def _assets(site: SiteMap, files: Sequence[str], present: set[str]) -> list[Finding]:
    """What the style sheets load (fonts, images) must be there."""
    findings = []
    for file in files:
        if not file.endswith(".css") or file.startswith(SKIPPED):
            continue
        text = (site.root / file).read_text("utf-8", errors="replace")
        for match in CSS_URL.finditer(text):
            target, _ = site.file_of(match.group(1), site.url_of(file))
            if target is not None and target not in present:
                line = text.count("\n", 0, match.start()) + 1
                findings.append(Finding(file, line, f"broken url({match.group(1)}): no such file"))
    return findings


def _machine_files(site: SiteMap, files: Sequence[str], present: set[str]) -> list[Finding]:
    """Feeds, sitemaps and data files must parse, and what the sitemap lists must be there."""
    findings = []
    for file in files:
        if file.startswith(SKIPPED):
            continue
        name = file.rsplit("/", 1)[-1]
        path = site.root / file
        try:
            if name == "feed.xml":
                root = ElementTree.parse(path).getroot()
                if root.tag != f"{ATOM}feed":
                    findings.append(Finding(file, 0, f"not an Atom feed: its root is {root.tag}"))
            elif name == "sitemap.xml" or re.fullmatch(r"sitemap-\d+\.xml", file):
                root = ElementTree.parse(path).getroot()
                if root.tag not in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
                    findings.append(Finding(file, 0, f"not a sitemap: its root is {root.tag}"))
                for loc in root.iter(f"{SITEMAP}loc"):
                    target, _ = site.file_of((loc.text or "").strip(), site.base_path)
                    if target is None or target not in present:
                        findings.append(Finding(file, 0, f"lists {loc.text}, which is not a page of this site"))
            elif name.endswith(".json"):
                json.loads(path.read_bytes())
            elif name.endswith(".jsonl"):
                for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                    try:
                        json.loads(line)
                    except ValueError as e:
                        findings.append(Finding(file, n, f"not JSON: {e}"))
        except ElementTree.ParseError as e:
            findings.append(Finding(file, e.position[0], f"not well-formed XML: {e}"))
        except (ValueError, OSError) as e:
            findings.append(Finding(file, 0, f"cannot read it as {name.rsplit('.', 1)[-1].upper()}: {e}"))
    if "sitemap.xml" not in present:
        findings.append(Finding("sitemap.xml", 0, "no sitemap"))
    return findings
