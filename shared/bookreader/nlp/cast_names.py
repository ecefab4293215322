"""The cheap pass of the cast: every run of capitalised words in a book, and its name normalised.

`find_name_spans` scans the chapters once with a regex (no model): runs of capitalised words
("Ивана Петровича", "Mr. Sherlock Holmes"), whether each run starts a sentence, and how often
each word is seen lower-case (a word the book also writes in lower case is rarely a name).
`english_variant` here and `russian_names.russian_variant` turn a run into a `NameVariant`: its
parts by slot (first name, patronymic, surname, or an unplaced name), normalised (Russian:
nominative via pymorphy3, gender kept, the parts agreeing in case and gender; English: titles
and possessives removed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

Slot = str  # "first" | "patr" | "last" | "name" (could be any) | "place" | "middle" | "title"

_RU_TOKEN = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*(?![\w-])")
_RU_LOWER = re.compile(r"(?<![\w-])[а-яё]+(?![\w-])")
# A particle a name and its patronymic may hold between them: «Дарья же Александровна»
_RU_PARTICLE_GAP = frozenset([" же ", " ли "])
_RU_PATRONYMIC_FORM = re.compile(r"(?:ич|ыч|вн|чн)(?:а|у|ем|ом|е|ы|ой|ою)?$")
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
# Personal pronouns and the sex they say, by language (ё written е): who a sentence that names
# nobody is about, and whom a portrait without a name shows.
PRONOUN_GENDERS: dict[str, dict[str, str]] = {
    "ru": {
        **dict.fromkeys(("он", "его", "ему", "него", "нему", "ним", "нем"), "masc"),
        **dict.fromkeys(("она", "ее", "ей", "нее", "ней"), "femn"),
    },
    "en": {
        **dict.fromkeys(("he", "him", "his"), "masc"),
        **dict.fromkeys(("she", "her", "hers"), "femn"),
    },
}
_EN_FIRST_NAME_TITLES = frozenset(
    ["sir", "lady", "dame", "master", "uncle", "aunt", "brother", "sister"]
)
_EN_STATUS = {"mrs": "mrs", "madame": "mrs", "miss": "miss", "mademoiselle": "miss", "ms": None}
_SAINTS = frozenset(["st", "saint"])  # before a name, part of it (`_saints_joined`)
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
    after_title: Counter[str] = field(default_factory=Counter)  # English: in a run after "Mr."


@dataclass(frozen=True, slots=True)
class NameVariant:
    kind: str  # "person" | "place" | "unknown"
    parts: tuple[tuple[Slot, str], ...]
    gender: str | None
    display: str  # the normalised name in reading order ("Иван Петрович")
    titled: bool = False  # English: a title came with it ("Mr. Holmes")
    rank: bool = False  # English: a rank alone ("the Queen"), a character only where it speaks


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
                if (
                    not english
                    and gap in _RU_PARTICLE_GAP
                    and _RU_PATRONYMIC_FORM.search(match.group())
                ):
                    gap = " "
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
    if english and len(tokens) > 1 and tokens[0].rstrip(".").lower() in EN_TITLES:
        words.after_title.update(tokens[1:])
    starts = tuple(m.start() for m in run)
    ends = tuple(m.start() + len(token) for m, token in zip(run, tokens, strict=True))
    words.spans.append(
        NameSpan(chapter, run[0].start(), run[-1].end(), tokens, starts, ends, initial)
    )


# --- English -----------------------------------------------------------------------------


def _saints_joined(tokens: Sequence[str]) -> list[str]:
    """ "St." or "Saint" with the word after it as one word: a surname ("Neville St. Clair",
    "Lord St. Simon") or a saint's, a church's or a street's name ("St. James's Hall"), never a
    title before a first name ("St. James" is not James McCarthy)."""
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1].rstrip(".").lower() in _SAINTS:
            joined[-1] = f"{joined[-1]} {token}"
        else:
            joined.append(token)
    return joined


# Titles a story may call its one bearer by alone ("the Queen", "the King"); not a form of
# address ("Sir", "Miss") nor a rank many share ("the Captain" of Moby-Dick is several men).
_EN_RANKS = frozenset(["king", "queen", "prince", "princess", "count", "countess"])


def _lone_rank(tokens: Sequence[str], gender: str | None) -> NameVariant | None:
    """A rank written alone ("the Queen") as a name whose kind the book decides: a character
    where it speaks ("said the Queen", `cast._speaks_as_the`), nothing otherwise."""
    if len(tokens) != 1 or tokens[0].lower() not in _EN_RANKS:
        return None
    return NameVariant("unknown", (("name", tokens[0]),), gender, tokens[0], rank=True)


def english_variant(tokens: Sequence[str]) -> NameVariant | None:
    """The run's name without titles; a title makes a lone word a surname ("Mr. Holmes")."""
    gender: str | None = None
    status: str | None = None
    first_title = ""
    titled = False
    rest: list[str] = []
    for token in _saints_joined(tokens):
        key = token.rstrip(".").lower()
        if not rest and key in EN_TITLES:
            titled = True
            gender = gender or EN_TITLES[key]
            status = status or _EN_STATUS.get(key)
            first_title = first_title or key
            continue
        rest.append(token)
    if not rest:
        return _lone_rank(tokens, gender)
    if rest[-1].lower() in EN_PLACE_WORDS and len(rest) > 1:
        return NameVariant("place", (("place", " ".join(rest)),), None, " ".join(rest), titled)
    if len(rest) == 1:
        # "Mr. Holmes" is a surname; "Sir George", "Miss Alice" may be a first name.
        surname = titled and not (status == "miss" or first_title in _EN_FIRST_NAME_TITLES)
        parts: tuple[tuple[Slot, str], ...] = (("last" if surname else "name", rest[0]),)
    else:
        parts = (("first", rest[0]), ("last", rest[-1]))
        parts += tuple(("middle", token) for token in rest[1:-1])
    if status:
        parts += (("title", status),)  # Mrs. Rucastle and Miss Rucastle are two women
    kind = "person" if titled else "unknown"
    display = " ".join(tokens if titled and len(rest) == 1 else rest)  # "Mrs. Hudson"
    return NameVariant(kind, parts, gender, display, titled)
