"""Tag what an article names, not every word that looks like a name: each rule on hand-written sentences."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from generator.model import Actor, Article
from generator.tagging.actors import builtin_countries, combine
from generator.tagging.lexicon import frequency_list, load_lexicon
from generator.tagging.match import Matcher
from generator.tagging.tagger import decide, tag

LEXICON = load_lexicon()


def actor(actor_id: str, kind: str = "person", *aliases: str, **more: object) -> Actor:
    return Actor(actor_id, kind, MappingProxyType({}), MappingProxyType({"ar": aliases}), **more)  # type: ignore[arg-type]


def tagged(cast: dict[str, Actor], *paragraphs: str, title: str = "خبر") -> tuple[str, ...]:
    article = Article(id="a", source="a.txt", format="text", title=title, body="\n\n".join(paragraphs))
    return tag(article, Matcher(cast, LEXICON), cast).actors


def cast(*actors: Actor) -> dict[str, Actor]:
    return {a.id: a for a in actors}


def test_the_word_list_read_from_its_file_is_the_one_wordfreq_gives() -> None:
    from wordfreq import get_frequency_list

    buckets = frequency_list("ar")
    assert buckets == get_frequency_list("ar", wordlist="small") and sum(map(len, buckets)) > 20000


@pytest.mark.parametrize(
    ("word", "common"),
    [
        ("المدينه", True),  # "the city": مدينة, مدينتها
        ("الحياه", True),  # "life": حياته, حياتها
        ("الشمال", True),  # "the north"
        ("صالح", True),  # "good": الصالح, صالحة
        ("بان", True),  # "appeared" / بأن "that": بأنها
        ("علي", True),  # على written with ي: عليها, عليهم
        ("رييس", True),  # a name that folds like رئيس "president": الرئيس
        ("القاهره", False),
        ("بوتين", False),
        ("محمد", False),  # a name, however frequent
        ("فرنسا", False),
        ("غزه", False),
    ],
)
def test_ordinary_word_likelihood_comes_from_word_frequencies(word: str, common: bool) -> None:
    assert LEXICON.common(word) is common


def test_an_ordinary_word_alias_needs_the_fuller_name() -> None:
    medina = cast(actor("medina", "place", "المدينة المنورة", "المدينة"))
    assert tagged(medina, "وصل الوفد إلى المدينة صباحا وغادر المدينة مساء.") == ()
    assert tagged(medina, "زار الوفد المدينة المنورة.", "ثم غادر المدينة.") == ("medina",)


def test_full_name_first_then_the_short_name() -> None:
    saleh = cast(actor("saleh", "person", "علي عبد الله صالح", "صالح"))
    assert tagged(saleh, "هذا عمل صالح للجميع.") == ()
    article = Article(
        id="a", source="a.txt", format="text", title="خبر",
        body="التقى علي عبد الله صالح وفدا.\n\nوقال صالح إن اللقاء كان مثمرا.",
    )  # fmt: skip
    decisions = decide(article, Matcher(saleh, LEXICON), saleh)
    assert [(d.surface, d.accepted) for d in decisions] == [("علي عبد الله صالح", True), ("صالح", True)]


def test_a_title_before_an_ambiguous_name_supports_it() -> None:
    ali = cast(actor("ali", "person", "علي"))
    assert tagged(ali, "جلس علي الكرسي ثم مشى علي الرصيف.") == ()  # على written with a dotted ya
    assert tagged(ali, "قال الشيخ علي إن الاجتماع انتهى.") == ("ali",)
    assert tagged(ali, "وأكد الرئيس الفلسطيني علي ذلك.") == ("ali",)  # an adjective between title and name


def test_a_given_name_counts_alone_or_beside_a_fuller_name_but_not_beside_another_bearer() -> None:
    people = cast(
        actor("yusuf", "person", "يوسف"),
        actor("zeidan", "person", "يوسف زيدان", "زيدان"),
    )
    assert tagged(people, "وصل يوسف إلى المطار.") == ("yusuf",)  # no one else called يوسف here
    assert tagged(people, "ويرى زيدان أن الرواية باقية.", "ووصل يوسف أمس.") == ("zeidan",)
    # A fuller name that holds it names it (on gold-annotated news the short name is its own entry then).
    assert tagged(people, "التقى يوسف زيدان القراء.", "ووصل يوسف أمس.") == ("zeidan", "yusuf")


def test_one_alias_two_actors_decided_by_context() -> None:
    france = cast(actor("france", "place", "فرنسا"), actor("les-bleus", "organisation", "فرنسا", "منتخب فرنسا"))
    assert tagged(france, "زار الوزير فرنسا أمس.") == ("france",)  # nothing decides: the place
    assert tagged(france, "سافر الوزير إلى فرنسا.") == ("france",)
    sport = "فازت فرنسا في المباراة النهائية على ملعب باريس وتأهلت إلى البطولة."
    assert tagged(france, sport) == ("les-bleus",)
    assert tagged(france, "فاز منتخب فرنسا بالكأس.") == ("les-bleus",)


def test_one_alias_two_people_nothing_decides_is_recorded_not_tagged() -> None:
    twins = cast(actor("hassan-a", "person", "الحسني"), actor("hassan-b", "person", "الحسني"))
    article = Article(id="a", source="a.txt", format="text", title="خبر", body="وصل الحسني أمس.")
    decisions = decide(article, Matcher(twins, LEXICON), twins)
    assert [d.accepted for d in decisions] == [False, False]
    assert "ambiguous (hassan-a or hassan-b); nothing decides" in decisions[0].reason
    assert tag(article, Matcher(twins, LEXICON), twins).actors == ()


def test_clitic_stripping_exposes_a_short_stem_only_with_support() -> None:
    yan = cast(actor("yan", "person", "يان"))
    assert tagged(yan, "صدر بيان عن الوزارة.") == ()  # بيان "statement", not ب + يان
    assert tagged(yan, "وقال يان إن الفريق مستعد.") == ("yan",)
    countries = combine(builtin_countries(), [])
    assert tagged(countries, "زار الوزير الكويت ثم توجه للكويت مرة أخرى.") == ("country-kw",)
    assert tagged(dict(countries), "تجول السياح الروس في المدينة.") == ()  # الروس "the Russians" (Urdu روس)


def test_nested_names_the_longer_one_holds_the_shorter() -> None:
    gaza = cast(actor("gaza-strip", "place", "قطاع غزة"), actor("gaza-city", "place", "غزة"))
    assert tagged(gaza, "دخلت المساعدات قطاع غزة.") == ("gaza-strip",)
    assert tagged(gaza, "وصل الوفد إلى غزة.") == ("gaza-city",)


def test_a_credit_line_names_an_agency() -> None:
    afp = cast(actor("afp", "organisation", "الفرنسية"))
    assert tagged(afp, "قالت الوزارة إن الحكومة الفرنسية وافقت.") == ()
    assert tagged(afp, "صورة من الاحتفال (الفرنسية - أرشيف)") == ("afp",)


def test_front_matter_keeps_the_last_word() -> None:
    medina = cast(actor("medina", "place", "المدينة المنورة", "المدينة"))
    article = Article(id="a", source="a.txt", format="text", title="خبر", body="غادر الوفد المدينة.",
                      actors=("medina",))  # fmt: skip
    assert tag(article, Matcher(medina, LEXICON), medina).actors == ("medina",)
    article = Article(id="a", source="a.txt", format="text", title="خبر", body="زار الوفد المدينة المنورة.",
                      not_actors=("medina",))  # fmt: skip
    assert tag(article, Matcher(medina, LEXICON), medina).actors == ()


def test_function_words_written_with_ya_and_place_adjectives() -> None:
    assert LEXICON.common("سوي")  # سوى "except", written with a dotted ya
    assert not LEXICON.common("مصطفي")  # مصطفى is a name, however it is written
    assert LEXICON.common("سوريه")  # as any word: the adjective "Syrian" (fem.) is everywhere ...
    assert not LEXICON.common("سوريه", adjective=False)  # ... but a place's adjective is about the place
    syria = cast(actor("syria", "place", "سورية"))
    assert tagged(syria, "وقال إن سورية وإيران تتدخلان.") == ("syria",)


def test_a_head_noun_of_the_actors_kind_supports_it() -> None:
    hayat = cast(actor("al-hayat", "organisation", "الحياة"))
    assert tagged(hayat, "الحياة جميلة.") == ()
    assert tagged(hayat, "نشرت صحيفة الحياة تقريرا.") == ("al-hayat",)
    assert tagged(hayat, "وقال لصحيفة الحياة إن ...") == ("al-hayat",)  # the head noun under a proclitic
    medina = cast(actor("medina", "place", "المدينة"))
    assert tagged(medina, "نشرت صحيفة المدينة تقريرا.") == ()  # an organisation's head noun, not a place's


def test_a_shared_name_is_the_actor_the_article_names_elsewhere() -> None:
    france = cast(actor("france", "place", "فرنسا"), actor("les-bleus", "organisation", "فرنسا", "منتخب فرنسا"))
    assert tagged(france, "قال المدرب إن منتخب فرنسا جاهز.", "ووصلت فرنسا أمس.") == ("les-bleus",)
    article = Article(id="a", source="a.txt", format="text", title="خبر", body="سافر الوزير إلى فرنسا.")
    decisions = decide(article, Matcher(france, LEXICON), france)
    assert [(d.actor, d.accepted, d.reason) for d in decisions] == [
        ("france", True, "after 'الى'"),
        ("les-bleus", False, "the article points to france here"),
    ]


def test_a_verb_of_saying_supports_a_name_but_not_an_ordinary_word() -> None:
    reyes = cast(actor("reyes", "person", "رييس"))  # a player's name that folds like رئيس "president"
    assert tagged(reyes, "وقال رئيس الاتحاد إن الموسم انتهى.") == ()
    assert tagged(reyes, "وقال اللاعب رييس إن الموسم انتهى.") == ("reyes",)
    dean = cast(actor("dean", "person", "دين"), actor("dean-smith", "person", "دين سميث"))
    assert tagged(dean, "التقى دين سميث الوفد.", "وصرح دين أمس.") == ("dean-smith", "dean")
