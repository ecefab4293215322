"""The bilingual glossary of visual vocabulary: Russian lemmas from the extract stage → English
words for prompts. The table lives in `glossary_ru_en.tsv`; unknown words are left out, never
transliterated, so no Cyrillic reaches a prompt."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).with_name("glossary_ru_en.tsv")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@cache
def glossary() -> dict[str, str]:
    """lemma → English, loaded once from the TSV (comments and blank lines skipped)."""
    entries: dict[str, str] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, english = line.split("\t")
        entries[lemma.strip().replace("ё", "е")] = english.strip()
    return entries


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def translate_word(lemma: str, language: str) -> str | None:
    """English for one lemma: the glossary for Russian, the lemma itself for English."""
    word = lemma.strip().lower().replace("ё", "е")
    if not word:
        return None
    if language != "ru":
        return None if has_cyrillic(word) else word
    english = glossary().get(word)
    if english is None and "-" in word:  # "темно-синий" → "dark blue" when both halves are known
        parts = [_COMPOUND_PREFIXES.get(p) or glossary().get(p) for p in word.split("-")]
        english = " ".join(p for p in parts if p) if all(parts) else None
    return english


def translate_phrase(phrase: str, language: str) -> str | None:
    """A summary subject ("серый шинель") word by word; None when its head noun is unknown.

    Modifiers the glossary does not know are dropped; the head (last word) must be known,
    otherwise the phrase would name nothing."""
    words = phrase.split()
    if not words:
        return None
    head = translate_word(words[-1], language)
    if head is None:
        return None
    modifiers = [translate_word(word, language) for word in words[:-1]]
    return " ".join([*(m for m in modifiers if m), head])


def translate_all(lemmas: list[str], language: str) -> list[str]:
    """Known lemmas in English, in order, without duplicates."""
    words = (translate_word(lemma, language) for lemma in lemmas)
    return list(dict.fromkeys(w for w in words if w))


_COMPOUND_PREFIXES = {"темно": "dark", "светло": "light", "бледно": "pale", "ярко": "bright"}
