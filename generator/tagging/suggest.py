"""Propose new actors and new aliases from the archive itself (`arshif actors suggest`); never changes tagging.

Three sources, pure functions over already tagged articles:
- a name after a title or role (الرئيس الروسي، فلاديمير بوتين; President Ronald Reagan), and capitalised
  runs of 2-4 words in English text;
- spelling variants of a known Arabic alias by vowel-less skeleton (بوتن ~ بوتين). NOTES-arabic.md: 68% of
  common words share a skeleton with another word, so a variant must also differ by one long vowel only,
  be no common word, and the alias it resembles must itself be used in the archive;
- a found name that is, or contains, a known person's alias is offered as that person's alias instead.
Text is normalised with ى kept apart from ي (as the matcher does), so على never reads as the name علي.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from generator.model import Actor, ActorKind, Article
from generator.tagging.names import (
    ARABIC,
    COMMON_SHARE,
    EN_BODY,
    FUNCTION_WORDS,
    LINKS,
    SONS,
    WORD,
    Hit,
    Lexicon,
    arabic_hits,
    english_hits,
    find_word,
    fold_name,
    sentence_around,
    skeleton,
    texts,
    trim_names,
    unclitic,
)


@dataclass(frozen=True)
class AliasSuggestion:
    actor: str
    alias: str
    lang: str
    like: str  # the known alias it resembles or contains
    count: int  # articles
    example: str
    source: str  # "skeleton" | "title"


@dataclass(frozen=True)
class ActorSuggestion:
    id: str
    kind: ActorKind
    name: str
    lang: str
    count: int  # articles
    example: str
    aliases: tuple[str, ...] = ()  # other spellings seen for the same name (a shorter form, a surname)


@dataclass(frozen=True)
class Suggestions:
    aliases: tuple[AliasSuggestion, ...] = ()
    actors: tuple[ActorSuggestion, ...] = ()


@dataclass
class _Candidate:
    articles: set[int] = field(default_factory=set)
    surfaces: Counter[str] = field(default_factory=Counter)
    hits: list[Hit] = field(default_factory=list)

    def shown(self) -> str:
        return self.surfaces.most_common(1)[0][0]


def _alias_index(actors: Mapping[str, Actor]) -> dict[str, set[str]]:
    """Normalised alias (and its form without ال) -> ids of the actors it names."""
    index: dict[str, set[str]] = {}
    for actor in actors.values():
        for alias in (a for spellings in actor.aliases.values() for a in spellings):
            norm = " ".join(fold_name(alias).split())
            for form in (norm, norm[2:] if norm.startswith("ال") and len(norm) > 5 else ""):
                if form:
                    index.setdefault(form, set()).add(actor.id)
    return index


def _one_vowel_apart(a: str, b: str) -> bool:
    """b is a with one ا و ي ى inserted (or the reverse), not at the end: بوتن/بوتين yes, مصر/مصري no."""
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) != 1 or long.rstrip("اهيى").startswith(short.rstrip("اهيى")):
        return False
    k = next(k for k, (x, y) in enumerate(zip(short + " ", long, strict=False)) if x != y)
    if long[k] == "ا" and (k == 1 or (k == 2 and long.startswith("ال"))):
        return False  # the patterns فاعل and أفعال make other words of the same root (عامان، الأعراق)
    return long[k] in "اويى" and long[:k] + long[k + 1 :] == short


def _variants(articles: Sequence[Article], actors: Mapping[str, Actor], index: Mapping[str, set[str]]) -> tuple:
    """Every word's article count, and the articles of each (word, known alias) pair with the same skeleton."""
    by_skeleton: dict[str, list[str]] = {}
    for actor in actors.values():
        for alias in {fold_name(a) for a in actor.aliases.get("ar", ())}:  # Urdu and others spell too differently
            if " " not in alias and len(alias) >= 4 and len(skeleton(alias)) >= 3:
                by_skeleton.setdefault(skeleton(alias), []).append(alias)
    pairs: dict[str, list[tuple[str, str]]] = {}  # word -> (bare form, alias) that it may be a variant of
    found: dict[tuple[str, str], set[int]] = {}
    df: Counter[str] = Counter()
    for number, article in enumerate(articles):
        words = set(WORD.findall(fold_name(f"{article.title}\n{article.body}"))) if article.dir == "rtl" else set()
        df.update(words)
        for word in words:
            if word not in pairs:
                forms = list(unclitic(word))
                known = any(f in index for f in forms)
                pairs[word] = [
                    (f, alias)
                    for f in forms
                    if not known and len(f) >= 4 and f not in FUNCTION_WORDS
                    for alias in by_skeleton.get(skeleton(f), ())
                    if _one_vowel_apart(f, alias)
                ]
            for pair in pairs[word]:
                found.setdefault(pair, set()).add(number)
    return df, found


