"""Who a character description's appearance words belong to.

A trait of a character description (a grey coat, a red beard, tall) goes to the person it is
written about: the one named nearest it in its sentence, outside subordinate clauses, else the
person named last before the sentence. It goes to nobody when the text between that person and
the word brings in someone else: the narrator's own («Надели на меня заячий тулуп», "my
clothes"), a person the text calls by what they are («увидел я высокого барина», "A lady dressed
in black rose"), a name the cast does not keep («Кузьма»), or a pronoun of the other sex («Он
смотрел на ее прическу с белым вуалем»). A name after the word owns it only when the sentence is
about them, not in an aside («фигуры в мундире … напомнило Левину»), and never when it only
places someone else («приятельница Петрицкого»). Once the text turns to someone else (a pronoun
of the other sex, a stranger in the foreground), the sentences after are not the last-named
person's until a pronoun or a name brings them back. Only what a figure can show is gathered:
what they wear, its colours and materials, build and size — not the colour of what they hold
(a golden snuffbox); light, weather and the time of day are the scene's.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from razdel import sentenize

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.cast_names import PRONOUN_GENDERS
from bookreader.nlp.model import CastMember, Description
from bookreader.nlp.morph_analyzer import PERSON_NAME_TAGS, parse_word
from bookreader.nlp.morphology import ru_parse, russian_person_noun

# A character given appearance by this many descriptions keeps only the traits seen twice.
RECURRING_TRAITS_FROM = 3
APPEARANCE_LOOKBACK = 300  # a description without a name belongs to the character named just before
FIGURE_KINDS = frozenset(["clothing", "colour", "size", "material"])
# What a figure wears and its colours: a scene's, kept with the chapters they are said in.
WORN_KINDS = frozenset(["clothing", "colour"])

_WORD = re.compile(r"\w+")
# A subordinate clause up to its next punctuation: a name in it («как того хотела Кити») is not
# who the rest of the sentence describes («Анна была не в лиловом, как того хотела Кити, но в
# черном платье»).
_SUBORDINATE = {
    "ru": re.compile(
        r",\s*(?:как|что|чтобы|когда|где|если|хотя|пока|будто|котор\w+)\b[^,;:—–.!?]*"
    ),
    "en": re.compile(
        r",\s*(?:as|that|when|where|which|who|whom|whose|if|because|while|though)\b[^,;:—–.!?]*",
        re.IGNORECASE,
    ),
}
# The narrator's own ("my clothes"); "our" is left out: it often includes the person named.
_NARRATOR = {"en": frozenset(["my", "myself", "mine"])}
# A trait this few words before a person called by what they are, with only words of the same
# noun phrase between, is theirs («высокий барин», "a tall, thin man").
_STRANGER_WORDS = 3
_RU_PHRASE_PARTS = frozenset(["ADJF", "ADJS", "PRTF", "PRTS", "ADVB", "CONJ", "NUMR", "PRCL"])
_EN_NOUNS = ("BODY", "CLOTHING", "PLACE", "ARTEFACT", "ANIMALS", "SKY_WEATHER")
# Nouns of the whole figure: a word of build on them is the person's («высокий рост»).
_WHOLE_FIGURE = {
    "ru": frozenset(["фигура", "рост", "стан", "тело", "сложение"]),
    "en": frozenset(["figure", "frame", "stature", "build", "body", "form"]),
}
# A person noun this few words after a copula is what the person named is («Лидия Ивановна была
# высокая полная женщина», "He was a large man"), not someone else.
_PREDICATE_WORDS = 4
# A copula after these presents someone new («Это были: …», "There was a tall man").
_PRESENTATIVES = {
    "ru": frozenset(["это", "то", "вот", "там", "тут"]),
    "en": frozenset(["there", "it", "this", "that", "here"]),
}
# Prepositions before a person that say who has, wears or is looked at («у Анны», «на нем»,
# «в Кити»): what follows may be theirs.
_HAVING_PREPOSITIONS = frozenset(["у", "на", "в", "во"])
_DIRECTIONS = frozenset(["к", "ко", "от", "ото", "для", "из", "изо", "до", "без", "про"])
_WEARING_PREPOSITIONS = {"ru": frozenset(["в", "во", "с", "со"]), "en": frozenset(["in", "with"])}
_COPULAS = {  # Russian by lemma
    "ru": frozenset(["быть", "стать", "казаться", "являться"]),
    "en": frozenset(["was", "is", "were", "are", "seemed", "looked", "became", "been"]),
}
_EN_PLURAL_ENDINGS = ("es", "s")  # a garment named in the plural ("boots", "dresses")
# Garments the extraction vocabulary leaves out (adding them there would move the trained
# model's features): a colour or a material on them is still what the figure wears.
_MORE_GARMENTS = {
    "ru": frozenset(["блуза", "салоп", "риза", "чехол", "мантилья", "венгерка", "поддевка"]),
    "en": frozenset(["blouse", "mantle", "smock", "jerkin", "doublet", "livery"]),
}
_WORN_IN_THE_HAIR = frozenset(["лента", "бант", "ribbon", "bow"])
# A comparison starts: what follows is what the word is likened to («черные как смоль»).
_LIKENED = frozenset(["как", "словно", "будто", "like", "as"])


@dataclass(frozen=True)
class Person:
    """A character of the cast and where the book names them: (chapter, offset) of each name."""

    member: CastMember
    gender: str | None
    mentions: Sequence[tuple[int, int]]


def gather_appearance(
    people: Sequence[Person], descriptions: Sequence[Description], texts: dict[int, str], lang: str
) -> None:
    """Adds to each person's `appearance` the traits of the character descriptions written
    about them; a main character's traits must recur."""
    characters = [d for d in descriptions if d.type == "character" and d.summary.attributes]
    if not characters:
        return
    positions: dict[int, list[tuple[int, CastMember]]] = defaultdict(list)
    for person in people:
        for chapter, start in person.mentions:
            positions[chapter].append((start, person.member))
    for chapter_positions in positions.values():
        chapter_positions.sort(key=lambda item: item[0])
    genders = {id(person.member): person.gender for person in people}
    votes: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    sources: dict[int, set[int]] = defaultdict(set)  # the descriptions each member is given
    chapters: dict[tuple[int, str], set[int]] = defaultdict(set)  # where each thing worn is seen
    for number, description in enumerate(characters):
        text = texts.get(description.chapter, "")
        found = positions.get(description.chapter, [])
        for trait in attributed(description, text, found, lang, genders):
            sources[id(trait.member)].add(number)
            if trait.shown:
                votes[id(trait.member)][(trait.kind, trait.value)] += 1
                if trait.kind in WORN_KINDS:
                    chapters[(id(trait.member), trait.value)].add(description.chapter)
    # a ribbon or a bow is worn in the hair (Anna's black ribbon at the ball); the other parts are
    # a garment's, or rings
    parts = (lexicon_ru if lang == "ru" else lexicon_en).CLOTHING_PARTS - _WORN_IN_THE_HAIR
    for person in people:
        member = person.member
        # A trait seen once in many of a main character's passages is more likely another
        # person's or another thing's (Holmes "in a dress", Левин «в платье»): it must recur.
        floor = 2 if len(sources[id(member)]) >= RECURRING_TRAITS_FROM else 1
        for (kind, value), count in votes[id(member)].most_common():  # most first, ties as seen
            if kind == "clothing" and "animal" in member.appearance:
                continue  # a dog's sentences are full of its master's coat
            if kind == "clothing" and value in parts:
                continue  # a sleeve, a button, a ring: not what a figure is known by
            if count >= floor:
                member.appearance.setdefault(kind, []).append(value)
                if kind in WORN_KINDS:
                    member.worn_in[value] = sorted(chapters[(id(member), value)])


