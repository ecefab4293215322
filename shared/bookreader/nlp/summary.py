"""The visual summary of a span: key noun phrases, attributes by kind (lemmas), and the names
that appear.

Russian noun phrases come from the morphology: every concrete noun with the adjectives right
before it that agree with it, the nominative ones (what the sentence is about: «на стене висела
старая сабля») first. An ambiguous word is read by its neighbours, not by the analyser's first
guess: after a preposition or an agreeing adjective it is a noun («из-за ели»: a fir, not "ate";
«в чёрном чепце»: a cap, not the river Чепца), and the reading that agrees with its adjectives
gives its number and case («большие окна»: windows; «сосновый бор»: one pine forest).

English noun phrases come from the trained pipeline's parse when it is installed: every noun
with its adjective and compound modifiers ("blue smoke rings", "paper label"), the head in the
plural when the passage has several, the subjects of clauses first; without the parse, the
visual vocabularies' nouns and the adjectives right before them."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from bookreader.nlp import lexicon_en, lexicon_ru, pipelines
from bookreader.nlp.comparisons import english_compared, russian_compared
from bookreader.nlp.drawable import drawable_english
from bookreader.nlp.features import Token, lexicon_for
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
# Cries the English tagger reads as nouns (`_interjection`)
_EN_CRIES = frozenset(["nay", "pooh", "alas", "hurrah", "huzza", "ahoy", "zounds", "egad"])
_EN_CRIED_AFTER = frozenset(["heavens", "heaven", "goodness", "god", "gracious"])
# "as long as", "how long", "long ago": a length of time, not of a thing
_BEFORE_LONG_TIME = frozenset(["as", "so", "how", "for"])
_AFTER_LONG_TIME = frozenset(["ago", "since", "before", "after", "afterwards", "as"])
# "round" before these is a preposition ("round his neck", "round them")
_ROUND_WHAT = lexicon_en.NOUN_DETERMINERS | {"that", "him", "them", "me", "us", "it"}
_SEASONS = {"осень", "зима", "весна", "лето", "autumn", "winter", "spring", "summer"}
_NOUN_VOCABULARIES = ("PLACE", "BODY", "CLOTHING", "SKY_WEATHER")
_THING_VOCABULARIES = (*_NOUN_VOCABULARIES, "ARTEFACT", "ANIMALS")
# More than a prompt says (it keeps about a dozen): a Russian phrase the dictionaries cannot
# translate must not take the place of one they can.
_MAX_SUBJECTS = 16
_MAX_SUBJECTS_RU = 20
_MAX_MODIFIERS = 2  # «старый яблоневый сад»: the adjectives nearest the noun
# Nouns that name no thing to draw: measures, abstractions by their suffix, time spans.
_RU_ABSTRACT_SUFFIXES = ("ость", "ение", "ание", "ство", "изм")
_RU_NOT_DRAWN = frozenset(
    " ".join(
        (
            "раз время минута час секунда мгновение день неделя год месяц сторона шаг аршин",
            "верста часть конец начало середина место вид образ дело случай способ мысль слово",
            "чувство выражение звук крик голос шум запах сила жизнь смерть душа сердце взгляд",
            "очередь самый друг вкус мера такт голубушка голубчик слух ход четверть",
            # sounds, feelings and the like read as the picture's first thing ("Laugh.",
            # "Crunch.", "dazzling beauty", "kudos")
            "скрип рев храп лай звон стук хрюканье хохот смех свист визг гул топот грохот",
            "треск плач стон тишина ужас восторг нега упоение наслаждение радость удивление",
            "печаль тоска страх гнев злоба стыд отчаяние веселие веселье красота успех процесс",
            "пари свобода почет беспорядок приказ обстановка интонация имя речь век пора",
            "условие тысяча действие приманка говор шепот шорох ропот гам горе тревога обман",
            "зло добро работа труд рубль копейка",
            # read off the lexicon senses that reached prompts of five Russian books
            "приезд отъезд корысть покрик гуща роды дремота беда цель память нрав победа",
            "здоровье выбор проигрыш выигрыш приличие степень перемена занятие моча чепуха бред",
            "анекдот неудача испуг мышка",  # «под мышкой»: under an arm, no mouse
        )
    ).split()
)
# Old people's nouns that stand before another noun as its age («старик кот»: an old cat)
_RU_AGE_NOUNS = frozenset({"старик", "старичок", "старуха", "старушка"})
# Verbs that say their subject is over or gone: it is not in the picture (a drum that fell
# silent, a nanny who stopped talking, troops who passed by are still there)
_RU_CEASING = frozenset(
    " ".join(
        (
            "утихнуть стихнуть затихнуть улечься прекратиться кончиться закончиться исчезнуть",
            "пропасть",
        )
    ).split()
)
# Adjectives that say nothing a painter could show ("the same door", "its own garden").
_EN_EMPTY_MODIFIERS = frozenset(
    " ".join(
        ("other same such own certain various several many few more most last next first", "whole")
    ).split()
)
_EN_MODIFIER_DEPS = ("amod", "compound", "nmod")
_EN_ARTICLES = frozenset({"the", "a", "an", "this", "that"})
_EN_MODIFIER_POS = ("ADJ", "NOUN", "VERB")
_EN_SUBJECT_DEPS = ("nsubj", "nsubjpass", "ROOT", "attr")
_CASES = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_VERB_POS = frozenset({"VERB", "INFN", "GRND", "PRTS"})


@dataclass(frozen=True)
class NounPhrase:
    """A noun of an English parse with the modifiers before it, as the passage says them."""

    words: tuple[str, ...]  # modifiers, then the head ("blue", "smoke", "rings")
    head: str  # the head's lemma ("ring")
    subject: bool  # the subject of its clause: what the sentence is about
    of: NounPhrase | None = None  # its "of" complement ("bank" of "black cloud")

    def said(self) -> str:
        """The phrase as a prompt says it, with its complement ("bank of black cloud")."""
        return " ".join((*self.words, *(("of", self.of.said()) if self.of else ())))


def noun_phrases(doc: Any) -> list[NounPhrase]:
    """The noun phrases of a spaCy doc: each common noun with its nearest adjective, participle
    and compound modifiers; a plural head as written ("icicles"), a singular one as its lemma;
    its "of" complement said with it ("bank of black cloud", "golden domes of cathedral": the
    bank is of cloud). A capitalised noun after an article is a common noun too ("the old King",
    "this Fir Tree"). A verb the tagger took for a noun is none ("the cathedral shone")."""
    own: dict[int, NounPhrase] = {}
    for token in doc:
        titled = token.pos_ == "PROPN" and any(
            child.dep_ == "det" and child.lower_ in _EN_ARTICLES for child in token.children
        )
        if not (token.pos_ == "NOUN" or titled) or token.dep_ == "compound":
            continue  # "smoke" of "smoke rings" is said with its head
        if english_compared(token):
            continue  # "white as snow": no snow in the picture
        if _interjection(token):
            continue  # "nay", "good heavens": a cry, not a thing
        if _measure(token):
            continue  # "nine feet high", "two miles away": a measure, not a thing
        if _hyphened_on(token) or (token.dep_ == "amod" and token.head.pos_ in ("NOUN", "PROPN")):
            continue  # "diamond" of "diamond-shaped head", "cut" of "clean-cut face": its head's
        chosen = [
            child
            for child in token.children
            if child.i < token.i
            and child.dep_ in _EN_MODIFIER_DEPS
            # a lower-case word the tagger took for a name ("the castle gate") is a noun too
            and (
                child.pos_ in _EN_MODIFIER_POS
                or (child.pos_ == "PROPN" and (child.is_lower or titled))
            )
            and child.lower_ not in _EN_EMPTY_MODIFIERS
            and child.is_alpha
        ]
        taken = {child.i for child in chosen}
        modifiers = [
            _hyphenated(child, taken | {token.i})
            for child in chosen
            # "Saxe" of "Saxe-Coburg Square" is said with "Coburg"
            if not (_hyphened_on(child) and child.i + 2 in taken)
        ]
        subject = token.dep_ in _EN_SUBJECT_DEPS or (
            token.dep_ == "conj" and token.head.dep_ in _EN_SUBJECT_DEPS
        )
        if not titled and misread_verb(token.lower_):
            # the word the tagger took for the verb's modifier is the noun the sentence is about
            # ("cathedral", tagged an adjective), when the dictionary knows it as a noun
            if modifiers and modifiers[-1] in _known("noun") and not misread_verb(modifiers[-1]):
                head = modifiers.pop()
                own[token.i] = NounPhrase((*modifiers[-_MAX_MODIFIERS:], head), head, subject)
            continue
        if not titled and (_misread(token.lower_, "adj", "adv") or _archaic(token.lower_)):
            continue  # "lay motionless", "much handsomer", "went aloft", "thou strivest": no thing
        plural = token.tag_ in ("NNS", "NNPS")
        lemma = token.lower_ if titled else token.lemma_.lower()
        words = (*modifiers[-_MAX_MODIFIERS:], token.lower_ if plural else lemma)
        own[token.i] = NounPhrase(words, lemma, subject)
    phrases = []
    for index, phrase in own.items():
        complement = _of_complement(doc[index], own)
        if complement is not None and complement.head != phrase.head:
            phrase = NounPhrase(phrase.words, phrase.head, phrase.subject, complement)
        phrases.append(phrase)
    return phrases


def _interjection(token: Any) -> bool:
    """A cry the tagger took for a noun: "nay", "pooh", "alas", and "heavens" or "goodness"
    after "good" or "my" ("good heavens"; "the heavens" are the sky)."""
    word = token.lower_
    if word in _EN_CRIES:
        return True
    before = token.doc[token.i - 1].lower_ if token.i else ""
    return word in _EN_CRIED_AFTER and before in ("good", "my")


def _measure(token: Any) -> bool:
    """A counted noun that says how high, far or long ("nine feet high", "a mile off"); not a
    thing in a state ("its trunk shattered")."""
    return (
        token.dep_ == "npadvmod"
        and token.head.pos_ in ("ADJ", "ADV")
        and any(
            child.dep_ == "nummod" or (child.dep_ == "det" and child.lower_ in ("a", "an"))
            for child in token.children
        )
    )


def _hyphened_on(token: Any) -> bool:
    """Whether the word is the first part of a hyphened word ("ruddy" of "ruddy-faced")."""
    doc, after = token.doc, token.i + 1
    return (
        after + 1 < len(doc)
        and not token.whitespace_
        and doc[after].text == "-"
        and not doc[after].whitespace_
    )


def _hyphenated(token: Any, taken: set[int] | frozenset[int] = frozenset()) -> str:
    """A modifier with the words hyphened to it, as written ("three-legged", "grey-haired",
    "railed-in"): the parse splits them and hangs the first on the last, or the last on
    nothing. A word of `taken` (the noun, its other modifiers) is said on its own."""
    doc, first, last = token.doc, token.i, token.i
    while (
        first >= 2
        and doc[first - 1].text == "-"
        and not doc[first - 1].whitespace_
        and not doc[first - 2].whitespace_
        and doc[first - 2].is_alpha
    ):
        first -= 2
    while _hyphened_on(doc[last]) and doc[last + 2].is_alpha and last + 2 not in taken:
        last += 2
    return doc[first : last + 1].text.lower()


def _of_complement(token: Any, phrases: dict[int, NounPhrase]) -> NounPhrase | None:
    """The noun phrase of the token's "of" complement ("the bank of black cloud"), if any."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i > token.i:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and objects[0].i in phrases:
                return phrases[objects[0].i]
    return None


