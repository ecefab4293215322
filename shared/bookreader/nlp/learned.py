"""The learned acceptance and typing step, evaluated from a small JSON file.

`make train-extract` fits two logistic regressions on the annotated gold (bench/gold/extract)
with scikit-learn and writes their coefficients here as JSON, with a calibration per language
fitted on held-apart (leave-one-book-out) predictions: Platt's logistic of the raw score's
logit and the span's sentence count, or a curve of raw scores (isotonic steps), whichever form
the build chose. At run time nothing is unpickled and scikit-learn is not imported: a matrix
product, a sigmoid, a softmax and the calibration's sigmoid or linear interpolation."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = Path(__file__).with_name("extract_model.json")


@dataclass(frozen=True)
class Platt:
    """Confidence = sigmoid(logit · logit(raw) + sentences · sentence count + bias)."""

    logit: float
    sentences: float
    bias: float

    def __call__(self, raw: float, sentences: int) -> float:
        clipped = min(max(raw, 1e-3), 1 - 1e-3)
        z = self.logit * math.log(clipped / (1 - clipped)) + self.sentences * sentences + self.bias
        return 1.0 / (1.0 + math.exp(-z))


Curve = tuple[np.ndarray, np.ndarray]  # raw scores and their confidences, increasing


@dataclass(frozen=True)
class LearnedModel:
    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    picture_coef: np.ndarray  # (features,)
    picture_bias: float
    type_classes: list[str]
    type_coef: np.ndarray  # (classes, features)
    type_bias: np.ndarray  # (classes,)
    # language → its calibration; the raw score stays when absent
    calibration: dict[str, Platt | Curve]
    accept: float  # a sentence is a candidate picture from this P(pictureable) on
    extend: float  # a neighbour joins an accepted sentence's span from this P on
    min_confidence: float  # spans calibrated below this are not emitted

    def predict(self, vectors: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
        """(P(pictureable) per row, P(type | pictureable) per row and class)."""
        if not vectors:
            return np.zeros(0), np.zeros((0, len(self.type_classes)))
        matrix = (np.asarray(vectors, dtype=float) - self.mean) / self.scale
        picture = 1.0 / (1.0 + np.exp(-(matrix @ self.picture_coef + self.picture_bias)))
        logits = matrix @ self.type_coef.T + self.type_bias
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return picture, weights / weights.sum(axis=1, keepdims=True)

    def confidence(self, raw: float, language: str, sentences: int = 1) -> float:
        """The calibrated confidence of a span with this raw score and this many sentences."""
        calibration = self.calibration.get(language)
        if calibration is None:
            return round(min(max(raw, 0.0), 1.0), 3)
        if isinstance(calibration, Platt):
            return round(calibration(raw, sentences), 3)
        return round(float(np.interp(raw, calibration[0], calibration[1])), 3)

    def to_json(self) -> dict[str, Any]:
        def numbers(values: np.ndarray) -> list:
            return np.round(values, 6).tolist()

        return {
            "features": self.features,
            "mean": numbers(self.mean),
            "scale": numbers(self.scale),
            "picture": {"coef": numbers(self.picture_coef), "bias": round(self.picture_bias, 6)},
            "type": {
                "classes": self.type_classes,
                "coef": numbers(self.type_coef),
                "bias": numbers(self.type_bias),
            },
            "calibration": {
                language: _calibration_json(calibration, numbers)
                for language, calibration in sorted(self.calibration.items())
            },
            "thresholds": {
                "accept": self.accept,
                "extend": self.extend,
                "min_confidence": self.min_confidence,
            },
        }


def _calibration_json(calibration: Platt | Curve, numbers: Any) -> dict[str, Any]:
    if isinstance(calibration, Platt):
        return {
            "platt": {
                "logit": round(calibration.logit, 6),
                "sentences": round(calibration.sentences, 6),
                "bias": round(calibration.bias, 6),
            }
        }
    return {"raw": numbers(calibration[0]), "confidence": numbers(calibration[1])}


def _calibration(data: dict[str, Any]) -> Platt | Curve:
    if "platt" in data:
        return Platt(**{key: float(value) for key, value in data["platt"].items()})
    return np.asarray(data["raw"], dtype=float), np.asarray(data["confidence"], dtype=float)


def from_json(data: dict[str, Any]) -> LearnedModel:
    return LearnedModel(
        features=list(data["features"]),
        mean=np.asarray(data["mean"], dtype=float),
        scale=np.asarray(data["scale"], dtype=float),
        picture_coef=np.asarray(data["picture"]["coef"], dtype=float),
        picture_bias=float(data["picture"]["bias"]),
        type_classes=list(data["type"]["classes"]),
        type_coef=np.asarray(data["type"]["coef"], dtype=float),
        type_bias=np.asarray(data["type"]["bias"], dtype=float),
        calibration={
            language: _calibration(entry) for language, entry in data.get("calibration", {}).items()
        },
        accept=float(data["thresholds"]["accept"]),
        extend=float(data["thresholds"]["extend"]),
        min_confidence=float(data["thresholds"]["min_confidence"]),
    )


@cache
def packaged_model() -> LearnedModel:
    """The model shipped with the package (built by `make train-extract`)."""
    return from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
