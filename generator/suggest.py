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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from generator.arabic import normalize, normalize_with_offsets
from generator.model import Actor, ActorKind, Article
from generator.tagging import STOPWORDS


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


def _norm(text: str) -> str:
    return normalize(text, fold_ya=False)


def _words(text: str) -> frozenset[str]:
    return frozenset(_norm(text).split())


# Titles and roles; a name follows, possibly after qualifiers. A title met among the qualifiers restarts.
_TITLES = frozenset(
    " ".join(_norm(w).split())
    for w in """الرئيس|الرئيسة|رئيس|رئيسة|رئيس الوزراء|رئيس وزراء|رئيسة الوزراء|وزير|وزيرة|الوزير|الوزيرة
    |المتحدث|المتحدثة|الناطق|الناطقة|الأمين العام|أمين عام|الملك|الملكة|الأمير|الأميرة|أمير|ولي العهد|ولي عهد
    |السفير|السفيرة|المبعوث|المبعوثة|زعيم|زعيمة|قائد|القائد|النائب|النائبة|الشيخ|الشيخة|الجنرال|المستشار
    |المستشارة|مستشار|اللواء|العميد|العقيد|المشير|الدكتور|الدكتورة|المهندس|السيناتور|الحاكم|البابا
    |المرشد|آية الله|المفتي|الإمام|المدير العام|مدير عام|نائب|خادم الحرمين الشريفين|صاحب السمو الملكي|صاحب السمو
    |سمو|معالي|فخامة|سماحة|جلالة""".split("|")
)
# Indefinite titles that a name follows directly (others head a construct: رئيس وزراء بريطانيا ...).
_NAMED_TITLES = frozenset(_norm(t) for t in ("آية الله", "خادم الحرمين الشريفين", "صاحب السمو الملكي", "صاحب السمو"))
_TITLE_HEADS = frozenset(t.split()[0] for t in _TITLES)
_TITLE_MAX = max(len(t.split()) for t in _TITLES)
_TITLE_SCAN = re.compile("|".join(sorted({h.removeprefix("ال") for h in _TITLE_HEADS}, key=len, reverse=True)))
# Words between a title and the name that are not the name (ال- words and known places are too).
_QUALIFIERS = _words("باسم وزراء خارجية دفاع داخلية مالية عدل اقتصاد تجارة نفط طاقة إعلام صحة تعليم عام سابق")
# Heads of a construct (حزب الله، تنظيم داعش، لشركة المهو): the word after them belongs to them.
_BODIES = _words(
    """وزارة حكومة حزب حركة تنظيم جماعة مجلس هيئة منظمة جامعة دولة جمهورية مملكة إمارة ولاية قوات جيش شرطة
    بلدية لجنة منطقة محافظة مدينة بنك شركة نادي اتحاد مؤسسة مركز ائتلاف كتلة جبهة عهد سفارة مكتب أركان
    إقليم عضو قسم إدارة"""
)
# Parts of a name that are no name alone (محمد بن سلمان، عبد الفتاح، أبو بكر، آل سعود).
_LINKS = _words("بن بنت ابن أبو أبي عبد آل أم")
_SONS = _words("بن بنت")
_FUSED = re.compile(r"\b(عبد|ابو) ")  # عبد الله and عبدالله are one word of one name
# Function words and verbs of reporting: a name stops before them.
_FUNCTION = STOPWORDS | _words(
    """إن أن أنه أنها بأن لأن كما أيضا الذي التي الذين هو هي هم إنه إلى عليه فيه منه له لها لهم ليس ليست
    قال قالت أكد أكدت أعلن أعلنت أضاف أضافت أوضح أوضحت أشار أشارت ذكر ذكرت دعا دعت أعرب أعربت اعتبر أجرى
    استقبل التقى بحث يبحث يستقبل يلتقي وصل غادر عقد يزور زار تلقى أمر أصدر وجه رعى افتتح قام يقوم سيكون
    لم لن وقد فقد هنا هناك حاليا سابقا يومي الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء
    غدا أمس يوما الحالي المقبل الماضي رئيسا وزيرا نائبا أميرا ملكا قائدا سفيرا بعدما عندما حين بينما ولي
    بعدها عبر وفق وفقا حسب بشأن بخصوص تجاه نفسه ذاته شخصيا جديد جديدة كل أي قائلا قائلة مضيفا مضيفة
    مؤكدا مؤكدة مشيرا مشيرة موضحا موضحة معربا معربة"""
)
_PROCLITICS = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
_DEFINITE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")
_TOKEN = re.compile(r"([^\W\d_]+)|(\S)")
_WORD = re.compile(r"[^\W\d_]+")  # on normalised text: marks are gone, so a word is letters only
_SKELETON_DROP = re.compile("[اويى]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_EN_TITLES = frozenset(
    "President Minister Secretary Chairman Governor Senator Chancellor King Queen Prince Sheikh Mr Mrs Ms "
    "Dr Ambassador Premier Pope Judge Commissioner".split()
)
# Words that open sentences or name times: never part of an English name.
_EN_STOP = frozenset(
    """The A An In On At But And For To Of By With From As If It Its This That These Those He She They We I
    There Here When While After Before Since Under Over About Also Only Some Many Most All Any Each Other
    January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday Reuters Prime""".split()
)
_EN_LINKS = frozenset("of de bin al van von der du la le".split())
_EN_BODY = re.compile(
    r"\b(?:Bank|Corp|Corporation|Inc|Co|Company|Group|Ministry|Council|Party|Association|Fund|Union|Organi[sz]ation"
    r"|Department|Agency|Exchange|Commission|Board|Reserve|Committee|Airlines|Industries|Holdings|Trust|Oil)\b"
)
COMMON_SHARE = 0.15  # a word whose ال- form is this common is a noun, not a name (نادي/النادي)


