"""The visual summary of a span in lemma form: key noun phrases, attributes by kind, and the
names that appear. English uses the trained pipeline's amod pairs when it is installed."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from types import ModuleType

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.features import Token
from bookreader.nlp.model import VisualSummary

_ATTRIBUTE_KINDS = {
    "colour": "COLOUR",
    "material": "MATERIAL",
    "size": "SIZE_SHAPE",
    "light": "LIGHT_ADJ",
    "clothing": "CLOTHING",
    "weather": "WEATHER_ADJ",
    "time": "TIME_SEASON",
}
_SEASONS = {"осень", "зима", "весна", "лето", "autumn", "winter", "spring", "summer"}
_NOUN_VOCABULARIES = ("PLACE", "BODY", "CLOTHING", "SKY_WEATHER")
_MAX_SUBJECTS = 8


def build_summary(
    tokens: list[Token],
    language: str,
    amod_pairs: Callable[[], list[tuple[str, str]]] | None = None,
) -> VisualSummary:
    lexicon: ModuleType = lexicon_ru if language == "ru" else lexicon_en
    attributes: dict[str, list[str]] = {}
    for token in tokens:
        for kind, vocabulary in _ATTRIBUTE_KINDS.items():
            if token.lemma in getattr(lexicon, vocabulary):
                if kind == "time" and token.lemma in _SEASONS:
                    kind = "season"
                values = attributes.setdefault(kind, [])
                if token.lemma not in values:
                    values.append(token.lemma)
        if token.lemma in lexicon.SKY_WEATHER and token.lemma not in lexicon.TIME_SEASON:
            values = attributes.setdefault("weather", [])
            if token.lemma not in values:
                values.append(token.lemma)
    subjects = _subjects(tokens, lexicon, language, amod_pairs)
    characters = []
    for token in tokens:
        if token.pos == "PROPN" and _is_name(token, lexicon):
            name = token.lemma.capitalize() if language == "ru" else token.lower.capitalize()
            if name not in characters:
                characters.append(name)
    return VisualSummary(subjects=subjects, attributes=attributes, characters=characters)


def _is_name(token: Token, lexicon: ModuleType) -> bool:
    return (
        not any(
            token.lemma in getattr(lexicon, name)
            for name in (*_NOUN_VOCABULARIES, "NEGATORS", "PRONOUNS_DIALOGUE", "THOUGHT", "SPEECH")
        )
        and len(token.lower) > 1
    )


def _subjects(
    tokens: list[Token],
    lexicon: ModuleType,
    language: str,
    amod_pairs: Callable[[], list[tuple[str, str]]] | None,
) -> list[str]:
    adjectives = lexicon.COLOUR | lexicon.MATERIAL | lexicon.SIZE_SHAPE | lexicon.LIGHT_ADJ
    adjectives |= lexicon.BUILD | lexicon.WEATHER_ADJ
    nouns = frozenset().union(*(getattr(lexicon, name) for name in _NOUN_VOCABULARIES))
    subjects: list[str] = []
    if amod_pairs is not None:
        subjects.extend(f"{adjective} {noun}" for adjective, noun in amod_pairs())
    else:
        for left, right in itertools.pairwise(tokens):
            left_is_adjective = left.pos == "ADJ" if language == "ru" else left.lemma in adjectives
            right_is_noun = right.pos == "NOUN" if language == "ru" else right.lemma in nouns
            if left_is_adjective and right_is_noun and right.start - left.end <= 2:
                subjects.append(f"{left.lemma} {right.lemma}")
    for token in tokens:
        if token.lemma in nouns and not any(token.lemma in s.split() for s in subjects):
            subjects.append(token.lemma)
    unique = list(dict.fromkeys(subjects))
    return unique[:_MAX_SUBJECTS]