class Trait(NamedTuple):
    kind: str
    value: str
    member: CastMember
    # False for a word of build or colour on another thing («высоких каблуках», «золотую
    # табакерку»): the passage is still about the person (it counts among their sources), the
    # word says nothing of them
    shown: bool = True


def attributed(
    description: Description,
    text: str,
    positions: list[tuple[int, CastMember]],
    lang: str,
    genders: dict[int, str | None],
) -> list[Trait]:
    """A trait for each figure word of the description. A sentence that names
    nobody is the last-named person's, unless its pronoun is of the other sex («Она была в
    сером платье» after «Левин вошел» is someone else's dress). `positions`: (offset, member)
    of the chapter's names, in order; `genders`: id(member) → gender."""
    # a word of two kinds counts as the last («светлый»: a colour and a light, the light)
    kinds = {
        value: kind for kind, values in description.summary.attributes.items() for value in values
    }
    wanted = {value: kind for value, kind in kinds.items() if kind in FIGURE_KINDS}
    first = bisect.bisect_left(positions, description.start - APPEARANCE_LOOKBACK, key=_start)
    last = bisect.bisect_left(positions, description.end, key=_start)
    nearby = positions[first:last]
    span = text[description.start : description.end]
    result: list[Trait] = []
    previous = [m for start, m in nearby if start < description.start]
    carried = previous[-1] if previous else None  # the person named just before the passage
    # True once the text has turned to someone else («у ней…», «показались ляхи…»): the
    # sentences after are still theirs, until a pronoun or a name brings the carried one back
    turned_away = False
    for sentence in sentenize(span):
        s_start = description.start + sentence.start
        s_end = description.start + sentence.stop
        named = [(start, m) for start, m in nearby if s_start <= start < s_end]
        pronoun = _first_pronoun_gender(span[sentence.start : sentence.stop], lang)
        someone_else = (
            carried is not None
            and pronoun is not None
            and genders.get(id(carried)) not in (None, pronoun)
        )
        turned_away = turned_away and pronoun is None
        clauses = [
            match.span()
            for match in _SUBORDINATE[lang].finditer(span, sentence.start, sentence.stop)
        ]
        words = list(_WORD.finditer(span, sentence.start, sentence.stop))
        texts = [word.group() for word in words]
        offsets = {description.start + word.start(): n for n, word in enumerate(words)}
        strangers = [n for n in range(len(words)) if _stranger(texts, n, lang)]
        listed = {start for start, _ in named}
        others = _others(words, strangers, listed, span, description.start, lang)
        pronouns = _gendered_pronouns(words, description.start, lang)
        for number, word in enumerate(words):
            value = _attribute_of(word.group(), wanted, lang)
            if value is None:
                continue
            at = description.start + word.start()
            aside = [
                (description.start + a, description.start + b)
                for a, b in clauses
                if not a <= word.start() < b
            ]
            outside = [
                (start, m) for start, m in named if not any(a <= start < b for a, b in aside)
            ]
            before = [(start, m) for start, m in outside if start < at]
            after = [(start, m) for start, m in outside if start > at]
            if before:
                named_at, owner = before[-1]
                k = offsets.get(named_at)
                if k is not None and _after_preposition(texts, k, lang, aside_only=True):
                    continue  # «для Кити голубые глаза», «к Щербацким»: an aside, not the owner
                if k is not None and _someone_of(texts, k, span, words[k], lang):
                    continue  # «приятельница Петрицкого», "Holmes's client": the other one's
            elif after:
                named_at, owner = after[0]
                k = offsets.get(named_at)
                gender = genders.get(id(owner))
                if k is not None and not _subject_after(
                    texts, k, number, span, words[k], lang, gender
                ):
                    continue  # «фигуры в мундире … напомнило Левину»: the uniform is not his
                if any(s_start <= other < at for other in others):
                    continue  # «Безбородый юноша … в жилете … приглашая Кити»: the youth's
            elif carried is not None and not turned_away and not (someone_else and not named):
                named_at, owner = s_start - 1, carried
            else:
                continue
            low, high = min(named_at, at), max(named_at, at)
            if any(low < other < high for other in others) or any(
                _describes(texts, number, n, lang) or _worn_by(texts, number, n, lang)
                for n in strangers
            ):
                continue  # the narrator's or a stranger's, as far as the text says
            between = [gender for start, gender in pronouns if named_at < start < at]
            if between and genders.get(id(owner)) not in (None, between[-1]):
                continue  # «Он смотрел на ее прическу с белым вуалем»: hers, not his
            shown = not _of_another_thing(texts, number, value, wanted[value], lang)
            result.append(Trait(wanted[value], value, owner, shown))
        main = [
            m
            for start, m in named
            if not _inside(start - description.start, clauses)
            and not ((k := offsets.get(start)) is not None and _sent_to(texts, k, lang))
        ]
        if main:
            carried = main[-1]  # «…, как того хотела Кити, …»: the next sentence is still Анна's
            turned_away = False
        elif someone_else or (
            lang == "ru"  # English calls the one just named "the man", "a gentleman" again
            and any(description.start + words[n].start() in others for n in strangers)
        ):
            turned_away = True  # a stranger in the foreground is among `others`
    return result


