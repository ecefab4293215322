"""Find the passages of a chapter that paint a picture.

Two stages: a lexical pass scores every sentence (features.py), then the candidates are
merged into spans, calibrated, summarised, and — for English, when the trained spaCy
pipeline is installed — their noun phrases are read from its parse within a word budget."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from bookreader.nlp import pipelines
from bookreader.nlp.clauses import area_kind
from bookreader.nlp.features import (
    SentenceFeatures,
    adjective_hits,
    dialogue_mask,
    lexicon_for,
    material_nouns,
    plain_handling,
    plain_moves,
    sentence_features,
    things_and_creatures,
)
from bookreader.nlp.learned import LearnedModel, packaged_model
from bookreader.nlp.model import SUPPORTED_LANGUAGES, Description
from bookreader.nlp.sentences import split_sentences
from bookreader.nlp.spans import (
    MAX_SENTENCES,
    ScoredSentence,
    Span,
    fits,
    merge_sentences,
    parsed_verbs,
)
from bookreader.nlp.summary import (
    NounPhrase,
    build_summary,
    names_written_as_words,
    noun_phrases,
)
from bookreader.nlp.syntax import parse_english, parse_russian, sentence_votes
from bookreader.nlp.vectors import PERSON_PRONOUNS, sentence_vectors

# The lexical stage over-generates: every sentence with some visual evidence from this strength
# on goes to the learned step, which accepts and types it (learned.py).
CANDIDATE_FLOOR = 0.0
# The rule-based stage's own threshold, still used where it decides alone (retyping mixed
# sentences, neighbours taking a stronger neighbour's type).
CANDIDATE_STRENGTH = 2.0
MIN_TYPE_SCORE = 1.0
NEURAL_WORD_BUDGET = 15_000  # words of English spans parsed by the trained pipeline per call
# Structural typing: sentences from this strength on are parsed, strongest first, within a
# budget of words proportional to the chapter (parsing is the expensive part). The learned
# step is fitted on gold paragraphs read alone, where every such sentence is parsed; in whole
# chapters 0.15 left 17-34 % of the English gold paragraphs' candidates without their parse
# votes and lost typed F1, half the words leaves 3 of 333 (bench/in_book_eval.py).
PARSE_FLOOR = 1.0
PARSE_SHARE = 0.5
PARSE_MIN_WORDS = 600
SYNTAX_WEIGHT = 0.7
SYNTAX_DAMPING = 0.3  # lexical evidence for a type the structure does not support is discounted
# An action needs a deed of someone: when the parse finds no animate subject doing anything,
# the action words (flames quivering, a river falling) are props of a view, discounted more.
ACTION_DAMPING = 0.5
# Mixed sentences (the runner-up type reaches this share of the winner) are typed a second
# time by which type's clauses cover most of the sentence (clauses.py).
AREA_MARGIN = 0.75
# A span whose typed confidence is under the model's floor is still kept when one of its
# sentences is pictureable from this probability on (0.8: leave-one-book-out over train + dev
# loses nothing; 0.7 and 0.6 cost typed precision).
PICTURE_KEEP = 0.8
_settings = {"use_english_model": True}


def use_english_model(enabled: bool) -> None:
    """Allow or forbid the trained English pipeline (tests force the fallback with False)."""
    _settings["use_english_model"] = enabled


def english_pipeline() -> Any:
    return pipelines.english_parser() if _settings["use_english_model"] else None


def sentence_strength(features: SentenceFeatures) -> tuple[str, float]:
    """The dominant type of a sentence and how strongly it shows it."""
    kind, top = max(features.scores.items(), key=lambda item: item[1])
    if top < MIN_TYPE_SCORE:
        return kind, 0.0
    evidence = features.visual + 0.3 * adjective_hits(features)
    penalty = (
        0.9 * features.penalties.get("THOUGHT", 0)
        + 0.6 * features.penalties.get("ABSTRACT", 0)
        + 0.5 * features.penalties.get("SPEECH", 0)
        + 0.5 * features.penalties.get("PRONOUNS_DIALOGUE", 0)
        + 0.7 * features.negated
    )
    # long sentences collect words by chance: judge density, not only the count
    strength = (evidence - penalty) * math.sqrt(14 / max(features.words, 14))
    # a clear winner among the types is more trustworthy than a mixture
    strength *= 0.6 + 0.4 * top / max(features.visual, 1e-9)
    strength *= 1.0 - 0.6 * features.quoted
    if features.question:
        strength *= 0.6
    if features.words < 4:
        strength *= 0.5
    return kind, max(strength, 0.0)


def score_sentences(
    text: str, paragraphs: list[tuple[int, int]], language: str
) -> list[ScoredSentence]:
    masks = {
        index: dialogue_mask(text, start, end) for index, (start, end) in enumerate(paragraphs)
    }
    scored = []
    for index, start, end in split_sentences(text, paragraphs):
        features = sentence_features(text, start, end, language, masks[index], paragraphs[index][0])
        kind, strength = sentence_strength(features)
        scored.append(ScoredSentence(index, features, kind, strength))
    return scored


def _apply_structure(scored: list[ScoredSentence], text: str, language: str) -> dict[int, object]:
    """Re-weigh the type scores of the strongest sentences by their grammatical structure;
    returns the English spaCy docs by sentence start (reused for the summaries)."""
    pipeline = english_pipeline() if language == "en" else None
    if language == "en" and pipeline is None:
        return {}
    total_words = sum(s.features.words for s in scored)
    budget = max(PARSE_MIN_WORDS, int(PARSE_SHARE * total_words))
    chosen = []
    for sentence in sorted(scored, key=lambda s: -s.strength):
        if sentence.strength < PARSE_FLOOR or budget <= 0:
            break
        budget -= sentence.features.words
        chosen.append(sentence)
    if not chosen:
        return {}
    chosen.sort(key=lambda s: s.features.start)
    texts = [text[s.features.start : s.features.end] for s in chosen]
    docs: dict[int, object] = {}
    if language == "ru":
        parsed = parse_russian(texts)
    else:
        pairs = parse_english(pipeline, texts)
        parsed = [words for words, _ in pairs]
        docs = {s.features.start: doc for s, (_, doc) in zip(chosen, pairs, strict=True)}
    for sentence, words in zip(chosen, parsed, strict=True):
        if language == "ru":
            offset = sentence.features.start
            sentence.verbs = frozenset(
                offset + w.start for w in words if w.pos in ("VERB", "AUX") and w.start >= 0
            )
        votes = sentence_votes(words, language)
        sentence.votes = votes
        if not any(votes.values()):
            continue
        scores = sentence.features.scores
        for kind in scores:
            if votes.get(kind, 0.0) <= 0:
                scores[kind] *= 1.0 - (ACTION_DAMPING if kind == "action" else SYNTAX_DAMPING)
            scores[kind] += SYNTAX_WEIGHT * votes.get(kind, 0.0)
        sentence.kind, sentence.strength = sentence_strength(sentence.features)
    return docs


def _retype_mixed(scored: list[ScoredSentence], text: str) -> None:
    for sentence in scored:
        if sentence.strength < CANDIDATE_STRENGTH:
            continue
        kind = area_kind(sentence.features, text, AREA_MARGIN)
        if kind is not None:
            sentence.kind = kind


def _absorb_weak_neighbours(scored: list[ScoredSentence]) -> None:
    """A candidate sentence whose best type is weak takes its neighbour's type when it also
    shows that type — one picture, one type."""
    for position, sentence in enumerate(scored):
        if sentence.strength < CANDIDATE_STRENGTH:
            continue
        for neighbour_position in (position - 1, position + 1):
            if not 0 <= neighbour_position < len(scored):
                continue
            neighbour = scored[neighbour_position]
            if (
                neighbour.paragraph == sentence.paragraph
                and neighbour.kind != sentence.kind
                and neighbour.strength > sentence.strength
                and sentence.features.scores.get(neighbour.kind, 0)
                >= 0.6 * sentence.features.scores[sentence.kind]
            ):
                sentence.kind = neighbour.kind
                break


# A one-sentence location span that names at most this many places and gives them no visual
# attribute (colour, material, size, condition, light) is a mention of a place, not a picture of
# one — unless something stands in it: a thing, a creature, weather or clothing ("a cart stood
# by the well", «у ворот стояла телега») make a scene of the place.
BARE_PLACE_MAX = 2


def _bare_mention(span: Span, language: str) -> bool:
    if len(span.sentences) != 1 or span.kind != "location":
        return False
    features = span.sentences[0].features
    if adjective_hits(features) or features.hits.get("PLACE", 0) > BARE_PLACE_MAX:
        return False
    return not _things_in(features, language)


def _things_in(features: SentenceFeatures, language: str) -> int:
    things, creatures = things_and_creatures(features.tokens, lexicon_for(language))
    return (
        things + creatures + features.hits.get("SKY_WEATHER", 0) + features.hits.get("CLOTHING", 0)
    )


# The same for a deed: one sentence of movement that shows nothing of how anyone or anything
# looks (no body part, no colour, material, size or light) and whose movement verbs only change a
# posture or a position (sit down, get up, turn, bow, drive off: the lexicons' PLAIN_MOVES; the
# generic MOTION verbs — go, come, enter — are plain anyway) reports a movement without painting
# it — "he hurried to his cottage", «встала и поехала к сестре». Verbs of manner (stagger,
# gallop, fling, «вылетел») carry a picture of their own. Since things count as evidence, a deed
# done by hand to one plain thing (take, lift, open, put on: PLAIN_HANDLING) is a candidate too —
# «он приподнялся и поднял стекло» — but the window, the pistol or the coat is only its object:
# with no attribute of its own (and no second thing to make a scene) it is no picture either.
BARE_DEED_THINGS = 1


def _bare_deed(span: Span, language: str) -> bool:
    if len(span.sentences) != 1 or span.kind != "action":
        return False
    features = span.sentences[0].features
    materials = material_nouns(features)
    if adjective_hits(features) > materials or features.hits.get("BODY", 0):
        return False
    verbs = {
        features.tokens[index].lemma
        for index, categories in features.matches
        if "ACTION_VERBS" in categories
    }
    if not materials and not features.hits.get("CLOTHING", 0) and verbs <= plain_moves(language):
        return True
    return (
        not features.artefact_attributes
        and _things_in(features, language) + materials <= BARE_DEED_THINGS
        and verbs <= plain_moves(language) | plain_handling(language)
    )


# And for a face: one sentence typed character that names only the body — eyes that shone, a face
# that changed, lips that trembled («Лицо Кити вдруг переменилось», "their eyes fastened") — with
# no colour, size, light or material word, no clothing and no thing, tells an expression or a
# gesture, not how anyone looks; a painter needs the attributes a portrait is made of.
def _bare_expression(span: Span, language: str) -> bool:
    if len(span.sentences) != 1 or span.kind != "character":
        return False
    features = span.sentences[0].features
    if adjective_hits(features) or features.hits.get("CLOTHING", 0):
        return False
    return not _things_in(features, language) and not features.artefact_attributes


def _priority(span: Span, conf: float) -> float:
    adjectives = sum(adjective_hits(s.features) for s in span.sentences)
    value = 0.6 * conf + 0.1 * min(len(span.sentences), 3) / 3 + 0.3 * min(adjectives, 5) / 5
    return round(min(max(value, 0.0), 1.0), 3)


def _phrases_from_docs(docs: list[Any]) -> Callable[[], list[NounPhrase]]:
    return lambda: [phrase for doc in docs for phrase in noun_phrases(doc)]


def _phrase_reader(span_text: str, budget: dict[str, int]) -> Callable[[], list[NounPhrase]] | None:
    pipeline = english_pipeline()
    if pipeline is None or budget["words"] <= 0:
        return None
    budget["words"] -= span_text.count(" ") + 1
    return lambda: noun_phrases(pipeline(span_text))


def analyse(
    text: str, paragraphs: list[tuple[int, int]], language: str
) -> tuple[list[ScoredSentence], dict[int, object]]:
    """The fast candidate stage: every sentence scored by the lexical pass, the strongest
    re-weighed by their parse; returns the sentences and the English docs by start."""
    scored = score_sentences(text, paragraphs, language)
    docs = _apply_structure(scored, text, language)
    _retype_mixed(scored, text)
    _absorb_weak_neighbours(scored)
    return scored, docs


def _is_candidate(sentence: ScoredSentence) -> bool:
    return sentence.features.visual > 0 and sentence.strength >= CANDIDATE_FLOOR


def learned_spans(
    scored: list[ScoredSentence],
    text: str,
    language: str,
    model: LearnedModel,
    vectors: list[list[float]] | None = None,
) -> list[tuple[Span, float]]:
    """Spans the learned step accepts, each with its raw (uncalibrated) score. Sentences a
    painter could draw are accepted; a weaker neighbour in the same paragraph joins them (the
    sentence before or after often carries the picture's detail); adjacent accepted sentences
    form one picture (within the span limits, spans.fits), typed by their pooled type evidence,
    each sentence weighed by how pictureable it is."""
    positions = [p for p, s in enumerate(scored) if _is_candidate(s)]
    if vectors is None:
        vectors = sentence_vectors(scored, language) if positions else []
    picture, types = model.predict([vectors[p] for p in positions])
    for sentence in scored:
        sentence.pictureable = 0.0
        sentence.type_probability = 0.0
    evidence = {}
    for row, position in enumerate(positions):
        scored[position].pictureable = float(picture[row])
        evidence[position] = types[row]
    accepted = {p for p in positions if scored[p].pictureable >= model.accept}
    for position in sorted(accepted):
        for other in (position - 1, position + 1):
            if other not in evidence:
                continue
            if _joins(scored[position], scored[other], model.extend) or (
                other == position - 1 and _antecedent(scored, other, language)
            ):
                accepted.add(other)
    accepted |= _bridged_gaps(scored, accepted, evidence)
    spans = []
    for group in _pictures(sorted(accepted), scored, text):
        pooled = sum(scored[p].pictureable * evidence[p] for p in group)
        best = int(pooled.argmax())
        share = float(pooled[best] / sum(scored[p].pictureable for p in group))
        for p in group:
            scored[p].kind = model.type_classes[best]
            scored[p].type_probability = share
        for span in merge_sentences([scored[p] for p in group], text):
            if (
                span.end <= span.start
                or _bare_mention(span, language)
                or _bare_deed(span, language)
                or _bare_expression(span, language)
            ):
                continue
            spans.append((span, max(s.pictureable for s in span.sentences) * share))
    return spans


def emitted(span: Span, conf: float, model: LearnedModel) -> bool:
    """Whether a span is kept: its typed confidence reaches the model's floor, or the learned
    step is sure a painter could draw one of its sentences — an uncertain type only frames the
    picture, and a wolf at the forest's edge is worth drawing whatever it is labelled."""
    return conf >= model.min_confidence or (
        max(s.pictureable for s in span.sentences) >= PICTURE_KEEP
    )


def _antecedent(scored: list[ScoredSentence], previous: int, language: str) -> bool:
    """An accepted sentence that opens with a personal pronoun ("Her violet eyes shining…",
    «Его встретили…») describes someone the sentence before names: that one joins the picture
    (when it is a candidate of the same paragraph, not dialogue), or the prompt loses its
    subject."""
    before, sentence = scored[previous], scored[previous + 1]
    tokens = sentence.features.tokens
    return (
        bool(tokens)
        and tokens[0].lower in PERSON_PRONOUNS[language]
        and before.paragraph == sentence.paragraph
        and before.features.quoted < 0.5
    )


def _bridged_gaps(
    scored: list[ScoredSentence], accepted: set[int], evidence: dict[int, np.ndarray]
) -> set[int]:
    """Sentences that join a picture across a pause: one sentence the learned step did not
    accept between two accepted sentences of the same paragraph does not end the picture, so
    the two halves become one span — while the whole stays within MAX_SENTENCES (the gold cuts
    longer runs into several pictures). The pause is either a sentence with no visual evidence
    at all («Таков был след, оставленный Пугачевым!», "Only one thing could be done.") or a
    candidate under the `extend` threshold ("Yes, it's just as I thought, he's a terrible
    bedfellow…" between Queequeg's face and its squares seen in the light): left out, it cut
    one picture into two adjacent descriptions. A bridge with no evidence is entered in
    `evidence` with zeros, so the pooled type of its picture is its neighbours'; a weak
    candidate keeps its own, weighed in the pool by its low P(pictureable)."""
    joined = set(accepted)
    added: set[int] = set()
    for position in sorted(accepted):
        gap, after = position + 1, position + 2
        if gap in joined or after not in joined:
            continue
        if not (
            scored[position].paragraph == scored[gap].paragraph == scored[after].paragraph
            and scored[gap].features.quoted < 0.5
        ):
            continue
        left = next(n for n in range(1, position + 2) if position - n not in joined)
        right = next(n for n in range(1, len(scored) + 1) if after + n not in joined)
        if left + 1 + right > MAX_SENTENCES:
            continue
        joined.add(gap)
        added.add(gap)
        if gap not in evidence:
            evidence[gap] = np.zeros_like(evidence[position])
    return added


def _joins(anchor: ScoredSentence, neighbour: ScoredSentence, floor: float) -> bool:
    return (
        neighbour.paragraph == anchor.paragraph
        and neighbour.pictureable >= floor
        and neighbour.features.quoted < 0.5
    )


def _pictures(positions: list[int], scored: list[ScoredSentence], text: str) -> list[list[int]]:
    """Runs of adjacent sentences of one paragraph, within the span limits."""
    groups: list[list[int]] = []
    for position in positions:
        sentence = scored[position]
        if groups:
            last = groups[-1]
            previous = scored[last[-1]]
            if (
                last[-1] == position - 1
                and previous.paragraph == sentence.paragraph
                and not text[previous.features.end : sentence.features.start].strip()
                and fits(len(last) + 1, sentence.features.end - scored[last[0]].features.start)
            ):
                last.append(position)
                continue
        groups.append([position])
    return groups


def extract_chapter(
    chapter: int,
    text: str,
    paragraphs: list[tuple[int, int]],
    language: str,
    model: LearnedModel | None = None,
) -> list[Description]:
    """Descriptions of one chapter, in text order; offsets slice `text` exactly and every span
    lies inside one paragraph. Languages other than ru/en yield nothing. `model` defaults to
    the packaged learned step (training passes its own)."""
    if language not in SUPPORTED_LANGUAGES or not text.strip():
        return []
    model = model or packaged_model()
    scored, docs = analyse(text, paragraphs, language)
    budget = {"words": NEURAL_WORD_BUDGET}
    descriptions = []
    names_as_words = frozenset[str]()
    if language == "ru":
        chapter_tokens = [t for s in scored for t in s.features.tokens]
        names_as_words = names_written_as_words(chapter_tokens, text)
    for span, raw in learned_spans(scored, text, language, model):
        conf = model.confidence(raw, language, len(span.sentences))
        if not emitted(span, conf, model):
            continue
        tokens = [t for s in span.sentences for t in s.features.tokens]
        phrases = None
        if language == "en":
            parsed = [docs.get(s.features.start) for s in span.sentences]
            if all(doc is not None for doc in parsed):
                phrases = _phrases_from_docs(parsed)
            else:
                phrases = _phrase_reader(text[span.start : span.end], budget)
        descriptions.append(
            Description(
                chapter=chapter,
                start=span.start,
                end=span.end,
                type=span.kind,
                confidence=conf,
                priority=_priority(span, conf),
                summary=build_summary(
                    tokens,
                    language,
                    phrases,
                    text,
                    parsed_verbs(span.sentences),
                    names_as_words,
                ),
            )
        )
    return descriptions
