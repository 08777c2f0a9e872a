"""The authority file (`content/actors.toml`) and the built-in countries: who can be tagged, under which names.

```toml
[putin]                                   # the actor's id: its URL is /actors/putin/
kind = "person"                           # person | organisation | country | place
names = { ar = "فلاديمير بوتين", en = "Vladimir Putin" }
aliases = { ar = ["بوتين", "بوتن"], en = ["Putin"], ru = ["Путин"] }
wikidata = "Q7747"
description = "President of Russia"

[al-hayat]
kind = "organisation"
aliases = { ar = ["صحيفة الحياة", "الحياة"] }
ambiguous = ["الحياة"]                    # counts only with support (see tagging.tagger)
context = ["صحيفة", "جريدة", "رئيس التحرير"] # words that, in an article, say this actor is the one meant
# context_only = ["..."]                  # counts only beside a context word
# unambiguous = ["..."]                   # always counts, whatever the automatic checks say
```

Countries come built in from CLDR (Babel) in Arabic, English, French, Russian and Urdu, with ids like
`country-kz`; an entry with the same id extends them (its aliases are added, its names and description win).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Container, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale

from generator.diagnostics import Problem, display_path
from generator.model import ACTOR_KINDS, Actor, Article
from generator.tagging.match import alias_key
from generator.tagging.suggest import new_id

AUTHORITY_FILE = "actors.toml"
COUNTRY_LANGS = ("ar", "en", "fr", "ru", "ur")
# CLDR regions that are not countries, and its pseudo-locales.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# How the news writes countries that CLDR names formally (CLDR: المملكة المتحدة, الولايات المتحدة ...).
COUNTRY_VARIANTS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "GB": {"ar": ("بريطانيا",), "en": ("Britain", "Great Britain", "UK", "U.K."), "ru": ("Великобритания",)},
        "US": {
            "ar": ("الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا", "واشنطن"),
            "en": ("US", "U.S.", "USA", "United States of America"),
            "ru": ("США",),
        },
        "RU": {"ar": ("روسيا الاتحادية",), "en": ("Russian Federation",), "ru": ("Российская Федерация",)},
        "BY": {"ar": ("روسيا البيضاء",), "en": ("Byelorussia",)},
        "KG": {"ar": ("قرغيزستان", "قيرغيزيا"), "en": ("Kyrgyz Republic",)},
        "KZ": {"ar": ("قزاخستان",)},
        "AE": {"ar": ("الإمارات",), "en": ("UAE", "U.A.E.", "Emirates")},
        "SA": {"ar": ("السعودية",), "en": ("Saudi",)},
        "KP": {"ar": ("كوريا الديمقراطية",), "en": ("DPRK",)},
        "KR": {"ar": ("كوريا",)},
        "PS": {"ar": ("فلسطين",), "en": ("Palestine",)},
        "IR": {"ar": ("الجمهورية الإسلامية الإيرانية",)},
        "SY": {"ar": ("الجمهورية العربية السورية",)},
        "CN": {"ar": ("جمهورية الصين الشعبية",), "en": ("People's Republic of China",)},
        "CZ": {"en": ("Czech Republic",)},
        "MM": {"ar": ("بورما",), "en": ("Burma",)},
        "CD": {"ar": ("الكونغو الديمقراطية",), "en": ("DR Congo", "DRC")},
        "NL": {"ar": ("هولندا",), "en": ("Holland",)},
        "TR": {"en": ("Turkey",)},
        "ML": {"ar": ("جمهورية مالي", "دولة مالي")},  # bare مالي is the adjective "financial"
    }
)


def builtin_countries() -> list[Actor]:
    """Every CLDR country, named in COUNTRY_LANGS, plus the news variants above."""
    names = {lang: Locale.parse(lang).territories for lang in COUNTRY_LANGS}
    actors = []
    for code in sorted(names["en"]):
        if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
            continue
        by_lang = {lang: names[lang][code] for lang in COUNTRY_LANGS if code in names[lang]}
        variants = COUNTRY_VARIANTS.get(code, {})
        aliases = {
            lang: tuple(dict.fromkeys((by_lang[lang], *variants.get(lang, ()))))
            for lang in COUNTRY_LANGS
            if lang in by_lang
        }
        actors.append(Actor(f"country-{code.lower()}", "country", MappingProxyType(by_lang), MappingProxyType(aliases)))
    return actors


_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_ID = 100


def load_authority(path: Path) -> tuple[list[Actor], list[Problem]]:
    """Read an authority file; each bad entry is a problem naming its line, the others load."""
    shown = display_path(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return [], [Problem(shown, 0, "not a regular file; not read")]  # a FIFO would block the build
        text = path.read_text("utf-8-sig")
        data = tomllib.loads(text)
    except OSError as e:
        return [], [Problem(shown, 0, f"cannot read: {e.strerror}")]
    except UnicodeDecodeError:
        return [], [Problem(shown, 0, "is not UTF-8")]
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        return [], [Problem(shown, int(m.group(1)) if m else 0, f"not valid TOML: {e}")]
    except RecursionError:  # tomllib recurses once per nested array or table
        return [], [Problem(shown, 0, "not valid TOML: nested too deeply")]
    except ValueError as e:  # a number of 5,000 digits: Python refuses to read it (int max_str_digits)
        return [], [Problem(shown, 0, f"cannot be read: {e}")]
    lines = _table_lines(text)
    actors: list[Actor] = []
    problems: list[Problem] = []
    for actor_id, entry in data.items():
        line = lines.get(actor_id, 0)
        actor, trouble = _actor(actor_id, entry, line)
        problems += [Problem(shown, line, message) for message in trouble]
        if actor is not None:
            actors.append(actor)
    return actors, problems


def _actor(actor_id: str, entry: Any, line: int) -> tuple[Actor | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [f"'{actor_id}' must be a table ([{actor_id}] followed by its keys)"]
    if not _ID.fullmatch(actor_id) or len(actor_id) > MAX_ID:
        return None, [
            f"actor id '{actor_id[:MAX_ID]}' must be lowercase ASCII letters, digits, '-' or '_', "
            f"at most {MAX_ID} of them (it is a URL)"
        ]
    trouble = [f"'{actor_id}': unknown key '{k}'" for k in entry if k not in _KEYS]
    kind = entry.get("kind", "country" if actor_id.startswith("country-") else "person")
    if kind not in ACTOR_KINDS:
        return None, [f"'{actor_id}': kind must be one of {', '.join(ACTOR_KINDS)}, not '{kind}'"]
    names = _by_language(entry.get("names", {}), actor_id, "names", trouble, single=True)
    aliases = _by_language(entry.get("aliases", {}), actor_id, "aliases", trouble, single=False)
    # A display name is always also a spelling to look for.
    merged = {
        lang: tuple(dict.fromkeys([*([names[lang]] if lang in names else []), *aliases.get(lang, ())]))
        for lang in dict.fromkeys([*names, *aliases])
    }
    if not merged and not actor_id.startswith("country-"):  # an entry may only mark a built-in's aliases
        trouble.append(f"'{actor_id}' has no names or aliases: nothing can find it")
    spellings = {alias_key(a) for s in merged.values() for a in s} if any(k in entry for k in _MARKS) else set()
    marks = {key: _marked(entry, key, spellings, actor_id, trouble) for key in _MARKS}
    context = tuple(dict.fromkeys(_strings(entry, "context", actor_id, trouble)))
    wikidata = entry.get("wikidata")
    if wikidata is not None and not re.fullmatch(r"Q\d+", str(wikidata)):
        trouble.append(f"'{actor_id}': wikidata must look like Q7747, not '{wikidata}'")
        wikidata = None
    return (
        Actor(
            id=actor_id,
            kind=kind,
            names=MappingProxyType(dict(names)),
            aliases=MappingProxyType(merged),
            wikidata=wikidata,
            description=str(entry.get("description", "")),
            line=line,
            ambiguous=marks["ambiguous"],
            context_only=marks["context_only"],
            unambiguous=marks["unambiguous"],
            context=context,
        ),
        trouble,
    )


_MARKS = ("ambiguous", "context_only", "unambiguous")
_KEYS = frozenset({"kind", "names", "aliases", "wikidata", "description", "context", *_MARKS})


def _strings(entry: Mapping[str, Any], key: str, actor_id: str, trouble: list[str]) -> list[str]:
    value = entry.get(key, [])
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        trouble.append(f"'{actor_id}': {key} must be a list of strings")
        return []
    return [x.strip() for x in items if x.strip()]


def _marked(
    entry: Mapping[str, Any], key: str, spellings: set[str], actor_id: str, trouble: list[str]
) -> frozenset[str]:
    """The aliases an archivist marks (`ambiguous = ["الحياة"]`), normalised; each must be one of the actor's."""
    marked = set()
    for alias in _strings(entry, key, actor_id, trouble):
        if alias_key(alias) in spellings or actor_id.startswith("country-"):  # a built-in's aliases are not here
            marked.add(alias_key(alias))
        else:
            trouble.append(f"'{actor_id}': {key} names '{alias}', which is not one of its names or aliases")
    return frozenset(marked)