def _inside(offset: int, clauses: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in clauses)


def _others(
    words: list[re.Match[str]],
    strangers: list[int],
    listed: set[int],
    span: str,
    base: int,
    lang: str,
) -> list[int]:
    """Offsets of the sentence's words that bring in someone other than the cast member named:
    the narrator's own, a person called by what they are in the foreground, a name the cast
    does not keep (`listed`: where the cast's names are). `base`: the offset of `span`."""
    texts = [word.group() for word in words]
    return [
        base + words[n].start()
        for n in range(len(words))
        if _narrator(texts, n, lang)
        or (n in strangers and _in_the_foreground(texts, n, _following(span, words[n]), lang))
        or (
            n > 0
            and base + words[n].start() not in listed
            and not texts[n - 1][:1].isupper()  # «Марья Ивановна»: one name
            and _unlisted_name(texts[n], lang)
        )
    ]


def _gendered_pronouns(words: list[re.Match[str]], base: int, lang: str) -> list[tuple[int, str]]:
    """(offset, gender) of the sentence's personal pronouns; «с нее», «на него» (after a
    preposition) as often mean a neck or a coat as a person, and are left out."""
    return [
        (base + word.start(), gender)
        for word in words
        if (gender := _pronoun_gender(word.group(), lang)) is not None
        and not word.group().lower().startswith("н")
    ]