def suggest(
    articles: Sequence[Article], actors: Mapping[str, Actor], *, min_count: int = 2, limit: int = 30
) -> Suggestions:
    """New aliases for known actors and new actors, most articles first, at most `limit` of each."""
    index = _alias_index(actors)
    df, variants = _variants(articles, actors, index)
    lex = Lexicon(df)
    hits: list[Hit] = []
    for number, article in enumerate(articles):
        places: dict[int, list[tuple[int, int]]] = {}
        for m in article.mentions:
            if m.actor in actors and actors[m.actor].kind != "person":
                places.setdefault(m.paragraph, []).append((m.start, m.end))
        for paragraph, text in texts(article):
            if article.dir == "rtl":
                hits += arabic_hits(text, (number, paragraph), places.get(paragraph, ()), lex)
            else:
                hits += english_hits(text, (number, paragraph))
    hits = trim_names([h for h in hits if h.lang == "ar"], min_count) + [h for h in hits if h.lang != "ar"]
    names: dict[tuple[str, ...], _Candidate] = {}
    for hit in hits:
        candidate = names.setdefault(hit.key, _Candidate())
        candidate.articles.add(hit.article)
        candidate.surfaces[hit.surface] += 1
        candidate.hits.append(hit)
    names = {k: c for k, c in names.items() if len(c.articles) >= min_count}
    first_names = {k[0] for k in names if len(k) > 1}

    def example(hit: Hit) -> str:
        return sentence_around(articles[hit.article], hit.paragraph, hit.start)

    aliases: list[AliasSuggestion] = []
    for (form, like), numbers in variants.items():
        definite_noun = form.startswith("ال") and df[form[2:]] >= max(3, COMMON_SHARE * df[form])
        if min(len(numbers), df[form], df[like]) < min_count or lex.common(form) or definite_noun:
            continue  # rare, seen only under a clitic (بايرن), like a name this archive never uses, a noun
        if max(len(w[2:] if w.startswith("ال") else w) for w in (form, like)) < 5:
            continue  # short words collide by the hundred (عامان/عمان، الهنود/الهند)
        if form in first_names:
            continue  # a first name of its own (فرنسوا هولاند), not France spelled differently
        number = min(numbers)
        shown = example(Hit((), "", number, *find_word(articles[number], form)))
        aliases += [AliasSuggestion(i, form, "ar", like, len(numbers), shown, "skeleton") for i in sorted(index[like])]

    new: dict[tuple[str, ...], _Candidate] = {}
    for key, candidate in names.items():
        if (ARABIC.match(key[0]) and lex.common(key[0])) or (len(key) == 1 and key[0] in first_names):
            continue  # a common noun, or a lone first name that many people share
        parts = [" ".join(key[s : s + n]) for n in range(len(key), 0, -1) for s in range(len(key) - n + 1)]
        owner = next((p for p in parts if p in index), None)
        if owner is None:
            new[key] = candidate
            continue
        people = sorted(i for i in index[owner] if actors[i].kind == "person")
        if owner != " ".join(key):  # a longer name around a known person's alias: قاسم جومارت توكاييف
            for i in people:
                lang = "ar" if ARABIC.match(key[0]) else "en"
                count = len(candidate.articles)
                aliases.append(
                    AliasSuggestion(i, candidate.shown(), lang, owner, count, example(candidate.hits[0]), "title")
                )
    merged = _merge(new)
    taken = set(actors)
    result = []
    for _key, candidate, others in sorted(merged, key=lambda m: (-len(m[1].articles), m[0]))[:limit]:
        shown = candidate.shown()
        titled = any(h.titled for h in candidate.hits)
        kind: ActorKind = "person" if titled else "organisation" if EN_BODY.search(shown) else "place"
        actor_id = new_id(shown, taken)
        taken.add(actor_id)
        lang = "ar" if ARABIC.match(shown) else "en"
        result.append(
            ActorSuggestion(actor_id, kind, shown, lang, len(candidate.articles), example(candidate.hits[0]), others)
        )
    aliases.sort(key=lambda s: (-s.count, s.actor, s.alias))
    return Suggestions(tuple(aliases[:limit]), tuple(result))


