"""Russian lemmas from the extract stage → English words for prompts, offline.

Two tables: `glossary_ru_en.tsv`, hand-curated visual senses (and a few noun phrases whose words
alone would mislead), wins over `lexicon_ru_en.tsv`, the book-scale lexicon generated from
packaged dictionaries (`make lexicon`, see build_lexicon.py). Unknown words are left out, never
transliterated, so no Cyrillic reaches a prompt."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.morphology import ru_parse, russian_person_noun

_TABLE = Path(__file__).with_name("glossary_ru_en.tsv")
_SENSES = Path(__file__).with_name("senses_ru_en.tsv")
_LEXICON = Path(__file__).with_name("lexicon_ru_en.tsv")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Mueller's dictionary writes an é as e' ("sue'de", "de'classe"): a prompt says "suede".
_MUELLER_ACUTE = re.compile(r"(?<=e)'(?=[a-z])")
# «седой», «рыжий» say a person's hair ("grey-haired"); said of anything else, the colour
# alone: "grey beard", "red stallion", "curly birch tree"
HAIRED = "-haired"
_CURATED_ON: ContextVar[bool] = ContextVar("curated_glossary_on", default=True)
_CURATED_KEYS: ContextVar[frozenset[str] | None] = ContextVar("curated_keys", default=None)
_PASSAGE: ContextVar[frozenset[str]] = ContextVar("passage_lemmas", default=frozenset())
_Value = TypeVar("_Value")


@cache
def glossary() -> dict[str, str]:
    """The curated lemma (or lemma phrase) → English, loaded once."""
    return _read(_TABLE)


@cache
def lexicon() -> dict[str, str]:
    """The generated book-scale lemma → English, loaded once."""
    return _read(_LEXICON)


def without_glossary() -> AbstractContextManager[None]:
    """Translate with the generated lexicon and the derivations only: how coverage is measured
    without the hand-curated entries (`make lexicon-coverage`)."""
    return _while_set(_CURATED_ON, False)


def glossary_limited_to(lemmas: Collection[str]) -> AbstractContextManager[None]:
    """Translate with only the curated entries whose key is one of `lemmas` (and the generated
    vocabulary): the glossary that could have been written from the books those lemmas come
    from, as `make lexicon-coverage` measures it on books the glossary must not have seen."""
    return _while_set(_CURATED_KEYS, frozenset(lemma.replace("ё", "е") for lemma in lemmas))


def in_passage(lemmas: Collection[str]) -> AbstractContextManager[None]:
    """Translate for one passage whose words have these lemmas: a word whose sense the passage
    cues (senses_ru_en.tsv: «замок» beside a door is a lock, not a castle) is said in it."""
    return _while_set(_PASSAGE, frozenset(lemma.replace("ё", "е") for lemma in lemmas))


@contextmanager
def _while_set(variable: ContextVar[_Value], value: _Value) -> Iterator[None]:
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)


@cache
def _senses() -> dict[str, list[tuple[str, frozenset[str]]]]:
    senses: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for line in _SENSES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, english, cues = line.split("\t")
            senses.setdefault(lemma, []).append((english, frozenset(cues.split())))
    return senses


def _cued_sense(lemma: str) -> str | None:
    """The sense of the lemma that the current passage's words cue, if any."""
    passage = _PASSAGE.get()
    if not passage or not _CURATED_ON.get():
        return None
    return next((english for english, cues in _senses().get(lemma, []) if cues & passage), None)


def _curated() -> dict[str, str]:
    if not _CURATED_ON.get():
        return {}
    keys = _CURATED_KEYS.get()
    return glossary() if keys is None else _limited(keys)


@lru_cache(maxsize=4)
def _limited(keys: frozenset[str]) -> dict[str, str]:
    return {lemma: english for lemma, english in glossary().items() if lemma in keys}


