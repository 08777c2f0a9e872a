"""schema.org JSON-LD for article and actor pages, written so that no text can close its <script>."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from generator.model import Actor, Article

SCHEMA_TYPES = {
    "person": "Person",
    "organisation": "Organization",
    "country": "Country",
    "place": "Place",
    "unknown": "Thing",
}
WIKIDATA = "https://www.wikidata.org/wiki/"  # as the actor page links it
# Inside <script> only `</` (and `<!--`) can end or bend the element; escaping every < > & as JSON does in
# \u form leaves the same JSON value and no HTML to find. U+2028/2029 break older JavaScript string literals.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data: Mapping[str, Any]) -> Markup:
    """`data` as JSON that is safe to write between <script type="application/ld+json"> and </script>."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE))


def wikidata_url(actor: Actor) -> str | None:
    return WIKIDATA + actor.wikidata if actor.wikidata else None


def organisation(name: str, url: str | None = None) -> dict[str, Any]:
    return {"@type": "NewsMediaOrganization", "name": name, **({"url": url} if url else {})}


def actor_thing(actor: Actor, lang: str, url: str) -> dict[str, Any]:
    """An actor as schema.org names it: its type, name, page and Wikidata entity."""
    same = wikidata_url(actor)
    return {
        "@type": SCHEMA_TYPES[actor.kind],
        "name": actor.name(lang),
        "url": url,
        **({"sameAs": same} if same else {}),
    }


def actor_data(actor: Actor, lang: str, url: str) -> dict[str, Any]:
    """The JSON-LD of an actor's page: the actor, with its other names and description."""
    name = actor.name(lang)
    others = sorted({n for n in actor.names.values() if n != name})
    return {
        "@context": "https://schema.org",
        **actor_thing(actor, lang, url),
        **({"alternateName": others} if others else {}),
        **({"description": actor.description} if actor.description else {}),
        **({"identifier": actor.wikidata} if actor.wikidata else {}),
    }


def article_data(
    article: Article,
    url: str,
    description: str,
    site: tuple[str, str],
    outlet_url: str | None,
    agency_url: str | None,
    mentions: Sequence[tuple[Actor, str]],
    ui_lang: str,
) -> dict[str, Any]:
    """The JSON-LD of an article page: a NewsArticle from its outlet (publisher) and agency (sourceOrganization),
    part of the archive (`site`: its title and home URL), mentioning its actors (with their actor page URLs)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": description,
        "identifier": article.id,
    }
    if article.lang:
        data["inLanguage"] = article.lang
    if article.date:
        data["datePublished"] = article.date.isoformat()
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    publisher = article.outlet or article.agency
    if publisher:
        data["publisher"] = organisation(publisher, outlet_url if article.outlet else agency_url)
    if article.agency:
        data["sourceOrganization"] = organisation(article.agency, agency_url)
    if article.url:
        data["isBasedOn"] = article.url
    if article.words:
        data["wordCount"] = article.words
    if article.tags:
        data["keywords"] = list(article.tags)
    if mentions:
        data["mentions"] = [actor_thing(actor, ui_lang, link) for actor, link in mentions]
    data["isPartOf"] = {"@type": "WebSite", "name": site[0], "url": site[1]}
    return data