def _start(item: tuple[int, CastMember]) -> int:
    return item[0]


def _first_pronoun_gender(sentence: str, lang: str) -> str | None:
    """The gender of the first personal pronoun of the sentence, None when it has none."""
    for word in _WORD.finditer(sentence):
        if (gender := _pronoun_gender(word.group(), lang)) is not None:
            return gender
    return None


def _pronoun_gender(word: str, lang: str) -> str | None:
    return PRONOUN_GENDERS.get(lang, {}).get(word.lower().replace("ё", "е"))


def _following(span: str, word: re.Match[str]) -> str:
    return span[word.end() : word.end() + 2]


def _subject_after(
    words: list[str],
    name: int,
    attribute: int,
    span: str,
    match: re.Match[str],
    lang: str,
    gender: str | None,
) -> bool:
    """Whether a name after the attribute word is who the attribute describes: the one the
    sentence is about (`_in_the_foreground`), not an English possessor ("recalled Holmes'
    surmise"); an attribute of the name's own phrase always is («на розовую Кити»)."""
    if 0 < name - attribute <= _STRANGER_WORDS and (
        lang == "en" or all(_russian_phrase_part(w.lower()) for w in words[attribute + 1 : name])
    ):
        return True
    if lang == "en" and _following(span, match)[:1] in ("'", "’"):
        return False
    return _in_the_foreground(words, name, "", lang, gender)


def _someone_of(words: list[str], name: int, span: str, match: re.Match[str], lang: str) -> bool:
    """Whether the name is said only to place another person: «приятельница Петрицкого» (a
    person noun before a name in an oblique case), "the wife of Mr. Holmes", "Holmes's client"."""
    if lang == "ru":
        if not _ru_genitive(words[name]):
            return False  # «к князю Василию»: a title, in the name's case
        before = name - 1
        while before >= 0 and _stranger_noun(words, before, lang) and _ru_genitive(words[before]):
            before -= 1  # «жена князя Василия»: past the title
        return before >= 0 and _stranger_noun(words, before, lang)
    if name > 1 and words[name - 1].lower() == "of" and _person_noun(words[name - 2], lang):
        return True
    following = words[name + 1 : name + 3]
    if following[:1] == ["s"]:
        following = following[1:]
    return (
        _following(span, match)[:1] in ("'", "’")
        and bool(following)
        and _person_noun(following[0], lang)
    )


def _stranger_noun(words: list[str], n: int, lang: str) -> bool:
    """Whether words[n] is a person noun; a sentence's first word is capitalised anyway
    («Жена князя Василия»)."""
    return _person_noun(words[n] if n else words[n].lower(), lang)


def _unlisted_name(word: str, lang: str) -> bool:
    """A Russian person's name the cast does not keep (a servant named once, «Кузьма»)."""
    if lang != "ru" or not word[:1].isupper():
        return False
    parses = parse_word(word.lower().replace("ё", "е"))
    return bool(parses) and bool(PERSON_NAME_TAGS & parses[0].tag.grammemes)


def _stranger(words: list[str], n: int, lang: str) -> bool:
    """Whether words[n] calls a person by what they are, and not as what the person named is
    (after a copula whose subject is someone: «Это были: высокий мужчина…» brings a stranger
    in). A sentence's first word is capitalised anyway («Извозчик был в белом»)."""
    if not _stranger_noun(words, n, lang):
        return False
    start = max(0, n - _PREDICATE_WORDS)
    return not any(
        _copula(words[c].lower(), lang)
        and not (c > 0 and words[c - 1].lower() in _PRESENTATIVES[lang])
        for c in range(start, n)
    )