def _read(table: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, english = line.split("\t")
        english = _MUELLER_ACUTE.sub("", english.strip())
        entries.setdefault(lemma.strip().replace("ё", "е"), english)
    return entries


def _lookup(lemma: str) -> str | None:
    return _curated().get(lemma) or lexicon().get(lemma)


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def translate_word(lemma: str, language: str) -> str | None:
    """English for one lemma: the glossary for Russian, the lemma itself for English."""
    word = lemma.strip().lower().replace("ё", "е")
    if not word:
        return None
    if language != "ru":
        return None if has_cyrillic(word) else word
    english = (
        _cued_sense(word)
        or _curated().get(word)
        or _curated_verb(word)
        or lexicon().get(word)
        or _spelling_variant(word)
        or _derived(word)
        or _adjective_of(word)
        or _noun_of(word)
        or _of_animal(word)
        or _negated(word)
        or _half(word)
        or _counted(word)
    )
    if english is None and "-" in word:  # "темно-синий" → "dark blue" when both halves are known
        parts = [_compound_part(p) for p in word.split("-")]
        english = " ".join(p for p in parts if p) if all(parts) else None
    return english or _joined_compound(word)


def translate_phrase(phrase: str, language: str) -> str | None:
    """A summary subject ("серый шинель") word by word; None when its head noun is unknown.

    Modifiers the dictionaries do not know are dropped; the head (last word) must be known,
    otherwise the phrase would name nothing. A Russian head in the plural ("лодки") is
    translated from its lemma and said in the English plural ("boats")."""
    words = phrase.split()
    if not words:
        return None
    if language == "ru" and (split := genitive_complement(words)) is not None:
        return _with_complement(*split)
    plural = False
    if language == "ru" and _lookup(words[-1].replace("ё", "е")) is None:
        words[-1], plural = _singular(words[-1])
    english = _curated_phrase(words) if language == "ru" else None
    if english is None:
        head = translate_word(words[-1], language)
        if head is None:
            return None
        # "сосновый бор" → "pine forest", not "pine pine forest"; «польский пан» → "Polish
        # lord", not "polish Polish lord"
        said = set(head.lower().split())
        modifiers = [translate_word(word, language) for word in words[:-1]]
        haired = any(m and m.endswith(HAIRED) for m in modifiers)
        person = _a_person(words[-1], head, language)
        if haired and not person:
            modifiers = [m.removesuffix(HAIRED) if m else m for m in modifiers]
        if language == "ru" and not person and words[-1] not in lexicon_ru.SAID_BY_ADJECTIVE:
            senses = _of_a_thing(words[-1], head.split()[-1])
            modifiers = [senses.get(w, m) for w, m in zip(words[:-1], modifiers, strict=True)]
        english = " ".join(
            [*(m for m in modifiers if m and not set(m.lower().split()) <= said), head]
        )
    return pluralize(english) if plural else english


def _of_a_thing(noun: str, english_head: str) -> dict[str, str]:
    """The senses Russian adjectives take on a noun that is no person: «невысокий» is short
    of a man and of his stature, low of a wave or a fence; «толстый» fat of a man, a dog or a
    face, thick of a wallet or a wall; «высокий» and «частый» by the noun (`_BY_HEAD`)."""
    senses = dict(_OF_THINGS)
    lemma = noun.lower().replace("ё", "е")
    if _inanimate(lemma) and ru_parse(lemma)[0] not in _FAT_OF:
        senses.update(_OF_INANIMATE)
    senses.update(
        {adjective: by[english_head] for adjective, by in _BY_HEAD.items() if english_head in by}
    )
    return senses


def _inanimate(word: str) -> bool:
    from bookreader.nlp.morph_analyzer import parse_word

    nouns = [p for p in parse_word(word) if p.tag.POS == "NOUN"]
    return bool(nouns) and "inan" in nouns[0].tag


# Russian adjectives said one way of people (the glossary's sense) and another of things
_OF_THINGS = {"невысокий": "low"}
_OF_INANIMATE = {"толстый": "thick"}
# Parts of a body «толстый» is fat of: `lexicon_ru.BODY`'s and these («толстое тело»)
_FAT_OF = lexicon_ru.BODY | frozenset(
    ["тело", "туловище", "живот", "брюхо", "ляжка", "бедро", "зад", "шея"]
)
# «высокий» is tall of a man, a tree or a tower; of these, high (or long: a glove)
_HIGH = {
    "heel": "high",
    "ceiling": "high",
    "window": "high",
    "wall": "high",
    "bank": "high",
    "cliff": "high",
    "hill": "high",
    "mountain": "high",
    "collar": "high",
    "boot": "high",
    "forehead": "high",
    "brow": "high",
    "sky": "high",
    "glove": "long",
}
# «густой» is dense of a forest or fog (the glossary's sense), thick of what grows on a head
# or hangs from a shoulder
_GROWN_THICK = (
    "hair",
    "beard",
    "moustache",
    "eyebrow",
    "eyelash",
    "whiskers",
    "sideburns",
    "braid",
    "plait",
    "curls",
    "mane",
    "fringe",
    "epaulette",
)
# «частый» is dense of a forest or a hedge (the glossary's sense), steady of rain; «мелкий» fine
# of rain and snow
_BY_HEAD = {
    "высокий": _HIGH,
    "частый": {"rain": "steady", "drizzle": "steady"},
    "мелкий": {"rain": "fine", "drizzle": "fine", "snow": "fine"},
    "густой": dict.fromkeys(_GROWN_THICK, "thick"),
}


def _a_person(word: str, english: str, language: str) -> bool:
    """Whether a phrase's head names a person: a Russian animate common noun that is no
    animal («атаман», «старик»; not «жеребец»), an English person noun."""
    if language != "ru":
        return english.lower().split()[-1] in lexicon_en.PERSON
    return russian_person_noun(ru_parse(word.lower().replace("ё", "е"))[0])


def genitive_complement(words: list[str]) -> tuple[list[str], list[str]] | None:
    """(head words, complement words) of a Russian summary phrase whose head noun is followed by
    its genitive complement as written («чёрный полог ночи», «груды углей»): the head is the first
    noun in the nominative, and every word after it has a genitive reading, the last a noun's.
    None for a phrase without one («рабочий ридикюль»: the noun after has no genitive)."""
    from bookreader.nlp.morph_analyzer import parse_word

    def genitive(word: str, pos: tuple[str, ...]) -> bool:
        return any(p.tag.POS in pos and p.tag.case in ("gent", "gen2") for p in parse_word(word))

    for at in range(len(words) - 1):
        parses = parse_word(words[at].replace("ё", "е"))
        # read first as a noun, and not an adjective's lemma as the summary writes modifiers:
        # «черные» (the black ones), «вороной» (a black horse) are adjectives before their noun
        if not parses or parses[0].tag.POS != "NOUN":
            continue
        if any(p.tag.POS == "ADJF" and p.normal_form == p.word for p in parses):
            continue
        if not any(p.tag.POS == "NOUN" and p.tag.case == "nomn" for p in parses):
            continue
        rest = [word.replace("ё", "е") for word in words[at + 1 :]]
        if all(genitive(word, ("ADJF", "PRTF")) for word in rest[:-1]) and genitive(
            rest[-1], ("NOUN",)
        ):
            return words[: at + 1], rest
    return None


def _with_complement(head: list[str], complement: list[str]) -> str | None:
    """«чучело совы» → "stuffed owl" (a curated phrase of the lemmas), else "X of Y"; the head
    alone when the complement is unknown, None when the head is."""
    from bookreader.nlp.morph_analyzer import parse_word

    lemmas, plural = [], False
    for word in complement:
        readings = [p for p in parse_word(word) if p.tag.case in ("gent", "gen2")]
        lemmas.append(str(readings[0].normal_form).replace("ё", "е"))
        nouns = [p for p in readings if p.tag.POS == "NOUN"]
        plural = bool(nouns) and all(p.tag.number == "plur" for p in nouns)
    words = [*head, *lemmas]
    for size in range(len(words), len(lemmas), -1):  # an entry that takes in the head noun
        if curated := _curated().get(" ".join(words[-size:]).replace("ё", "е")):
            rest = [translate_word(word, "ru") for word in words[:-size]]
            return " ".join([*(m for m in rest if m), curated])
    english = translate_phrase(" ".join(head), "ru")
    of = translate_phrase(" ".join(lemmas), "ru")
    if english is None or of is None or set(of.split()) <= set(english.split()):
        return english  # «порошинки снега»: "snow" says nothing "fresh snow" did not
    return f"{english} of {pluralize(of) if plural else of}"


def _curated_phrase(words: list[str]) -> str | None:
    """A curated phrase ("книжный шкаф" → bookcase) ending the words, with their modifiers."""
    for size in range(len(words), 1, -1):
        english = _curated().get(" ".join(words[-size:]).replace("ё", "е"))
        if english:
            rest = [translate_word(word, "ru") for word in words[:-size]]
            return " ".join([*(m for m in rest if m), english])
    return None


def _singular(word: str) -> tuple[str, bool]:
    """(lemma, whether the word is a plural form) of a Russian noun."""
    from bookreader.nlp.morph_analyzer import parse_word

    nouns = [p for p in parse_word(word.replace("ё", "е")) if p.tag.POS == "NOUN"]
    plurals = [p for p in nouns if {"nomn", "plur"} <= p.tag.grammemes]
    readings = plurals or nouns
    if not readings:
        return word, False
    # of two plurals with one form («пустыни»: пустынь or пустыня), one the passage cues
    # («полки» beside soldiers: regiments), else one the dictionaries know
    lemmas = [str(p.normal_form).replace("ё", "е") for p in readings]
    cued = [lemma for lemma in lemmas if _cued_sense(lemma)]
    known = next((lemma for lemma in lemmas if _lookup(lemma)), lemmas[0])
    return (cued[0] if cued else known), bool(plurals)


_IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "child": "children",
    "foot": "feet",
    "tooth": "teeth",
    "goose": "geese",
    "mouse": "mice",
    "ox": "oxen",
    "passerby": "passers-by",
    "knife": "knives",
    "leaf": "leaves",
    "wolf": "wolves",
    "shelf": "shelves",
    "loaf": "loaves",
    "calf": "calves",
    "thief": "thieves",
    "wife": "wives",
    "person": "people",
    "scarf": "scarves",
    "wharf": "wharves",
    "hoof": "hooves",
    "sheaf": "sheaves",
    "half": "halves",
}
_COMPOUND_HEADS = ("woman", "man", "scarf", "wife")  # fisherman, headscarf, housewife
_NOT_COMPOUNDS = frozenset(["german", "roman", "norman", "ottoman", "shaman", "talisman"])
_SAME_IN_PLURAL = {
    *("sheep", "deer", "fish", "grass", "hay", "smoke", "snow", "cattle", "people", "hair"),
    *("furniture", "clothing", "luggage", "foliage", "military", "lightning"),
    # collectives and adjectives said as nouns: «зелень», «раненые», «пехота»
    *("greenery", "injured", "wounded", "infantry", "cavalry", "artillery", "nobility"),
    *("gentry", "clergy", "crockery", "linen", "vegetation"),
}


