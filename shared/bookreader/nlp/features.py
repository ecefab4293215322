"""The cheap lexical pass: per-sentence visual evidence by type, with the penalties for
dialogue, thoughts, abstract exposition and negated pictures ("не было ни луны")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from bookreader.nlp import lexicon_en, lexicon_ru
from bookreader.nlp.morphology import en_lemma, ru_parse

# Each vocabulary's contribution to each type's score.
TYPE_WEIGHTS: dict[str, dict[str, float]] = {
    "location": {"PLACE": 1.0, "POSTURE_VERBS": 0.3, "MATERIAL": 0.3, "SIZE_SHAPE": 0.2},
    "character": {"BODY": 1.0, "CLOTHING": 1.1, "BUILD": 0.8, "COLOUR": 0.2},
    "atmosphere": {
        "SKY_WEATHER": 1.0,
        "LIGHT_VERBS": 0.9,
        "LIGHT_ADJ": 0.4,
        "WEATHER_ADJ": 0.6,
        "TIME_SEASON": 0.3,
    },
    "object": {"MATERIAL": 0.6, "COLOUR": 0.3, "SIZE_SHAPE": 0.3, "ARTEFACT": 0.5, "ANIMALS": 0.5},
    "action": {"ACTION_VERBS": 1.0, "MOTION": 0.4},
}
# The nouns of things and creatures: an object's own evidence, as places are a location's and
# bodies a portrait's; beside a place, a body or the sky they count for an object only when they
# carry attributes of their own (_type_scores). Animals go with objects, not portraits: so the
# annotated train splits type a described animal more often.
THING_NOUNS = ("ARTEFACT", "ANIMALS")
_VISUAL_ADJ = ("COLOUR", "MATERIAL", "SIZE_SHAPE", "CONDITION", "LIGHT_ADJ")
CATEGORIES = (
    "PLACE",
    "BODY",
    "CLOTHING",
    "BUILD",
    "SKY_WEATHER",
    "LIGHT_VERBS",
    "LIGHT_ADJ",
    "WEATHER_ADJ",
    "TIME_SEASON",
    "ACTION_VERBS",
    "MOTION",
    "POSTURE_VERBS",
    "COLOUR",
    "MATERIAL",
    "SIZE_SHAPE",
    "CONDITION",
    *THING_NOUNS,
)
PENALTIES = ("THOUGHT", "ABSTRACT", "SPEECH", "PRONOUNS_DIALOGUE")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_NEGATION_WINDOW = 3
_LIGHT_VERB_WINDOW = 5  # "cast a quick glance", «бросила на него быстрый взгляд»
_MOVEMENT = ("ACTION_VERBS", "MOTION")
_OPEN_QUOTES = "«“„"
_CLOSE_QUOTES = "»”"
_DIALOGUE_DASH = re.compile(r"(?:^|\s)[—–]\s")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    lower: str
    lemma: str
    pos: str  # NOUN, ADJ, VERB, PROPN, OTHER (coarse; OTHER when unknown)


@dataclass
class SentenceFeatures:
    start: int
    end: int
    tokens: list[Token]
    hits: dict[str, int] = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)
    negated: int = 0
    quoted: float = 0.0  # share of the sentence's letters inside dialogue
    question: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    artefact_attributes: int = 0  # colour/material/size words attached to an artefact noun
    # (token index, vocabularies it belongs to) for every counted visual word
    matches: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.tokens)

    @property
    def visual(self) -> float:
        return sum(self.scores.values())


@cache
def lexicon_for(language: str) -> ModuleType:
    """The visual vocabulary module of a language (Russian, else English)."""
    return lexicon_ru if language == "ru" else lexicon_en


def things_and_creatures(tokens: list[Token], lexicon: ModuleType) -> tuple[int, int]:
    """How many words name an artefact and how many an animal."""
    things = sum(1 for t in tokens if t.lemma in lexicon.ARTEFACT)
    return things, sum(1 for t in tokens if t.lemma in lexicon.ANIMALS)


def tokenize(text: str, start: int, end: int, language: str) -> list[Token]:
    """Word tokens of text[start:end] with lemmas; offsets into `text`."""
    tokens = []
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        lower = word.lower()
        if language == "ru":
            lemma, pos = ru_parse(lower.replace("ё", "е"))
        else:
            lemma = en_lemma(lower.replace("’", "'"))
            pos = "PROPN" if word[0].isupper() and match.start() > start else "OTHER"
        tokens.append(Token(match.start(), match.end(), lower, lemma, pos))
    return tokens


def dialogue_mask(text: str, start: int, end: int) -> bytearray:
    """1 for each character of text[start:end] spoken by a character (quotes, or the speech
    parts of a Russian dash-dialogue paragraph)."""
    mask = bytearray(end - start)
    depth = 0
    straight_open = False
    opened_at = -1  # where the outermost open quotation began
    for offset in range(start, end):
        char = text[offset]
        if char in _OPEN_QUOTES:
            if not depth and not straight_open:
                opened_at = offset
            depth += 1
        elif char in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
            mask[offset - start] = 1
            continue
        elif char == '"':
            if not depth and not straight_open:
                opened_at = offset
            straight_open = not straight_open
            mask[offset - start] = 1
            continue
        if depth or straight_open:
            mask[offset - start] = 1
    if (depth or straight_open) and opened_at >= 0:
        # a quotation still open at the paragraph's end is a told story running over several
        # paragraphs (each opens with a quote, only the last closes): narration, not dialogue
        for offset in range(opened_at, end):
            mask[offset - start] = 0
    paragraph = text[start:end]
    stripped = paragraph.lstrip()
    if stripped[:1] in "—–":
        lead = len(paragraph) - len(stripped)
        cuts = [m.start() for m in _DIALOGUE_DASH.finditer(paragraph, lead + 1)]
        bounds = [lead, *cuts, len(paragraph)]
        for index in range(0, len(bounds) - 1, 2):  # speech, author, speech, …
            for offset in range(bounds[index], bounds[index + 1]):
                mask[offset] = 1
    return mask


def sentence_features(
    text: str, start: int, end: int, language: str, mask: bytearray, mask_start: int
) -> SentenceFeatures:
    lexicon = lexicon_for(language)
    categories = _lemma_categories(lexicon)
    tokens = tokenize(text, start, end, language)
    features = SentenceFeatures(start, end, tokens)
    letters = sum(1 for t in tokens for _ in range(t.end - t.start)) or 1
    quoted = sum(mask[offset - mask_start] for t in tokens for offset in range(t.start, t.end))
    features.quoted = quoted / letters
    features.question = "?" in text[start:end]
    negators = lexicon.NEGATORS
    hits: dict[str, int] = {}
    seen: set[str] = set()  # a word repeated ("faces, faces, faces") is one piece of evidence
    for index, token in enumerate(tokens):
        matched = list(categories.get(token.lemma, ()))
        if matched and language == "en" and not _noun_form(token):
            matched = [c for c in matched if c not in THING_NOUNS]
        if "TIME_SEASON" in matched and _season_attribute(text, tokens, index, lexicon):
            matched = ["WEATHER_ADJ" if c == "TIME_SEASON" else c for c in matched]
        if not matched:
            if token.lemma in lexicon.PRONOUNS_DIALOGUE and (
                features.quoted > 0.5 or language == "en"
            ):
                features.penalties["PRONOUNS_DIALOGUE"] = (
                    features.penalties.get("PRONOUNS_DIALOGUE", 0) + 1
                )
            for penalty in ("THOUGHT", "ABSTRACT", "SPEECH"):
                if token.lemma in getattr(lexicon, penalty):
                    features.penalties[penalty] = features.penalties.get(penalty, 0) + 1
            continue
        window = tokens[max(0, index - _NEGATION_WINDOW) : index]
        if any(w.lemma in negators or w.lower in negators for w in window):
            features.negated += 1
            continue
        if token.lemma in seen:
            continue
        if any(c in _MOVEMENT for c in matched) and _light_verb(tokens, index, lexicon):
            matched = [c for c in matched if c not in _MOVEMENT]
            if not matched:
                continue
        seen.add(token.lemma)
        features.matches.append((index, tuple(matched)))
        for category in matched:
            hits[category] = hits.get(category, 0) + 1
    features.hits = hits
    features.artefact_attributes = _artefact_attributes(tokens, lexicon)
    features.scores = _type_scores(features)
    return features


@cache
def _lemma_categories(lexicon: ModuleType) -> dict[str, tuple[str, ...]]:
    """Each listed lemma's vocabularies, in CATEGORIES' order: one lookup per word of a book
    instead of one per vocabulary."""
    table: dict[str, tuple[str, ...]] = {}
    for category in CATEGORIES:
        for lemma in getattr(lexicon, category):
            table[lemma] = (*table.get(lemma, ()), category)
    return table


# What a season or a time of day may colour when it stands right before it as an attribute.
_SEEN_NOUNS = ("PLACE", "SKY_WEATHER", "BODY", "CLOTHING", "ARTEFACT", "ANIMALS")


def _season_attribute(text: str, tokens: list[Token], index: int, lexicon: ModuleType) -> bool:
    """A season or a time of day right before a noun of something seen, as English uses it
    ("the autumn field", "a winter coat", "the morning mist"), tells how that looks — Russian
    says it with an adjective («осенний лес») — not when the story happens ("in autumn he
    left")."""
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    if text[tokens[index].end : following.start] != " ":
        return False
    return any(following.lemma in getattr(lexicon, c) for c in _SEEN_NOUNS)


def _noun_form(token: Token) -> bool:
    """An English word in a noun's form (its base or a plural): the inflection table also maps
    "watching", "locked", "crowd" to the nouns watch, lock, crow."""
    lemma, lower = token.lemma, token.lower
    return lower in (lemma, lemma + "s", lemma + "es") or lower == lemma[:-1] + "ies"


def _light_verb(tokens: list[Token], index: int, lexicon: ModuleType) -> bool:
    """A movement verb whose object is a look ("threw a glance") names a look, not a movement."""
    following = tokens[index + 1 : index + 1 + _LIGHT_VERB_WINDOW]
    determiners = lexicon.GAZE_DETERMINERS
    for position, token in enumerate(following):
        if token.lemma in lexicon.GAZE:
            # English "look" is a verb too ("stood looking"): a noun only after a determiner
            return not determiners or any(t.lower in determiners for t in following[:position])
    return False


_ATTRIBUTES = ("COLOUR", "MATERIAL", "SIZE_SHAPE", "CONDITION")  # a thing's own look
_ATTRIBUTE_WINDOW = 3  # attributes stand next to their noun ("a small golden key", «ключ золотой»)


def _artefact_attributes(tokens: list[Token], lexicon: ModuleType) -> int:
    """How many attribute words (colour, material, size/shape, condition) stand right next to an
    artefact noun: a thing described by its own attributes is an object picture."""
    attached: set[int] = set()
    for index, token in enumerate(tokens):
        if token.lemma not in lexicon.ARTEFACT:
            continue
        before = range(max(0, index - _ATTRIBUTE_WINDOW), index)
        after = range(index + 1, min(len(tokens), index + 2))
        for position in (*before, *after):
            lemma = tokens[position].lemma
            if any(lemma in getattr(lexicon, c) for c in _ATTRIBUTES):
                attached.add(position)
    return len(attached)


def _type_scores(features: SentenceFeatures) -> dict[str, float]:
    scores = {}
    for kind, weights in TYPE_WEIGHTS.items():
        raw = sum(weight * features.hits.get(c, 0) for c, weight in weights.items())
        scores[kind] = raw
    # in a sentence of movement, bodies and places are the props of the action
    movement = features.hits.get("ACTION_VERBS", 0) + 0.4 * features.hits.get("MOTION", 0)
    if movement >= 1:
        scores["action"] += 0.4 * features.hits.get("BODY", 0) + 0.2 * features.hits.get("PLACE", 0)
        scores["location"] *= 0.5
        if features.hits.get("CLOTHING", 0) + features.hits.get("BUILD", 0) < 2:
            scores["character"] *= 0.6
        if features.hits.get("ACTION_VERBS", 0):
            scores["atmosphere"] *= 0.7
    # an object is a thing described by its own attributes: it wins only when an artefact carries
    # most of the sentence's attribute words, even beside a person, a place or the sky
    attributes = sum(features.hits.get(c, 0) for c in _ATTRIBUTES)
    own = features.artefact_attributes
    if own >= 2 and 2 * own >= attributes:
        scores["object"] += 0.8 * own
    elif (
        features.hits.get("PLACE") or features.hits.get("BODY") or features.hits.get("SKY_WEATHER")
    ):
        scores["object"] = 0.0
    return scores


def plain_moves(language: str) -> frozenset[str]:
    return lexicon_for(language).PLAIN_MOVES


def plain_handling(language: str) -> frozenset[str]:
    return lexicon_for(language).PLAIN_HANDLING


def material_nouns(features: SentenceFeatures) -> int:
    """Visual-attribute words the tagger reads as nouns: «поднял стекло», «нес золото» name the
    material as the thing itself, not as an attribute of something (English has no tags: 0)."""
    return sum(
        1
        for index, categories in features.matches
        if features.tokens[index].pos == "NOUN" and any(c in _VISUAL_ADJ for c in categories)
    )


def adjective_hits(features: SentenceFeatures) -> int:
    return sum(features.hits.get(c, 0) for c in _VISUAL_ADJ)


__all__ = [
    "SentenceFeatures",
    "Token",
    "adjective_hits",
    "dialogue_mask",
    "material_nouns",
    "plain_handling",
    "plain_moves",
    "sentence_features",
    "tokenize",
]