def misread_verb(word: str) -> bool:
    """Whether an English word the tagger read as a noun is only a verb form in the pipeline's
    dictionary ("shone", "mended"): no noun reading of it (as written or by the noun rules) is a
    known noun, and a verb reading is a known verb. A word that is both ("rose", "rings") stays a
    noun. False without the dictionary."""
    return _misread(word, "verb")


def _misread(word: str, *parts: str) -> bool:
    """Whether the word has no noun reading the dictionary knows and one of these parts of
    speech ("verb", "adj", "adv")."""
    tables = pipelines.english_word_tables()
    if tables is None or not word.isalpha():
        return False
    exceptions, rules = tables["lemma_exc"], tables["lemma_rules"]

    def readings(pos: str) -> set[str]:
        found = {word, *exceptions.get(pos, {}).get(word, [])}
        for old, new in rules.get(pos, []):
            if old and word.endswith(old):
                found.add(word[: len(word) - len(old)] + new)
        return found

    return not readings("noun") & _known("noun") and any(readings(p) & _known(p) for p in parts)


def _archaic(word: str) -> bool:
    """Whether a word no dictionary knows as a noun is an old verb form ("strivest", "jettest",
    "goeth"): a known verb with -est or -eth. "forest" and "harvest" are nouns, so they stay."""
    if not word.endswith(("est", "eth")) or word in _known("noun"):
        return False
    stems = [word[:-2], word[:-3]]
    if len(word) > 5 and word[-4] == word[-5]:
        stems.append(word[:-4])  # "jettest": jet
    return any(stem in _known("verb") for stem in stems)


