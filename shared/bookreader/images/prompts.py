"""Image prompts from extracted descriptions: English, deterministic, bounded and readable.

A prompt says what is depicted first (the passage's head noun phrase, translated), then the
setting and the other things in it, then details, period and style: image models weigh the
opening words most. Russian summaries go through the glossary and the book-scale lexicon (no
translation service); the book's cast keeps a recurring character's traits and seed stable; the
book's era and genre add a period hint and pick the default style. A monochrome style names no
colour. "Portrait" is said only of people: a described animal or thing is drawn as itself."""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from functools import cache

from bookreader.images.glossary import (
    HAIRED,
    genitive_complement,
    has_cyrillic,
    in_passage,
    pluralize,
    translate_all,
    translate_phrase,
    translate_word,
)
from bookreader.images.model import BookContext, ImagePrompt
from bookreader.images.styles import StylePreset, resolve_style
from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.agreement import agreeing_gender
from bookreader.nlp.cast_names import EN_TITLES, PRONOUN_GENDERS
from bookreader.nlp.drawable import drawable_english
from bookreader.nlp.model import CastMember, Description
from bookreader.nlp.morph_analyzer import PERSON_NAME_TAGS, morph, parse_word
from bookreader.nlp.morphology import animate_common_noun, ru_parse

MAX_PROMPT_CHARS = 600
# What CLIP-based image models read of a prompt (SDXL and its kin: 77 tokens with the start and
# end marks): the quoted passage gets only the room the subjects, details and style leave.
PROMPT_TOKENS = 75
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")

SIZES: dict[str, tuple[int, int]] = {
    "location": (1024, 768),
    "atmosphere": (1024, 768),
    "action": (1024, 768),
    "character": (768, 1024),
    "object": (1024, 1024),
}
# How to frame the picture, said after what it shows (never instead of it).
_FRAMING = {
    "location": "wide view",
    "atmosphere": "atmospheric scene",
    "action": "dynamic moment",
    "object": "detailed close view",
}
# English heads of a subject that make a picture a portrait (an owl or a stag does not): the
# vocabulary's people, and the heads a translation gives that English prose reads otherwise.
PERSON_NOUNS = lexicon_en.PERSON | {"general", "host", "youth", "marshal", "tradeswoman"}
NEGATIVE_COMMON = (
    "text",
    "letters",
    "caption",
    "watermark",
    "signature",
    "logo",
    "extra limbs",
    "extra fingers",
    "deformed hands",
    "distorted face",
    "blurry",
    "low quality",
    "jpeg artifacts",
)
NEGATIVE_BY_KIND: dict[str, tuple[str, ...]] = {
    "character": ("duplicate person", "multiple heads", "cropped head"),
    "location": ("close-up portrait",),
    "atmosphere": ("close-up portrait",),
    "object": ("clutter", "people"),
    "action": ("static pose",),
}
NEGATIVE_HISTORICAL = (
    "modern objects",
    "modern clothing",
    "cars",
    "power lines",
    "electric street lights",
    "smartphones",
    "plastic",
)
# Summary attribute kinds in the order a reader would describe a scene.
_ATTRIBUTE_ORDER = ("time", "season", "weather", "light", "colour", "material", "size", "clothing")
# Things named: up to 20 while the prompt fits the model's window, at least 12 in any case.
_SUBJECT_LIMIT = 20
_SUBJECT_FLOOR = 12

# Known classics (lower-case fragment of an author's name, either script) → their period.
CLASSIC_AUTHORS: tuple[tuple[str, str], ...] = (
    ("пушкин", "early 19th-century Russia"),
    ("pushkin", "early 19th-century Russia"),
    ("лермонтов", "19th-century Russia and the Caucasus"),
    ("lermontov", "19th-century Russia and the Caucasus"),
    ("гоголь", "19th-century Ukraine and Russia"),
    ("gogol", "19th-century Ukraine and Russia"),
    ("грибоедов", "early 19th-century Russia"),
    ("карамзин", "late 18th-century Russia"),
    ("тургенев", "19th-century Russia"),
    ("turgenev", "19th-century Russia"),
    ("толстой", "19th-century Russia"),
    ("tolstoy", "19th-century Russia"),
    ("достоевский", "19th-century Russia"),
    ("dostoevsky", "19th-century Russia"),
    ("гончаров", "19th-century Russia"),
    ("лесков", "19th-century Russia"),
    ("некрасов", "19th-century Russia"),
    ("островский", "19th-century Russia"),
    ("салтыков", "19th-century Russia"),
    ("чехов", "late 19th-century Russia"),
    ("chekhov", "late 19th-century Russia"),
    ("куприн", "early 20th-century Russia"),
    ("бунин", "early 20th-century Russia"),
    ("dickens", "Victorian England"),
    ("austen", "Regency England"),
    ("brontë", "19th-century England"),
    ("bronte", "19th-century England"),
    ("thackeray", "19th-century England"),
    ("trollope", "Victorian England"),
    ("hardy", "Victorian England"),
    ("eliot", "19th-century England"),
    ("conan doyle", "Victorian London"),
    ("stevenson", "18th-century Britain"),
    ("wilde", "Victorian London"),
    ("carroll", "Victorian England"),
    ("melville", "19th-century New England"),
    ("twain", "19th-century America"),
    ("scott", "medieval Britain"),
)
_CLASSIC_GENRES = ("prose_classic", "prose_rus_classic", "literary classics", "classics")
_HISTORICAL_CUTOFF_YEAR = 1945


def build_prompt(
    description: Description,
    text: str,
    *,
    language: str,
    cast: Sequence[CastMember] = (),
    book: BookContext,
    style: str | None = None,
) -> ImagePrompt:
    """The prompt for one description: same inputs, same prompt, seed and size. Its words are
    translated in the senses the passage cues («замок» beside a door is a lock)."""
    lemmas = [ru_parse(word)[0] for word in _words(text)] if language == "ru" else []
    with in_passage(lemmas):
        return _build_prompt(
            description, text, language=language, cast=cast, book=book, style=style
        )