@dataclass(frozen=True)
class _Hit:
    """A name found in one article: normalised words, as printed, and where (for the example)."""

    key: tuple[str, ...]
    surface: str
    article: int
    paragraph: int
    start: int
    titled: bool = True  # after a title: a person (or an office holder)
    lang: str = "ar"


@dataclass
class _Candidate:
    articles: set[int] = field(default_factory=set)
    surfaces: Counter[str] = field(default_factory=Counter)
    hits: list[_Hit] = field(default_factory=list)

    def shown(self) -> str:
        return self.surfaces.most_common(1)[0][0]


class _Lexicon:
    """What this archive says about words (article counts), with per-run caches."""

    def __init__(self, df: Mapping[str, int]) -> None:
        self.df = df
        self._common: dict[str, bool] = {}
        self._clitic: dict[str, bool] = {}
        self._heads: dict[str, tuple[str, ...]] = {}

    def common(self, word: str) -> bool:
        """A function word, or a noun that often takes the article (مدير/المدير): no spelling to propose."""
        if word not in self._common:
            definite = self.df.get("ال" + word, 0)
            self._common[word] = word in _FUNCTION or (
                definite >= 3 and definite >= COMMON_SHARE * self.df.get(word, 0)
            )
        return self._common[word]

    def clitic(self, word: str) -> bool:
        """و/ف/ب/ل glued to a word (وعدد، بمناسبة، لكرة), not a name that begins so (وليد، بشار، فيصل):
        the rest is a function word or a body, or it (bare or with ال) is half as frequent as the whole."""
        if word not in self._clitic:
            rest = word[1:]
            bare = self.df.get(rest, 0) + self.df.get("ال" + rest, 0)  # لكرة: كرة 180 + الكرة 145 > لكرة 341 / 2
            self._clitic[word] = word[:1] in "وفبل" and (
                rest in _FUNCTION or (len(rest) >= 3 and (rest in _BODIES or bare >= max(1, self.df.get(word, 0)) / 2))
            )
        return self._clitic[word]

    def title_at(self, norms: Sequence[str | None], i: int) -> tuple[int, bool]:
        """How many tokens a title at token i spans (0: none; its first word may carry و/ل/لل), and whether
        it is definite (الرئيس: a name may follow) or a construct head (رئيس وزراء: a genitive follows)."""
        word = norms[i]
        if word is None:
            return 0, False
        if word not in self._heads:
            heads = [f for f in unclitic(word) if f in _TITLE_HEADS]  # والرئيس: و + الرئيس before وال + رئيس
            self._heads[word] = tuple(sorted(heads, key=lambda f: not f.startswith("ال")))
        for head in self._heads[word]:
            for n in range(min(_TITLE_MAX, len(norms) - i), 0, -1):
                rest = norms[i + 1 : i + n]
                if None in rest:
                    continue
                title = " ".join((head, *rest))  # type: ignore[arg-type]
                if title in _TITLES:
                    return n, head.startswith("ال") or title in _NAMED_TITLES
        return 0, False


def skeleton(word: str) -> str:
    """The vowel-less key of a normalised word: ا و ي ى dropped after the first letter (بوتن = بوتين)."""
    return word[:1] + _SKELETON_DROP.sub("", word[1:])