def _core(key: tuple[str, ...]) -> tuple[str, ...]:
    """The name without its "son of X" parts, when two words are left (عادل بن أحمد الجبير -> عادل الجبير)."""
    core = tuple(w for k, w in enumerate(key) if w not in SONS and (k == 0 or key[k - 1] not in SONS))
    return core if len(core) >= 2 else key


def _merge(new: Mapping[tuple[str, ...], _Candidate]) -> list[tuple[tuple[str, ...], _Candidate, tuple[str, ...]]]:
    """One actor per person: a name that exactly one longer name extends with its lineage (سلمان بن عبدالعزيز
    [آل سعود]), or a lone surname that ends exactly one (أوباما), joins it; one shared by several is dropped."""
    into: dict[tuple[str, ...], tuple[str, ...]] = {}
    spellings: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in new:  # نتنياهو/نتانياهو one vowel apart, عادل [بن أحمد] الجبير with or without the father
        spellings.setdefault(tuple(map(skeleton, _core(key))), []).append(key)
    for keys in spellings.values():
        main = max(keys, key=lambda k: len(new[k].articles))
        for key in keys:
            if key != main and all(
                a == b or _one_vowel_apart(a, b) for a, b in zip(_core(key), _core(main), strict=True)
            ):
                into[key] = main
    for key in sorted((k for k in new if k not in into), key=len):
        longer = [
            k
            for k in new
            if len(k) > len(key)
            and k not in into
            and ((k[: len(key)] == key and k[len(key)] in LINKS) or (len(key) == 1 and k[-1] == key[0]))
        ]
        minimal = [k for k in longer if not any(o != k and k[: len(o)] == o for o in longer)]
        if len(minimal) == 1:
            into[key] = minimal[0]
        elif len(minimal) > 1:
            into[key] = ()
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in new:
        root = key
        while into.get(root):
            root = into[root]
        if root not in into:
            groups.setdefault(root, []).append(key)
    result = []
    for members in groups.values():
        members.sort(key=lambda k: (-len(new[k].articles), -len(k)))
        best = _Candidate()
        best.surfaces, best.hits = new[members[0]].surfaces, new[members[0]].hits
        for k in members:
            best.articles |= new[k].articles
        result.append((members[0], best, tuple(new[k].shown() for k in members[1:])))
    return result


_LATIN = dict(
    zip(
        "ابتثجحخدذرزسشصضطظغفقكلمنهةءأإآىئؤ",
        "a b t th j h kh d dh r z s sh s d t z gh f q k l m n h a - a i a a i u".split(),
        strict=True,
    )
)


# How the news spells the commonest parts of Arab names in Latin letters: a vowel-less transliteration of
# them (mhmd, abd-alftah) is no readable id.
_NAME_WORDS = {
    fold_name(arabic): latin
    for arabic, latin in (
        ("محمد", "mohammed"), ("أحمد", "ahmed"), ("محمود", "mahmoud"), ("مصطفى", "mustafa"), ("علي", "ali"),
        ("حسن", "hassan"), ("حسين", "hussein"), ("عمر", "omar"), ("عثمان", "othman"), ("خالد", "khaled"),
        ("سلمان", "salman"), ("فيصل", "faisal"), ("فهد", "fahd"), ("يوسف", "youssef"), ("إبراهيم", "ibrahim"),
        ("سعيد", "saeed"), ("سعد", "saad"), ("ناصر", "nasser"), ("صالح", "saleh"), ("عبدالله", "abdullah"),
        ("عبد", "abdel"), ("بن", "bin"), ("بنت", "bint"), ("ابن", "ibn"), ("أبو", "abu"), ("أبي", "abi"),
        ("أم", "umm"), ("آل", "al"), ("الله", "allah"), ("الفتاح", "fattah"), ("الرحمن", "rahman"),
        ("العزيز", "aziz"), ("الكريم", "karim"), ("الرحيم", "rahim"), ("الحميد", "hamid"), ("المجيد", "majid"),
        ("اللطيف", "latif"), ("القادر", "qader"), ("السلام", "salam"), ("الملك", "malik"), ("تركي", "turki"),
        ("سلطان", "sultan"), ("حمد", "hamad"), ("زايد", "zayed"), ("راشد", "rashid"), ("طلال", "talal"),
        ("نايف", "nayef"), ("بشار", "bashar"), ("موسى", "musa"), ("عيسى", "issa"), ("يحيى", "yahya"),
    )
}  # fmt: skip
_VOWELS = frozenset("aeiou")


