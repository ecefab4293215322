"""The learned acceptance and typing step: the packaged model file, what it decides on clear
passages in both languages, and a reproducible build (`make train-extract`)."""

from __future__ import annotations

import json

import pytest

from bench import train_extract
from bookreader.nlp.extractor import extract_chapter
from bookreader.nlp.learned import MODEL_FILE, from_json
from bookreader.nlp.vectors import feature_names


def _types(text: str, language: str) -> list[str]:
    return [d.type for d in extract_chapter(0, text, [(0, len(text))], language)]


def test_the_model_file_is_plain_json_matching_the_features():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    model = from_json(data)
    assert model.features == feature_names()
    assert model.picture_coef.shape == (len(model.features),)
    assert model.type_coef.shape == (5, len(model.features))
    assert set(model.type_classes) == {"location", "character", "atmosphere", "object", "action"}
    assert set(model.calibration) == {"ru", "en"}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Дорога шла вниз к реке, мимо старой мельницы и низких изб с соломенными крышами.",
            "ru",
            "location",
        ),
        (
            "The road ran down to the river between low stone walls and green meadows.",
            "en",
            "location",
        ),
        (
            "Небо было покрыто тяжелыми серыми тучами, мелкий снег падал хлопьями, и холодный "
            "ветер гнал по дороге белую мглу.",
            "ru",
            "atmosphere",
        ),
        (
            "The sky was heavy with grey clouds, and a cold wind drove the snow across the "
            "frozen fields.",
            "en",
            "atmosphere",
        ),
        (
            "На боку у него висела длинная сабля в черных кожаных ножнах, рукоять ее была "
            "обвита серебряной проволокой.",
            "ru",
            "object",
        ),
        (
            "At his side hung a long sword in a black leather scabbard, its hilt bound with "
            "silver wire and set with a red stone.",
            "en",
            "object",
        ),
    ],
)
def test_clear_passages_get_their_type(text, language, expected):
    assert _types(text, language) == [expected]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("У него закружилась голова, во рту пересохло, и ему стало страшно.", "ru"),
        ("He felt dizzy; his mouth was dry and a dull fear settled in his heart.", "en"),
        ("Он взял ее руку и поцеловал.", "ru"),
        ("She nodded and smiled.", "en"),
    ],
)
def test_inner_states_and_bare_gestures_are_not_descriptions(text, language):
    assert _types(text, language) == []


def test_training_twice_gives_the_same_bytes():
    first = train_extract.train(["train"], limit=40)[1]
    second = train_extract.train(["train"], limit=40)[1]
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert from_json(first).features == feature_names()