def _build_prompt(
    description: Description,
    text: str,
    *,
    language: str,
    cast: Sequence[CastMember],
    book: BookContext,
    style: str | None,
) -> ImagePrompt:
    preset = resolve_style(style, book.genres)
    summary = description.summary
    attributes = {
        kind: words
        for kind in _ordered_kinds(summary.attributes)
        if (words := translate_all(summary.attributes[kind], language))
    }
    characters = characters_in(description, text, cast)
    # A name that is also a word (Levin's dog Ласка, "the Rabbit") names the figure drawn, not
    # a weasel or a second rabbit, and Каштанка is the passage's «собака»: one figure, not two
    # ("the house of the March Hare" stays a house; "dogs" are others).
    named = {
        english
        for member in characters
        for word in (*member.name.lower().split(), *member.appearance.get("animal", ()))
        if word.rstrip(".") not in EN_TITLES  # "Captain Ahab" is not every captain
        and (english := translate_word(word, language))
    }
    translated = [
        (phrase, english)
        for phrase in summary.subjects
        if (english := translate_phrase(phrase, language))
    ]
    subjects = _distinct(
        _as_written(english, text) if language == "en" else english
        for _, english in translated
        if _shown(english, language) and _said_head(english) not in named
    )
    people = _people_heads(summary.subjects, language)
    figures = _figures(
        characters,
        text,
        language,
        chapter=description.chapter,
        dressed="clothing" in summary.attributes or _unlisted_garment(translated, language),
        monochrome=preset.monochrome,
    )
    if not figures:  # named people outside the cast still show as a man or a woman
        figures = _named_people(summary.characters, text, language, description.type)
        if language == "en" and _anyone(subjects, people):
            # the English figure is read off "he"/"she", which may stand for the whale or the
            # old fisherman the passage names: no second, nameless "a man"
            figures = []
    if not figures and description.type == "character" and not _anyone(subjects, people):
        figures = _pronoun_person(text, language)
    if len(figures) == 1 and (titles := _title_of_name(summary.subjects, text, language)):
        # «князь Андрей»: a portrait of a prince, not of "a man" beside a "prince"; of «старый
        # князь» and «князь», the phrase that says most
        figures = [_titled(figures[0], max(titles, key=len))]
        subjects = [subject for subject in subjects if subject not in titles]
    elif len(figures) == 2 and len(characters) == 2:
        # «камердинер Матвей» beside Стива: "a man and a valet", not "two men, valet"
        for number, member in enumerate(characters):
            name_words = {
                w.lower() for form in (member.name, *member.aliases) for w in form.split()
            }
            if titles := _title_of_name(summary.subjects, text, language, name_words):
                figures[number] = _titled(figures[number], max(titles, key=len))
                subjects = [subject for subject in subjects if subject not in titles]
    figures = _told_apart(figures)
    actions = _actions(text, language, summary.subjects) if description.type == "action" else []
    period = period_hint(book)
    if preset.monochrome:
        subjects = _distinct(_without_colours(subject) for subject in subjects)
        attributes.pop("colour", None)

    kind = scene_kind(description.type, figures, subjects, people)
    sentences = _sentence_count(text)
    opening, others = _opening(kind, figures, subjects, people, sentences)
    others = _by_salience(kind, others)
    framing = _FRAMING.get(kind, "")
    sections = [
        opening,
        others[: _SUBJECT_LIMIT - 1],
        [", ".join(actions)] if actions else [],
        [],  # the English passage's own words, in what the rest leaves of the model's window
        _details(attributes, subjects),
        [framing] if framing else [],
        [period] if period else [],
        [f"{preset.lead}, {preset.suffix}"],
    ]
    while len(sections[1]) >= _SUBJECT_FLOOR and prompt_tokens(_bounded(sections)) > PROMPT_TOKENS:
        sections[1].pop()
    if language == "en":
        room = PROMPT_TOKENS - prompt_tokens(_bounded(sections)) - 3  # quotes and a full stop
        quote = _key_phrase(text, room)
        quote = _without_colours(quote) if preset.monochrome else quote
        sections[3] = [f'"{quote}"'] if quote else []
    prompt = _bounded(sections)
    if has_cyrillic(prompt):  # never expected: the glossary only yields English
        prompt = re.sub(r"\s+", " ", re.sub(r"[\u0400-\u04ff]+", "", prompt))
    width, height = SIZES.get(kind, preset.default_size)
    return ImagePrompt(
        prompt=prompt,
        negative_prompt=negative_prompt(kind, preset, historical=bool(period)),
        width=width,
        height=height,
        seed=_seed_for(description, characters, book),
        style=preset.name,
        kind=description.type,
        attributes=attributes,
    )


def _unlisted_garment(translated: Sequence[tuple[str, str]], language: str) -> bool:
    """Whether the passage names a garment the attribute vocabulary lacks («в кофточке»: a
    blouse): it says what is worn all the same. `translated`: (subject, its English)."""
    return language == "ru" and any(
        phrase.split()[-1] not in lexicon_ru.CLOTHING
        and _english_head(english) in lexicon_en.CLOTHING
        for phrase, english in translated
    )


def _details(attributes: dict[str, list[str]], subjects: list[str]) -> list[str]:
    """Time, weather and light as words, colours as a palette; nothing the subjects say."""
    said = {word for subject in subjects for word in subject.split()}
    # one word once: the vocabularies file "dark" under light, weather and colour alike, which
    # read "Dark, dark, dark palette."
    details = list(
        dict.fromkeys(
            word
            for kind, words in attributes.items()
            if kind not in ("colour", "clothing", "size", "material")
            for word in words
            # a lemma the subjects say, in the plural too ("star" beside "stars")
            if not (set(word.split()) <= said or set(pluralize(word).split()) <= said)
        )
    )
    # «седой», «рыжий» are said of hair ("grey-haired"); a palette has the colour ("grey")
    hues = (colour.removesuffix(HAIRED) for colour in attributes.get("colour", ()))
    colours = [c for c in dict.fromkeys(hues) if c not in details]
    if colours:
        details.append(" and ".join(colours[:3]) + " palette")
    return details


def negative_prompt(kind: str, preset: StylePreset, *, historical: bool) -> str:
    parts = [*NEGATIVE_COMMON, *NEGATIVE_BY_KIND.get(kind, ()), *preset.negative]
    if historical:
        parts.extend(NEGATIVE_HISTORICAL)
    return ", ".join(dict.fromkeys(parts))


def period_hint(book: BookContext) -> str:
    """The era to draw in: explicit era, a known classic author, the year, a classic genre."""
    if book.era and not has_cyrillic(book.era):
        return book.era.strip()
    authors = " ".join(book.authors).lower()
    for fragment, period in CLASSIC_AUTHORS:
        if fragment in authors:
            return period
    if book.year is not None and book.year < _HISTORICAL_CUTOFF_YEAR:
        century = book.year // 100 + 1
        place = " Russia" if book.language == "ru" else ""
        return f"{_ordinal(century)}-century{place}"
    genres = [genre.lower() for genre in book.genres]
    if book.language == "ru" and any(g in _CLASSIC_GENRES for g in genres):
        return "19th-century Russia"
    return ""