def pluralize(english: str) -> str:
    """The English plural of a phrase's last word ("fishing boat" → "fishing boats"), or of its
    head before "of" ("scrap of paper" → "scraps of paper")."""
    if " of " in english:
        head, complement = english.split(" of ", 1)
        return f"{pluralize(head)} of {complement}"
    *rest, last = english.split()
    lower = last.lower()
    if lower in _SAME_IN_PLURAL or (lower.endswith("s") and not lower.endswith(("ss", "us"))):
        plural = last
    elif lower in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[lower]
    elif lower not in _NOT_COMPOUNDS and (
        compound := next((w for w in _COMPOUND_HEADS if lower.endswith(w)), None)
    ):
        plural = last[: len(last) - len(compound)] + _IRREGULAR_PLURALS[compound]  # fishermen
    elif lower.endswith(("ch", "sh", "ss", "x", "us")):
        plural = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return " ".join([*rest, plural])


def translate_all(lemmas: list[str], language: str) -> list[str]:
    """Known lemmas in English, in order, without duplicates."""
    words = (translate_word(lemma, language) for lemma in lemmas)
    return list(dict.fromkeys(w for w in words if w))


# Diminutives and relational adjectives the dictionaries do not list, read through the word they
# come from: «окошечко» → окошко → window, «тоненький» → тонкий, «гусарский» → гусар (hussar),
# «пороховой» → порох (powder).
_DERIVATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("енький", ("кий", "ый", "ой", "ий")),
    ("онький", ("кий", "ый", "ой")),
    ("ечко", ("ко", "о")),
    ("ышко", ("о", "")),
    ("очка", ("ка", "а")),
    ("ечка", ("ка", "а", "я")),
    ("ичка", ("ица",)),
    ("ушка", ("уха", "а")),  # старушка → старуха
    ("ичок", ("ик",)),  # старичок → старик
    ("онка", ("а",)),  # ручонка → рука
    ("енка", ("а",)),
    ("инка", ("а", "")),  # травинка → трава
    ("чик", ("",)),  # диванчик → диван (not after д, т, з, с: рядчик is an agent, not a ряд)
    ("ышка", ("а",)),
    ("ико", ("о",)),
    ("це", ("о",)),  # тельце → тело, болотце → болото
    ("оватый", ("ый", "ой", "ий")),  # рябоватый → рябой
    ("еватый", ("ый", "ий")),
    ("ка", ("а", "ь", "я", "")),
    ("ко", ("о",)),
    ("ик", ("",)),
    ("ок", ("",)),
    ("ек", ("",)),  # височек → висок (through the alternation)
    ("ейка", ("ья", "ея")),  # скамейка → скамья
    ("ийский", ("ия",)),  # кавалерийский → кавалерия
    ("ейский", ("ия", "ея")),  # гвардейский → гвардия
    ("ический", ("ия", "ика")),  # топографический → топография
    ("ский", ("", "а", "ь", "ия")),
    ("ской", ("", "а", "ь")),
    ("чий", ("к",)),
    ("цкий", ("к", "ц")),  # мужицкий → мужик, купецкий → купец
    # relational adjectives say the noun they come from, as English does before a noun:
    # «пороховой» → порох (powder), «чайный» → чай (tea), «полевой» → поле (field)
    ("овый", ("",)),
    ("овой", ("",)),
    ("евый", ("ь", "е", "")),
    ("евой", ("ь", "е", "")),
    ("ный", ("", "ь", "а", "о")),
    ("ной", ("", "ь", "а", "о")),
)


