"""The visual summary of a span in lemma form: key noun phrases, attributes by kind, and the
names that appear. English uses the trained pipeline's amod pairs when it is installed.

Russian noun phrases come from the morphology: every concrete noun with the adjectives right
before it, the nominative ones (what the sentence is about: «на стене висела старая сабля»)
first, so that a prompt can open with what is depicted."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from types import ModuleType

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.features import Token
from bookreader.nlp.model import VisualSummary
from bookreader.nlp.morph_analyzer import parse_word

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
_MAX_SUBJECTS = 12
_MAX_SUBJECTS_RU = 14
_MAX_MODIFIERS = 2  # «старый яблоневый сад»: the adjectives nearest the noun
# Nouns that name no thing to draw: measures, abstractions by their suffix, time spans.
_RU_ABSTRACT_SUFFIXES = ("ость", "ение", "ание", "ство", "изм")
_RU_NOT_DRAWN = frozenset(
    " ".join(
        (
            "раз время минута час секунда мгновение день неделя год месяц сторона шаг аршин",
            "верста часть конец начало середина место вид образ дело случай способ мысль слово",
            "чувство выражение звук крик голос шум запах сила жизнь смерть душа сердце взгляд",
            "очередь самый друг вкус",
        )
    ).split()
)


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
    if language == "ru":
        return _russian_subjects(tokens, lexicon)
    adjectives = lexicon.COLOUR | lexicon.MATERIAL | lexicon.SIZE_SHAPE | lexicon.LIGHT_ADJ
    adjectives |= lexicon.BUILD | lexicon.WEATHER_ADJ
    nouns = frozenset().union(*(getattr(lexicon, name) for name in _NOUN_VOCABULARIES))
    nouns |= lexicon.ARTEFACT
    subjects: list[str] = []
    if amod_pairs is not None:
        subjects.extend(f"{adjective} {noun}" for adjective, noun in amod_pairs())
    else:
        for left, right in itertools.pairwise(tokens):
            if left.lemma in adjectives and right.lemma in nouns and right.start - left.end <= 2:
                subjects.append(f"{left.lemma} {right.lemma}")
    for token in tokens:
        if token.lemma in nouns and not any(token.lemma in s.split() for s in subjects):
            subjects.append(token.lemma)
    unique = list(dict.fromkeys(subjects))
    # things of the visual vocabularies first ("pewter lamp" before "natural reserve")
    unique.sort(key=lambda phrase: phrase.split()[-1] not in nouns)
    return unique[:_MAX_SUBJECTS]


def _russian_subjects(tokens: list[Token], lexicon: ModuleType) -> list[str]:
    """«прилагательное* существительное» phrases in lemma form (a plural head in its nominative
    plural): the nominative ones first, then the other things in text order."""
    ranked: list[tuple[int, int, str]] = []
    modifiers: list[Token] = []
    previous: Token | None = None
    for position, token in enumerate(tokens):
        adjacent = previous is not None and token.start - previous.end <= 2
        if not adjacent:
            modifiers = []
        if token.pos == "ADJ":
            modifiers.append(token)
        elif _common_noun(token) and _drawable(token.lemma, lexicon):
            words = [m.lemma for m in modifiers[-_MAX_MODIFIERS:]] + [_head_form(token)]
            rank = 0 if _nominative(token.lower) else 1
            ranked.append((rank, position, " ".join(words)))
            modifiers = []
        else:
            modifiers = []
        previous = token
    phrases = [phrase for _, _, phrase in sorted(ranked)]
    unique: list[str] = []
    for phrase in phrases:  # "сабля" after "старинный сабля" adds nothing
        head = _lemma_of(phrase.split()[-1])
        if any(_lemma_of(kept.split()[-1]) == head for kept in unique):
            continue
        unique.append(phrase)
    return unique[:_MAX_SUBJECTS_RU]


def _drawable(lemma: str, lexicon: ModuleType) -> bool:
    if lemma in lexicon.ABSTRACT or lemma in lexicon.THOUGHT or lemma in lexicon.SPEECH:
        return False
    if lemma in lexicon.TIME_SEASON or lemma in _RU_NOT_DRAWN or len(lemma) < 3:
        return False
    return not lemma.endswith(_RU_ABSTRACT_SUFFIXES) or lemma in lexicon.PLACE


def _head_form(token: Token) -> str:
    """The head noun's lemma, or its nominative plural when the passage shows several
    («рыбацкие лодки» → "лодки": boats, not a boat); words only used in the plural keep the
    lemma."""
    parses = parse_word(token.lower.replace("ё", "е"))
    if not parses:
        return token.lemma
    tag = parses[0].tag
    if "plur" not in tag or {"Pltm", "Sgtm"} & tag.grammemes:
        return token.lemma
    plural = parses[0].inflect({"nomn", "plur"})
    return plural.word.replace("ё", "е") if plural is not None else token.lemma


def _lemma_of(word: str) -> str:
    parses = parse_word(word)
    return str(parses[0].normal_form).replace("ё", "е") if parses else word


def _common_noun(token: Token) -> bool:
    """A noun, or a word read first as a place name that is also a common noun (the analyser
    knows a river Сабля: «сабля» is still a sabre)."""
    if token.pos == "NOUN":
        return True
    if token.pos != "PROPN":
        return False
    parses = parse_word(token.lower.replace("ё", "е"))
    if not parses or "Geox" not in parses[0].tag:
        return False
    return any(
        p.tag.POS == "NOUN" and not {"Name", "Surn", "Patr", "Geox"} & p.tag.grammemes
        for p in parses
    )


def _nominative(word: str) -> bool:
    parses = parse_word(word.replace("ё", "е"))
    return bool(parses) and "nomn" in parses[0].tag