def character_seed(book_sha256: str, name: str) -> int:
    """The same person in the same book always gets the same seed."""
    return _seed("character", book_sha256, name)


def characters_in(
    description: Description, text: str, cast: Sequence[CastMember]
) -> list[CastMember]:
    """The cast's characters this passage mentions, the most certain and most frequent first."""
    in_summary = {name.lower() for name in description.summary.characters}
    lowered = text.lower()
    scored: list[tuple[int, CastMember]] = []
    partial: list[tuple[set[str], CastMember]] = []
    explained: set[str] = set()  # the words of the names matched whole
    for member in cast:
        if member.kind != "character":
            continue
        forms = {form.lower() for form in (member.name, *member.aliases) if form.strip()}
        tokens = {token for form in forms for token in form.split() if len(token) > 2}
        if forms & in_summary or any(_mentions(lowered, form) for form in forms):
            scored.append((2, member))
            explained |= forms & in_summary
        elif tokens & in_summary:
            partial.append((tokens & in_summary, member))
    # a word of a name matched whole is that person's: «Левин» is Константин, not his brother
    # Николай Левин as well
    scored += [(1, member) for words, member in partial if words - explained]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].mentions, pair[1].first_chapter, pair[1].name))
    return [member for _, member in scored]


def scene_kind(
    kind: str, figures: list[str], subjects: Sequence[str], people: frozenset[str] = frozenset()
) -> str:
    """The kind of picture to draw: a "character" passage whose people are a group (a plural
    head: "ladies", "officers") in a named place is a scene of that place, not a portrait — a
    portrait is of one or two people; an "object" passage about a person (a named one, or the
    first subject: the summary says the clause subjects first) who is dressed in the things it
    names ("an old fisherman in oilskins") is a picture of the person, not of the garment. Any
    other passage keeps its kind."""
    if kind == "object":
        person = bool(figures) or (bool(subjects) and _names_person(subjects[0], people))
        worn = any(_english_head(subject) in lexicon_en.CLOTHING for subject in subjects)
        return "character" if person and worn else kind
    if kind != "character" or figures or not subjects:
        return kind
    head = subjects[head_subject(kind, subjects, people)]
    group = _names_person(head, people) and _english_head(head) != _said_head(head)
    places = any(_english_head(subject) in lexicon_en.PLACE for subject in subjects)
    return "location" if group and places else kind


def _opening(
    kind: str,
    figures: list[str],
    subjects: list[str],
    people: frozenset[str] = frozenset(),
    sentences: int = 1,
) -> tuple[list[str], list[str]]:
    """What the picture shows, first: for a portrait or an action the characters of the cast in
    it, else the head subject (then the characters); a portrait only of people. Returns (opening
    items, the remaining subjects)."""
    if not subjects and not figures:
        return [], []
    at = head_subject(kind, subjects, people, sentences) if subjects else -1
    rest = [subject for index, subject in enumerate(subjects) if index != at]
    if figures and kind in _PEOPLE_KINDS:
        cast = " and ".join(figures[:2])
        lead = f"portrait of {cast}" if kind == "character" else cast
        return [lead, *([subjects[at]] if at >= 0 else [])], rest
    if at < 0:
        return [" and ".join(figures[:2])], []
    head = subjects[at]
    if kind == "character" and (_is_person(head) or _said_head(head) in people):
        head = f"portrait of {_one(head)}"
    if figures and _english_head(head) in _WORN:
        # "a man, long frock coat": the person wears the coat, so the person is said first
        return [*figures[:2], head], rest
    return [head, *figures[:2]], rest


# The kinds whose picture is of someone: a person opens them; any other kind opens on its place
# or thing, the people in it said after.
_PEOPLE_KINDS = ("character", "action")
# English heads that name no one thing to draw first: how many or what sort ("heaps of coal",
# "pairs", "a dozen"), a name or a hue, or people at large.
_NOT_A_HEAD = frozenset(
    " ".join(
        (
            "people folk crowd pair couple heap pile dozen half lot number mass gross group row",
            "thing object sign name hue colour color shade shape form sort kind part piece bit",
            "line rest whole step front company member",
        )
    ).split()
)
# Light without its source ("the light", "a gleam"): it colours a place or a thing but is not
# its subject (a mood picture may be of the light itself).
_LIGHT_NOUNS = frozenset(
    ("light", "ray", "beam", "glow", "gleam", "glimmer", "shimmer", "sparkle", "radiance", "glare")
)

_BODY = lexicon_en.BODY | {"body", "foot", "feet"}
# What a place holds but is not: its creatures and movable things
_NOT_A_PLACE = (lexicon_en.ANIMALS | lexicon_en.ARTEFACT) - lexicon_en.PLACE
# The vocabulary's places that can stand for a setting: not what hangs or stands in a room
_SETTINGS = lexicon_en.PLACE - {
    "picture",
    "portrait",
    "mirror",
    "lamp",
    "candlestick",
    "chandelier",
}
# What a person wears or is made of: never the subject while the person is in the picture (an
# old fisherman in oilskins is a picture of the fisherman).
_WORN = _BODY | lexicon_en.CLOTHING


def head_subject(
    kind: str, subjects: Sequence[str], people: frozenset[str] = frozenset(), sentences: int = 1
) -> int:
    """Which subject opens the picture: the first (the summary puts the clause subjects first)
    unless it is a poor head and a better one follows. Poor, worst first: how many or what sort
    of things, a body part, bare light, and for a place, mood or thing a person. A portrait
    prefers a person, then an animal; `people` are English heads the source language knows as
    persons (Russian animate nouns that are no animals: «полковник», «полячка»)."""

    wearer = any(_names_person(subject, people) for subject in subjects)

    def rank(index: int) -> tuple[int, int]:
        head = _english_head(subjects[index])
        if head in _NOT_A_HEAD:
            tier = 5
        elif head in _BODY or (wearer and head in lexicon_en.CLOTHING):
            tier = 4
        elif head in _LIGHT_NOUNS and " of " not in subjects[index]:
            tier = 3  # "red glow of fire" has its source
        elif kind not in _PEOPLE_KINDS:
            # the analyser's animacy is not trusted to demote (a sailing ship, «парусник», is
            # also a sailfish): only the English list of people does
            tier = 2 if head in PERSON_NOUNS else 0
        elif head in PERSON_NOUNS or _said_head(subjects[index]) in people:
            tier = 0
        elif kind == "character":
            tier = 1 if head in lexicon_en.ANIMALS else 2
        else:
            tier = 0
        return tier, index

    best = min(range(len(subjects)), key=rank)
    if kind == "location" and sentences > 1 and _english_head(subjects[best]) in _NOT_A_PLACE:
        # One sentence is about its subject ("fishing boats rocked at the pier"); over several,
        # the first clause's sledge or birds bring the reader to the place the rest describes.
        places = (i for i, s in enumerate(subjects) if _english_head(s) in _SETTINGS)
        best = next(places, best)
    return best


