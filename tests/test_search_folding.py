"""Folding for search: what the index and the query both see, and how an offset in the folded
text leads back to the book's own characters."""

from __future__ import annotations

from bookreader.search.folding import END_MARK, START_MARK, fold, fold_query


def _back(text: str, word: str) -> str:
    """The book's characters that fold into the first `word` of the folded text."""
    folded = fold(text)
    start = folded.text.index(word)
    first, last = folded.original_span(start, start + len(word), len(text))
    return text[first:last]


def test_case_and_yo_fold_without_moving_offsets() -> None:
    folded = fold("Ёлка у ОКНА")
    assert folded.text == "елка у окна" and folded.origin is None


def test_accents_stress_marks_and_soft_hyphens_fold_and_map_back() -> None:
    assert fold("Café NAÏVE").text == "cafe naive"
    assert _back("Уда\u0301рение", "ударение") == "Уда\u0301рение"
    assert _back("где-то окно\u00adм стучат", "окном") == "окно\u00adм"
    assert _back("x ﬁne y", "fine") == "ﬁne"


def test_cyrillic_short_i_keeps_its_breve_even_when_decomposed() -> None:
    assert fold("и\u0306од").text == "йод"
    assert fold("Йод").text == "йод"


def test_a_book_cannot_smuggle_the_snippet_markers() -> None:
    assert fold(f"a{START_MARK}b{END_MARK}c").text == "a b c"


def test_the_query_folds_like_the_text() -> None:
    for text in ("ТЁМНОЕ окно", "Crème Brûlée", "за\u0301мок"):
        assert fold_query(text) == fold(text).text


def test_mixed_text_maps_every_word_back_to_the_book() -> None:
    text = "Le Café «Ёлка» — за\u0301мок, naïve İzmir; и\u0306од"
    folded = fold(text)
    assert folded.text == "le cafe «елка» — замок, naive izmir; йод"
    for word, original in (
        ("cafe", "Café"),
        ("елка", "Ёлка"),
        ("замок", "за\u0301мок"),
        ("naive", "naïve"),
        ("izmir", "İzmir"),
        ("йод", "и\u0306од"),
    ):
        assert _back(text, word) == original