# pymorphy3 spells some lemmas the old way (ущелие, ожерелие) where the dictionaries say ущелье.
_SPELLINGS = (("ие", "ье"), ("ье", "ие"), ("ия", "ья"), ("ья", "ия"))


def _spelling_variant(word: str) -> str | None:
    for ending, other in _SPELLINGS:
        if word.endswith(ending) and (english := _lookup(word[: -len(ending)] + other)):
            return english
    return None


def _curated_verb(word: str) -> str | None:
    """A participle («освещенный») the glossary knows by its verb (осветить → lit): the curated
    visual sense wins over the lexicon's participle."""
    from bookreader.nlp.morph_analyzer import parse_word

    for parse in parse_word(word):
        if parse.tag.POS == "PRTF":
            return _curated().get(str(parse.normal_form).replace("ё", "е"))
    return None


def _adjective_of(word: str) -> str | None:
    """An adjective the analyser lemmatised as a noun of its own («белые», «старое»): the
    dictionaries know it by its masculine form."""
    from bookreader.nlp.morph_analyzer import parse_word

    for parse in parse_word(word):
        if parse.tag.POS in ("ADJF", "ADJS") and "Apro" not in parse.tag:
            lemma = str(parse.normal_form).replace("ё", "е")
            return _lookup(lemma) if lemma != word else None
    return None