def _people_heads(phrases: Sequence[str], language: str) -> frozenset[str]:
    """English last words of the Russian phrases whose head is a person: an animate noun the
    analyser knows («полковник», «полячка»), not an animal."""
    if language != "ru":
        return frozenset()
    heads = set()
    for phrase in phrases:
        words = phrase.split()
        split = genitive_complement(words)  # «толпа людей»: the crowd is the head
        words = split[0] if split is not None else words
        noun = animate_common_noun(parse_word(words[-1].replace("ё", "е")) if words else ())
        if noun is None:
            continue
        english = translate_phrase(phrase, "ru")
        lemma = str(noun.normal_form).replace("ё", "е")
        animal = lemma in lexicon_ru.ANIMALS or _english_head(english or "") in lexicon_en.ANIMALS
        if english and not animal:
            heads.add(_said_head(english))
    return frozenset(heads)


def _by_salience(kind: str, subjects: list[str]) -> list[str]:
    """The other things in the order the prompt may cut them from the end: what sort or how many
    last, and body parts after the things, except in a portrait (a beard is what it shows)."""

    def rank(index: int) -> int:
        head = _english_head(subjects[index])
        if head in _NOT_A_HEAD:
            return 2
        return 1 if kind != "character" and head in _BODY else 0

    return [subjects[i] for i in sorted(range(len(subjects)), key=lambda i: (rank(i), i))]


# The words `_english_head` knows in the singular
_KNOWN_HEADS = (
    PERSON_NOUNS
    | _NOT_A_HEAD
    | _LIGHT_NOUNS
    | _WORN
    | lexicon_en.ANIMALS
    | lexicon_en.PLACE
    | lexicon_en.ARTEFACT
)


def _english_head(phrase: str) -> str:
    """The phrase's last word as a singular lemma the vocabularies list ("ladies" → lady)."""
    word = _said_head(phrase)
    for singular in _singulars(word):
        if singular in _KNOWN_HEADS:
            return singular
    return word


def _one(phrase: str) -> str:
    """A person said in the singular with its article ("a thin old man", "an old priest"); a
    plural or a word the vocabularies do not know as a person stays as it is."""
    head = _said_head(phrase)
    if head not in PERSON_NOUNS or phrase.split()[0] in ("a", "an", "the"):
        return phrase
    return _a(phrase)


def _a(phrase: str) -> str:
    """The phrase after its indefinite article: "a thin man", "an old priest"."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _said_head(phrase: str) -> str:
    """The phrase's head as written, lower case: its last word, or the last before an "of"
    complement ("bank of black cloud": bank)."""
    words = phrase.lower().split()
    words = words[: words.index("of")] if "of" in words[1:] else words
    return words[-1] if words else ""


def _singulars(word: str) -> list[str]:
    irregular = {"men": "man", "women": "woman", "children": "child", "people": "people"}
    forms = [word, irregular.get(word, word)]
    if word.endswith("men"):
        forms.append(word[:-3] + "man")
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return forms


def _names_person(phrase: str, people: frozenset[str] = frozenset()) -> bool:
    """Whether the phrase's head is a person, in the singular or the plural ("ladies")."""
    return (
        _english_head(phrase) in PERSON_NOUNS or _is_person(phrase) or _said_head(phrase) in people
    )


def _is_person(phrase: str) -> bool:
    words = phrase.lower().split()
    words = words[: words.index("of")] if "of" in words[1:] else words
    return any(" ".join(words[i:]) in PERSON_NOUNS for i in range(len(words)))


def _distinct(phrases: Iterable[str]) -> list[str]:
    """Phrases in order, without one whose words another phrase already says: "black cloud"
    goes where "bank of black cloud" says it (at the first one's place)."""
    kept: list[str] = []
    for phrase in phrases:
        words = set(phrase.split())
        if not phrase or any(words <= set(earlier.split()) for earlier in kept):
            continue
        # only the complement is said again: "well sweep" does not say the well
        complement = set(phrase.split(" of ", 1)[1].split()) if " of " in phrase else set()
        said = [i for i, earlier in enumerate(kept) if set(earlier.split()) <= complement]
        if said:
            kept[said[0]] = phrase
            kept = [earlier for i, earlier in enumerate(kept) if i not in said[1:]]
        else:
            kept.append(phrase)
    return kept


# Hues a monochrome picture cannot show; "dark", "pale" and "bright" are tones it can.
_COLOUR_WORDS = (lexicon_en.COLOUR - {"dark", "pale", "bright"}) | {"motley", "colourful"}


def _without_colours(phrase: str) -> str:
    """The phrase with its colour words (and colour compounds: "raven-black") left out."""
    return " ".join(
        word
        for word in phrase.split()
        if not any(part in _COLOUR_WORDS for part in word.lower().strip(",.").split("-"))
    )


def _figures(
    characters: list[CastMember],
    text: str,
    language: str,
    *,
    chapter: int,
    dressed: bool = False,
    monochrome: bool = False,
) -> list[str]:
    """ "a man (grey-haired, wearing greatcoat and cap, in grey)" for up to two characters; one
    the story calls by what it is ("the Emperor", "the Duchess") is that: "an emperor (…)".
    `dressed`: the passage says what is worn, and its clothes are the picture's."""
    figures = []
    for member in characters[:2]:
        noun = _member_noun(member, text, language)
        figure = _figure(
            member, noun, language, chapter=chapter, dressed=dressed, monochrome=monochrome
        )
        role = _role(member, text) if language == "en" else ""
        figures.append(_titled(figure, role) if role else figure)
    return figures


_TWO = {"a man": "two men", "a woman": "two women", "a person": "two people"}


