"""Names in news text, for `arshif actors suggest`: a name after a title or role (الرئيس الروسي، فلاديمير
بوتين; President Ronald Reagan), capitalised runs of 2-4 words in English, and what the archive's own word
counts say about a word (a common noun, a glued proclitic), so that common words are not offered as names.

Text is normalised with ى kept apart from ي (as the matcher does), so على never reads as the name علي.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from generator.arabic import normalize, normalize_with_offsets
from generator.model import Article
from generator.tagging.match import STOPWORDS


def fold_name(text: str) -> str:
    """Normalised as the matcher normalises, ى kept apart from ي."""
    return normalize(text, fold_ya=False)


def words(text: str) -> frozenset[str]:
    return frozenset(fold_name(text).split())


# Titles and roles; a name follows, possibly after qualifiers. A title met among the qualifiers restarts.
_TITLES = frozenset(
    " ".join(fold_name(w).split())
    for w in """الرئيس|الرئيسة|رئيس|رئيسة|رئيس الوزراء|رئيس وزراء|رئيسة الوزراء|وزير|وزيرة|الوزير|الوزيرة
    |المتحدث|المتحدثة|الناطق|الناطقة|الأمين العام|أمين عام|الملك|الملكة|الأمير|الأميرة|أمير|ولي العهد|ولي عهد
    |السفير|السفيرة|المبعوث|المبعوثة|زعيم|زعيمة|قائد|القائد|النائب|النائبة|الشيخ|الشيخة|الجنرال|المستشار
    |المستشارة|مستشار|اللواء|العميد|العقيد|المشير|الدكتور|الدكتورة|المهندس|السيناتور|الحاكم|البابا
    |المرشد|آية الله|المفتي|الإمام|المدير العام|مدير عام|نائب|خادم الحرمين الشريفين|صاحب السمو الملكي|صاحب السمو
    |سمو|معالي|فخامة|سماحة|جلالة""".split("|")
)
# Indefinite titles that a name follows directly (others head a construct: رئيس وزراء بريطانيا ...).
_NAMED_TITLES = frozenset(
    fold_name(t) for t in ("آية الله", "خادم الحرمين الشريفين", "صاحب السمو الملكي", "صاحب السمو")
)
_TITLE_HEADS = frozenset(t.split()[0] for t in _TITLES)
_TITLE_MAX = max(len(t.split()) for t in _TITLES)
_TITLE_SCAN = re.compile("|".join(sorted({h.removeprefix("ال") for h in _TITLE_HEADS}, key=len, reverse=True)))
# Words between a title and the name that are not the name (ال- words and known places are too).
_QUALIFIERS = words("باسم وزراء خارجية دفاع داخلية مالية عدل اقتصاد تجارة نفط طاقة إعلام صحة تعليم عام سابق")
# Heads of a construct (حزب الله، تنظيم داعش، لشركة المهو): the word after them belongs to them.
_BODIES = words(
    """وزارة حكومة حزب حركة تنظيم جماعة مجلس هيئة منظمة جامعة دولة جمهورية مملكة إمارة ولاية قوات جيش شرطة
    بلدية لجنة منطقة محافظة مدينة بنك شركة نادي اتحاد مؤسسة مركز ائتلاف كتلة جبهة عهد سفارة مكتب أركان
    إقليم عضو قسم إدارة"""
)
# Parts of a name that are no name alone (محمد بن سلمان، عبد الفتاح، أبو بكر، آل سعود).
LINKS = words("بن بنت ابن أبو أبي عبد آل أم")
SONS = words("بن بنت")
_FUSED = re.compile(r"\b(عبد|ابو) ")  # عبد الله and عبدالله are one word of one name
# Function words and verbs of reporting: a name stops before them.
FUNCTION_WORDS = STOPWORDS | words(
    """إن أن أنه أنها بأن لأن كما أيضا الذي التي الذين هو هي هم إنه إلى عليه فيه منه له لها لهم ليس ليست
    قال قالت أكد أكدت أعلن أعلنت أضاف أضافت أوضح أوضحت أشار أشارت ذكر ذكرت دعا دعت أعرب أعربت اعتبر أجرى
    استقبل التقى بحث يبحث يستقبل يلتقي وصل غادر عقد يزور زار تلقى أمر أصدر وجه رعى افتتح قام يقوم سيكون
    لم لن وقد فقد هنا هناك حاليا سابقا يومي الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء
    غدا أمس يوما الحالي المقبل الماضي رئيسا وزيرا نائبا أميرا ملكا قائدا سفيرا بعدما عندما حين بينما ولي
    بعدها عبر وفق وفقا حسب بشأن بخصوص تجاه نفسه ذاته شخصيا جديد جديدة كل أي قائلا قائلة مضيفا مضيفة
    مؤكدا مؤكدة مشيرا مشيرة موضحا موضحة معربا معربة"""
)
PROCLITICS = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
_DEFINITE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")
_TOKEN = re.compile(r"([^\W\d_]+)|(\S)")
WORD = re.compile(r"[^\W\d_]+")  # on normalised text: marks are gone, so a word is letters only
_SKELETON_DROP = re.compile("[اويى]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
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
EN_BODY = re.compile(
    r"\b(?:Bank|Corp|Corporation|Inc|Co|Company|Group|Ministry|Council|Party|Association|Fund|Union|Organi[sz]ation"
    r"|Department|Agency|Exchange|Commission|Board|Reserve|Committee|Airlines|Industries|Holdings|Trust|Oil)\b"
)
COMMON_SHARE = 0.15  # a word whose ال- form is this common is a noun, not a name (نادي/النادي)


@dataclass(frozen=True)
class Hit:
    """A name found in one article: normalised words, as printed, and where (for the example)."""

    key: tuple[str, ...]
    surface: str
    article: int
    paragraph: int
    start: int
    titled: bool = True  # after a title: a person (or an office holder)
    lang: str = "ar"


class Lexicon:
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
            self._common[word] = word in FUNCTION_WORDS or (
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
                rest in FUNCTION_WORDS
                or (len(rest) >= 3 and (rest in _BODIES or bare >= max(1, self.df.get(word, 0)) / 2))
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
    for p in PROCLITICS:
        if word.startswith(p) and len(word) > len(p) + 1:
            yield ("ال" + word[len(p) :]) if p.endswith("لل") else word[len(p) :]


def texts(article: Article) -> Iterator[tuple[int, str]]:
    yield -1, article.title
    yield from enumerate(article.paragraphs)


def arabic_hits(text: str, where: tuple[int, int], places: Sequence[tuple[int, int]], lex: Lexicon) -> Iterator[Hit]:
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
        while j < len(tokens) and len([k for k in name if norms[k] not in LINKS]) < 3:
            w = norms[j]
            if (
                w is None
                or w in FUNCTION_WORDS
                or len(w) < 2
                or placed(j)
                or lex.title_at(norms, j)[0]
                or lex.clitic(w)
            ):
                break
            if name and w.startswith(_DEFINITE[1:]):
                break  # للإغاثة: a body named after someone
            name.append(j)
            j += 1
        if name and norms[name[0]] in SONS and norms[name[0] - 1]:
            name.insert(0, name[0] - 1)  # الوليد بن طلال: a first name with ال was taken for a qualifier
        while name and norms[name[-1]] in LINKS:
            name.pop()
        if name:
            first, last = tokens[name[0]][0], tokens[name[-1]][1]
            begin, end = at(first), at(last - 1) + 1
            key = " ".join(norms[k] for k in name)  # type: ignore[misc]
            yield Hit(tuple(_FUSED.sub(r"\1", key).split()), text[begin:end], *where, begin)
        i = max(j, i + 1)


def english_hits(text: str, where: tuple[int, int]) -> Iterator[Hit]:
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
            yield Hit(tuple(fold_name(m.group()) for m in run), surface, *where, run[0].start(), titled, "en")


def trim_names(hits: list[Hit], min_count: int) -> list[Hit]:
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
            last = n if hit.key[n - 1] not in LINKS else last
        words = hit.surface.split()
        surface = " ".join(words[:last]) if len(words) == len(hit.key) else hit.surface
        cut.append(Hit(hit.key[:last], surface, hit.article, hit.paragraph, hit.start, hit.titled))
    return cut


def sentence_around(article: Article, paragraph: int, start: int, width: int = 110) -> str:
    """The sentence around `start`, on one line, shortened around the name at word edges, the dateline left out."""
    text = article.title if paragraph < 0 else article.paragraphs[paragraph]
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    if paragraph == 0 and article.dateline.text and text.startswith(article.dateline.text):
        begin = max(begin, len(article.dateline.text))  # the outlet and the date are no part of the example
    end = next((m.start() + 1 for m in _SENTENCE_END.finditer(text, start)), len(text))
    cut = max(begin, start - width // 3)
    if cut > begin:  # start at a word, not inside one
        space = text.find(" ", cut, start)
        cut = space + 1 if space >= 0 else cut
    stop = min(end, cut + width)
    if stop < end:  # end at a word's end
        space = text.rfind(" ", max(start, cut), stop)
        stop = space if space > start else stop
    shown = " ".join(text[cut:stop].split())
    return ("…" if cut > begin else "") + shown + ("…" if stop < end else "")


def find_word(article: Article, word: str) -> tuple[int, int]:
    """Paragraph and start of the first `word` (normalised, maybe under a proclitic) in the article."""
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(PROCLITICS)})?({re.escape(word)})(?!\w)")
    for index, text in texts(article):
        norm, offsets = normalize_with_offsets(text, fold_ya=False)
        m = pattern.search(norm)
        if m:
            return index, offsets[m.start(1)] if offsets else m.start(1)
    return -1, 0
