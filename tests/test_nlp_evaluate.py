"""The gold-set scorer: the GUIDELINES matching rule on hand-made pairs, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookreader.nlp.evaluate import GoldSpan, PredictedSpan, main, match_paragraph, score

GOLDSET = Path(__file__).parents[2] / "shared" / "goldset"


def test_overlap_of_half_the_shorter_span_matches():
    gold = [GoldSpan(0, 100, "action", 2)]
    assert match_paragraph(gold, [PredictedSpan(50, 70, "action")]).verdicts == [True]
    assert match_paragraph(gold, [PredictedSpan(90, 110, "action")]).verdicts == [True]
    assert match_paragraph(gold, [PredictedSpan(91, 110, "action")]).verdicts == [False]
    assert match_paragraph(gold, [PredictedSpan(0, 100, "location")]).verdicts == [False]


def test_each_gold_span_matches_one_prediction():
    gold = [GoldSpan(0, 100, "action", 2)]
    outcome = match_paragraph(
        gold, [PredictedSpan(0, 40, "action"), PredictedSpan(50, 90, "action")]
    )
    assert sorted(outcome.verdicts) == [False, True]
    assert outcome.gold_found == [True]


def test_salience_one_is_neither_required_nor_a_false_positive():
    gold = [GoldSpan(0, 50, "location", 1), GoldSpan(60, 120, "action", 3)]
    predicted = [PredictedSpan(0, 50, "location", 0.9), PredictedSpan(200, 240, "action", 0.5)]
    report = score([(gold, predicted)])
    assert (report.overall.tp, report.overall.predicted) == (0, 1)
    assert (report.overall.found, report.overall.gold) == (0, 1)
    assert report.bands[-1] == [0, 0]  # the salience-1 match is left out of calibration too


def test_exact_numbers_on_two_paragraphs():
    first = (
        [GoldSpan(0, 100, "location", 3), GoldSpan(100, 200, "action", 2)],
        [PredictedSpan(0, 90, "location", 0.9), PredictedSpan(110, 200, "character", 0.85)],
    )
    second = ([], [PredictedSpan(0, 30, "atmosphere", 0.3)])
    report = score([first, second])
    assert report.overall.precision == pytest.approx(1 / 3)
    assert report.overall.recall == pytest.approx(1 / 2)
    assert report.overall.f1 == pytest.approx(0.4)
    assert report.typeblind.precision == pytest.approx(2 / 3)
    assert report.typeblind.recall == pytest.approx(1.0)
    assert report.typeblind.f1 == pytest.approx(0.8)
    assert report.per_type["location"].f1 == pytest.approx(1.0)
    assert report.per_type["action"].recall == 0.0
    assert report.bands[-1] == [1, 2]
    headline = report.headline()
    assert (headline["n_gold"], headline["n_pred"]) == (2, 3)


@pytest.mark.skipif(not (GOLDSET / "dev.jsonl").exists(), reason="the shared gold set is absent")
def test_evaluate_on_the_dev_set_ends_with_the_json_line(capsys):
    assert main([str(GOLDSET / "dev.jsonl")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    headline = json.loads(last)
    assert set(headline) == {
        "precision",
        "recall",
        "f1",
        "typeblind_f1",
        "per_type",
        "reliability",
        "n_gold",
        "n_pred",
    }
    assert set(headline["per_type"]) == {"location", "character", "atmosphere", "object", "action"}
    assert headline["n_gold"] > 0


def test_the_json_line_has_per_type_f1_and_the_reliability_table(capsys):
    split = Path(__file__).parents[1] / "bench" / "gold" / "extract" / "dev.jsonl"
    assert main([str(split)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    headline = json.loads(out[-1])
    gold_objects = sum(
        1
        for line in split.read_text(encoding="utf-8").splitlines()
        for s in json.loads(line)["spans"]
        if s["type"] == "object" and s.get("salience", 2) >= 2
    )
    assert gold_objects > 0
    objects = headline["per_type"]["object"]
    assert set(objects) == {"precision", "recall", "f1"}
    rows = headline["reliability"]
    assert [row["band"][0] for row in rows] == [0.0, 0.2, 0.4, 0.6, 0.8]
    for row in rows:
        if row["count"]:
            low, high = row["band"]
            assert low <= row["mean_confidence"] <= high
            assert 0 <= row["precision"] <= 1
    assert any("mean" in line for line in out[:-1])  # the printed table shows it too


def test_reliability_counts_mean_confidence_and_precision_per_band():
    gold = [GoldSpan(0, 50, "location", 2), GoldSpan(60, 120, "action", 2)]
    predicted = [
        PredictedSpan(0, 50, "location", 0.9),
        PredictedSpan(60, 120, "object", 0.7),
        PredictedSpan(130, 140, "action", 0.65),
    ]
    rows = score([(gold, predicted)]).reliability()
    assert rows[3] == {"band": [0.6, 0.8], "count": 2, "mean_confidence": 0.675, "precision": 0.0}
    assert rows[4] == {"band": [0.8, 1.0], "count": 1, "mean_confidence": 0.9, "precision": 1.0}
    assert rows[0]["count"] == 0 and rows[0]["mean_confidence"] is None
