"""Map the lexical strength of a span to a calibrated confidence.

A monotone logistic curve; its two constants were fitted once on the dev gold set as a whole
(never per paragraph), so that confidence ≥ 0.8 means ≥ 80 % of such spans are correct there."""

from __future__ import annotations

import math

MIDPOINT = 2.35
SLOPE = 1.2
PURITY_WEIGHT = 2.0  # a span whose evidence all points to one type is typed more reliably
PURITY_CENTRE = 0.6
# Per-type trust: bodies appear in many non-portrait sentences, objects are rarely certain.
TYPE_SHIFT = {"location": 0.0, "character": -0.5, "atmosphere": 0.0, "object": -0.8, "action": 0.0}


# A rival type reaching this share of the span's own type evidence lowers the confidence.
SPLIT_FROM = 0.5
SPLIT_WEIGHT = 1.5


def confidence(
    strength: float, kind: str, purity: float = PURITY_CENTRE, split: float = 0.0
) -> float:
    evidence = strength + PURITY_WEIGHT * (purity - PURITY_CENTRE) + TYPE_SHIFT.get(kind, 0.0)
    evidence -= SPLIT_WEIGHT * max(split - SPLIT_FROM, 0.0)
    value = 1.0 / (1.0 + math.exp(-SLOPE * (evidence - MIDPOINT)))
    return round(min(max(value, 0.0), 1.0), 3)