def _by_language(value: Any, actor_id: str, key: str, trouble: list[str], *, single: bool) -> dict[str, Any]:
    """`{lang = "x"}` for names, `{lang = ["x", "y"]}` for aliases (a lone string is accepted too)."""
    if not isinstance(value, dict):
        trouble.append(f"'{actor_id}': {key} must map languages to {'a name' if single else 'lists of aliases'}")
        return {}
    result: dict[str, Any] = {}
    for lang, v in value.items():
        items = [v] if isinstance(v, str) else v
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items) or (single and len(items) != 1):
            trouble.append(f"'{actor_id}': {key}.{lang} must be {'a string' if single else 'a list of strings'}")
            continue
        cleaned = [x.strip() for x in items if x.strip()]
        if cleaned:
            result[lang] = cleaned[0] if single else tuple(cleaned)
    return result


def _table_lines(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*\[\s*\"?([^\]\"]+)\"?\s*\]\s*(#.*)?$", line)
        if m:
            found.setdefault(m.group(1).strip(), number)
    return found


def combine(builtins: Iterable[Actor], authority: Iterable[Actor]) -> dict[str, Actor]:
    """Authority entries extend the built-in actor with the same id: aliases added, names and texts win."""
    actors = {a.id: a for a in builtins}
    for actor in authority:
        base = actors.get(actor.id)
        if base is None:
            actors[actor.id] = actor
            continue
        aliases = {
            lang: tuple(dict.fromkeys([*base.aliases.get(lang, ()), *actor.aliases.get(lang, ())]))
            for lang in dict.fromkeys([*base.aliases, *actor.aliases])
        }
        actors[actor.id] = replace(
            base,
            names=MappingProxyType({**base.names, **actor.names}),
            aliases=MappingProxyType(aliases),
            wikidata=actor.wikidata or base.wikidata,
            description=actor.description or base.description,
            kind=actor.kind,
            line=actor.line,
            ambiguous=base.ambiguous | actor.ambiguous,
            context_only=base.context_only | actor.context_only,
            unambiguous=base.unambiguous | actor.unambiguous,
            context=tuple(dict.fromkeys([*base.context, *actor.context])),
        )
    return actors


def unknown_actor_id(name: str, known: Container[str]) -> str:
    """The id of a front-matter name no actor has: readable (suggest.new_id), never one the authority file uses."""
    base = new_id(name, ())
    actor_id, n = base, 1
    while actor_id in known:
        n += 1
        actor_id = f"{base}-{n}"
    return actor_id


def own_actors(
    article: Article,
    known: Mapping[str, Actor],
    ids: dict[str, str] | None = None,
    into: dict[str, Actor] | None = None,
) -> dict[str, Actor]:
    """The actors of an article's front-matter names that no actor has, spelt as the article spells them (the
    first spelling of an id), added to `into` where it has none by that id; `ids` remembers name -> id across
    calls (a name recurs in many articles)."""
    ids = {} if ids is None else ids
    own: dict[str, Actor] = {} if into is None else into
    for name in article.unknown_actors:
        actor_id = ids.get(name) or ids.setdefault(name, unknown_actor_id(name, known))
        if actor_id not in own:
            own[actor_id] = Actor(actor_id, "unknown", {article.lang or "und": name}, {})
    return own


def front_matter_actors(articles: Iterable[Article], known: Mapping[str, Actor]) -> dict[str, Actor]:
    """Every front-matter name no actor has, as an actor of its own (kind unknown until the authority file says),
    named as the first article by path spells it: what a Hugo or Pelican user expects of a tag-like list."""
    found: dict[str, Actor] = {}
    ids: dict[str, str] = {}  # each distinct name's id made once, not once per article (this runs every rebuild)
    for article in sorted(articles, key=lambda a: a.source):
        own_actors(article, known, ids, found)  # an Actor made only for a name's first article
    return dict(sorted(found.items()))
