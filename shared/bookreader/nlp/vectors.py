"""The learned step's input: one numeric vector per sentence, built only from what the cheap
pass and the parse already computed (type scores, vocabulary hits, penalties, parse votes),
plus the sentence's place in its paragraph and its neighbours' evidence — a picture often
spreads over the sentence before or after."""

from __future__ import annotations

import math
from types import ModuleType

from bookreader.nlp import cues
from bookreader.nlp.features import (
    CATEGORIES,
    PENALTIES,
    adjective_hits,
    lexicon_for,
    plain_moves,
    things_and_creatures,
)
from bookreader.nlp.spans import ScoredSentence

TYPES = ("location", "character", "atmosphere", "object", "action")
# The first noun-like word of a sentence is usually its subject: what the picture is of.
_NOUN_CLASSES = ("BODY", "CLOTHING", "SKY_WEATHER", "PLACE", "ARTEFACT", "PERSON")
PERSON_PRONOUNS = {
    "ru": frozenset(
        [
            "он",
            "она",
            "они",
            "его",
            "ее",
            "её",
            "их",
            "ему",
            "ей",
            "им",
            "него",
            "нее",
            "неё",
            "них",
        ]
    ),
    "en": frozenset(["he", "she", "they", "him", "her", "them", "his", "hers", "their"]),
}


def base_feature_names() -> list[str]:
    names = ["bias", "lang_ru"]
    names += [f"score_{t}" for t in TYPES]
    names += [f"share_{t}" for t in TYPES]
    names += [f"kind_{t}" for t in TYPES]
    names += ["strength", "log_visual", "adjectives", "artefact_attributes"]
    names += [f"hits_{c}" for c in CATEGORIES]
    names += [f"penalty_{p}" for p in PENALTIES]
    names += ["negated", "quoted", "question", "log_words", "short"]
    names += ["inner_state", "inner_share", "extent_verbs", "plain_move_share", "person_pronouns"]
    names += ["proper_names", "parsed", "artefacts", "animals"]
    names += [f"first_noun_{c}" for c in _NOUN_CLASSES]
    names += [f"vote_{t}" for t in TYPES]
    # The sentence's place in its paragraph (first, last, how many) is left out: it earned
    # nothing leave-one-book-out, and it taught the model that a short paragraph's sentences
    # are rarely pictures — true of novels' random paragraphs, wrong for a short description.
    names += ["paragraph_quoted"]
    names += ["generic_person", "modal", "habitual", "present", "essay_density"]
    names += ["paragraph_essay", "dialogue_gesture"]
    for side in ("prev", "next"):
        names += [f"{side}_strength", f"{side}_same_kind", f"{side}_quoted"]
        names += [f"{side}_score_{t}" for t in TYPES]
    return names


def feature_names() -> list[str]:
    """The base features, then each of them again for Russian only: the two languages'
    lexicons and parsers differ, so the same evidence may weigh differently (the
    pictureable model uses these; the type model only the base ones)."""
    base = base_feature_names()
    return base + [f"ru_x_{name}" for name in base[2:]]


