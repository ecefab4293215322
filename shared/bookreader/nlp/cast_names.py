"""The cheap pass of the cast: every run of capitalised words in a book, and its name normalised.

`find_name_spans` scans the chapters once with a regex (no model): runs of capitalised words
("Ивана Петровича", "Mr. Sherlock Holmes"), whether each run starts a sentence, and how often
each word is seen lower-case (a word the book also writes in lower case is rarely a name).
`russian_variant` / `english_variant` turn a run into a `NameVariant`: its parts by slot (first
name, patronymic, surname, or an unplaced name), normalised (Russian: nominative via pymorphy3,
gender kept, the parts agreeing in case and gender; English: titles and possessives removed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bookreader.nlp.morph_analyzer import morph, parse_word

Slot = str  # "first" | "patr" | "last" | "name" (could be any) | "place"

_RU_TOKEN = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*(?![\w-])")
_RU_LOWER = re.compile(r"(?<![\w-])[а-яё]+(?![\w-])")
_EN_TOKEN = re.compile(
    r"(?<![\w'’-])(?:(?:Mr|Mrs|Ms|Dr|St|Messrs)\.|(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)"
    r"(?:['’]s?(?!\w))?"
)
_EN_LOWER = re.compile(r"(?<![\w'’-])[a-z]+(?![\w-])")
_OPENERS = " \t\u00a0«»\"“”„'‘’([—–-"  # skipped when looking back for a sentence boundary
_BOUNDARIES = ".!?…:;\n"

EN_TITLES: dict[str, str | None] = {
    "mr": "masc", "mister": "masc", "sir": "masc", "lord": "masc", "captain": "masc",
    "colonel": "masc", "major": "masc", "general": "masc", "inspector": "masc",
    "sergeant": "masc", "lieutenant": "masc", "dr": "masc", "doctor": "masc",
    "professor": None, "monsieur": "masc", "count": "masc", "prince": "masc", "king": "masc",
    "uncle": "masc", "father": "masc", "brother": "masc", "rev": "masc", "reverend": "masc",
    "mrs": "femn", "miss": "femn", "ms": "femn", "lady": "femn", "madame": "femn",
    "mademoiselle": "femn", "countess": "femn", "princess": "femn", "queen": "femn",
    "aunt": "femn", "sister": "femn", "messrs": None, "st": None, "saint": None,
}  # fmt: skip
EN_PLACE_WORDS = frozenset(
    [
        "street",
        "road",
        "square",
        "lane",
        "avenue",
        "place",
        "terrace",
        "court",
        "gardens",
        "hall",
        "house",
        "abbey",
        "bridge",
        "station",
        "park",
        "castle",
        "river",
        "church",
        "hotel",
        "inn",
        "manor",
        "grange",
        "hill",
        "wood",
        "hills",
        "bay",
        "island",
        "county",
        "city",
        "town",
        "village",
        "cathedral",
        "palace",
        "tower",
        "gate",
        "common",
        "heath",
        "moor",
    ]
)


@dataclass(slots=True)
class NameSpan:
    chapter: int
    start: int
    end: int
    tokens: tuple[str, ...]  # English possessives removed ("Holmes's" → "Holmes")
    starts: tuple[int, ...]  # each token's offset in the chapter text
    ends: tuple[int, ...]
    initial: bool  # the run starts a sentence (or a line of dialogue)


@dataclass(slots=True)
class BookWords:
    spans: list[NameSpan] = field(default_factory=list)
    lower: Counter[str] = field(default_factory=Counter)  # lower-case word counts
    capital_inside: Counter[str] = field(default_factory=Counter)  # capitalised mid-sentence
    capital_initial: Counter[str] = field(default_factory=Counter)  # capitalised at a start


@dataclass(frozen=True, slots=True)
class NameVariant:
    kind: str  # "person" | "place" | "unknown"
    parts: tuple[tuple[Slot, str], ...]
    gender: str | None
    display: str  # the normalised name in reading order ("Иван Петрович")
    titled: bool = False  # English: a title came with it ("Mr. Holmes")


def _is_initial(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in _OPENERS:
        position -= 1
    return position < 0 or text[position] in _BOUNDARIES


def _strip_possessive(token: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def find_name_spans(chapters: Sequence[tuple[int, str]], language: str) -> BookWords:
    """Every run of capitalised words, with the book's lower-case and capitalisation counts."""
    english = language == "en"
    token_pattern, lower_pattern = (_EN_TOKEN, _EN_LOWER) if english else (_RU_TOKEN, _RU_LOWER)
    words = BookWords()
    for chapter, text in chapters:
        words.lower.update(lower_pattern.findall(text))
        run: list[re.Match[str]] = []
        for match in token_pattern.finditer(text):
            if run:
                gap = text[run[-1].end() : match.start()]
                previous = run[-1].group()
                if gap != " " or (
                    (english and previous[-1] in "'’") or previous[-2:] in ("'s", "’s")
                ):
                    _close_run(words, chapter, text, run, english)
                    run = []
            run.append(match)
        if run:
            _close_run(words, chapter, text, run, english)
    return words