def _not_a_shape(tokens: list[Token], position: int) -> bool:
    """Whether an English word of shape is used for something else: "long" said of time ("as
    long as he was", "so long had", "long ago"), "round" as a preposition ("round his brow",
    "round the table")."""
    lemma = tokens[position].lemma
    before = tokens[position - 1].lower if position else ""
    after = tokens[position + 1].lower if position + 1 < len(tokens) else ""
    if lemma == "long":
        return before in _BEFORE_LONG_TIME or after in _AFTER_LONG_TIME
    return lemma == "round" and after in _ROUND_WHAT


@cache
def _known(pos: str) -> frozenset[str]:
    tables = pipelines.english_word_tables()
    return frozenset(tables["lemma_index"].get(pos, [])) if tables is not None else frozenset()


def build_summary(
    tokens: list[Token],
    language: str,
    phrases: Callable[[], Sequence[NounPhrase]] | None = None,
    text: str | None = None,
    verbs: frozenset[int] = frozenset(),
    names_as_words: frozenset[str] = frozenset(),
) -> VisualSummary:
    """The summary of a span's tokens; `phrases` gives the English parse's noun phrases (read
    only when called: parsing is the expensive part); `text`, the text the tokens' offsets point
    into, keeps the capital letters the tokens lose (a name mid-sentence is written with one);
    `verbs`, the offsets of the words the Russian parse read as verbs in context;
    `names_as_words`, the common nouns the chapter writes as names (`names_written_as_words`)."""
    lexicon = lexicon_for(language)
    attributes: dict[str, list[str]] = {}
    ended = _ended(tokens) if language == "ru" else frozenset()
    for position, token in enumerate(tokens):
        if (language == "en" and _not_a_shape(tokens, position)) or position in ended:
            continue
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
    common: set[int] = set()
    names = _capitalised_names(tokens, text) if language == "ru" and text else {}
    if language == "ru":
        compared = frozenset(russian_compared(tokens, text)) if text else frozenset()
        proper = _capitalised_words(tokens, text, names_as_words) if text else frozenset()
        common.update(proper | ended)  # no person's name either: what it names is not known
        not_things = frozenset(names) | proper | ended
        subjects = _russian_subjects(tokens, lexicon, common, not_things, compared, verbs)
    elif phrases is not None:
        parsed = phrases()
        subjects = _english_subjects(parsed, lexicon)
        _without_colour_nouns(attributes, parsed)
    else:
        subjects = _vocabulary_subjects(tokens, lexicon)
    characters = []
    named: set[int] = set()  # positions read as (a part of) a person's name
    for position, token in enumerate(tokens):
        if position in names:
            name = names[position]
        elif (
            token.pos == "PROPN"
            and position not in common
            and _is_name(token, lexicon)
            # in Russian a name is written with a capital («колей» is ruts, not Коля)
            and (language != "ru" or not text or text[token.start : token.start + 1].isupper())
        ):
            name = token.lemma.capitalize() if language == "ru" else token.lower.capitalize()
        else:
            continue
        named.add(position)
        if (
            position - 1 in named
            and text
            and not text[tokens[position - 1].end : token.start].strip()
        ):
            continue  # «Лидия Ивановна», «Марья Дмитриевна»: one person, by the first name
        if name not in characters:
            characters.append(name)
    return VisualSummary(subjects=subjects, attributes=attributes, characters=characters)