def _noun_of(word: str) -> str | None:
    """A room or a horse said by an adjective alone («гостиная», «пристяжная»): the analyser
    gives the masculine adjective (гостиный), the dictionaries the feminine noun; and a noun in
    its older feminine form (зала) that the dictionaries know as masculine (зал)."""
    from bookreader.nlp.morph_analyzer import parse_word

    for parse in parse_word(word):
        if parse.tag.POS == "ADJF" and "Apro" not in parse.tag and str(parse.normal_form) == word:
            for grammemes in ({"femn", "sing", "nomn"}, {"neut", "sing", "nomn"}):
                form = parse.inflect(grammemes)
                if form is not None and (english := _lookup(form.word.replace("ё", "е"))):
                    return english
            return None
        if parse.tag.POS == "NOUN" and "femn" in parse.tag and word.endswith("а"):
            masculine = word[:-1]
            if any(p.tag.POS == "NOUN" and "masc" in p.tag for p in parse_word(masculine)):
                return _lookup(masculine)
            return None
    return None


def _of_animal(word: str) -> str | None:
    """«ястребиный» → hawk, «лебединый» → swan, «орлиный» → орел: -иный says whose. After the
    room a feminine says (гостиная), which the same ending would read as гость."""
    if not word.endswith("иный") or len(word) < 7:
        return None
    stem = word[:-4]
    return next(
        (
            english
            for base in (stem, *_fleeting(stem))
            for end in ("", "ь")
            if (english := _lookup(base + end))
        ),
        None,
    )


