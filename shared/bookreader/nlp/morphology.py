"""Lemmas and coarse parts of speech: pymorphy3 (cached) for Russian, an inflection table
built from the vocabularies for English (fast enough for every sentence of a book); and whether
a Russian noun names a person (pymorphy3's animacy)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.morph_analyzer import PERSON_NAME_TAGS, morph, parse_word

_RU_POS = {
    "NOUN": "NOUN",
    "ADJF": "ADJ",
    "ADJS": "ADJ",
    "PRTF": "ADJ",
    "PRTS": "VERB",
    "VERB": "VERB",
    "INFN": "VERB",
    "GRND": "VERB",
}
_RU_NAME_TAGS = PERSON_NAME_TAGS | {"Geox"}


@lru_cache(maxsize=200_000)
def ru_parse(word: str) -> tuple[str, str]:
    """(lemma, coarse POS) for a lower-cased Russian word; ё folded to е."""
    parse = morph().parse(word)[0]
    tag = parse.tag
    pos = _RU_POS.get(tag.POS, "OTHER")
    if pos == "NOUN" and any(name in tag for name in _RU_NAME_TAGS):
        pos = "PROPN"
    # participles count as adjectives for summaries but keep their verb lemma for vocabulary
    return parse.normal_form.replace("ё", "е"), pos


_RU_PROPER_TAGS = _RU_NAME_TAGS | {"Orgn", "Trad"}


def animate_common_noun(readings: Sequence[Any]) -> Any | None:
    """The first common-noun reading of a Russian word when every common-noun reading is animate
    («полковник», «старуха»), else None («пол» is a floor, and Paul only as a name)."""
    nouns = [r for r in readings if r.tag.POS == "NOUN" and not _RU_PROPER_TAGS & r.tag.grammemes]
    if not nouns or any("anim" not in r.tag for r in nouns):
        return None
    return nouns[0]


@lru_cache(maxsize=65536)
def russian_person_noun(word: str) -> bool:
    """Whether a lower-cased Russian word is a person called by what they are: a common noun
    every common reading of which is animate (`animate_common_noun`: not «духами», which may be
    perfume; a surname or place-name reading does not count, «дворецкий» is a butler), and no
    animal."""
    parses = parse_word(word)
    return (
        bool(parses)
        and parses[0].tag.POS == "NOUN"
        and animate_common_noun(parses) is not None
        and ru_parse(word)[0] not in lexicon_ru.ANIMALS
    )


def _en_inflections(base: str) -> set[str]:
    forms = {base, base + "s", base + "es", base + "ed", base + "ing", base + "d"}
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if base.endswith("e"):
        forms.add(base[:-1] + "ing")
    if (
        len(base) > 2
        and base[-1] not in "aeiouwxy"
        and base[-2] in "aeiou"
        and base[-3] not in "aeiou"
    ):
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


# Vocabularies of nouns only: a verb's endings would read "mend" as men and "twined" as twin.
_EN_NOUN_ONLY = frozenset({"PERSON"})


def _en_noun_forms(base: str) -> set[str]:
    """A noun, its plural and their possessives ("the old man's coat")."""
    if base.endswith(("s", "x", "z", "ch", "sh")):
        plural = base + "es"
    elif base.endswith("fe"):
        plural = base[:-2] + "ves"  # wife, midwife
    elif base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        plural = base[:-1] + "ies"
    else:
        plural = base + "s"
    return {base, plural, base + "'s", plural + "'" if plural.endswith("s") else plural + "'s"}


@cache
def _en_forms() -> dict[str, str]:
    table: dict[str, str] = {}
    for name in dir(lexicon_en):
        vocabulary = getattr(lexicon_en, name)
        if isinstance(vocabulary, frozenset):
            # in a fixed order: a form two bases share ("sliding": slide, slid) must not take
            # whichever base the string hash puts first in this process
            for base in sorted(vocabulary):
                inflect = _en_noun_forms if name in _EN_NOUN_ONLY else _en_inflections
                for form in inflect(base):
                    table.setdefault(form, base)
    for base in table.copy().values():
        table[base] = base  # a listed word is always its own lemma
    return table


def en_lemma(word: str) -> str:
    """Base form of a lower-cased English word when the vocabularies know it, else the word."""
    return _en_forms().get(word, word)
