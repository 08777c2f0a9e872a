"""Actor matching: every clitic form from NOTES-arabic.md, near misses, scripts, and the authority file."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from generator.arabic import direction, normalize
from generator.model import Actor, Article
from generator.tagging.actors import builtin_countries, combine, load_authority
from generator.tagging.match import Matcher
from generator.tagging.tagger import tag


def actor(actor_id: str, kind: str = "person", **aliases: tuple[str, ...]) -> Actor:
    return Actor(actor_id, kind, MappingProxyType({}), MappingProxyType(aliases))  # type: ignore[arg-type]


CAST = combine(
    builtin_countries(),
    [
        actor("putin", ar=("فلاديمير بوتين", "بوتين", "بوتن"), en=("Putin", "Vladimir Putin"), ru=("Путин",)),
        actor("tokayev", ar=("توكاييف", "توكايف")),
        actor("kremlin", "organisation", ar=("الكرملين",), en=("Kremlin",)),
        actor("csto", "organisation", ar=("منظمة معاهدة الأمن الجماعي",), en=("CSTO",)),
        actor("ali", ar=("علي",)),
        actor("mustafa", ar=("مصطفى",)),
        actor("un", "organisation", en=("UN",)),
    ],
)
MATCHER = Matcher(CAST)


def found(text: str) -> list[tuple[str, str]]:
    return [(actor_id, text[start:end]) for actor_id, start, end in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وتوكايف", [("tokayev", "توكايف")]),
        ("لبيلاروس", [("country-by", "بيلاروس")]),
        ("للكرملين", [("kremlin", "كرملين")]),
        ("والكرملين", [("kremlin", "الكرملين")]),
        ("بالكرملين", [("kremlin", "الكرملين")]),
        ("وبوتين", [("putin", "بوتين")]),
        ("فبوتين", [("putin", "بوتين")]),
        ("كبوتين", [("putin", "بوتين")]),
        ("بكازاخستان", [("country-kz", "كازاخستان")]),
        ("وأرمينيا", [("country-am", "أرمينيا")]),
        ("وبكازاخستان", [("country-kz", "كازاخستان")]),
        ("فلروسيا", [("country-ru", "روسيا")]),
        ("ولروسيا", [("country-ru", "روسيا")]),
        ("بوتن", [("putin", "بوتن")]),
        ("بُوتِين", [("putin", "بُوتِين")]),  # tashkeel
        ("بوتـــين", [("putin", "بوتـــين")]),  # tatweel
        ("\u200fبوتين", [("putin", "بوتين")]),
        ("ارمينيا", [("country-am", "ارمينيا")]),  # hamza dropped
        ("فلاديمير بوتين", [("putin", "فلاديمير بوتين")]),  # the longer name, not also the shorter inside it
        ("مصطفي", [("mustafa", "مصطفي")]),  # final ى written as ي
        ("منظمة معاهدة الأمن الجماعي", [("csto", "منظمة معاهدة الأمن الجماعي")]),
    ],
)
def test_clitics_and_spellings(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "سبوتنيك",  # the agency Sputnik contains بوتن
        "بوتينوف",  # a longer made-up name
        "والأخير",  # "and the latter": not an alias after stripping
        "بالتفصيل",  # "in detail"
        "على",  # the preposition is not the name علي
        "عليه",
        "مالي",  # "financial", not Mali
        "us",  # the pronoun is not the United States
        "china plates",  # lower-case common noun
        "Putinism",
        "Stabilisation",
        "سبوتين",  # س is not a proclitic
        "لصحيفة واشنطن بوست",  # a newspaper, not the United States
        "the Washington Post",
    ],
)
def test_near_misses_do_not_match(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin met Tokayev", [("putin", "Putin")]),
        ("PUTIN SAYS", [("putin", "PUTIN")]),
        ("Путин заявил", [("putin", "Путин")]),
        ("the U.S. and the UN", [("country-us", "U.S."), ("un", "UN")]),
        (
            "Kazakhstan, Russia and Belarus",
            [("country-kz", "Kazakhstan"), ("country-ru", "Russia"), ("country-by", "Belarus")],
        ),
        ("le Kazakhstan", [("country-kz", "Kazakhstan")]),
        ("Казахстан", [("country-kz", "Казахстан")]),
        ("قزاخستان", [("country-kz", "قزاخستان")]),  # Urdu spelling
    ],
)
def test_latin_cyrillic_and_other_scripts(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_ali_matches_only_as_written() -> None:
    assert found("قال علي إن") == [("ali", "علي")]
    assert normalize("على") == "علي"  # the search fold joins them; the name matcher must not


def test_tag_skips_the_dateline_and_obeys_front_matter() -> None:
    from generator.model import Dateline

    article = Article(
        id="a",
        source="a.txt",
        format="text",
        title="بوتن يتصل بتوكاييف",
        body="(وكالة روسيا اليوم - 8 كانون الثاني 2022) قال الكرملين إن بوتين اتصل بنظيره."
        "\n\nوناقشا الوضع في كازاخستان.",
        dateline=Dateline(text="(وكالة روسيا اليوم - 8 كانون الثاني 2022)"),
        actors=("csto",),
        not_actors=("كازاخستان",),
    )
    tagged = tag(article, MATCHER, CAST)
    assert tagged.actors == ("csto", "putin", "tokayev", "kremlin")
    assert "country-ru" not in tagged.actors  # روسيا is inside the dateline (an outlet name)
    title = [m for m in tagged.mentions if m.paragraph == -1]
    assert [(article.title[m.start : m.end], m.actor) for m in title] == [("بوتن", "putin"), ("توكاييف", "tokayev")]


def test_authority_file_errors_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    path.write_text(
        '[good]\nkind = "person"\nnames = { en = "Good Name" }\n\n'
        '[bad]\nkind = "planet"\nnames = { en = "X" }\n\n'
        '[Bad-Id]\nnames = { en = "Y" }\n\n'
        '[noname]\nkind = "place"\n\n'
        '[country-kz]\naliases = { ar = ["جمهورية كازاخستان"] }\n',
        "utf-8",
    )
    actors, problems = load_authority(path)
    assert [a.id for a in actors] == ["good", "noname", "country-kz"]
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (5, "'bad'"),
        (9, "actor id 'Bad-Id' must be lowercase ASCII letters, digits, '-' or '_', at most 100 of them (it is a URL)"),
        (12, "'noname' has no names or aliases"),
    ]
    merged = combine(builtin_countries(), actors)
    kz = merged["country-kz"]
    assert kz.kind == "country" and "جمهورية كازاخستان" in kz.aliases["ar"] and "كازاخستان" in kz.aliases["ar"]


def test_alias_claimed_twice_is_a_problem() -> None:
    matcher = Matcher({"a": actor("a", en=("Smith",)), "b": actor("b", en=("Smith",))})
    assert [p.message for p in matcher.problems] == ["alias 'smith' is claimed by a and b"]


def test_common_words_and_short_aliases_are_refused() -> None:
    matcher = Matcher({"x": actor("x", ar=("بيان", "اب"))})
    assert len(matcher.problems) == 2
    assert matcher.find("صدر بيان عن اب") == []


def test_countries_can_be_switched_off_and_cover_cldr() -> None:
    countries = {a.id: a for a in builtin_countries()}
    assert len(countries) > 240
    assert countries["country-kz"].names["ru"] == "Казахстан"
    assert "بريطانيا" in countries["country-gb"].aliases["ar"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بوتين Putin", "ltr"),
        ("Putin بوتين وتوكاييف", "rtl"),
        ("שלום עולם hello", "rtl"),
        ("hello", "ltr"),
        ("123", "ltr"),
    ],
)
def test_direction(text: str, expected: str) -> None:
    assert direction(text) == expected