# The basic colour terms: said as a noun ("the white of his eyes") they still name a colour; any
# other colour word said as a noun names a thing ("a jet of steam", "a violet", "the ivory").
_BASIC_COLOURS = frozenset(
    ["white", "black", "red", "green", "yellow", "blue", "brown", "grey", "gray", "purple", "pink"]
)


def _without_colour_nouns(attributes: dict[str, list[str]], phrases: Sequence[NounPhrase]) -> None:
    """Leave out of the palette the colour words the English parse reads only as the head of a
    noun phrase, never as a modifier, unless they are basic colour terms: "a small jet of steam"
    is no jet-black, "violet eyes" stay violet."""
    heads: set[str] = set()
    modifiers: set[str] = set()
    for outer in phrases:
        phrase: NounPhrase | None = outer
        while phrase is not None:
            heads.add(phrase.head)
            modifiers.update(phrase.words[:-1])
            phrase = phrase.of
    things = heads - modifiers - _BASIC_COLOURS
    colours = [c for c in attributes.get("colour", []) if c not in things]
    if colours:
        attributes["colour"] = colours
    else:
        attributes.pop("colour", None)


# What may stand right before a word that is capitalised only because it opens a sentence or
# a line of speech: there the capital says nothing about a name.
_OPENERS = frozenset('.!?…«"„“—–-:;(')
_CLOSERS = '»"”)'
_ENDS = frozenset(".!?…")
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
# Common nouns written with a capital in reverence, not as a name (`_capitalised_words`)
_REVERED = frozenset(
    " ".join(
        (
            "бог господь государь государыня император императрица царь царица христос богородица",
            "мадонна",
        )
    ).split()
)