def _own(sentence: ScoredSentence, language: str) -> list[float]:
    features = sentence.features
    lexicon = lexicon_for(language)
    scores = features.scores
    visual = features.visual
    lemmas = [t.lemma for t in features.tokens]
    inner = sum(1 for lemma in lemmas if lemma in lexicon.INNER_STATE)
    extent = sum(1 for lemma in lemmas if lemma in lexicon.EXTENT_VERBS)
    moves = [
        features.tokens[index].lemma
        for index, categories in features.matches
        if "ACTION_VERBS" in categories or "MOTION" in categories
    ]
    plain = plain_moves(language)
    plain_share = sum(1 for lemma in moves if lemma in plain) / len(moves) if moves else 0.0
    pronouns = sum(1 for t in features.tokens if t.lower in PERSON_PRONOUNS[language])
    names = sum(1 for t in features.tokens if t.pos == "PROPN")
    votes = sentence.votes or {}
    words = max(features.words, 1)
    row = [1.0, float(language == "ru")]
    row += [scores.get(t, 0.0) for t in TYPES]
    row += [scores.get(t, 0.0) / visual if visual > 0 else 0.0 for t in TYPES]
    row += [float(sentence.kind == t) for t in TYPES]
    row += [sentence.strength, math.log1p(visual), adjective_hits(features)]
    row += [features.artefact_attributes]
    row += [features.hits.get(c, 0) for c in CATEGORIES]
    row += [features.penalties.get(p, 0) for p in PENALTIES]
    row += [features.negated, features.quoted, float(features.question), math.log(words)]
    row += [float(words < 6)]
    row += [inner, inner / words * 10, extent, plain_share, pronouns]
    row += [names, float(sentence.votes is not None)]
    row += list(things_and_creatures(features.tokens, lexicon))
    row += _first_noun(sentence, lexicon, language)
    row += [votes.get(t, 0.0) for t in TYPES]
    return [float(value) for value in row]


def essay_cues(sentence: ScoredSentence, language: str) -> list[int]:
    """Counts of generic-person, modal, habitual and present-tense words."""
    words = [t.lower for t in sentence.features.tokens]
    return [
        cues.count(words, cues.GENERIC_PERSON[language]),
        cues.count(words, cues.MODAL[language]),
        cues.count(words, cues.HABITUAL[language]),
        cues.count(words, cues.PRESENT[language]),
    ]


def _first_noun(sentence: ScoredSentence, lexicon: ModuleType, language: str) -> list[float]:
    for token in sentence.features.tokens:
        if token.lower in PERSON_PRONOUNS[language] or token.pos == "PROPN":
            found = "PERSON"
        else:
            found = next((c for c in _NOUN_CLASSES[:-1] if token.lemma in getattr(lexicon, c)), "")
        if found:
            return [float(found == c) for c in _NOUN_CLASSES]
    return [0.0] * len(_NOUN_CLASSES)


def _neighbour(sentence: ScoredSentence, other: ScoredSentence | None) -> list[float]:
    if other is None or other.paragraph != sentence.paragraph:
        return [0.0] * (3 + len(TYPES))
    scores = other.features.scores
    return [
        other.strength,
        float(other.kind == sentence.kind),
        other.features.quoted,
        *[scores.get(t, 0.0) for t in TYPES],
    ]


def sentence_vectors(scored: list[ScoredSentence], language: str) -> list[list[float]]:
    """One vector per sentence of `scored` (a chapter's sentences in text order)."""
    by_paragraph: dict[int, list[int]] = {}
    for position, sentence in enumerate(scored):
        by_paragraph.setdefault(sentence.paragraph, []).append(position)
    quoted: dict[int, float] = {}
    essay: dict[int, float] = {}
    counts = [sum(essay_cues(sentence, language)) for sentence in scored]
    for paragraph, positions in by_paragraph.items():
        words = sum(scored[p].features.words for p in positions) or 1
        quoted[paragraph] = (
            sum(scored[p].features.quoted * scored[p].features.words for p in positions) / words
        )
        essay[paragraph] = sum(counts[p] for p in positions) / words * 10
    vectors = []
    for position, sentence in enumerate(scored):
        row = _own(sentence, language)
        row += [quoted[sentence.paragraph]]
        cue_counts = essay_cues(sentence, language)
        words = max(sentence.features.words, 1)
        row += [float(c) for c in cue_counts] + [counts[position] / words * 10]
        row += [essay[sentence.paragraph]]
        row += [quoted[sentence.paragraph] / (1.0 + sentence.features.visual)]
        previous = scored[position - 1] if position > 0 else None
        following = scored[position + 1] if position + 1 < len(scored) else None
        row += _neighbour(sentence, previous) + _neighbour(sentence, following)
        russian = language == "ru"
        vectors.append(row + [value if russian else 0.0 for value in row[2:]])
    return vectors