def _told_apart(figures: list[str]) -> list[str]:
    """Two figures the same noun draws: "two men" for two alike ("a man, a man" read as one man
    said twice), "a man (tall), another man" for two told apart by what they wear."""
    if len(figures) != 2:
        return figures
    first, second = figures
    noun = second.split(" (")[0]
    if noun not in _TWO or first.split(" (")[0] != noun:
        return figures
    if first == second:
        return [_TWO[noun]]
    return [first, "another" + second.removeprefix("a")]


def _role(member: CastMember, text: str) -> str:
    """The person noun an English character is called by, where the passage says "the
    Emperor" or "the Duchess"; "" for a name ("the Rachel" is a ship)."""
    name = member.name
    if name.lower() not in PERSON_NOUNS or not re.search(rf"\b(?i:the) {re.escape(name)}\b", text):
        return ""
    return name.lower()


def _named_people(names: list[str], text: str, language: str, kind: str) -> list[str]:
    """ "a woman" for a Russian first name the analyser knows as female (up to two people); in
    English, a portrait's he or she. Names of unknown gender (places, ships) are left out."""
    if language == "ru":
        genders = [_ru_gender(name.split()[0], text) for name in names if name.split()]
        nouns = [_PERSON_NOUNS.get(gender, "") for gender in genders]
        return list(dict.fromkeys(noun for noun in nouns if noun))[:2]
    noun = _gender_noun("", text, language) if kind == "character" else "a person"
    return [noun] if names and noun != "a person" else []


def _shown(english: str, language: str) -> bool:
    """A translated Russian subject passes the test the English summaries apply to their own
    nouns: «чистота», «комфорт», «присутствие» come out as "clarity", "convenience",
    "presence" — nothing to paint. The head is tested in the singular ("public houses")."""
    if language != "ru":
        return True
    head = _english_head(english.split(" of ")[0]).split()[-1].split("-")[-1]  # "tear-drop"
    if _names_person(head) or head in ("people", "crowd"):  # figures of the scene
        return True
    return all(drawable_english(form) for form in _singulars(head) if len(form) > 2)


def _title_of_name(
    phrases: Sequence[str], text: str, language: str, names: Collection[str] = ()
) -> list[str]:
    """The English of the phrases whose head is a Russian person noun said right before a name
    written with a capital («Князь Андрей», «доктор Слюдин», «графини Ростовой»; a name is no
    common noun, so «Андрей Болконский» gives none): the title of the one named person, what
    their portrait shows. `names`: only before these words of a name (lower case)."""
    if language != "ru":
        return []
    found = list(re.finditer(r"[^\W\d_]+", text))
    titles = {
        ru_parse(word.group().lower().replace("ё", "е"))[0]
        for word, name in itertools.pairwise(found)
        if name.group()[:1].isupper()
        and (not names or name.group().lower() in names)
        and text[word.end() : name.start()] == " "
        and _same_case(word.group(), name.group())  # «мать Вронского»: his mother, no title
    }
    said = []
    for phrase in phrases:
        words = phrase.split()
        if genitive_complement(words) is not None:
            continue  # «голова князя»: the head is the head, not the prince
        # the first noun reading, animate: «граф» (a count) is also the genitive plural of
        # «графа» (a column), while «голова» (a head) is a town's head only second
        noun = next((r for r in parse_word(words[-1]) if r.tag.POS == "NOUN"), None)
        lemma = noun.normal_form.replace("ё", "е") if noun is not None else ""
        if noun is None or "anim" not in noun.tag or lemma not in titles or lemma in _KIN:
            continue
        if noun.tag.number == "plur" or lemma in lexicon_ru.ANIMALS:
            # one person's title: «Заказчики Луки» are his customers, not "a customers";
            # «лошадь Телянина» his horse
            continue
        if english := translate_phrase(phrase, language):
            said.append(english)
    return said


_GENERIC_PERSON = re.compile(r"^an? (?P<build>.*?)\b(?:man|woman|person)\b(?P<rest>.*)$")


# A kinship noun before a name says whose kin («отца Левина»: Levin's father), not a title.
_KIN = frozenset(
    " ".join(
        (
            "отец мать брат сестра сын дочь жена муж дед бабушка дядя тетя тетка племянник",
            "племянница внук внучка кузен кузина свекор свекровь тесть теща зять невестка",
        )
    ).split()
)


def _same_case(noun: str, name: str) -> bool:
    def cases(word: str) -> set[str]:
        return {str(r.tag.case) for r in parse_word(word.lower().replace("ё", "е"))}

    return bool(cases(noun) & cases(name))


def _titled(figure: str, title: str) -> str:
    """ "a fat man (grey-haired)" with "prince" → "a fat prince (grey-haired)"."""
    match = _GENERIC_PERSON.match(figure)
    if match is None:
        return figure
    said = f"{match['build']}{title}{match['rest']}"
    return _a(said)


# The personal pronouns of one man and of one woman, each form once.
_SUBJECT_HE_SHE = {"ru": ("он", "она"), "en": ("he", "she")}


def _anyone(subjects: list[str], people: frozenset[str]) -> bool:
    """Whether a subject is a person or an animal (the one a pronoun may stand for)."""
    return any(
        _names_person(subject, people) or _english_head(subject) in lexicon_en.ANIMALS
        for subject in subjects
    )


# A sentence ends at an end mark (and a closing quote) before the next one's capital or dash
_SENTENCE_BREAK = re.compile(r"[.!?…]+[»\"”’)]*\s+(?=[«\"“„(—–-]?\s*[A-ZА-ЯЁ])")


def _sentence_count(text: str) -> int:
    """How many sentences the passage has: an end mark (and a closing quote) before a capital,
    not after a title ("Mr. Holmes"). The image functions ship without the sentence splitter."""
    ends = 0
    for end in _SENTENCE_BREAK.finditer(text):
        before = text[: end.start()].split()
        if not before or before[-1].lower().rstrip(".") not in EN_TITLES:
            ends += 1
    return ends + 1 if text.strip() else 0


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower().replace("ё", "е"))


def _pronoun_gender(text: str, language: str) -> str:
    """ "masc" or "femn" by the personal pronouns the text uses most, "" when they are even."""
    pronouns = PRONOUN_GENDERS.get(language, {})
    words = _words(text)
    said = Counter(pronouns.get(word) for word in words)
    he, she = said["masc"], said["femn"]
    if he == she:
        # a tie goes to the subject: «он стоял… срывая с нее шарф» (нее is the neck, шея)
        subject_he, subject_she = _SUBJECT_HE_SHE.get(language, ("", ""))
        he, she = words.count(subject_he), words.count(subject_she)
    return "masc" if he > she else "femn" if she > he else ""


