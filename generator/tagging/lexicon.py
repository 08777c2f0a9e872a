"""How likely a name is also an ordinary Arabic word, from the word frequencies that ship inside `wordfreq`.

A proper name is frequent too (مصر, محمد), so frequency alone says nothing; what gives a common word away is
that it inflects as names do not. Counted over every spelling that normalises alike (as the matcher sees it):
- it alternates with and without the article: مدينة / المدينة, شمال / الشمال, رئيس / الرئيس;
- it takes possessive suffixes: عليها, عليهم (على), مدينتها, حياته;
- an adjective pairs its genders: مالي / مالية, الأوروبية / الأوروبي;
- written with ي for ى, as much Arabic text is, it is a function word: علي for على, سوي for سوى.
Names that take ال now and then (الكاميرون / كاميرون) are rare words, so the evidence is weighed by how often
the word occurs: the estimate is the frequency of the word's ordinary uses, on wordfreq's Zipf scale.

wordfreq (Apache-2.0 code; its data CC BY-SA 4.0) is a dependency installed by pip: its data is read where it
is installed, never copied into this project.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import msgpack

from generator.arabic import normalize

# Zipf (log10 per billion words): a word whose ordinary uses are this frequent (1 in 100,000 words) turns up in
# a good share of a news archive's articles, so a name spelled like it would be tagged all over.
COMMON_ZIPF = 4.0
# A word this frequent is a function word or a staple noun (على 7.2, سوى 5.2), never only a name (مصطفى 4.9).
FUNCTION_ZIPF = 5.0
_POSSESSIVES = ("ها", "هم", "هما", "هن", "كم", "نا")  # not ه alone: a folded ة (رياضه) would pass for it
_ARABIC_WORD = frozenset("ابتثجحخدذرزسشصضطظعغفقكلمنهويىء")


@dataclass(frozen=True)
class Lexicon:
    """Frequencies of normalised Arabic words (sums over the spellings that fold alike)."""

    frequency: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def zipf(self, word: str) -> float:
        """wordfreq's Zipf scale for a normalised word: 0 when unknown, ~7 for the commonest."""
        f = self.frequency.get(word, 0.0)
        return math.log10(f) + 9 if f > 0 else 0.0

    def ordinary(self, word: str, adjective: bool = True) -> float:
        """Zipf frequency of the uses of a normalised one-word name that are ordinary words (0: none seen).

        `adjective=False` leaves the gender pair out: a place's adjective (السورية, السعودية) is about the place."""
        f = self.frequency.get(word, 0.0)
        if not set(word) <= _ARABIC_WORD:
            return 0.0
        definite = word.startswith("ال") and len(word) > 3
        bare = word[2:] if definite else word
        other = bare if definite else "ال" + word
        stem = bare[:-1] + "ت" if bare.endswith("ه") else bare[:-1] + "ي" if bare.endswith("ى") else bare
        # A place's adjective is about the place: سورية / السورية, السعودية / سعودية are one name.
        nisba = not adjective and bare.endswith(("ي", "يه"))
        evidence = 0.0 if nisba else self.frequency.get(other, 0.0)
        evidence += sum(self.frequency.get(stem + s, 0.0) for s in _POSSESSIVES)
        if word.endswith("يه") and adjective:
            evidence += self.frequency.get(word[:-1], 0.0)
        elif word.endswith("ي"):
            evidence += self.frequency.get(word + "ه", 0.0) if adjective else 0.0
        share = evidence / (f + evidence) if f + evidence else 0.0
        ordinary = f * share
        if word.endswith("ي"):
            # Text that writes ي for ى shows the function word itself wherever the name is looked for.
            dotless = self.frequency.get(word[:-1] + "ى", 0.0)
            ordinary = max(ordinary, dotless if dotless >= 10 ** (FUNCTION_ZIPF - 9) else 0.0)
        return math.log10(ordinary) + 9 if ordinary > 0 else 0.0

    def common(self, word: str, adjective: bool = True) -> bool:
        """A one-word name that is, most of the times it is written, an ordinary word."""
        return self.ordinary(word, adjective) >= COMMON_ZIPF


def load_lexicon() -> Lexicon:
    """wordfreq's Arabic list (words of Zipf 3 and up), normalised as the matcher normalises text."""
    buckets = frequency_list("ar")
    spellings = [w for bucket in buckets for w in bucket]
    folded = normalize("\n".join(spellings), fold_ya=False).split("\n")  # one pass over all is ~10x faster
    table: dict[str, float] = {}
    index = 0
    for rank, bucket in enumerate(buckets):
        f = 10 ** (-rank / 100)  # bucket n holds words of frequency 10^(-n/100)
        for word in folded[index : index + len(bucket)]:
            table[word] = table.get(word, 0.0) + f
        index += len(bucket)
    return Lexicon(MappingProxyType(table))


def frequency_list(lang: str) -> list[list[str]]:
    """wordfreq's small list for `lang` (`wordfreq.get_frequency_list(lang, "small")`), read from its file in
    the cBpack format `wordfreq.read_cBpack` documents, without importing wordfreq: its tokenisers' libraries
    (ftfy, langcodes) take ~0.4 s to import, a tenth of an update. A file not where or as expected falls back
    to wordfreq itself."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.submodule_search_locations:
        path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{lang}.msgpack.gz"
        try:
            data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
        except (OSError, EOFError, ValueError, msgpack.UnpackException):
            data = None
        if isinstance(data, list) and data and data[0] == {"format": "cB", "version": 1}:
            return data[1:]
    from wordfreq import get_frequency_list

    return get_frequency_list(lang, wordlist="small")