def _close_run(
    words: BookWords, chapter: int, text: str, run: list[re.Match[str]], english: bool
) -> None:
    initial = _is_initial(text, run[0].start())
    tokens = tuple(_strip_possessive(m.group()) if english else m.group() for m in run)
    for position, token in enumerate(tokens):
        (words.capital_initial if position == 0 and initial else words.capital_inside)[token] += 1
    starts = tuple(m.start() for m in run)
    ends = tuple(m.start() + len(token) for m, token in zip(run, tokens, strict=True))
    words.spans.append(
        NameSpan(chapter, run[0].start(), run[-1].end(), tokens, starts, ends, initial)
    )


# --- Russian -----------------------------------------------------------------------------

_PERSON_TAGS = ("Name", "Surn", "Patr")
_SLOT_BY_TAG = {"Name": "first", "Patr": "patr", "Surn": "last", "Geox": "place"}
_RU_SURNAME = re.compile(r"^(.+?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|е|ым)$")


@dataclass(frozen=True, slots=True)
class RussianWord:
    person: float  # pymorphy3's probability mass of Name/Surn/Patr readings
    place: float  # … of Geox readings
    known: bool


def russian_word(token: str) -> RussianWord:
    parses = parse_word(token)
    person = sum(p.score for p in parses if any(tag in p.tag for tag in _PERSON_TAGS))
    place = sum(p.score for p in parses if "Geox" in p.tag)
    known = morph().word_is_known(token.lower())
    return RussianWord(person, place, known)


def _slot_of(parse: object) -> str | None:
    for tag, slot in _SLOT_BY_TAG.items():
        if tag in parse.tag:  # type: ignore[attr-defined]
            return slot
    return None


def _nominative(parse: object) -> str:
    inflected = parse.inflect({"nomn", "sing"}) if "Pltm" not in parse.tag else None  # type: ignore[attr-defined]
    return (inflected.word if inflected else parse.normal_form).replace("ё", "е")  # type: ignore[attr-defined]