def _narrator(words: list[str], n: int, lang: str) -> bool:
    """The narrator as the one who has or wears something: "my", «мой», «на меня» (narrators
    mostly look: "I saw his tall figure", «я увидел черную бороду» are someone else's)."""
    word = words[n].lower().replace("ё", "е")
    if lang == "en":
        return word in _NARRATOR["en"]
    if word in ("меня", "мне"):
        return n > 0 and words[n - 1].lower() == "на"
    return ru_parse(word)[0] == "мой"


def _describes(words: list[str], attribute: int, person: int, lang: str) -> bool:
    """Whether the attribute word is in the noun phrase of the person noun a few words on."""
    if not 0 < person - attribute <= _STRANGER_WORDS:
        return False
    return _one_phrase(words[attribute + 1 : person], lang)


def _one_phrase(words: list[str], lang: str) -> bool:
    """Whether these words can sit inside one noun phrase: Russian adjectives, participles,
    adverbs and the like; English words that name no thing, body part, place or weather."""
    if lang == "ru":
        return all(_russian_phrase_part(word.lower()) for word in words)
    return not any(_en_noun(word.lower()) for word in words)


def _en_noun(word: str) -> bool:
    return any(word in getattr(lexicon_en, vocabulary) for vocabulary in _EN_NOUNS)


def _of_another_thing(words: list[str], n: int, value: str, kind: str, lang: str) -> bool:
    """Whether the word qualifies a noun that is not the person's figure. A word of build or
    size («высокий», «густой», "tall", "large") on anything but the whole figure: high heels,
    thin lips, thick eyebrows, a long coat, a red horse say nothing of how tall, stout or
    red-haired the person is. A colour or a material on anything but what is worn or the body:
    a golden snuffbox, «серебряный сон». A person noun or a name keeps the word («высокий
    Левин»); a colour of build («седые усы», «бледное лицо») stays with the body."""
    lexicon = lexicon_ru if lang == "ru" else lexicon_en
    of_build = value in lexicon.BUILD or kind == "size"
    if not of_build and (kind not in ("colour", "material") or _a_noun(words[n].lower(), lang)):
        return False  # a material named by its noun («кружева») is no word on another noun
    worn = lexicon.CLOTHING | lexicon.MATERIAL | _MORE_GARMENTS[lang]
    for following in words[n + 1 : n + 1 + _STRANGER_WORDS]:
        if following[:1].isupper():
            return False  # a name («высокий Левин»)
        lower = following.lower().replace("ё", "е")
        lemma = ru_parse(lower)[0] if lang == "ru" else lower.rstrip("s")
        if _person_noun(following, lang) or lemma in _WHOLE_FIGURE[lang] or lower in _LIKENED:
            return False
        if lemma in lexicon.BODY:
            return of_build and kind != "colour"
        if not of_build and {lower, lemma} & worn:
            return False  # «лиловым атласом платья», "a black frock-coat"
        if _a_noun(lower, lang):
            return True
        if lang == "en" or not _russian_phrase_part(lower):
            return False
    return False


def _a_noun(word: str, lang: str) -> bool:
    if lang == "en":
        return _en_noun(word) or _en_noun(word.rstrip("s"))
    parses = parse_word(word)
    return bool(parses) and parses[0].tag.POS == "NOUN"


def _worn_by(words: list[str], attribute: int, person: int, lang: str) -> bool:
    """Whether the attribute word follows the person noun in a phrase of what they wear or
    carry: «всадников с белыми султанами», «юноша в открытом жилете», "a lady in black"."""
    if not 1 < attribute - person <= _STRANGER_WORDS + 1:
        return False
    preposition, *rest = words[person + 1 : attribute]
    return preposition.lower() in _WEARING_PREPOSITIONS[lang] and _one_phrase(rest, lang)


def _copula(word: str, lang: str) -> bool:
    if lang == "en":
        return word in _COPULAS["en"]
    return ru_parse(word)[0] in _COPULAS["ru"]


@lru_cache(maxsize=65536)
def _russian_phrase_part(word: str) -> bool:
    parses = parse_word(word)
    return bool(parses) and parses[0].tag.POS in _RU_PHRASE_PARTS