def new_id(name: str, taken: Iterable[str]) -> str:
    """A readable ASCII id for a URL: محمد بن سلمان -> mohammed-bin-salman; English names are slugged."""
    words = fold_name(name).split()
    out = []
    for k, word in enumerate(words):
        if word == "عبد" and k + 1 < len(words) and words[k + 1] == "الله":
            continue  # عبد الله is abdullah, one word
        if word == "الله" and k and words[k - 1] == "عبد":
            out.append("abdullah")
        elif word in _NAME_WORDS:
            out.append(_NAME_WORDS[word])
        elif word.startswith("ال") and len(word) > 3 and _ARABIC_LETTER.match(word):
            out.append("al-" + _transliterate(word[2:]))  # السيسي -> al-sisi
        else:
            out.append(_transliterate(word))
    base = re.sub(r"-+", "-", "-".join(w for w in out if w)).strip("-") or "person"
    taken = set(taken)
    actor_id, n = base, 1
    while actor_id in taken:
        n += 1
        actor_id = f"{base}-{n}"
    return actor_id


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def _transliterate(word: str) -> str:
    """Letter by letter; و and ي are consonants at the start or before a vowel letter, long vowels elsewhere."""
    letters = []
    for k, c in enumerate(word):
        if c in "وي":
            consonant = k == 0 or word[k + 1 : k + 2] in ("ا", "و", "ي")
            letters.append(("w" if c == "و" else "y") if consonant else ("u" if c == "و" else "i"))
        elif c == "ع":
            letters.append("a" if k == 0 else "")
        elif c == "ه" and k == len(word) - 1 and k > 1:
            letters.append("a")  # a folded ة: فاطمة -> fatma
        else:
            letters.append(_LATIN.get(c, c if c.isascii() and c.isalnum() else ""))
    latin = "".join(letters).strip("-")
    if len(latin) > 2 and not _VOWELS & set(latin):
        latin = latin[0] + "a" + latin[1:]  # the short vowels are not written: نمر -> namr, not nmr
    return latin


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def to_toml(suggestions: Suggestions, actors: Mapping[str, Actor]) -> str:
    """Blocks ready to paste into actors.toml; counts and examples as comments."""
    out = ["# New aliases for known actors", ""] if suggestions.aliases else []
    by_actor: dict[str, list[AliasSuggestion]] = {}
    for s in suggestions.aliases:
        by_actor.setdefault(s.actor, []).append(s)
    for actor_id, group in by_actor.items():
        actor = actors.get(actor_id)
        for s in group:
            out.append(f"# {s.alias} looks like {s.like} ({actor_id}): {s.count} articles — e.g. «{s.example}»")
        if actor and actor.line:
            out.append(f"# [{actor_id}] is already in the authority file (line {actor.line}): add the aliases there")
        langs: dict[str, list[str]] = {}
        for s in group:
            langs.setdefault(s.lang, []).append(s.alias)
        spelled = ", ".join(f"{lang} = [{', '.join(map(_toml, a))}]" for lang, a in langs.items())
        out += [f"[{actor_id}]", f"aliases = {{ {spelled} }}", ""]
    out += ["# New actors", ""] if suggestions.actors else []
    for a in suggestions.actors:
        out += [f"# {a.name}: {a.count} articles — e.g. «{a.example}»", f"[{a.id}]", f'kind = "{a.kind}"']
        out.append(f"names = {{ {a.lang} = {_toml(a.name)} }}")
        if a.aliases:
            out.append(f"aliases = {{ {a.lang} = [{', '.join(map(_toml, a.aliases))}] }}")
        out.append("")
    return "\n".join(out)


def to_json(suggestions: Suggestions) -> str:
    return json.dumps(asdict(suggestions), ensure_ascii=False, indent=2) + "\n"