def _title_case(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


_SLOT_ORDER = {"first": 0, "patr": 1, "last": 2}
_RU_PATRONYMIC = re.compile(r"(?:ич|вн)(?:а|у|ем|е|ы|ой|ою)?$")


def _name_parses(token: str) -> list:
    parses = parse_word(token)
    tagged = [p for p in parses if _slot_of(p)]
    if _RU_PATRONYMIC.search(token):  # «Дмитрич» is a patronymic, whatever else it could be
        tagged = [p for p in tagged if "Patr" in p.tag] or tagged
    return tagged or list(parses[:1])


def _single_russian(token: str, frequency: Callable[[str], int]) -> NameVariant:
    """One word: of its readings, the one whose nominative the book uses most («Левину» → Левин)."""
    options = _name_parses(token)
    best = max(
        options,
        key=lambda p: (frequency(_title_case(_nominative(p))) if _slot_of(p) else 0, p.score),
    )
    slot = _slot_of(best)
    if slot is None:
        surname = _RU_SURNAME.match(token)
        if surname:
            value = surname.group(1)
        elif "NOUN" in best.tag:  # a common noun used as a name: «Тетку», «Тетке» → Тетка
            value = _title_case(_nominative(best))
        else:
            value = token
        return NameVariant("unknown", (("last" if surname else "name", value),), None, value)
    value = _title_case(_nominative(best))
    kind = "place" if slot == "place" else "person"
    return NameVariant(kind, ((slot, value),), best.tag.gender, value)


def russian_variant(
    tokens: Sequence[str], frequency: Callable[[str], int] = lambda _: 0
) -> NameVariant | None:
    """The run's name, each part in the nominative, parts agreeing in gender and case; None
    when the words can't be one name (no common case, two surnames, a place among them)."""
    if len(tokens) == 1:
        return _single_russian(tokens[0], frequency)
    choices = [_name_parses(token) for token in tokens]
    # The (gender, case) reading every part supports best; names of one person agree.
    best: tuple[float, str | None, str | None] | None = None
    readings = {(p.tag.gender, p.tag.case) for p in choices[0]}
    for gender, case in readings:
        total = 0.0
        for options in choices:
            fitting = [
                p
                for p in options
                if p.tag.case == case and (p.tag.gender in (gender, None) or gender is None)
            ]
            if not fitting:
                break
            total += max(p.score for p in fitting)
        else:
            if best is None or total > best[0]:
                best = (total, gender, case)
    parts: list[tuple[Slot, str]] = []
    display: list[str] = []
    gender = best[1] if best else None
    for token, options in zip(tokens, choices, strict=True):
        if best is not None:
            fitting = [
                p for p in options if p.tag.case == best[2] and p.tag.gender in (gender, None)
            ]
            parse = max(fitting, key=lambda p: p.score) if fitting else options[0]
        else:
            parse = options[0]
        slot = _slot_of(parse)
        if slot is None:
            surname = _RU_SURNAME.match(token)
            value = surname.group(1) if surname else token
            slot = "last" if surname or len(tokens) > 1 else "name"
        else:
            value = _title_case(_nominative(parse))
        parts.append((slot, value))
        display.append(value)
    slots = {slot for slot, _ in parts}
    if slots == {"place"}:
        kind = "place"
    elif slots & {"first", "patr", "last"} and "place" not in slots:
        kind = "person"
    else:
        kind = "unknown"
    if len({slot for slot, _ in parts if slot != "name"}) < len(
        [s for s, _ in parts if s != "name"]
    ):
        return None  # two first names or two surnames: a list, not one name
    return NameVariant(kind, tuple(parts), gender, " ".join(display))


# --- English -----------------------------------------------------------------------------


def english_variant(tokens: Sequence[str]) -> NameVariant | None:
    """The run's name without titles; a title makes a lone word a surname ("Mr. Holmes")."""
    gender: str | None = None
    titled = False
    rest: list[str] = []
    for token in tokens:
        key = token.rstrip(".").lower()
        if not rest and key in EN_TITLES:
            titled = True
            gender = gender or EN_TITLES[key]
            continue
        rest.append(token)
    if not rest:
        return None
    if rest[-1].lower() in EN_PLACE_WORDS and len(rest) > 1:
        return NameVariant("place", (("place", " ".join(rest)),), None, " ".join(rest), titled)
    if len(rest) == 1:
        parts: tuple[tuple[Slot, str], ...] = (("last" if titled else "name", rest[0]),)
    else:
        parts = (("first", rest[0]), ("last", rest[-1]))
        parts += tuple(("middle", token) for token in rest[1:-1])
    kind = "person" if titled else "unknown"
    display = " ".join(tokens if titled and len(rest) == 1 else rest)  # "Mrs. Hudson"
    return NameVariant(kind, parts, gender, display, titled)