def _pronoun_person(text: str, language: str) -> list[str]:
    """A portrait that names its man or woman only by pronoun («Толстый, широкий, с огромными
    красными руками, он…»; "Her violet eyes…") is of a man or of a woman, by the pronouns it
    uses most; none when they are even."""
    gender = _pronoun_gender(text, language)
    if not gender:
        return []
    words = _words(text)
    build = _build_of(words, gender) if language == "ru" else []
    noun = "man" if gender == "masc" else "woman"
    said = " ".join([*build, noun])
    return [_a(said)]


def _build_of(words: list[str], gender: str) -> list[str]:
    """English for the build adjectives said of the person alone, in their gender and the
    nominative singular, not before a noun of their own («Толстый, широкий… он»: stout,
    broad); at most two."""
    found: list[str] = []
    for position, word in enumerate(words):
        readings = [
            p
            for p in parse_word(word)
            if p.tag.POS in ("ADJF", "ADJS")
            and p.tag.gender == gender
            and p.tag.number == "sing"
            and (p.tag.POS == "ADJS" or p.tag.case == "nomn")
            and p.normal_form.replace("ё", "е") in lexicon_ru.BUILD
        ]
        following = parse_word(words[position + 1]) if position + 1 < len(words) else ()
        if not readings or any(p.tag.POS == "NOUN" for p in following[:1]):
            continue
        english = translate_word(readings[0].normal_form, "ru")
        if english and english not in found:
            found.append(english)
    return found[:2]


def _figure(
    member: CastMember,
    noun: str,
    language: str,
    *,
    chapter: int,
    dressed: bool = False,
    monochrome: bool = False,
) -> str:
    """A recurring character's stable traits, most seen first: build, what they wear, then
    colours (none for a monochrome style). Sizes of other things ("long" hands, a "little"
    room), a garment's parts and a ring say nothing of the figure; a man wears no woman's dress,
    a woman no man's tailcoat (another person's, in the passages the traits were gathered from).
    Clothes are the scene's: a garment is worn near the chapters the book says it in, unless
    the book says it often enough to be what the character usually wears; none where the
    passage says what is worn (Holmes "in a purple dressing-gown" is not "in black")."""
    lexicon = lexicon_ru if language == "ru" else lexicon_en
    looks = member.appearance
    colours = looks.get("colour", [])
    build = [word for word in (*looks.get("size", []), *colours) if word in lexicon.BUILD]
    traits = translate_all(build, language)[:3]
    if "animal" in looks:  # a red horse is not "red-haired"
        traits = [trait.removesuffix(HAIRED) for trait in traits]
    other_sexs = {"a man": lexicon.WOMENS_CLOTHING, "a woman": lexicon.MENS_CLOTHING}
    unworn = lexicon.CLOTHING_PARTS | other_sexs.get(noun, frozenset())
    garments = [
        word
        for word in looks.get("clothing", [])
        if word not in unworn
        and (word in lexicon.EYEWEAR or (not dressed and _worn_here(member, word, chapter)))
    ]
    # one thing on the head, one on the body, one over it: "hat and cap", "dressing gown and
    # uniform" are two passages' clothes, not one figure's
    for one_at_a_time in (lexicon.HEADWEAR, lexicon.BODY_GARMENTS, lexicon.OVERCOATS):
        worn = [word for word in garments if word in one_at_a_time]
        garments = [word for word in garments if word not in worn[1:]]
    clothing = translate_all(garments, language)[:3]
    colours = [
        colour
        for colour in colours
        if colour not in lexicon.BUILD and not dressed and _worn_here(member, colour, chapter)
    ]
    # "in green" is what a person wears; an animal's colours are as often its eyes' or another's
    tones = [] if "animal" in looks else translate_all(colours, language)[:2]
    if monochrome:
        traits = [trait for trait in traits if _without_colours(trait)]
        clothing = [_without_colours(item) for item in clothing if _without_colours(item)]
        tones = []
    parts = list(traits)
    if clothing:
        parts.append("wearing " + " and ".join(clothing))
    if tones:
        parts.append("in " + " and ".join(tones))
    return f"{noun} ({', '.join(parts)})" if parts else noun


# A garment is the scene's this many chapters either side of one it is said in («в халате» on a
# morning is not what Стива wears at a ball); said in this many chapters, it is the character's
# usual dress, worn everywhere.
SCENE_CHAPTERS = 1
USUAL_DRESS_CHAPTERS = 3


def _worn_here(member: CastMember, garment: str, chapter: int) -> bool:
    seen = member.worn_in.get(garment)
    if seen is None:  # a cast gathered before garments kept their chapters
        return True
    near = any(abs(chapter - said) <= SCENE_CHAPTERS for said in seen)
    return near or len(seen) >= USUAL_DRESS_CHAPTERS


def _gender_noun(name: str, text: str, language: str) -> str:
    if language == "ru":
        gender = _ru_gender(name.split()[0], text) if name.split() else ""
    else:
        gender = _pronoun_gender(text, language)
    return _PERSON_NOUNS.get(gender, "a person")


# A name the analyser reads as a man's and a woman's alike (it does not know it: «Андрий»,
# «Васенька», «Николенька»; the women's diminutives it knows) is taken for a man's when neither
# a surname nor the passage's verbs say otherwise.
_EITHER = "either"
_PERSON_NOUNS = {"masc": "a man", "femn": "a woman", _EITHER: "a man"}
_SEXES = ("masc", "femn")


_CHILDREN = {"a man": "a boy", "a woman": "a girl", "a person": "a child"}


def _member_noun(member: CastMember, text: str, language: str) -> str:
    """What the figure of a cast member is: an animal, a man or a woman — a boy, a girl or a
    child where the book calls them a child (`cast._mark_children`)."""
    noun = _grown_noun(member, text, language)
    return _CHILDREN.get(noun, noun) if "age" in member.appearance else noun


