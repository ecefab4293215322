"""The extraction gold split by book (bench/gold): the splits never share a book or a
paragraph, and the agreement measures behave as their definitions say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.gold.agreement import PRIMARY, confusion, type_accuracy
from bench.gold.assemble import SPLITS, agreement, kappa, split_of
from bookreader.nlp.evaluate import GoldSpan, PredictedSpan

GOLD = Path(__file__).parents[1] / "bench" / "gold" / "extract"


def _records(name: str) -> list[dict]:
    lines = (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_splits_are_by_book_and_paragraphs_are_unique():
    seen_ids: set[str] = set()
    books: dict[str, str] = {}
    for split in SPLITS:
        for record in _records(split):
            assert record["id"] not in seen_ids
            seen_ids.add(record["id"])
            assert books.setdefault(record["source"], split) == split
            assert record["source"] in SPLITS[split]
            for span in record["spans"]:
                assert record["text"][span["start"] : span["end"]].strip()
    assert set(books.values()) == set(SPLITS)
    second = _records("overlap-second")
    assert second and all(r["id"] in seen_ids for r in second)


def test_a_book_outside_the_splits_is_refused():
    with pytest.raises(ValueError):
        split_of("some-other-novel")


def test_kappa_is_one_for_identical_labels_and_zero_for_chance():
    assert kappa([("a", "a"), ("b", "b"), ("a", "a")]) == 1.0
    # both raters say "a" half the time, independently of each other
    assert kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]) == 0.0


def test_agreement_matches_spans_by_the_evaluation_rule():
    text = "x" * 200
    first = {
        "id": "p1",
        "text": text,
        "spans": [
            {"start": 0, "end": 100, "type": "location", "salience": 2},
            {"start": 120, "end": 200, "type": "action", "salience": 1},
        ],
    }
    second = {
        "id": "p1",
        "text": text,
        "spans": [
            {"start": 10, "end": 90, "type": "atmosphere", "salience": 2},
            {"start": 130, "end": 190, "type": "action", "salience": 2},
        ],
    }
    scores = agreement({"p1": first}, [second])
    assert scores["typed_f1"] == 0.5  # only the action pair agrees on the type
    assert scores["typeblind_f1"] == 1.0
    assert scores["matched_typeblind"] == 2


def test_random_novels_sample_is_kept_apart_from_the_other_gold():
    """Issue 15's fresh random gold of two train novels measured the type mix before anything
    was fitted on it (now the confidence curve is); it must share no paragraph with any other
    gold file."""
    sample = _records("random-novels")
    assert {r["source"] for r in sample} == {"melville-moby-dick", "tolstoy-anna-karenina"}
    assert all(r["selection"] == "random" and r["annotator"] == "ann-random3" for r in sample)
    others = {
        " ".join(r["text"].split())
        for name in ("train", "train-more", "dev", "test")
        for r in _records(name)
    }
    for record in sample:
        assert " ".join(record["text"].split()) not in others
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]].strip()


def test_the_targeted_second_annotation_is_of_primary_paragraphs_verbatim():
    primary = {r["id"]: r for split in PRIMARY for r in _records(split)}
    second = _records("overlap-targeted")
    assert len(second) == 60
    for record in second:
        assert record["text"] == primary[record["id"]]["text"]
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]].strip()


def test_a_second_annotator_is_scored_as_the_extractor_with_types_compared_one_to_one():
    gold = [
        GoldSpan(0, 100, "location"),
        GoldSpan(120, 200, "action"),
        GoldSpan(300, 400, "object", 1),
    ]
    other = [
        PredictedSpan(10, 90, "atmosphere"),  # the same place, another type
        PredictedSpan(130, 190, "action"),
        PredictedSpan(310, 390, "object"),  # a salience-1 span: neither counted nor penalised
        PredictedSpan(500, 600, "character"),  # seen by the second annotator only
    ]
    pairs = [(gold, other)]
    assert confusion(pairs) == {("location", "atmosphere"): 1, ("action", "action"): 1}
    assert type_accuracy(pairs) == (0.5, 2)