def _capitalised_names(tokens: list[Token], text: str) -> dict[int, str]:
    """Positions of Russian words written with a capital mid-sentence that the analyser can read
    as a first name, surname or patronymic («вошёл Львов»: a man, not lions), with the name in
    its nominative. The lowered tokens lose that capital; the text keeps it. A word opening a
    sentence is a name only when no common-noun reading of it could be the nominative."""
    names: dict[int, str] = {}
    for position, parses, opening in _capitalised_nouns(tokens, text):
        readings = [p for p in parses if p.tag.POS == "NOUN" and _PERSON_TAGS & p.tag.grammemes]
        if opening:
            # a capital that opens a sentence says nothing, but a sentence seldom opens with a
            # bare oblique noun: a name in the nominative beats a common noun that has none
            # («Львов сидел»: Lvov, not "of lions"; «Роза» stays a rose)
            readings = [p for p in readings if _case(p) == "nomn"]
            if any(
                p.tag.POS == "NOUN" and not _NAME_TAGS & p.tag.grammemes and _case(p) == "nomn"
                for p in parses
            ):
                continue
        if readings:
            names[position] = _normal(readings[0]).capitalize()
    return names


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens a paragraph, a sentence or a line of speech, where a
    capital says nothing about a name (a sentence also ends inside its quote: «Важно!» Пожар)."""
    before = text[:start].rstrip()
    if not before or "\n" in text[len(before) : start]:
        return True
    closed = before.rstrip(_CLOSERS)
    return before[-1] in _OPENERS or (closed != before and closed[-1:] in _ENDS)


def _capitalised_words(
    tokens: list[Token], text: str, known: frozenset[str] = frozenset()
) -> frozenset[int]:
    """Positions of Russian common nouns written with a capital mid-sentence: the name of a
    horse, a dog, a cow, a village or a star («вместо Ворона», «отелилась Пава», «созвездие
    Возничего»), not a raven, a peahen or a coachman to draw. Titles of God and the sovereign,
    written with a capital in reverence, stay what they say. A sentence that opens on such a
    name («Тетка заскулила») names it too, when the passage or the chapter (`known`, from
    `names_written_as_words`) writes it mid-sentence."""
    found = list(_common_nouns_as_names(tokens, text))
    names = known | {lemma for _, lemma, opening in found if not opening}
    return frozenset(position for position, lemma, _ in found if lemma in names)


def names_written_as_words(tokens: list[Token], text: str) -> frozenset[str]:
    """Lemmas of the common nouns a Russian text writes as names mid-sentence and never with a
    small letter (Kashtanka's new name «Тетка»): read once a chapter, so that a sentence opening
    on one is not "an aunt" either. A word the chapter also writes small is a word there too
    (Taras Bulba's river «Татарка» and the Tatar woman, «Божья Мать» and a mother)."""
    written_small = {t.lemma for t in tokens if text[t.start : t.start + 1].islower()}
    return frozenset(
        lemma
        for _, lemma, opening in _common_nouns_as_names(tokens, text)
        if not opening and lemma not in written_small
    )


def _common_nouns_as_names(tokens: list[Token], text: str) -> Iterator[tuple[int, str, bool]]:
    """(position, lemma, whether it opens a sentence) of each capitalised common noun that is
    no title of reverence and that the analyser does not know as a name."""
    for position, parses, opening in _capitalised_nouns(tokens, text):
        lemma = _normal(parses[0])
        if lemma not in _REVERED and not any(_NAME_TAGS & p.tag.grammemes for p in parses):
            yield position, lemma, opening


def _capitalised_nouns(
    tokens: list[Token], text: str
) -> Iterator[tuple[int, tuple[Any, ...], bool]]:
    """(position, parses, whether it opens a sentence) of each Russian word written with a
    capital (not an all-capitals heading) that the analyser reads first as a noun, not as an
    adjective or a word of speech («Римская», «Коли»)."""
    for position, token in enumerate(tokens):
        word = text[token.start : token.end]
        if not word[:1].isupper() or word.isupper():
            continue
        parses = parse_word(token.lower.replace("ё", "е"))
        if parses and parses[0].tag.POS == "NOUN":
            yield position, parses, _opens_sentence(text, token.start)


def _is_name(token: Token, lexicon: ModuleType) -> bool:
    return (
        not any(
            token.lemma in getattr(lexicon, name)
            for name in (*_NOUN_VOCABULARIES, "NEGATORS", "PRONOUNS_DIALOGUE", "THOUGHT", "SPEECH")
        )
        and len(token.lower) > 1
    )


def _english_subjects(phrases: Sequence[NounPhrase], lexicon: ModuleType) -> list[str]:
    """Drawable noun phrases: the subjects of clauses that the visual vocabularies know as
    things first, then the other subjects, then the rest in text order; one phrase per head, the
    one with the most modifiers."""
    things = frozenset().union(*(getattr(lexicon, name) for name in _THING_VOCABULARIES))
    best: dict[str, tuple[int, int, NounPhrase]] = {}
    for position, phrase in enumerate(phrases):
        if not drawable_english(phrase.head):
            continue
        rank = (0 if phrase.head in things else 1) if phrase.subject else 2
        if phrase.of is not None and not drawable_english(phrase.of.head):
            phrase = NounPhrase(phrase.words, phrase.head, phrase.subject)  # "mist of colour"
        kept = best.get(phrase.head)
        if kept is None:
            best[phrase.head] = (rank, position, phrase)
        else:
            richer = phrase if len(phrase.said()) > len(kept[2].said()) else kept[2]
            best[phrase.head] = (min(rank, kept[0]), kept[1], richer)
    ordered = sorted(best.values(), key=lambda item: item[:2])
    return [phrase.said() for _, _, phrase in ordered][:_MAX_SUBJECTS]


def _vocabulary_subjects(tokens: list[Token], lexicon: ModuleType) -> list[str]:
    """Without a parse: the vocabularies' things, after the adjectives right before them; a head
    written in the plural stays plural."""
    adjectives = lexicon.COLOUR | lexicon.MATERIAL | lexicon.SIZE_SHAPE | lexicon.LIGHT_ADJ
    adjectives |= lexicon.BUILD | lexicon.WEATHER_ADJ
    nouns = frozenset().union(*(getattr(lexicon, name) for name in _THING_VOCABULARIES))

    def said(token: Token) -> str:
        plural = token.lower != token.lemma and token.lower.endswith("s")
        return token.lower if plural else token.lemma

    subjects: list[str] = []
    for left, right in itertools.pairwise(tokens):
        if left.lemma in adjectives and right.lemma in nouns and right.start - left.end <= 2:
            subjects.append(f"{left.lemma} {said(right)}")
    heads = {phrase.split()[-1] for phrase in subjects}
    for token in tokens:
        if token.lemma in nouns and said(token) not in heads:
            subjects.append(said(token))
            heads.add(said(token))
    return list(dict.fromkeys(subjects))[:_MAX_SUBJECTS]


def _russian_subjects(
    tokens: list[Token],
    lexicon: ModuleType,
    common: set[int],
    names: frozenset[int] = frozenset(),
    compared: frozenset[int] = frozenset(),
    verbs: frozenset[int] = frozenset(),
) -> list[str]:
    """«прилагательное* существительное» phrases in lemma form (a plural head in its nominative
    plural): the nominative ones first, then the other things in text order. Positions of
    tokens read as common nouns are added to `common` (they are not names); the positions in
    `names` are people's names and never things, those in `compared` only what something is
    compared to (comparisons.py); a word at an offset in `verbs` that can be a verb is one
    («Ветер стих»: the wind dropped, no poem; «хозяйка села»: she sat down, no village)."""
    parses = [parse_word(token.lower.replace("ё", "е")) for token in tokens]
    ranked: list[tuple[int, int, str, str]] = []
    # (first position, head position, case, its index in `ranked`) of each noun phrase; a time
    # or sky word is only a complement («полог ночи»), never a subject (-1)
    found: list[tuple[int, int, str, int]] = []
    modifiers: list[int] = []  # positions of the adjectives right before
    for position, token in enumerate(tokens):
        previous = position - 1 if position and _adjacent(tokens, position - 1, position) else None
        if previous is None:
            modifiers = []
        if _modifier(parses[position]) or _attributive(tokens, parses, position):
            if previous is not None and tokens[previous].lower == "не":
                modifiers = []  # «в не новом кафтане»: not a new kaftan, only a kaftan
            else:
                modifiers.append(position)
            continue
        context = _Context(
            [parses[m] for m in modifiers],
            _after_preposition(tokens, parses, position),
            _GOVERNS.get(tokens[previous].lower, frozenset())
            if previous is not None
            else frozenset(),
            _plural_verb_beside(tokens, parses, position),
            # beside the noun or before its adjectives («пыхтел начищенный самовар»)
            tuple(_verbs_beside(tokens, parses, position))
            + tuple(_verbs_beside(tokens, parses, modifiers[0]) if modifiers else ()),
        )
        if position in names or position in compared:
            noun = None
        elif _verb_here(token, parses[position], verbs) and not _after_preposition(
            tokens, parses, (modifiers or [position])[0]
        ):
            noun = None  # «в синей дали»: after a preposition (and its adjectives), a noun
        else:
            noun = _noun_reading(token, parses[position], context)
        agreeing = [m for m in modifiers if noun is not None and _agreeing(parses[m], noun)]
        if noun is not None and _normal(noun) in lexicon_ru.SAID_BY_ADJECTIVE and not agreeing:
            noun = None  # «в рост человека»: a measure; «небольшого роста» says a build
        if noun is not None and _drawable(_normal(noun), lexicon):
            common.add(position)
            words = [_modifier_lemma(tokens[m], parses[m], noun) for m in agreeing]
            phrase = " ".join([*words[-_MAX_MODIFIERS:], _head_form(noun)])
            ranked.append((0 if _case(noun) == "nomn" else 1, position, phrase, _normal(noun)))
            start = (agreeing[-_MAX_MODIFIERS:] or [position])[0]
            found.append((start, position, _case(noun) or "", len(ranked) - 1))
            modifiers = []
        elif noun is not None and _normal(noun) in lexicon.TIME_SEASON:
            found.append((position, position, _case(noun) or "", -1))
            modifiers = []
        elif noun is not None or not (parses[position] and "Apro" in parses[position][0].tag):
            modifiers = []  # «свои большие окна»: a pronoun-adjective does not break the phrase
    # a noun's genitive complement, as written, is said with it («чёрный полог ночи»: the
    # canopy of night; «чучело совы»: a stuffed owl); the genitive noun still stands on its own
    for _, head, _, index in found:
        if index < 0:
            continue
        follower = next((f for f in found if f[0] == head + 1 and f[2] == "gent"), None)
        # a single space between: no comma or full stop («платье, села»: not "dress of village")
        if follower is not None and _one_space(tokens, head, head + 1):
            complement = tokens[follower[0] : follower[1] + 1]
            written = " ".join(token.lower.replace("ё", "е") for token in complement)
            rank, position, phrase, lemma = ranked[index]
            ranked[index] = (rank, position, f"{phrase} {written}", lemma)
    # «старик кот», «старичок священник»: an old cat, an old priest, not an old man beside them
    for _, head, case, index in found:
        if index < 0 or ranked[index][3] not in _RU_AGE_NOUNS:
            continue
        follower = next((f for f in found if f[0] == head + 1 and f[2] == case), None)
        if follower is not None and follower[3] >= 0 and _one_space(tokens, head, head + 1):
            rank, position, _, _ = ranked[index]
            _, _, phrase, lemma = ranked[follower[3]]
            ranked[index] = (rank, position, f"старый {phrase}", lemma)
    unique: list[str] = []
    heads: set[str] = set()
    for _, _, phrase, lemma in sorted(ranked):  # "сабля" after "старинный сабля" adds nothing
        if lemma not in heads:
            heads.add(lemma)
            unique.append(phrase)
    return unique[:_MAX_SUBJECTS_RU]


@dataclass(frozen=True)
class _Context:
    modifiers: list[tuple[Any, ...]]  # the parses of the adjectives right before the word
    after_preposition: bool
    governed: frozenset[str]  # the cases the preposition before it takes (empty: any)
    plural_verb: bool  # a finite verb in the plural right before or after it («лошади бежали»)
    verbs: tuple[Any, ...] = ()  # the finite verbs right before or after it


# The cases a preposition takes, where the noun after it is ambiguous («сквозь снежинки»: the
# accusative plural, not a genitive singular).
_GOVERNS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("сквозь", "через", "про"), frozenset({"accs"})),
    **dict.fromkeys(("в", "во", "на", "о", "об"), frozenset({"accs", "loct"})),
    **dict.fromkeys(("за", "под", "подо"), frozenset({"accs", "ablt"})),
    **dict.fromkeys(("над", "перед", "между", "меж"), frozenset({"ablt"})),
    **dict.fromkeys(("к", "ко", "по"), frozenset({"datv"})),
    **dict.fromkeys(("при",), frozenset({"loct"})),
    **dict.fromkeys(
        ("из", "от", "до", "у", "без", "для", "около", "возле", "среди", "вокруг", "мимо"),
        frozenset({"gent"}),
    ),
}