def unclitic(word: str) -> Iterator[str]:
    """`word` and what it may be under a proclitic (للرئيس -> الرئيس, وبوتن -> بوتن)."""
    yield word
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) > len(p) + 1:
            yield ("ال" + word[len(p) :]) if p.endswith("لل") else word[len(p) :]


def _texts(article: Article) -> Iterator[tuple[int, str]]:
    yield -1, article.title
    yield from enumerate(article.paragraphs)


def _arabic_hits(text: str, where: tuple[int, int], places: Sequence[tuple[int, int]], lex: _Lexicon) -> Iterator[_Hit]:
    """Names after titles in one paragraph; `places` are spans of known non-person actors (qualifiers)."""
    norm, offsets = normalize_with_offsets(text, fold_ya=False)
    if not _TITLE_SCAN.search(norm):
        return  # most paragraphs name no title: skip them before tokenising
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(norm)]
    norms = [t if t[0].isalpha() else None for _, _, t in tokens]

    def at(k: int) -> int:
        return offsets[k] if offsets else k

    def placed(k: int) -> bool:
        return any(s <= at(tokens[k][0]) < e for s, e in places)

    i = 0
    while i < len(tokens):
        n, definite = lex.title_at(norms, i)
        if not n:
            i += 1
            continue
        j = i + n
        if not definite:  # رئيس وزراء بريطانيا، رئيس قسم الطب، زعيم تنظيم داعش: the genitive is no name
            for _ in range(3):
                w, body = norms[j] if j < len(tokens) else None, norms[j - 1] in _BODIES
                if w is None or lex.title_at(norms, j)[0]:
                    break
                j += 1
                if w.startswith(_DEFINITE) or placed(j - 1) or body:
                    break
            else:
                i = j
                continue
        qualifiers, genitive = 0, False
        while j < len(tokens) and qualifiers <= 6:  # الروسي، وزارة الخارجية، روسيا، a comma
            w = norms[j]
            if w is None:
                if tokens[j][2] not in ",،":
                    break
            elif lex.title_at(norms, j)[0]:
                break
            elif genitive or w in _BODIES or lex.clitic(w):
                genitive = w in _BODIES or (lex.clitic(w) and w[1:] in _BODIES)  # حزب الله، لشركة المهو
            elif not (placed(j) or w in _QUALIFIERS or w.startswith(_DEFINITE)):
                break
            j, qualifiers = j + 1, qualifiers + 1
        name: list[int] = []
        while j < len(tokens) and len([k for k in name if norms[k] not in _LINKS]) < 3:
            w = norms[j]
            if w is None or w in _FUNCTION or len(w) < 2 or placed(j) or lex.title_at(norms, j)[0] or lex.clitic(w):
                break
            if name and w.startswith(_DEFINITE[1:]):
                break  # للإغاثة: a body named after someone
            name.append(j)
            j += 1
        if name and norms[name[0]] in _SONS and norms[name[0] - 1]:
            name.insert(0, name[0] - 1)  # الوليد بن طلال: a first name with ال was taken for a qualifier
        while name and norms[name[-1]] in _LINKS:
            name.pop()
        if name:
            first, last = tokens[name[0]][0], tokens[name[-1]][1]
            begin, end = at(first), at(last - 1) + 1
            key = " ".join(norms[k] for k in name)  # type: ignore[misc]
            yield _Hit(tuple(_FUSED.sub(r"\1", key).split()), text[begin:end], *where, begin)
        i = max(j, i + 1)


def _english_hits(text: str, where: tuple[int, int]) -> Iterator[_Hit]:
    """Capitalised runs (President Ronald Reagan, Bank of England); not ALL CAPS, months or lone sentence starts."""
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        run: list[re.Match[str]] = []
        while i < len(tokens):
            w = tokens[i].group(1) or ""
            capitalised = w[:1].isupper() and not w.isupper() and w.isascii()
            next_word = tokens[i + 1].group(1) or "" if i + 1 < len(tokens) else ""
            if not (capitalised or (run and w in _EN_LINKS and next_word[:1].isupper())) or (w in _EN_STOP and run):
                break
            run.append(tokens[i])
            i += 1
        i += 0 if run else 1
        before = text[: run[0].start()].rstrip()[-1:] if run else ""
        titles = [k for k, m in enumerate(run) if m.group(1) in _EN_TITLES]
        titled = bool(titles)
        run = run[titles[-1] + 1 :] if titles else run  # Treasury Secretary James Baker -> James Baker
        while run and run[0].group(1) in _EN_STOP:
            run.pop(0)
        while run and run[-1].group(1) in _EN_LINKS:
            run.pop()
        sentence_start = not before or before in ".!?\"'"
        if run and len(run) <= 4 and (len(run) >= 2 or (titled and not sentence_start)):
            surface = text[run[0].start() : run[-1].end()]
            yield _Hit(tuple(_norm(m.group()) for m in run), surface, *where, run[0].start(), titled, "en")