def _derived(word: str) -> str | None:
    for suffix, replacements in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= _SHORTEST_STEM.get(suffix, 3):
            stem = word[: -len(suffix)]
            if suffix == "чик" and stem.endswith(("д", "т", "з", "с")):
                continue
            for base in (stem, *_alternated(stem), *_fleeting(stem)):
                for replacement in replacements:
                    if english := _lookup(base + replacement):
                        return english
    return None


# A diminutive's stem ends in the alternated consonant of its base: каблучок → каблук, шажок →
# шаг, личико → лицо, ручонка → рука.
_ALTERNATIONS = {"ч": ("к", "ц", "т"), "ж": ("г", "з"), "ш": ("х", "с"), "щ": ("ст", "ск")}
_SHORTEST_STEM = {"енький": 2, "онький": 2}  # узенький → узкий


_VOWELS = "аеиоуыэюяй"


def _fleeting(stem: str) -> tuple[str, ...]:
    """The stem with its fleeting vowel dropped or restored: суконный → сукно, ковровый → ковер."""
    if len(stem) >= 4 and stem[-2] in "ое" and stem[-3] not in _VOWELS:
        return (stem[:-2] + stem[-1],)
    if len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] not in _VOWELS:
        return (stem[:-1] + "е" + stem[-1], stem[:-1] + "о" + stem[-1])
    return ()


def _alternated(stem: str) -> tuple[str, ...]:
    return tuple(stem[:-1] + other for other in _ALTERNATIONS.get(stem[-1:], ()))


_COMPOUND_PREFIXES = {"темно": "dark", "светло": "light", "бледно": "pale", "ярко": "bright"}
_ADJECTIVE_ENDINGS = ("ый", "ий", "ой")


def _compound_part(part: str) -> str | None:
    """One half of «серо-зеленый», «добродушно-красивый»: a tone, a word, or the adjective a
    linking -о/-е stands for (серо → серый → grey)."""
    if english := _COMPOUND_PREFIXES.get(part) or _lookup(part):
        return english
    if part.endswith(("о", "е")) and len(part) >= 3:
        stem = (
            part[:-1].removesuffix("ов").removesuffix("ев")
            if part.endswith(("овато", "евато"))
            else part[:-1]
        )
        return next((e for end in _ADJECTIVE_ENDINGS if (e := _lookup(stem + end))), None)
    return None