def _in_the_foreground(
    words: list[str], n: int, following: str, lang: str, gender: str | None = None
) -> bool:
    """Whether the person words[n] is someone the sentence is about (its subject or what is
    seen), not a prepositional aside («обедал с дамами во фраке», "sat with the ladies"); an
    English possessor is ("our visitor's knee")."""
    if lang == "en":
        if following[:1] in ("'", "’"):
            return True
        return not any(word.lower() in lexicon_en.PREPOSITIONS for word in words[max(0, n - 3) : n])
    return _ru_direct(words[n].lower().replace("ё", "е"), gender) and not _after_preposition(
        words, n, lang
    )


def _sent_to(words: list[str], n: int, lang: str) -> bool:
    """Whether the Russian name words[n] is where something goes or comes from («свезти к
    Щербацким», «письмо от Анны»): the sentence is not about them, nor the next."""
    return (
        lang == "ru"
        and _after_preposition(words, n, lang)
        and any(w.lower() in _DIRECTIONS for w in words[max(0, n - _STRANGER_WORDS) : n])
    )


def _after_preposition(words: list[str], n: int, lang: str, aside_only: bool = False) -> bool:
    """Whether the Russian name or noun words[n] is governed by a preposition, maybe across
    words of its own phrase («впереди своих маршалов», «для Кити»); `aside_only`: a preposition
    that makes the person an aside — not «у Анны были…», «на нем был…», «указывая на Вронского»,
    which say who has, wears or is seen."""
    if lang != "ru":
        return False
    for word in reversed(words[max(0, n - _STRANGER_WORDS) : n]):
        lower = word.lower()
        if _ru_preposition(lower):
            return not (aside_only and lower in _HAVING_PREPOSITIONS)
        if not _russian_phrase_part(lower) and ru_parse(lower)[0] != "свой":
            return False
    return False


@lru_cache(maxsize=65536)
def _ru_direct(word: str, gender: str | None = None) -> bool:
    """A subject, or one person seen or met: a nominative reading, or a singular accusative (an
    animate plural's accusative is its genitive, «своих маршалов»); of the person's gender when
    it is known («Левину» is no woman's accusative)."""
    return any(
        (p.tag.case == "nomn" or (p.tag.case == "accs" and p.tag.number == "sing"))
        and (gender is None or p.tag.gender in (None, gender))
        for p in parse_word(word)
        if p.tag.POS == "NOUN"
    )


@lru_cache(maxsize=65536)
def _ru_genitive(word: str) -> bool:
    """Only a genitive reading among the nouns (a genitive that is no nominative)."""
    nouns = [p for p in parse_word(word.lower().replace("ё", "е")) if p.tag.POS == "NOUN"]
    return any(p.tag.case == "gent" for p in nouns) and not any(p.tag.case == "nomn" for p in nouns)


@lru_cache(maxsize=65536)
def _comparative(word: str) -> bool:
    parses = parse_word(word)
    return bool(parses) and parses[0].tag.POS in ("COMP", "ADVB")


@lru_cache(maxsize=65536)
def _ru_preposition(word: str) -> bool:
    parses = parse_word(word)
    return bool(parses) and parses[0].tag.POS == "PREP"


def _person_noun(word: str, lang: str) -> bool:
    """A person called by what they are («барин», «старичок», "a lady") rather than by name; a
    capitalised word mid-sentence is a name or a title."""
    if word[:1].isupper():
        return False
    if lang == "en":
        return word.lower() in lexicon_en.PERSON
    return lang == "ru" and russian_person_noun(word.lower().replace("ё", "е"))


def _attribute_of(word: str, wanted: dict[str, str], lang: str) -> str | None:
    """The attribute (a lemma from the summary) this word is a form of, if any. English takes
    only a garment's plural: "minutes" is no "minute" (tiny) and "dressed" no dress."""
    lower = word.lower().replace("ё", "е")
    if lower in wanted:
        return lower
    if lang == "ru":
        if _comparative(lower):
            return None  # «засовывал все глубже»: a degree, not a trait
        for parse in parse_word(lower)[:2]:
            lemma = parse.normal_form.replace("ё", "е")
            if lemma in wanted:
                return lemma
        return None
    for ending in _EN_PLURAL_ENDINGS:
        stem = lower[: -len(ending)]
        if lower.endswith(ending) and wanted.get(stem) == "clothing":
            return stem
    return None