def _cut(hits: list[_Hit], min_count: int) -> list[_Hit]:
    """Trim each Arabic name to its longest prefix that recurs: a surname recurs, a word after the name not."""
    support: dict[tuple[str, ...], set[int]] = {}
    for hit in hits:
        for n in range(1, len(hit.key) + 1):
            support.setdefault(hit.key[:n], set()).add(hit.article)
    cut = []
    for hit in hits:
        n, last = 1, 1  # `last`: the longest accepted prefix that does not end in a link (بن، عبد)
        while n < len(hit.key):
            longer = len(support[hit.key[: n + 1]])
            if longer < min_count or longer < COMMON_SHARE * len(support[hit.key[:n]]):
                break
            n += 1
            last = n if hit.key[n - 1] not in _LINKS else last
        words = hit.surface.split()
        surface = " ".join(words[:last]) if len(words) == len(hit.key) else hit.surface
        cut.append(_Hit(hit.key[:last], surface, hit.article, hit.paragraph, hit.start, hit.titled))
    return cut


def _example(article: Article, paragraph: int, start: int, width: int = 110) -> str:
    """The sentence around `start`, on one line, shortened around the name."""
    text = article.title if paragraph < 0 else article.paragraphs[paragraph]
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    end = next((m.start() + 1 for m in _SENTENCE_END.finditer(text, start)), len(text))
    cut = max(begin, start - width // 3)
    shown = " ".join(text[cut : min(end, cut + width)].split())
    return ("…" if cut > begin else "") + shown + ("…" if end > cut + width else "")


def _find(article: Article, word: str) -> tuple[int, int]:
    """Paragraph and start of the first `word` (normalised, maybe under a proclitic) in the article."""
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(_PROCLITICS)})?({re.escape(word)})(?!\w)")
    for index, text in _texts(article):
        norm, offsets = normalize_with_offsets(text, fold_ya=False)
        m = pattern.search(norm)
        if m:
            return index, offsets[m.start(1)] if offsets else m.start(1)
    return -1, 0