def _half(word: str) -> str | None:
    """«полутемный» → half-dark, «полуулыбка» → half-smile: полу- before a known word; and
    пол- before a noun's genitive, as the analyser keeps it («полчаса» → half-hour)."""
    if word.startswith("полу") and len(word) >= 7:
        english = _lookup(word[4:]) or _derived(word[4:])
    elif word.startswith("пол-"):  # «пол-лица»: the analyser gives пол-лицо
        english = _lookup(word[4:]) or _noun_in_genitive(word[4:])
    elif word.startswith("пол") and len(word) >= 6:
        english = _noun_in_genitive(word[3:])
    else:
        return None
    return f"half-{english}" if english and english.isalpha() else None


def _noun_in_genitive(word: str) -> str | None:
    from bookreader.nlp.morph_analyzer import parse_word

    for parse in parse_word(word):
        if parse.tag.POS == "NOUN" and {"gent", "sing"} <= parse.tag.grammemes:
            return _lookup(str(parse.normal_form).replace("ё", "е"))
    return None


# «десятилетний» → ten-year-old, «двухэтажный» → two-storey: a numeral's stem before a unit.
_NUMERALS = {
    "одно": "one",
    "двух": "two",
    "трех": "three",
    "четырех": "four",
    "пяти": "five",
    "шести": "six",
    "семи": "seven",
    "восьми": "eight",
    "девяти": "nine",
    "десяти": "ten",
    "двенадцати": "twelve",
    "пятнадцати": "fifteen",
    "двадцати": "twenty",
    "тридцати": "thirty",
    "сорока": "forty",
}
_UNITS = {"летний": "year-old", "месячный": "month-old", "этажный": "storey"}


def _counted(word: str) -> str | None:
    for numeral, number in _NUMERALS.items():
        if word.startswith(numeral) and (unit := _UNITS.get(word[len(numeral) :])):
            return f"{number}-{unit}"
    return None


def _negated(word: str) -> str | None:
    """«нескошенный» → unmown, «незагорелый» → untanned: не- before a known participle or
    adjective whose English is a participle takes un-; others are left out (un- is not
    general in English)."""
    if not word.startswith("не") or len(word) < 7:
        return None
    english = _lookup(word[2:]) or _derived(word[2:])
    if english and english.isalpha() and english.endswith(("ed", "en", "wn")):
        if english.startswith(("un", "in", "dis")):
            return None  # нераспечатанный: not "ununsealed"
        return "un" + english
    return None


# «черноволосый» → black-haired, «белоголовый» → white-headed: an adjective's stem, a linking
# -о-/-е-, a noun, an adjective ending; said the English way, adjective-noun-ed.
_NOUN_ENDINGS = ("", "а", "ь", "я", "о")


def _joined_compound(word: str) -> str | None:
    if not word.endswith(_ADJECTIVE_ENDINGS) or len(word) < 8:
        return None
    body = word[:-2]
    for link in range(3, len(body) - 2):
        if body[link] not in "ое":
            continue
        first = next((e for end in _ADJECTIVE_ENDINGS if (e := _lookup(body[:link] + end))), None)
        if first is None or not first.isalpha():
            continue
        nouns = {
            noun
            for end in _NOUN_ENDINGS
            if (noun := _lookup(body[link + 1 :] + end))
            and noun.isalpha()
            and _is_noun(body[link + 1 :] + end)
        }
        if len(nouns) == 1:  # белогрудый: грудь or груда? длиннополый: пола or пол? left out
            return f"{first}-{_with_ed(nouns.pop())}"
    return None


def _is_noun(word: str) -> bool:
    from bookreader.nlp.morph_analyzer import parse_word

    return any(p.tag.POS == "NOUN" and p.normal_form == word for p in parse_word(word))


def _with_ed(noun: str) -> str:
    """hair → haired, eye → eyed, leg → legged."""
    if noun.endswith("e"):
        return noun + "d"
    short = (
        len(noun) <= 4
        and noun[-1] in "bdglmnprt"
        and noun[-2] in "aeiou"
        and noun[-3:-2] not in ("a", "e", "i", "o", "u", "")
    )
    return noun + (noun[-1] if short else "") + "ed"
