"""Which characters are animals: Каштанка is a dog, Федор Тимофеич a cat, Бедуин a horse.

A name says nothing of it, and a story rarely writes «собака Каштанка». What does is how the
character is written about: its paws, tail and muzzle, its barking and sniffing — words said of
no person (`lexicon_*.ANIMAL_CUES`). Across ten corpus books, at most 2 % of a person's
sentences have one (Levin's, who hunts with a dog; Alice's, among talking animals); an
animal's 7 % (Levin's dog Ласка) to 29 % (Каштанка). The cues also say which kind of animal;
the book's own word for it is the commonest animal noun of that kind around its name
(«собака», «гусь»)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.morph_analyzer import morph
from bookreader.nlp.morphology import en_lemma, ru_parse

# A character is an animal when at least this share of its sentences, and at least this many,
# say a word said only of animals.
ANIMAL_SHARE = 0.05
ANIMAL_SENTENCES = 2
# The book's word for the animal must come this often around its name, else the kind's word.
_NOUN_SEEN = 2

_WORD = re.compile(r"[^\W\d_]+")
_EN_ANIMALS = lexicon_en.ANIMALS.union(*lexicon_en.ANIMAL_KINDS.values())
# The word for an animal whose sentences name no animal of its kind.
_KIND_WORDS = {
    "ru": {
        "dog": "собака",
        "cat": "кошка",
        "horse": "лошадь",
        "cattle": "корова",
        "pig": "свинья",
        "bird": "птица",
        "beast": "животное",
    },
    "en": {
        "dog": "dog",
        "cat": "cat",
        "horse": "horse",
        "cattle": "cow",
        "pig": "pig",
        "bird": "bird",
        "beast": "animal",
    },
}


def animal_kinds(sentences: Sequence[str], lang: str) -> list[str]:
    """The kinds of animal ("dog", "bird"…, the likeliest first and tied) a character is, from
    the sentences that name it; [] for a person."""
    lexicon = lexicon_ru if lang == "ru" else lexicon_en
    forms = _cue_forms(lang)
    kinds: Counter[str] = Counter()
    cued = 0
    for sentence in sentences:
        words = _WORD.findall(sentence.lower().replace("ё", "е"))
        cues = {forms[word] for word in words if word in forms}
        cued += bool(cues)
        for cue in cues:
            kinds.update(lexicon.ANIMAL_CUES[cue])
    if cued < ANIMAL_SENTENCES or cued < ANIMAL_SHARE * len(sentences):
        return []
    top = max(kinds.values())
    return [kind for kind, count in kinds.items() if count == top]


def animal_word(kinds: Sequence[str], around: Iterable[str], lang: str) -> str:
    """The book's lemma for an animal of these kinds: the commonest animal noun of them in the
    text around its name (the sentences that name it and those before and after, where the
    story says «гусь» between two «Иван Иваныч»), else the kind's plain word."""
    lexicon = lexicon_ru if lang == "ru" else lexicon_en
    nouns = Counter(
        lemma
        for text in around
        for lemma in _lemmas(text, lang)
        if any(lemma in lexicon.ANIMAL_KINDS[kind] for kind in kinds)
    )
    for noun, count in nouns.most_common(1):
        if count >= _NOUN_SEEN:  # a poodle once beside Каштанка is another dog
            return noun
    # a tail alone does not say whose: an animal, unnamed
    return _KIND_WORDS[lang][kinds[0] if len(kinds) == 1 else "beast"]


def named_animal(name: str, lang: str) -> str | None:
    """The animal an English character's name says it is ("Mock Turtle" a turtle, "Dormouse"
    a dormouse); None for any other name. A Russian name is a person's word or a proper name."""
    if lang != "en" or not name.split():
        return None
    head = name.split()[-1].lower()
    return head if head in _EN_ANIMALS else None


@cache
def _cue_forms(lang: str) -> dict[str, str]:
    """Every written form of the cue words («лапами», «залаяла») → its lemma: a character's
    sentences are matched by spelling, since parsing each of a novel's words costs seconds."""
    if lang != "ru":
        return {cue: cue for cue in lexicon_en.ANIMAL_CUES}
    forms: dict[str, str] = {}
    for cue in lexicon_ru.ANIMAL_CUES:
        for parse in morph().parse(cue):
            if parse.normal_form.replace("ё", "е") == cue:
                forms.update((form.word.replace("ё", "е"), cue) for form in parse.lexeme)
    return forms


def _lemmas(text: str, lang: str) -> set[str]:
    words = (word.lower() for word in _WORD.findall(text))
    return {ru_parse(word)[0] if lang == "ru" else en_lemma(word) for word in words}
