"""The typing confusion table (`python -m bench.typing_confusion`): a wrong type, a missed span
and a prediction on no gold span each land in their own cell."""

from __future__ import annotations

from collections import Counter

from bench.train_extract import Paragraph
from bench.typing_confusion import MISS, NONE, confusion, format_table
from bookreader.nlp.evaluate import GoldSpan, PredictedSpan


def _paragraph(gold: list[GoldSpan]) -> Paragraph:
    return Paragraph({}, "x" * 400, "en", "book", [], [], gold)


def test_each_gold_span_and_prediction_is_counted_once_in_its_cell():
    gold = [
        GoldSpan(0, 100, "object"),
        GoldSpan(100, 200, "location"),
        GoldSpan(200, 300, "action"),
        GoldSpan(300, 350, "character", salience=1),
    ]
    predicted = [
        PredictedSpan(0, 90, "character"),  # the object, typed as a character
        PredictedSpan(110, 200, "location"),  # right
        PredictedSpan(300, 350, "action"),  # on a salience-1 span only: left out
        PredictedSpan(360, 400, "atmosphere"),  # on nothing
    ]
    table: Counter = Counter()
    confusion(_paragraph(gold), predicted, table)
    assert table == Counter(
        {
            ("object", "character"): 1,
            ("location", "location"): 1,
            ("action", MISS): 1,
            (NONE, "atmosphere"): 1,
        }
    )
    lines = format_table(table).splitlines()
    assert lines[0].split()[-1] == MISS
    assert lines[-1].split()[0] == NONE


def test_a_span_found_with_its_own_type_is_not_also_counted_as_a_wrong_type():
    gold = [GoldSpan(0, 100, "location")]
    predicted = [PredictedSpan(0, 100, "atmosphere"), PredictedSpan(0, 100, "location")]
    table: Counter = Counter()
    confusion(_paragraph(gold), predicted, table)
    assert table == Counter({("location", "location"): 1, (NONE, "atmosphere"): 1})