def _grown_noun(member: CastMember, text: str, language: str) -> str:
    """ "a man" or "a woman" for a cast member: an English name's title says it ("Miss Alice",
    "Mr. Holmes") before the passage's pronouns, which may be another person's; a Russian name
    by its surname's form here, the book's verbs (`CastMember.gender`), the analyser, and one it
    does not know (Кити) or reads as either (Васенька) by the past-tense verb beside it («Кити
    покраснела»). An animal of the cast is what it is: Каштанка "a dog"."""
    if animal := _animal_noun(member, language):
        return animal
    if language == "ru" and member.name.split():
        # a surname's form in this passage first («Графиня Ростова» where the cast merged her
        # with Николай Ростов), then what the book's verbs say (cast.py), then the names: the
        # first name first, a surname when the first name is either («Васенька Весловский»)
        surnamed = next(filter(None, (_surname_gender(w, text) for w in member.name.split())), "")
        named = [_ru_gender(word, text) for word in member.name.split()]
        gender = surnamed or member.gender or next((g for g in named if g in _SEXES), "")
        gender = gender or _agreement_gender(member, text) or next((g for g in named if g), "")
        return _PERSON_NOUNS.get(gender, "a person")
    if member.gender:
        return _PERSON_NOUNS[member.gender]
    if language == "en":
        words = {word.strip(".").lower() for alias in member.aliases for word in alias.split()}
        titled = {EN_TITLES.get(word) for word in words} - {None}
        if len(titled) == 1:
            return _PERSON_NOUNS.get(titled.pop() or "", "a person")
    return _gender_noun(member.name, text, language)


def _animal_noun(member: CastMember, language: str) -> str:
    """ "a dog" for a cast member that is one (`nlp.animals`), "" for a person."""
    english = _animal_word(member, language)
    return _a(english) if english else ""


def _animal_word(member: CastMember, language: str) -> str:
    lemma = next(iter(member.appearance.get("animal", ())), "")
    return (translate_word(lemma, language) or "") if lemma else ""


def _agreement_gender(member: CastMember, text: str) -> str:
    """The sex the passage's words agreeing with the member's name say (`nlp.agreement`)."""
    nominative = member.name.split()[0]  # «Тушина, была …»: an inflected name is no subject
    for found in re.finditer(r"[^\W\d_]+", text):
        if found.group() == nominative and (
            gender := agreeing_gender(text, found.start(), found.end())
        ):
            return gender
    return ""


def _ru_gender(name: str, text: str) -> str:
    """A Russian name's gender: a surname in -ин/-ов by its forms in the passage (the parse
    lemmatises «Телянин» and «глаз Телянина» to a woman's «Телянина»), else the analyser's."""
    return _surname_gender(name, text) or _ru_name_gender(name.lower())


# A surname's stem and the endings of its forms: «Телянин», «Теляниным», «о Телянине» are a man;
# «Теляниной» a woman; «Телянина» either (a woman, or a man in the genitive).
_SURNAME = re.compile(r"(?P<stem>[а-яё]{2,}(?:ин|ын|ов|ев|ёв))(?:а|у|ым|ой|ою|е)?")
_SURNAME_ENDINGS = {"": "masc", "ым": "masc", "е": "masc", "ой": "femn", "ою": "femn"}


def _surname_gender(name: str, text: str) -> str:
    """ "masc" or "femn" by the forms of the surname the passage writes, "" when it is no surname
    in -ин/-ов (a first name the dictionary knows, «Марина», is none) or its forms disagree; a
    form in -а is a woman's only where the words beside it say so (`_her_surname`)."""
    match = _SURNAME.fullmatch(name.lower().replace("ё", "е"))
    if match is None or any(p.is_known and "Name" in p.tag for p in parse_word(name.lower())):
        return ""
    stem = match["stem"]
    genders = set()
    for form in re.finditer(rf"(?<!\w)({stem})(\w*)", text, re.IGNORECASE):
        ending = form.group(2).lower()
        if not form.group(1)[:1].isupper() or not _surname_form(form.group().lower(), text, form):
            continue
        if ending in _SURNAME_ENDINGS:
            genders.add(_SURNAME_ENDINGS[ending])
        elif ending == "а":
            genders.add("femn" if _her_surname(text, form.start(), form.end()) else "masc")
    return genders.pop() if len(genders) == 1 else ""


def _surname_form(word: str, text: str, form: re.Match[str]) -> bool:
    """Whether a capitalised word is a surname's form: the dictionary knows it as one, or first
    as nothing else, and not at a sentence's opening («Кошевой» there is the chieftain,
    «Киева» the city); and no lower-case noun follows its oblique form («Дюссековой сонаты»:
    Dussek's sonata, no woman)."""
    readings = parse_word(word.replace("ё", "е"))
    surname = any("Surn" in p.tag for p in readings)
    other = [p.is_known and not PERSON_NAME_TAGS & p.tag.grammemes for p in readings]
    opening = text[: form.start()].rstrip()[-1:] in ("", *'.!?…—–-«"„“(')
    # a capital that only opens a sentence says nothing; elsewhere the first reading decides
    if (opening and any(other)) or (other[:1] == [True] and not surname):
        return False
    following = re.match(r" ([^\W\d_]+)", text[form.end() :])
    if following is None or not following.group(1)[:1].islower() or form.group(2) in ("", "а"):
        return True  # only an oblique form reads as a possessive before its noun
    return not any(p.tag.POS == "NOUN" for p in parse_word(following.group(1).lower())[:1])


def _her_surname(text: str, start: int, end: int) -> bool:
    """Whether a surname in -ина/-ова at text[start:end] is a woman's nominative: a woman's name
    or title right before it («Наташа Ростова», «графиня Ростова»; not «лошадь Телянина»), or a
    feminine past verb right after it («Каренина вошла»). Else it is a man's genitive or
    accusative («лицо Телянина», «увидал Ростова»)."""
    before = re.findall(r"[^\W\d_]+", text[:start])
    after = re.findall(r"[^\W\d_]+", text[end:])
    woman = before and any(
        p.tag.POS == "NOUN"
        and {"femn", "nomn", "anim"} <= p.tag.grammemes
        and p.normal_form.replace("ё", "е") not in lexicon_ru.ANIMALS
        for p in parse_word(before[-1].lower().replace("ё", "е"))
    )
    verb = after and any(
        p.tag.POS == "VERB" and {"femn", "past"} <= p.tag.grammemes
        for p in parse_word(after[0].lower().replace("ё", "е"))[:1]
    )
    return bool(woman or verb)


@cache
def _ru_name_gender(first_name: str) -> str:
    """The analyser's gender of a name; _EITHER when its likeliest name readings disagree."""
    names = [p for p in morph().parse(first_name) if PERSON_NAME_TAGS & p.tag.grammemes]
    if not names:
        return ""
    best = max(p.score for p in names)
    genders = {p.tag.gender or "" for p in names if p.score >= best - 1e-9}
    return genders.pop() if len(genders) == 1 else _EITHER