def _adjacent(tokens: list[Token], left: int, right: int) -> bool:
    return tokens[right].start - tokens[left].end <= 2


def _after_preposition(tokens: list[Token], parses: list[tuple[Any, ...]], at: int) -> bool:
    return at > 0 and _adjacent(tokens, at - 1, at) and _is_preposition(parses[at - 1])


def _is_preposition(parses: tuple[Any, ...]) -> bool:
    return bool(parses) and parses[0].tag.POS == "PREP"


def _plural_verb_beside(tokens: list[Token], parses: list[tuple[Any, ...]], at: int) -> bool:
    return any(verb.tag.number == "plur" for verb in _verbs_beside(tokens, parses, at))


def _verbs_beside(tokens: list[Token], parses: list[tuple[Any, ...]], at: int) -> list[Any]:
    """The finite verbs (first readings) right before or after the word (past one adverb)."""
    after = at + 1
    if after + 1 < len(tokens) and parses[after] and parses[after][0].tag.POS == "ADVB":
        after += 1  # «звезды ярко сияли»
    verbs = []
    for other in (at - 1, after):
        if 0 <= other < len(tokens) and all(
            _adjacent(tokens, i, i + 1) for i in range(min(at, other), max(at, other))
        ):
            first = parses[other][0] if parses[other] else None
            if first is not None and first.tag.POS == "VERB":
                verbs.append(first)
    return verbs


