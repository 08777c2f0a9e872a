"""What stands before a name and tells its kind: a title or role before a person (الرئيس, الشيخ, اللاعب), a
head noun before an organisation (صحيفة, نادي, حزب) or a place (مدينة, محافظة, شمال).

Looked at only for hits that need support: an ambiguous one-word alias, or one alias of several actors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from generator.arabic import normalize


def _words(text: str) -> frozenset[str]:
    return frozenset(normalize(text, fold_ya=False).split())


# A verb of saying: its subject, named right after it, is a person (قال علي, صرح دين) — unless the name is also an
# ordinary word, which follows a verb as well (قال رئيس الاتحاد).
SAYING = _words("قال قالت اكد اكدت اضاف اضافت صرح صرحت توقع توقعت اوضح اوضحت اعلن اعلنت ذكر ذكرت اشار اشارت نفى نفت")
_PERSON = (
    _words(
        """الرئيس الرئيسة رئيس رئيسة وزير وزيرة الوزير الوزيرة المتحدث المتحدثة الناطق الناطقة الامين امين الملك
    الملكة الامير الاميرة امير ولي العهد السفير السفيرة المبعوث المبعوثة زعيم زعيمة قائد القائد النائب النائبة
    الشيخ الشيخة الجنرال المستشار المستشارة مستشار اللواء العميد العقيد المشير الدكتور الدكتورة المهندس
    السيناتور الحاكم البابا المرشد المفتي الامام المدير مدير نائب سمو معالي فخامة سماحة جلالة السيد السيدة
    الاستاذ القاضي المحامي اللاعب اللاعبة المدرب المدربة النجم النجمة الحارس المهاجم المدافع الكابتن البطل
    البطلة الكاتب الكاتبة الشاعر الشاعرة الفنان الفنانة المطرب المطربة المخرج الممثل الممثلة الروائي الصحفي
    المراسل الراحل المرحوم الشهيد الحاج العاهل رئيسا وزيرا الحكم المعلق الكابتن"""
    )
    | SAYING
)
_ORGANISATION = _words(
    """نادي النادي فريق الفريق منتخب المنتخب صحيفة الصحيفة جريدة الجريدة مجلة المجلة قناة القناة تلفزيون اذاعة
    وكالة الوكالة فضائية الفضائية شبكة محطة موقع مراسل مراسلة حزب الحزب حركة الحركة شركة الشركة بنك البنك
    مصرف جامعة الجامعة مجلس منظمة المنظمة هيئة اتحاد الاتحاد جمعية مؤسسة جبهة جماعة تنظيم مجموعة
    وزارة سفارة محكمة لجنة كتلة ائتلاف مركز معهد"""
)
_PLACE = _words(
    """مدينة المدينة بلدة قرية منطقة محافظة ولاية اقليم جزيرة عاصمة العاصمة دولة جمهورية مملكة امارة بلاد شمال
    جنوب شرق غرب وسط شمالي جنوبي شرقي غربي مقاطعة حي مخيم بحر نهر خليج ميناء قضاء ريف ضواحي"""
)
HEADS: Mapping[str, frozenset[str]] = MappingProxyType(
    {"person": _PERSON, "organisation": _ORGANISATION, "country": _PLACE, "place": _PLACE}
)
# An organisation named as a place is, in the news, mostly a national team or a club: in an article that speaks
# of matches, the shared name is the team (منتخب فرنسا), elsewhere the place.
TEAM_WORDS = _words(
    """مباراة المباراة مباريات المباريات منتخب المنتخب الدوري مرمى تصفيات ملعب الملعب المونديال الشوط ركلة
    اللاعب لاعب لاعبي اللاعبين بطولة البطولة كاس"""
)
TEAM_EVIDENCE = 2  # words of TEAM_WORDS an article needs before a shared place name is read as a team


def clitic_forms(word: str) -> frozenset[str]:
    """How a normalised word may be written with a proclitic glued on (منتخب, والمنتخب, للمنتخب ...)."""
    forms = {word, *(p + word for p in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"))}
    if word.startswith("ال"):
        forms |= {p + word[2:] for p in ("لل", "ولل", "فلل")}
    return frozenset(forms)


TEAM_FORMS = {form: word for word in TEAM_WORDS for form in clitic_forms(word)}
_CLITICS = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "و", "ف", "ب", "ل", "ك")
_TOKEN = re.compile(r"[^\W\d_]+|[^\w\s]")
BACK = 60  # characters before a hit worth looking at: a title, two adjectives and their spaces


def head_before(before: str, kind: str) -> str | None:
    """The title or head noun of `kind` just before a name (`before`: the text up to it), if any.

    Adjectives and genitives with ال may stand between (الرئيس الفلسطيني عباس, رئيس الوزراء شارون)."""
    heads = HEADS.get(kind, frozenset())
    tokens = _TOKEN.findall(normalize(before[-BACK:], fold_ya=False))
    for skipped, token in enumerate(reversed(tokens)):
        for word in _forms(token):
            if word in heads:
                return word
        if not token.startswith(("ال", "لل")) or skipped == 2:
            return None
    return None


def _forms(token: str) -> tuple[str, ...]:
    """A token and what it is under a proclitic (والرئيس -> الرئيس, للاعب -> اللاعب)."""
    found = [token]
    for clitic in _CLITICS:
        if token.startswith(clitic) and len(token) > len(clitic) + 2:
            rest = token[len(clitic) :]
            found.append("ال" + rest if clitic.endswith("لل") else "ال" + rest if clitic.endswith("ال") else rest)
    return tuple(found)


# Where a place is, not who acts: before a name shared by a place and an organisation, these choose the place.
_PLACE_PREPOSITIONS = _words("في الى من داخل خارج عبر نحو انحاء ارجاء حدود")


def place_preposition(before: str) -> str | None:
    """The preposition of place just before a name (في فرنسا, بفرنسا is found by the matcher's clitic)."""
    tokens = _TOKEN.findall(normalize(before[-BACK:], fold_ya=False))
    return tokens[-1] if tokens and tokens[-1] in _PLACE_PREPOSITIONS else None
