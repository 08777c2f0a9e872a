"""The site chrome's words in each UI language, and locale facts from CLDR (Babel)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from babel import Locale, UnknownLocaleError

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
    "more_that_day": "مقالات أخرى في اليوم نفسه",
    "same_day": "اليوم نفسه في سنوات أخرى",
    "on_this_day": "في مثل هذا اليوم",
    "on_this_day_note": "حُسبت يوم بناء الموقع،",
    "period_nav": "الفترة السابقة والتالية",
    "dates_data": "عدد المقالات في كل يوم (JSON)",
    "hijri_legend": "الرقم الصغير في كل يوم: اليوم من الشهر الهجري",
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
    "more_that_day": "more that day",
    "same_day": "This day in other years",
    "on_this_day": "On this day",
    "on_this_day_note": "As of the build date,",
    "period_nav": "Earlier and later",
    "dates_data": "Articles per day (JSON)",
    "hijri_legend": "The small number in each day: the day of the Hijri month",
}
MESSAGES: Mapping[str, Mapping[str, str]] = MappingProxyType({"ar": MappingProxyType(_AR), "en": MappingProxyType(_EN)})


def messages(lang: str) -> Mapping[str, str]:
    """UI words for `lang`, English for languages we have no table for."""
    return MESSAGES.get(lang.split("-")[0].split("_")[0], MESSAGES["en"])


def locale(lang: str) -> Locale:
    """Babel's locale for a language code, English when CLDR does not know it."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")
