"""Anchors found again in a changed text: by quote, context and nearness, tolerant of the
whitespace and invisible characters parser fixes change, across chapters, never guessed."""

from __future__ import annotations

from bookreader.anchoring import (
    TextQuote,
    hint_for,
    locate,
    point_quote,
    quote_at,
    relocate,
    relocate_point,
)

OLD = "The cat sat on the mat. The dog sat on the rug. The cat sat on the sofa."


def test_a_quote_moves_with_text_inserted_before_it() -> None:
    quote = quote_at(OLD, OLD.index("dog sat"), OLD.index("dog sat") + 7)
    new = "A preface of some length. " + OLD
    assert locate(new, quote, OLD.index("dog")) == (new.index("dog sat"), new.index("dog sat") + 7)


def test_the_context_picks_the_right_one_of_repeated_quotes() -> None:
    second = OLD.rindex("The cat sat on the")
    quote = quote_at(OLD, second, second + len("The cat sat on the"))
    new = "Intro. " + OLD.replace("the mat", "the old mat")
    # nearness alone would pick the first occurrence; the suffix " sofa." says the second
    found = locate(new, quote, near=0)
    assert found == (new.rindex("The cat sat on the"), new.rindex("The cat sat on the") + 18)


def test_among_equals_the_nearest_to_the_old_place_wins() -> None:
    text = "la la la la la"
    assert locate(text, TextQuote("la"), near=7) == (6, 8)


def test_whitespace_and_soft_hyphens_changed_by_a_parser_fix_still_match() -> None:
    old = "He walked  along the\u00a0river bank, slowly."
    quote = quote_at(old, old.index("along"), old.index(","))
    new = "Chapter one.\n\nHe walked along the river bank, slow\u00adly."
    start, end = locate(new, quote, 0)  # type: ignore[misc]
    assert new[start:end] == "along the river bank"


def test_a_quote_that_is_gone_is_not_placed() -> None:
    assert locate("Nothing of it is left.", TextQuote("the storm", "That night ", " came")) is None
    assert locate("anything", TextQuote("")) is None


def test_a_quote_is_looked_for_in_the_other_chapters_nearest_first() -> None:
    chapters = ["Prologue text.", "Opening lines.", "The dog sat on the rug."]
    placed = relocate(chapters, 1, TextQuote("dog sat"), near=4)
    assert placed is not None and (placed.chapter, placed.start) == (2, 4)


def test_a_point_follows_its_text_and_one_at_the_very_end_follows_the_text_before() -> None:
    middle = point_quote(OLD, OLD.index("The dog"))
    end = point_quote(OLD, len(OLD))
    assert end.exact == "" and end.prefix.endswith("sofa.")
    new = ["Preface.\n\n" + OLD + " And then it rained."]
    assert relocate_point(new, 0, middle, OLD.index("The dog")) == (0, new[0].index("The dog"))
    assert relocate_point(new, 0, end, len(OLD)) == (0, new[0].index(" And then"))
    assert relocate_point(["", "x"], 0, point_quote("", 0), 0) == (0, 0)


def test_a_repeated_passage_follows_the_diff_of_the_old_and_new_text() -> None:
    refrain = "HURRY UP PLEASE ITS TIME"
    old = f"{refrain}\n\nGoonight Bill.\n\n{refrain}\n\nGoonight Lou."
    new = (
        f"An editor's note.\n\n{refrain}\n\nGoonight Bill.\n\nA new line.\n\n{refrain}"
        "\n\nGoonight Lou."
    )
    second = old.rindex(refrain)
    quote = TextQuote(refrain)  # no context tells the two apart
    hint = hint_for({0: old}, [new])
    placed = relocate([new], 0, quote, hint(0, second))
    assert placed is not None
    assert (placed.start, locate(new, quote, hint(0, 0))) == (
        new.rindex(refrain),
        (new.index(refrain), new.index(refrain) + len(refrain)),
    )


def test_a_passage_whose_spacing_changed_wins_over_an_untouched_copy_elsewhere() -> None:
    text = "Intro. The cat sat on the mat. Middle. The  cat sat on the\u00a0mat. End."
    quote = TextQuote("The cat sat on the mat.", "Middle. ", " End.")
    start, end = locate(text, quote, near=0)  # type: ignore[misc]
    assert start == text.index("The  cat") and text[end - 4 : end] == "mat."
