"""A second typing decision for mixed sentences: which type's evidence covers most of the text.

A sentence that tells a deed and then paints a portrait or a room ("she came into a tidy little
room with a table in the window and two pairs of white gloves on it") collects word counts for
both types; counts favour whichever vocabulary happens to be denser. Here the sentence is cut
into clauses at punctuation, each clause takes the type its own words point to, and the type
whose clauses cover the most words wins — the picture that takes up most of the sentence."""

from __future__ import annotations

from bookreader.nlp.features import TYPE_WEIGHTS, SentenceFeatures

_CLAUSE_BREAKS = frozenset(",;:—–()")
# a clause takes a type only with at least this much evidence of its own
MIN_CLAUSE_SCORE = 0.9


def clause_areas(features: SentenceFeatures, text: str) -> dict[str, int]:
    """Words covered, per type, by the clauses in which that type's evidence is strongest."""
    tokens = features.tokens
    if not tokens:
        return {}
    categories = dict(features.matches)
    areas: dict[str, int] = {}
    clause_start = 0

    def close(end: int) -> None:
        scores: dict[str, float] = {}
        for index in range(clause_start, end):
            for category in categories.get(index, ()):
                for kind, weights in TYPE_WEIGHTS.items():
                    if category in weights:
                        scores[kind] = scores.get(kind, 0.0) + weights[category]
        if not scores:
            return
        kind, best = max(scores.items(), key=lambda item: item[1])
        if best >= MIN_CLAUSE_SCORE:
            areas[kind] = areas.get(kind, 0) + end - clause_start

    for index in range(1, len(tokens)):
        between = text[tokens[index - 1].end : tokens[index].start]
        if any(char in _CLAUSE_BREAKS for char in between):
            close(index)
            clause_start = index
    close(len(tokens))
    return areas


def area_kind(features: SentenceFeatures, text: str, margin: float) -> str | None:
    """The type covering the most words, when the two best-scoring types are close (the
    runner-up reaches `margin` of the winner) and it is one of those two; else None."""
    ranked = sorted(features.scores.items(), key=lambda item: -item[1])
    if len(ranked) < 2 or ranked[0][1] <= 0 or ranked[1][1] < margin * ranked[0][1]:
        return None
    areas = clause_areas(features, text)
    if not areas:
        return None
    kind, covered = max(areas.items(), key=lambda item: item[1])
    contenders = {ranked[0][0], ranked[1][0]}
    if kind not in contenders or covered <= areas.get(ranked[0][0], 0):
        return None
    return kind
