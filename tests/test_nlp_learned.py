"""The learned acceptance and typing step: the packaged model file, what it decides on clear
passages in both languages, and a reproducible build (`make train-extract`)."""

from __future__ import annotations

import json

import numpy as np
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


def _held_apart(hit_chance, seed: int = 0) -> list[train_extract.HeldApart]:
    rng = np.random.default_rng(seed)
    points = []
    for number in range(600):
        raw = float(rng.uniform(0.05, 0.95))
        sentences = int(rng.integers(1, 5))
        hit = float(rng.random() < hit_chance(raw, sentences))
        language = "ru" if number % 2 else "en"
        points.append(train_extract.HeldApart(language, f"book{number % 6}", raw, sentences, hit))
    return points


def test_the_confidence_takes_the_simplest_form_that_predicts_unseen_books_as_well():
    # the raw score is already a probability: a pooled two-parameter curve, not one per language
    form, table = train_extract.choose_calibration(_held_apart(lambda raw, _: raw))
    assert form in ("platt-pooled", "raw-platt-pooled")
    assert {row["form"] for row in table} == set(train_extract.CALIBRATIONS)

    # longer spans are right more often at the same raw score: the sentence count earns its place
    def longer_is_likelier(raw: float, sentences: int) -> float:
        return 1 / (1 + np.exp(-(np.log(raw / (1 - raw)) + 1.2 * (sentences - 2.5))))

    form, _ = train_extract.choose_calibration(_held_apart(longer_is_likelier))
    assert form == "platt-sentences-pooled"
    fitted, parameters = train_extract.fit_calibration(form, _held_apart(longer_is_likelier))
    assert parameters == 3 and set(fitted) == {"ru", "en"}
    model = from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
    model = from_json({**model.to_json(), "calibration": {}})
    calibrated = from_json(
        {**model.to_json(), "calibration": {"ru": {"platt": vars(fitted["ru"])}}}
    )
    assert calibrated.confidence(0.5, "ru", 4) > calibrated.confidence(0.5, "ru", 1)
    assert calibrated.confidence(0.5, "en", 1) == 0.5  # no calibration: the raw score stays


def test_the_targeted_rounds_none_sentences_weigh_down_to_the_other_splits_share():
    # other splits: 4 pictures, 6 "none" (60 %); the targeted round: 2 pictures, 8 "none"
    pictureable = np.asarray([True] * 4 + [False] * 6 + [True] * 2 + [False] * 8)
    reweighted = np.asarray([False] * 10 + [True] * 10)
    weights = train_extract.sample_weights(pictureable, reweighted)
    assert weights[:10].tolist() == [1.0] * 10  # the other splits keep their weight
    assert weights[10:12].tolist() == [1.0, 1.0]  # the round's pictures too
    none_share = weights[~pictureable].sum() / weights.sum()
    assert none_share == pytest.approx(0.6)
    # without a reweighted split (the build on train + dev) nothing changes
    assert (
        train_extract.sample_weights(pictureable, np.zeros(20, dtype=bool)).tolist() == [1.0] * 20
    )


def test_each_reweighted_split_is_brought_to_the_share_of_the_original_splits(monkeypatch):
    monkeypatch.setattr(train_extract, "REWEIGHTED", ("train-more", "random-novels"))
    # train + dev: 4 pictures, 6 "none" (60 %); train-more 2 / 8; random-novels 1 / 9
    pictureable = np.asarray(
        [True] * 4 + [False] * 6 + [True] * 2 + [False] * 8 + [True] * 1 + [False] * 9
    )
    splits = np.asarray(["train"] * 5 + ["dev"] * 5 + ["train-more"] * 10 + ["random-novels"] * 10)
    weights = train_extract.picture_weights(pictureable, splits)
    assert weights[:10].tolist() == [1.0] * 10
    for split in ("train-more", "random-novels"):
        own = splits == split
        share = weights[own & ~pictureable].sum() / weights[own].sum()
        assert share == pytest.approx(0.6)  # each round on its own, not one weight for both


def test_a_calibration_only_split_moves_the_confidence_not_the_regressions():
    assert train_extract.CALIBRATION_ONLY == ("random-novels",)
    train = [train_extract.prepare(r, "train") for r in train_extract.load("train")[::6]]
    extra = [
        train_extract.prepare(r, "random-novels") for r in train_extract.load("random-novels")[::4]
    ]
    alone, joined = train_extract.fit(train), train_extract.fit(train + extra)
    assert np.array_equal(alone.picture_coef, joined.picture_coef)
    assert np.array_equal(alone.type_coef, joined.type_coef)
    # yet its spans, each predicted by a model that never saw its book, reach the curve
    books = {p.book for p in extra}
    assert len(train_extract.held_apart(train + extra)) > len(train_extract.held_apart(train))
    assert books <= {p.book for p in train}  # two train books: held out with their book


def test_a_fitted_type_temperature_sharpens_a_strongly_regularised_type_model(monkeypatch):
    # two separable types in three books: held apart, the flat shares of a tiny C are too
    # cautious, so the log-loss temperature comes out under 1 (sharper); the default is 1
    rng = np.random.default_rng(0)
    kinds = ["location", "action"] * 30
    matrix = np.asarray([[1.0 if k == "location" else -1.0, 0.0] for k in kinds])
    matrix += rng.normal(0.0, 0.3, matrix.shape)
    books = np.asarray(["a", "b", "c"] * 20)
    monkeypatch.setattr(train_extract, "TYPE_C", 0.003)
    assert train_extract.type_temperature(matrix, kinds, None, books) == 1.0
    monkeypatch.setattr(train_extract, "TYPE_TEMPERATURE", "fit")
    assert train_extract.type_temperature(matrix, kinds, None, books) < 0.5
