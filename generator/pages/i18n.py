"""The site chrome's words in each UI language, and locale facts from CLDR (Babel)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.core import get_global

_AR = {
    "home": "الرئيسية",
    "articles": "المقالات",
    "article_count": "مقالة",
    "page": "صفحة",
    "of": "من",
    "previous": "السابق",
    "next": "التالي",
    "published": "نُشر في",
    "undated": "غير مؤرخ",
    "outlet": "المصدر",
    "agency": "الوكالة",
    "dateline": "سطر التاريخ",
    "permalink": "الرابط الدائم",
    "original": "المقال الأصلي",
    "source_file": "الملف",
    "tags": "الوسوم",
    "words": "كلمة",
    "not_found": "الصفحة غير موجودة",
    "not_found_text": "لم نجد هذه الصفحة في الأرشيف. ربما نُقلت أو لم تُنشر بعد.",
    "back_home": "العودة إلى الصفحة الرئيسية",
    "skip": "انتقل إلى المحتوى",
    "pagination": "التنقل بين الصفحات",
    "generated": "صُنع بواسطة أرشيف",
    "actors": "الفاعلون",
    "search": "بحث",
    "search_placeholder": "ابحث في الأرشيف…",
    "search_button": "ابحث",
    "results": "نتيجة",
    "sort_relevance": "الأكثر صلة",
    "sort_date": "الأحدث",
    "year_from": "من سنة",
    "year_to": "إلى سنة",
    "facet_actor": "الفاعلون",
    "facet_outlet": "المصدر",
    "facet_year": "السنة",
    "facet_language": "اللغة",
    "no_results": "لا نتائج. جرّب كلمة أقصر أو تهجئة أخرى، أو احذف بعض المرشحات، أو ابحث باسم فاعل من صفحة الفاعلين.",
    "search_unavailable": "البحث غير متاح: فهرس البحث لم يُبنَ بعد.",
    "sources": "المصادر",
    "tags_title": "الوسوم",
    "in_articles": "مقالات",
    "aliases": "الأسماء والتهجئات",
    "wikidata": "ويكي بيانات",
    "timeline": "المقالات شهريا",
    "together": "يُذكرون معه غالبا",
    "sort_count": "الأكثر ذكرا",
    "sort_name": "حسب الاسم",
    "filter": "تصفية",
    "filter_placeholder": "اكتب اسما…",
    "kind_person": "أشخاص",
    "kind_organisation": "منظمات",
    "kind_country": "دول",
    "kind_place": "أماكن",
    "kind_unknown": "لم تصنف بعد",
    "mentioned": "الفاعلون في المقال",
    "outlets": "المنافذ الإعلامية",
    "dates": "التواريخ",
    "by_date": "الأرشيف حسب التاريخ",
    "breadcrumbs": "مسار التنقل",
    "undated_title": "مقالات بلا تاريخ",
    "undated_note": "مقالات لم نجد لها تاريخ نشر",
    "years": "السنوات",
    "month_totals": "مجموع الشهر",
    "all_that_day": "كل مقالات اليوم",
    "more_that_day": "في اليوم نفسه أيضا",
    "same_day": "اليوم نفسه في سنوات أخرى",
    "on_this_day": "في مثل هذا اليوم",
    "on_this_day_note": "حُسبت يوم بناء الموقع،",
    "period_nav": "الفترة السابقة والتالية",
    "dates_data": "عدد المقالات في كل يوم (JSON)",
    "hijri_legend": "الرقم الصغير في كل يوم: اليوم من الشهر الهجري",
    "kind_person_one": "شخص",
    "kind_organisation_one": "منظمة",
    "kind_country_one": "دولة",
    "kind_place_one": "مكان",
    "kind_unknown_one": "لم يصنف بعد",
    "site_nav": "أقسام الموقع",
    "search_archive": "البحث في الأرشيف",
    "date": "التاريخ",
    "in_archive": "في الأرشيف",
    "timeline_table": "الأرقام جدولا",
    "month": "الشهر",
    "timeline_top": "أعلى شهر",
    "heat_less": "أقل",
    "heat_more": "أكثر",
    "heat_none": "لا مقالات",
    "no_articles": "لا مقالات",
    "filters": "المرشحات",
    "show_filters": "المرشحات",
    "more_values": "المزيد",
    "fewer_values": "أقل",
    "did_you_mean": "هل تقصد:",
    "browse_recent": "أحدث المقالات",
    "browse_actors": "الأكثر ذكرا",
    "browse_intro": "اكتب كلمة أو اسما في مربع البحث، أو تصفح الأرشيف:",
    "lang_ar": "العربية",
    "lang_en": "English",
    "sort_label": "الترتيب",
    "results_label": "النتائج",
    "browse_more": "تصفح",
    "more_results_of": "النتائج التالية (المعروض {shown} من {total})",
}
_EN = {
    "home": "Home",
    "articles": "Articles",
    "article_count": "articles",
    "page": "Page",
    "of": "of",
    "previous": "Previous",
    "next": "Next",
    "published": "Published",
    "undated": "Undated",
    "outlet": "Outlet",
    "agency": "Agency",
    "dateline": "Dateline",
    "permalink": "Permalink",
    "original": "Original article",
    "source_file": "File",
    "tags": "Tags",
    "words": "words",
    "not_found": "Page not found",
    "not_found_text": "This page is not in the archive. It may have moved, or not be published yet.",
    "back_home": "Back to the home page",
    "skip": "Skip to content",
    "pagination": "Pagination",
    "generated": "Made with arshif",
    "actors": "Actors",
    "search": "Search",
    "search_placeholder": "Search the archive…",
    "search_button": "Search",
    "results": "results",
    "sort_relevance": "Most relevant",
    "sort_date": "Newest",
    "year_from": "From year",
    "year_to": "To year",
    "facet_actor": "Actors",
    "facet_outlet": "Outlet",
    "facet_year": "Year",
    "facet_language": "Language",
    "no_results": (
        "No results. Try a shorter word or another spelling, remove some filters, or search for an actor's name."
    ),
    "search_unavailable": "Search is unavailable: the search index has not been built.",
    "sources": "Sources",
    "tags_title": "Tags",
    "in_articles": "articles",
    "aliases": "Names and spellings",
    "wikidata": "Wikidata",
    "timeline": "Articles per month",
    "together": "Often mentioned with",
    "sort_count": "Most mentioned",
    "sort_name": "By name",
    "filter": "Filter",
    "filter_placeholder": "Type a name…",
    "kind_person": "People",
    "kind_organisation": "Organisations",
    "kind_country": "Countries",
    "kind_place": "Places",
    "kind_unknown": "Not yet classified",
    "mentioned": "Actors in this article",
    "outlets": "Outlets",
    "dates": "Dates",
    "by_date": "The archive by date",
    "breadcrumbs": "Breadcrumbs",
    "undated_title": "Articles without a date",
    "undated_note": "Articles with no publication date we could find",
    "years": "Years",
    "month_totals": "Month total",
    "all_that_day": "All articles of the day",
    "more_that_day": "Also that day",
    "same_day": "This day in other years",
    "on_this_day": "On this day",
    "on_this_day_note": "As of the build date,",
    "period_nav": "Earlier and later",
    "dates_data": "Articles per day (JSON)",
    "hijri_legend": "The small number in each day: the day of the Hijri month",
    "kind_person_one": "Person",
    "kind_organisation_one": "Organisation",
    "kind_country_one": "Country",
    "kind_place_one": "Place",
    "kind_unknown_one": "Not yet classified",
    "site_nav": "Sections",
    "search_archive": "Search the archive",
    "date": "Date",
    "in_archive": "In the archive",
    "timeline_table": "The numbers as a table",
    "month": "Month",
    "timeline_top": "Busiest month",
    "heat_less": "Fewer",
    "heat_more": "More",
    "heat_none": "No articles",
    "no_articles": "No articles",
    "filters": "Filters",
    "show_filters": "Filters",
    "more_values": "More",
    "fewer_values": "Fewer",
    "did_you_mean": "Did you mean:",
    "browse_recent": "Latest articles",
    "browse_actors": "Most mentioned",
    "browse_intro": "Type a word or a name in the search box, or browse the archive:",
    "lang_ar": "العربية",
    "lang_en": "English",
    "sort_label": "Order",
    "results_label": "Results",
    "browse_more": "Browse",
    "more_results_of": "Next results ({shown} of {total} shown)",
}
# Counted nouns by CLDR plural category (Arabic has all six: zero, one, two, few 3-10, many 11-99, other).
_AR_COUNTS = {
    "article": {"zero": "لا مقالات", "one": "مقالة واحدة", "two": "مقالتان", "few": "{n} مقالات", "many": "{n} مقالة",
                "other": "{n} مقالة"},
    "result": {"zero": "لا نتائج", "one": "نتيجة واحدة", "two": "نتيجتان", "few": "{n} نتائج", "many": "{n} نتيجة",
               "other": "{n} نتيجة"},
    "word": {"zero": "لا كلمات", "one": "كلمة واحدة", "two": "كلمتان", "few": "{n} كلمات", "many": "{n} كلمة",
             "other": "{n} كلمة"},
    "actor": {"zero": "لا فاعلين", "one": "فاعل واحد", "two": "فاعلان", "few": "{n} فاعلين", "many": "{n} فاعلا",
              "other": "{n} فاعل"},
}  # fmt: skip
_EN_COUNTS = {
    "article": {"one": "{n} article", "other": "{n} articles"},
    "result": {"one": "{n} result", "other": "{n} results"},
    "word": {"one": "{n} word", "other": "{n} words"},
    "actor": {"one": "{n} actor", "other": "{n} actors"},
}
COUNTS: Mapping[str, Mapping[str, Mapping[str, str]]] = MappingProxyType({"ar": _AR_COUNTS, "en": _EN_COUNTS})
ARAB_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MESSAGES: Mapping[str, Mapping[str, str]] = MappingProxyType({"ar": MappingProxyType(_AR), "en": MappingProxyType(_EN)})


def messages(lang: str) -> Mapping[str, str]:
    """UI words for `lang`, English for languages we have no table for."""
    return MESSAGES.get(lang.split("-")[0].split("_")[0], MESSAGES["en"])


def has_messages(lang: str) -> bool:
    """Whether the chrome has its own words for `lang` (else `messages` falls back to English)."""
    return lang.split("-")[0].split("_")[0] in MESSAGES


# A pure function of its arguments, asked ~10 times per actor per build (timelines, lists, titles): Babel's
# locale parsing and plural rule cost ~20 µs a call, 4 s of a one-article update at 20,000 articles.
@lru_cache(maxsize=8192)
def count(n: int, noun: str, lang: str, digits: str = "latn") -> str:
    """'7 مقالات', '11 مقالة', 'مقالتان', '1 article': `n` of `noun` with the plural rule of `lang` (CLDR)."""
    code = lang.split("-")[0].split("_")[0]
    forms = COUNTS.get(code, COUNTS["en"])[noun]
    category = locale(code if code in COUNTS else "en").plural_form(n)
    number = str(n).translate(ARAB_DIGITS) if digits == "arab" and code == "ar" else str(n)
    return (forms.get(category) or forms["other"]).format(n=number)


def count_forms(noun: str, lang: str) -> dict[str, str]:
    """The forms of `noun` by plural category, for scripts that count with Intl.PluralRules."""
    code = lang.split("-")[0].split("_")[0]
    return dict(COUNTS.get(code, COUNTS["en"])[noun])


def region_locale(language: str, region: str = "") -> Locale:
    """The locale whose regional facts (first day of the week, month names) the chrome follows: `region` as
    configured (ar_SA, ar_EG, en_GB), else the language's likeliest region in CLDR (ar -> ar_EG, en -> en_US)."""
    if region:
        return locale(region)
    base = locale(language)
    if base.territory:
        return base
    likely = str(get_global("likely_subtags").get(base.language, "")).split("_")
    territory = next((part for part in likely[1:] if len(part) == 2 and part.isupper()), None)
    return Locale(base.language, territory) if territory else base


def locale(lang: str) -> Locale:
    """Babel's locale for a language code, English when CLDR does not know it."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")