def _alias_index(actors: Mapping[str, Actor]) -> dict[str, set[str]]:
    """Normalised alias (and its form without ال) -> ids of the actors it names."""
    index: dict[str, set[str]] = {}
    for actor in actors.values():
        for alias in (a for spellings in actor.aliases.values() for a in spellings):
            norm = " ".join(_norm(alias).split())
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
        for alias in {_norm(a) for a in actor.aliases.get("ar", ())}:  # Urdu and others spell too differently
            if " " not in alias and len(alias) >= 4 and len(skeleton(alias)) >= 3:
                by_skeleton.setdefault(skeleton(alias), []).append(alias)
    pairs: dict[str, list[tuple[str, str]]] = {}  # word -> (bare form, alias) that it may be a variant of
    found: dict[tuple[str, str], set[int]] = {}
    df: Counter[str] = Counter()
    for number, article in enumerate(articles):
        words = set(_WORD.findall(_norm(f"{article.title}\n{article.body}"))) if article.dir == "rtl" else set()
        df.update(words)
        for word in words:
            if word not in pairs:
                forms = list(unclitic(word))
                known = any(f in index for f in forms)
                pairs[word] = [
                    (f, alias)
                    for f in forms
                    if not known and len(f) >= 4 and f not in _FUNCTION
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
    lex = _Lexicon(df)
    hits: list[_Hit] = []
    for number, article in enumerate(articles):
        places: dict[int, list[tuple[int, int]]] = {}
        for m in article.mentions:
            if m.actor in actors and actors[m.actor].kind != "person":
                places.setdefault(m.paragraph, []).append((m.start, m.end))
        for paragraph, text in _texts(article):
            if article.dir == "rtl":
                hits += _arabic_hits(text, (number, paragraph), places.get(paragraph, ()), lex)
            else:
                hits += _english_hits(text, (number, paragraph))
    hits = _cut([h for h in hits if h.lang == "ar"], min_count) + [h for h in hits if h.lang != "ar"]
    names: dict[tuple[str, ...], _Candidate] = {}
    for hit in hits:
        candidate = names.setdefault(hit.key, _Candidate())
        candidate.articles.add(hit.article)
        candidate.surfaces[hit.surface] += 1
        candidate.hits.append(hit)
    names = {k: c for k, c in names.items() if len(c.articles) >= min_count}
    first_names = {k[0] for k in names if len(k) > 1}

    def example(hit: _Hit) -> str:
        return _example(articles[hit.article], hit.paragraph, hit.start)

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
        shown = example(_Hit((), "", number, *_find(articles[number], form)))
        aliases += [AliasSuggestion(i, form, "ar", like, len(numbers), shown, "skeleton") for i in sorted(index[like])]

    new: dict[tuple[str, ...], _Candidate] = {}
    for key, candidate in names.items():
        if (_ARABIC.match(key[0]) and lex.common(key[0])) or (len(key) == 1 and key[0] in first_names):
            continue  # a common noun, or a lone first name that many people share
        parts = [" ".join(key[s : s + n]) for n in range(len(key), 0, -1) for s in range(len(key) - n + 1)]
        owner = next((p for p in parts if p in index), None)
        if owner is None:
            new[key] = candidate
            continue
        people = sorted(i for i in index[owner] if actors[i].kind == "person")
        if owner != " ".join(key):  # a longer name around a known person's alias: قاسم جومارت توكاييف
            for i in people:
                lang = "ar" if _ARABIC.match(key[0]) else "en"
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
        kind: ActorKind = "person" if titled else "organisation" if _EN_BODY.search(shown) else "place"
        actor_id = new_id(shown, taken)
        taken.add(actor_id)
        lang = "ar" if _ARABIC.match(shown) else "en"
        result.append(
            ActorSuggestion(actor_id, kind, shown, lang, len(candidate.articles), example(candidate.hits[0]), others)
        )
    aliases.sort(key=lambda s: (-s.count, s.actor, s.alias))
    return Suggestions(tuple(aliases[:limit]), tuple(result))


def _core(key: tuple[str, ...]) -> tuple[str, ...]:
    """The name without its "son of X" parts, when two words are left (عادل بن أحمد الجبير -> عادل الجبير)."""
    core = tuple(w for k, w in enumerate(key) if w not in _SONS and (k == 0 or key[k - 1] not in _SONS))
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
            and ((k[: len(key)] == key and k[len(key)] in _LINKS) or (len(key) == 1 and k[-1] == key[0]))
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


def new_id(name: str, taken: Iterable[str]) -> str:
    """A rough ASCII id for a URL: فلاديمير بوتين -> fladimir-butin; English names are slugged."""
    out = []
    for word in _norm(name).split():
        letters = []
        for k, c in enumerate(word):
            if c in "وي":  # a consonant at the start or before a vowel letter, a long vowel elsewhere
                consonant = k == 0 or word[k + 1 : k + 2] in ("ا", "و", "ي")
                letters.append(("w" if c == "و" else "y") if consonant else ("u" if c == "و" else "i"))
            elif c == "ع":
                letters.append("a" if k == 0 else "")
            else:
                letters.append(_LATIN.get(c, c if c.isascii() and c.isalnum() else ""))
        out.append("".join(letters).strip("-"))
    base = re.sub(r"-+", "-", "-".join(w for w in out if w)).strip("-") or "person"
    taken = set(taken)
    actor_id, n = base, 1
    while actor_id in taken:
        n += 1
        actor_id = f"{base}-{n}"
    return actor_id


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def to_toml(suggestions: Suggestions, actors: Mapping[str, Actor]) -> str:
    """Blocks ready to paste into actors.toml; counts and examples as comments."""
    out = ["# New aliases for known actors", ""]
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
    out += ["# New actors", ""]
    for a in suggestions.actors:
        out += [f"# {a.name}: {a.count} articles — e.g. «{a.example}»", f"[{a.id}]", f'kind = "{a.kind}"']
        out.append(f"names = {{ {a.lang} = {_toml(a.name)} }}")
        if a.aliases:
            out.append(f"aliases = {{ {a.lang} = [{', '.join(map(_toml, a.aliases))}] }}")
        out.append("")
    return "\n".join(out)


def to_json(suggestions: Suggestions) -> str:
    return json.dumps(asdict(suggestions), ensure_ascii=False, indent=2) + "\n"
