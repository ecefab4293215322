"""The pymorphy3 analyser (Russian dictionaries), loaded once per process when first needed.
Apart from bookreader.nlp.pipelines because it needs only the Morphology layer: the functions
that write picture prompts use it without the spaCy and natasha stack."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

# pymorphy3's grammemes of a person's name: first name, surname, patronymic.
PERSON_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


@cache
def morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parse_word(word: str) -> tuple[Any, ...]:
    """pymorphy3's parses of a word, best first (cached: books repeat their names)."""
    return tuple(morph().parse(word))
