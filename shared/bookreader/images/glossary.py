"""Russian lemmas from the extract stage → English words for prompts, offline.

Two tables: `glossary_ru_en.tsv`, hand-curated visual senses (and a few noun phrases whose words
alone would mislead), wins over `lexicon_ru_en.tsv`, the book-scale lexicon generated from
packaged dictionaries (`make lexicon`, see build_lexicon.py). Unknown words are left out, never
transliterated, so no Cyrillic reaches a prompt."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).with_name("glossary_ru_en.tsv")
_LEXICON = Path(__file__).with_name("lexicon_ru_en.tsv")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@cache
def glossary() -> dict[str, str]:
    """The curated lemma (or lemma phrase) → English, loaded once."""
    return _read(_TABLE)


@cache
def lexicon() -> dict[str, str]:
    """The generated book-scale lemma → English, loaded once."""
    return _read(_LEXICON)


def _read(table: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, english = line.split("\t")
        entries.setdefault(lemma.strip().replace("ё", "е"), english.strip())
    return entries


def _lookup(lemma: str) -> str | None:
    return glossary().get(lemma) or lexicon().get(lemma)


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def translate_word(lemma: str, language: str) -> str | None:
    """English for one lemma: the glossary for Russian, the lemma itself for English."""
    word = lemma.strip().lower().replace("ё", "е")
    if not word:
        return None
    if language != "ru":
        return None if has_cyrillic(word) else word
    english = _lookup(word) or _derived(word)
    if english is None and "-" in word:  # "темно-синий" → "dark blue" when both halves are known
        parts = [_COMPOUND_PREFIXES.get(p) or _lookup(p) for p in word.split("-")]
        english = " ".join(p for p in parts if p) if all(parts) else None
    return english


def translate_phrase(phrase: str, language: str) -> str | None:
    """A summary subject ("серый шинель") word by word; None when its head noun is unknown.

    Modifiers the glossary does not know are dropped; the head (last word) must be known,
    otherwise the phrase would name nothing."""
    words = phrase.split()
    if not words:
        return None
    if language == "ru":  # a curated phrase ("книжный шкаф" → bookcase), with its modifiers
        for size in range(len(words), 1, -1):
            english = glossary().get(" ".join(words[-size:]).replace("ё", "е"))
            if english:
                rest = [translate_word(word, language) for word in words[:-size]]
                return " ".join([*(m for m in rest if m), english])
    head = translate_word(words[-1], language)
    if head is None:
        return None
    modifiers = [translate_word(word, language) for word in words[:-1]]
    return " ".join([*(m for m in modifiers if m), head])


def translate_all(lemmas: list[str], language: str) -> list[str]:
    """Known lemmas in English, in order, without duplicates."""
    words = (translate_word(lemma, language) for lemma in lemmas)
    return list(dict.fromkeys(w for w in words if w))


# Diminutives and relational adjectives the dictionaries do not list, read through the word they
# come from: «окошечко» → окошко → window, «тоненький» → тонкий, «гусарский» → гусар (hussar).
_DERIVATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("енький", ("кий", "ый", "ой", "ий")),
    ("онький", ("кий", "ый", "ой")),
    ("ечко", ("ко", "о")),
    ("ышко", ("о", "")),
    ("очка", ("ка", "а")),
    ("ечка", ("ка", "а", "я")),
    ("ичка", ("ица",)),
    ("ушка", ("а",)),
    ("ышка", ("а",)),
    ("ико", ("о",)),
    ("ка", ("а", "ь", "я", "")),
    ("ко", ("о",)),
    ("ик", ("",)),
    ("ок", ("",)),
    ("ский", ("", "а", "ь", "ия")),
    ("ской", ("", "а", "ь")),
    ("чий", ("к",)),
)


def _derived(word: str) -> str | None:
    for suffix, replacements in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for replacement in replacements:
                if english := _lookup(stem + replacement):
                    return english
    return None


_COMPOUND_PREFIXES = {"темно": "dark", "светло": "light", "бледно": "pale", "ярко": "bright"}