def _ended(tokens: list[Token]) -> frozenset[int]:
    """Positions of Russian nouns that a verb right beside them, a space apart, says have
    ceased or gone («буря утихла», «ветер стих», «исчезла луна»), and of those verbs: none of
    them is in the picture. Any verb reading counts («стих» is also a poem)."""
    parses = [parse_word(token.lower.replace("ё", "е")) for token in tokens]
    found: set[int] = set()
    for at, readings in enumerate(parses):
        if not any(p.tag.POS == "NOUN" and _case(p) == "nomn" for p in readings):
            continue
        for other in (at - 1, at + 1):
            if 0 <= other < len(tokens) and _one_space(tokens, *sorted((at, other))):
                verbs = (p for p in parses[other] if p.tag.POS == "VERB")
                if any(_normal(verb) in _RU_CEASING for verb in verbs):
                    found.update((at, other))
    return frozenset(found)


def _one_space(tokens: list[Token], left: int, right: int) -> bool:
    """Whether two tokens are a single space apart: no comma or full stop between them."""
    return tokens[right].start - tokens[left].end == 1


def _subject_of(verbs: list[Any], noun: Any) -> bool:
    """Whether the noun reading can be the subject of an intransitive verb beside it: such a
    verb takes no object, so a noun that agrees with it in number (and gender, in the past
    singular) is its subject — nominative («пыхтел начищенный самовар»: not an accusative)."""
    for verb in verbs:
        if "intr" not in verb.tag or verb.tag.number != noun.tag.number:
            continue
        if verb.tag.gender is None or verb.tag.gender == noun.tag.gender:
            return True
    return False


def _noun_reading(token: Token, parses: tuple[Any, ...], context: _Context) -> Any | None:
    """The common-noun parse this word has here, or None. A word read first as a noun (or as a
    place name that is also a thing) is one; a word read first as a verb only after a
    preposition or an agreeing adjective («из-за ели»: a fir). Of the noun readings: one that
    agrees with the adjectives before it, else an oblique case after a preposition, else a
    nominative plural beside a plural verb, else the first."""
    nouns = [p for p in parses if p.tag.POS == "NOUN" and not _NAME_TAGS & p.tag.grammemes]
    # a spelling variant the analyser lists first («вареньем» as варение) is no other thing
    nouns.sort(key=lambda p: bool({"V-be", "V-ie"} & p.tag.grammemes))
    if not nouns:
        return None
    agreeing = [n for n in nouns if any(_agreeing(m, n) for m in context.modifiers)]
    first = parses[0].tag
    first_is_noun = token.pos == "NOUN" or (token.pos == "PROPN" and "Geox" in first)
    verb_first = first.POS in _VERB_POS
    if not (first_is_noun or (verb_first and (agreeing or context.after_preposition))):
        return None
    if agreeing:
        subject = [
            n for n in agreeing if _case(n) == "nomn" and _subject_of(list(context.verbs), n)
        ]
        return (subject or agreeing)[0]
    if context.after_preposition:
        governed = [n for n in nouns if _case(n) in context.governed]
        return next(iter(governed), next((n for n in nouns if _case(n) != "nomn"), nouns[0]))
    if context.plural_verb:
        return next((n for n in nouns if {"nomn", "plur"} <= n.tag.grammemes), nouns[0])
    return nouns[0]