def _actions(text: str, language: str, subjects: Sequence[str] = ()) -> list[str]:
    """Up to three action words of the passage (Russian through the glossary's verbs). An
    English word the parse read into a subject is a noun there or said already ("a mossy
    rock", "the boat's bow")."""
    if language == "ru":
        words = re.findall(r"[^\W\d_]+", text.lower())
        lemmas = [ru_parse(word.replace("ё", "е"))[0] for word in words]
        found = translate_all([lemma for lemma in lemmas if lemma in lexicon_ru.ACTION_VERBS], "ru")
    else:
        said = {word for phrase in subjects for word in phrase.split()}
        found = list(dict.fromkeys(verb for verb in _english_verbs(text) if verb not in said))
    return found[:3]


def _english_verbs(text: str) -> Iterable[str]:
    """The passage's action verbs, leaving out their noun twins: a word after an article or a
    possessive ("a row of lamps"), or capitalised anywhere but at a sentence's start ("the March
    Hare", 'headed "March, 1869"')."""
    previous = ""
    for match in re.finditer(r"[^\W\d_]+|[.!?]", text):
        word = match.group()
        lower = word.lower()
        inside = previous not in ("", ".", "!", "?")
        if (
            lower in lexicon_en.ACTION_VERBS
            and previous not in lexicon_en.NOUN_DETERMINERS
            and not (inside and word[0].isupper())
        ):
            yield lower
        previous = lower


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_VISUAL_EN = (
    lexicon_en.PLACE
    | lexicon_en.BODY
    | lexicon_en.CLOTHING
    | lexicon_en.SKY_WEATHER
    | lexicon_en.COLOUR
    | lexicon_en.MATERIAL
    | lexicon_en.LIGHT_ADJ
    | lexicon_en.ARTEFACT
)
_CLAUSE_CHARS = 140
_MIN_QUOTE_TOKENS = 6
_MIN_CLIPPED_TOKENS = 16
# A clipped clause does not end on a word that leads into what was cut ("at wide intervals in the").
_DANGLING = frozenset(
    " ".join(
        ("the a an of in at on to with and or but by from for as into", "upon its his her")
    ).split()
)


def prompt_tokens(text: str) -> int:
    """About how many CLIP tokens a prompt takes, on the safe side: each punctuation mark one,
    each word one more per 8 letters (long words are the rare ones that split). Against CLIP's
    own tokenizer on our prompts, the real count is 0.81–1.02 times this."""
    return sum(1 + len(piece) // 8 if piece[0].isalnum() else 1 for piece in _TOKEN.findall(text))


def _key_phrase(text: str, budget: int) -> str:
    """The English passage's most visual clauses, in their order, within `budget` tokens (each
    one clipped; the best one cut to the budget when alone it is too long and the budget is not
    small); quotes and odd characters removed. Nothing when no clause fits."""
    if budget < _MIN_QUOTE_TOKENS:
        return ""
    clean = re.sub(r"[^A-Za-z0-9 ,.;:!?'\-]+", " ", _plain_letters(text))
    clean = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", clean)).strip()  # 'MARMALADE”,'
    scored = []
    for position, clause in enumerate(_SENTENCE_END.split(clean)):
        clause = _clipped(clause.strip(" ,.;:!?'-"), _CLAUSE_CHARS)
        score = sum(word in _VISUAL_EN for word in re.findall(r"[a-z\-]+", clause.lower()))
        if score:
            scored.append((-score, position, clause))
    chosen: list[tuple[int, str]] = []
    used = 0
    for _, position, clause in sorted(scored):
        size = prompt_tokens(clause) + 1
        if used + size > budget:
            if chosen or budget < _MIN_CLIPPED_TOKENS:
                continue  # a few words cut from a long clause say less than the subjects did
            clause = _words_within(clause, budget - 1)
            size = prompt_tokens(clause) + 1
        chosen.append((position, clause))
        used += size
    return "; ".join(clause for _, clause in sorted(chosen))


# Typographic marks said in the plain ones the quote keeps ("cooper’s" is not "cooper s").
_PLAIN_MARKS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "—": ", ", "–": ", "})


def _plain_letters(text: str) -> str:
    """The text with typographic apostrophes and dashes made plain and accents dropped ("café"
    → "cafe"), so that the quote's filter keeps the words whole."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_MARKS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clipped(clause: str, limit: int) -> str:
    if len(clause) <= limit:
        return clause
    return clause[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")


def _words_within(clause: str, budget: int) -> str:
    """The clause's first words, as many as fit in `budget` tokens."""
    words: list[str] = []
    for word in clause.split():
        if prompt_tokens(" ".join([*words, word])) > budget:
            break
        words.append(word)
    while words and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;:")


def _bounded(sections: list[list[str]]) -> str:
    """Join sections; over the limit, drop items from the longest list section first."""

    def render() -> str:
        parts = [_capitalised(", ".join(items)) for items in sections if items]
        return ". ".join(parts) + "."

    prompt = render()
    while len(prompt) > MAX_PROMPT_CHARS:
        trimmable = [items for items in sections[1:-1] if items]
        if not trimmable:
            break
        max(trimmable, key=lambda items: (len(items), len(", ".join(items)))).pop()
        prompt = render()
    if len(prompt) > MAX_PROMPT_CHARS:
        prompt = prompt[: MAX_PROMPT_CHARS - 1].rsplit(" ", 1)[0] + "."
    return prompt


def _seed_for(description: Description, characters: list[CastMember], book: BookContext) -> int:
    if characters:
        return character_seed(book.sha256, characters[0].name)
    return _seed("passage", book.sha256, str(description.chapter), str(description.start))


def _seed(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _ordered_kinds(attributes: dict[str, list[str]]) -> list[str]:
    known = [kind for kind in _ATTRIBUTE_ORDER if kind in attributes]
    return known + sorted(kind for kind in attributes if kind not in _ATTRIBUTE_ORDER)


def _mentions(lowered_text: str, form: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", lowered_text) is not None


def _as_written(phrase: str, text: str) -> str:
    """The phrase with the capitals the passage gives its words inside sentences ("the
    Pequod", "a Russian stove"): the summary says every word in lower case."""
    return " ".join(_written_form(word, text) for word in phrase.split())


def _written_form(word: str, text: str) -> str:
    forms = re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
    inside = [m.group() for m in forms if not _starts_a_sentence(text, m.start())]
    if inside and all(form[:1].isupper() for form in inside) and word[:1].islower():
        return word[:1].upper() + word[1:]
    return word


def _starts_a_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?\n:;—"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
