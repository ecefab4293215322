"""Gold paragraphs scored inside their books (bench/in_book_eval.py): a paragraph is found in
its book, the chapter's predictions are shifted onto it, and a whole chapter's reading gives
the paragraph what reading it alone gives (every candidate parsed)."""

from __future__ import annotations

from pathlib import Path

from bench.in_book_eval import (
    BOOKS,
    Chapter,
    _hinted_chapter,
    chapter_predictions,
    inside,
    locate,
    read_chapters,
)
from bookreader.nlp.evaluate import PredictedSpan, load_gold, predict

TEST_GOLD = Path(__file__).parents[1] / "bench" / "gold" / "extract" / "test.jsonl"


def test_predictions_inside_the_paragraph_are_shifted_and_the_rest_left_out():
    predicted = [
        PredictedSpan(5, 20, "action", 0.5),  # before the paragraph
        PredictedSpan(100, 140, "location", 0.7),  # inside
        PredictedSpan(190, 230, "object", 0.6),  # runs past its end
    ]
    assert inside(predicted, 100, 200) == [PredictedSpan(0, 40, "location", 0.7)]


def test_a_whole_story_paragraph_wins_over_a_bare_substring():
    chapters = [
        Chapter(0, "He said: The sea was grey. Then left.", [(0, 37)]),
        Chapter(1, "Intro.\nThe sea was grey.", [(0, 6), (7, 24)]),
    ]
    found = locate("The sea was grey.", chapters)
    assert found is not None and (found.chapter, found.start, found.whole) == (1, 7, True)
    assert locate("Not in the book.", chapters) is None


def test_a_held_out_paragraph_is_found_in_its_book_and_scored_as_read_alone():
    records = [r for r in load_gold(TEST_GOLD) if r["source"] == "tolstoy-voina-i-mir"]
    record = next(r for r in records if predict(r))
    chapters = read_chapters(BOOKS[record["source"]])
    found = locate(record["text"], chapters, _hinted_chapter(record["id"]))
    assert found is not None and found.whole
    chapter = next(c for c in chapters if c.index == found.chapter)
    end = found.start + len(record["text"])
    assert chapter.text[found.start : end] == record["text"]

    in_book = inside(chapter_predictions(chapter, record["lang"]), found.start, end)
    assert in_book
    for p in in_book:
        # the shifted span slices the paragraph where the chapter's span sliced the chapter
        assert (
            record["text"][p.start : p.end]
            == chapter.text[found.start + p.start : found.start + p.end]
        )
    alone = predict(record)
    assert [(p.start, p.end, p.type) for p in in_book] == [(p.start, p.end, p.type) for p in alone]