def _verb_here(token: Token, parses: tuple[Any, ...], verbs: frozenset[int]) -> bool:
    """The parse read the word as a verb and the analyser has a past-tense reading for it: in
    context it is one, not the noun spelled the same. The past is where the two meet («стих»,
    «сели», «были», «надел»); the parse also tags other nouns as verbs («напились чаю»)."""
    return token.start in verbs and any(p.tag.POS == "VERB" and "past" in p.tag for p in parses)


def _modifier(parses: tuple[Any, ...]) -> bool:
    """An adjective or participle that can stand before a noun (not «свой», «который»)."""
    return bool(parses) and parses[0].tag.POS in ("ADJF", "PRTF") and "Apro" not in parses[0].tag


def _attributive(tokens: list[Token], parses: list[tuple[Any, ...]], at: int) -> bool:
    """A word read first as a noun that is an adjective here: it has an adjective reading that
    agrees with the noun right after it, or with that noun past one more adjective («белые
    ноги», «старого правоведа», «ярком солнце» — not the whites, an old thing, a spark)."""
    if not parses[at] or parses[at][0].tag.POS != "NOUN":
        return False
    adjective = tuple(p for p in parses[at] if p.tag.POS in ("ADJF", "PRTF"))
    if not adjective:
        return False
    for after in (at + 1, at + 2):
        if after >= len(tokens) or not _adjacent(tokens, after - 1, after):
            return False
        if after == at + 2 and not _modifier(parses[at + 1]):
            return False
        nouns = [p for p in parses[after] if p.tag.POS == "NOUN"]
        if any(_agreeing(adjective, noun) for noun in nouns):
            return True
    return False


def _agreeing(adjective_parses: tuple[Any, ...], noun: Any) -> bool:
    return any(_agree(p, noun) for p in adjective_parses if p.tag.POS in ("ADJF", "PRTF"))


def _agree(adjective: Any, noun: Any) -> bool:
    """Case and number agree (and gender in the singular, when the noun has one)."""
    if _case(adjective) != _case(noun) or adjective.tag.number != noun.tag.number:
        return False
    gender = noun.tag.gender
    singular = adjective.tag.number == "sing" and gender in ("masc", "femn", "neut")
    return not singular or adjective.tag.gender in (None, gender)


def _modifier_lemma(token: Token, parses: tuple[Any, ...], noun: Any) -> str:
    """The adjective's lemma in the reading that agrees with the noun; of two («большие»:
    большой or больший), the one the visual vocabulary knows."""
    readings = [p for p in parses if p.tag.POS in ("ADJF", "PRTF") and _agree(p, noun)]
    lemmas = [_adjective_lemma(p) for p in readings] or [token.lemma]
    visual = lexicon_ru.SIZE_SHAPE | lexicon_ru.COLOUR | lexicon_ru.MATERIAL | lexicon_ru.BUILD
    return next((lemma for lemma in lemmas if lemma in visual), lemmas[0])


def _adjective_lemma(parse: Any) -> str:
    """An adjective's lemma; a participle's own masculine form («разорванными» → разорванный),
    since its normal form is the verb and the lexicon lists participles by their own form."""
    if parse.tag.POS == "PRTF" and (form := parse.inflect({"masc", "sing", "nomn"})):
        return str(form.word).replace("ё", "е")
    return _normal(parse)


def _case(parse: Any) -> str | None:
    case = parse.tag.case
    return _CASES.get(case, case)


def _normal(parse: Any) -> str:
    return str(parse.normal_form).replace("ё", "е")


def _drawable(lemma: str, lexicon: ModuleType) -> bool:
    if lemma in lexicon.ABSTRACT or lemma in lexicon.THOUGHT or lemma in lexicon.SPEECH:
        return False
    if lemma in lexicon.TIME_SEASON or lemma in _RU_NOT_DRAWN:
        return False
    if len(lemma) < 3:  # short words are mostly misreadings, except the vocabularies' («ус», «ёж»)
        return any(lemma in getattr(lexicon, name) for name in _THING_VOCABULARIES)
    return not lemma.endswith(_RU_ABSTRACT_SUFFIXES) or lemma in lexicon.PLACE


def _head_form(noun: Any) -> str:
    """The head noun's lemma, or its nominative plural when the passage shows several
    («рыбацкие лодки» → "лодки": boats, not a boat); words only used in the plural keep the
    lemma."""
    if "plur" not in noun.tag or {"Pltm", "Sgtm"} & noun.tag.grammemes:
        return _normal(noun)
    plural = noun.inflect({"nomn", "plur"})
    return plural.word.replace("ё", "е") if plural is not None else _normal(noun)
