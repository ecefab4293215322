"""A thing the passage only compares something to is not drawn: it stays out of the summary's
subjects, in both languages, while the things of the scene stay in."""

from __future__ import annotations

import pytest

from bookreader.nlp import extractor
from bookreader.nlp.features import tokenize
from bookreader.nlp.summary import build_summary, noun_phrases


def russian_subjects(text: str) -> list[str]:
    return build_summary(tokenize(text, 0, len(text), "ru"), "ru", None, text).subjects


def english_subjects(text: str) -> list[str]:
    pipeline = extractor.english_pipeline()
    if pipeline is None:
        pytest.skip("the English pipeline is not installed")
    return [phrase.said() for phrase in noun_phrases(pipeline(text))]


@pytest.mark.parametrize(
    ("text", "drawn", "compared"),
    [
        ("Она сидела на широком диване, как ребенок, поджав ноги.", "диван", "ребенок"),
        ("Его черные, как уголь, глаза блестели из-под шапки.", "глаза", "уголь"),
        ("Над полем поднялся дым, словно белое облако.", "дым", "облако"),
        ("Старик с седой гривой, напоминавшей льва, сидел в кресле.", "кресло", "лев"),
        ("На столе стояла шкатулка, похожая на маленький сундук.", "шкатулка", "сундук"),
    ],
)
def test_a_russian_comparison_names_nothing_to_draw(text: str, drawn: str, compared: str) -> None:
    subjects = " ".join(russian_subjects(text))
    assert drawn in subjects and compared not in subjects, subjects


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Он смотрел, как трава растет на лугу.", "трава"),  # a clause with its verb
        ("Так как шел дождь, кучер поднял верх коляски.", "дождь"),  # a conjunction
        ("Солдаты, как и всегда в этой роте, стояли у ворот.", "рота"),  # "as always"
        # the clause's verb comes later: not a minute passed before the prince came in
        ("Не прошло и минуты, как князь Василий, в кафтане, вошел в комнату.", "князь"),
    ],
)
def test_a_russian_clause_with_kak_is_not_a_comparison(text: str, kept: str) -> None:
    subjects = " ".join(russian_subjects(text))
    assert kept in subjects, subjects


def test_an_english_comparison_names_nothing_to_draw() -> None:
    said = english_subjects(
        "The old tower rose like a grey finger above the village, its roof white as snow, "
        "and the river below shone like the blade of a sword."
    )
    words = " ".join(said)
    assert "tower" in words and "village" in words and "river" in words, said
    assert not {"finger", "snow", "blade", "sword"} & set(words.split()), said
    # a role is not a likeness: "as" after a verb
    assert "guard" in " ".join(english_subjects("The old man served as a guard at the gate."))
