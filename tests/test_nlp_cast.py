"""The cast: names found, inflected forms and aliases merged, false positives filtered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookreader.nlp.cast import build_cast
from bookreader.nlp.model import CastMember, Description, VisualSummary

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"

RUSSIAN = [
    (
        0,
        "Иван Петрович вошёл в комнату. Все ждали Ивана Петровича с утра. "
        "Хозяйка подала Ивану Петровичу чай, и Петрович улыбнулся. "
        "Вечером Марья Ивановна приехала из Москвы. Марью Ивановну встретил Иван Петрович.",
    ),
    (
        1,
        "— Отведи лошадь, — сказал Иван Петрович. Столяр стоял у ворот. "
        "Старый столяр курил трубку, а Марья Ивановна смотрела на него. "
        "Потом Петровича позвали в Москву, и Иван Петрович уехал в Москву.",
    ),
]

ENGLISH = [
    (
        0,
        "Mr. Sherlock Holmes was seated at breakfast. I looked at Holmes and waited. "
        "Holmes's pipe lay on the table, and Mr. Holmes smiled. We went to London by train, "
        "and in London we met Mrs. Hudson, who said Holmes was late.",
    ),
    (
        1,
        "When we came back to London the rain had stopped. Mrs. Hudson was waiting, "
        "and Dr. Watson, as Holmes called me, went to Baker Street with Holmes. "
        "Baker Street was empty, said Watson. "
        "Yes, the day was grey. Sherlock Holmes laughed.",
    ),
]


def _by_name(cast: list[CastMember]) -> dict[str, CastMember]:
    return {member.name: member for member in cast}


def test_inflected_russian_names_with_patronymics_are_one_character():
    cast = _by_name(build_cast(RUSSIAN, "ru"))
    ivan = cast["Иван Петрович"]
    assert ivan.kind == "character"
    assert {"Ивана Петровича", "Ивану Петровичу", "Иван Петрович"} <= set(ivan.aliases)
    assert ivan.first_chapter == 0 and ivan.first_offset == 0
    assert "Марья Ивановна" in cast
    assert {"Марью Ивановну"} <= set(cast["Марья Ивановна"].aliases)


def test_patronymic_alone_maps_to_the_only_full_name():
    ivan = _by_name(build_cast(RUSSIAN, "ru"))["Иван Петрович"]
    assert {"Петрович", "Петровича"} <= set(ivan.aliases)
    assert ivan.mentions == 8
    assert "Петрович" not in _by_name(build_cast(RUSSIAN, "ru"))


def test_russian_places_are_normalised_to_the_nominative():
    moscow = _by_name(build_cast(RUSSIAN, "ru"))["Москва"]
    assert moscow.kind == "place"
    assert moscow.mentions == 3
    assert set(moscow.aliases) == {"Москвы", "Москву"}


def test_sentence_initial_common_words_are_not_names():
    names = {member.name for member in build_cast(RUSSIAN, "ru")}
    assert not names & {"Отведи", "Столяр", "Старый", "Хозяйка", "Вечером", "Потом", "Все"}


def test_english_aliases_titles_and_possessives_are_one_character():
    cast = _by_name(build_cast(ENGLISH, "en"))
    holmes = cast["Sherlock Holmes"]
    assert holmes.kind == "character"
    assert {"Holmes", "Mr. Holmes", "Mr. Sherlock Holmes", "Sherlock Holmes"} <= set(holmes.aliases)
    assert holmes.mentions == 8
    assert (holmes.first_chapter, holmes.first_offset) == (0, 0)
    assert cast["Mrs. Hudson"].mentions == 2
    assert "Dr. Watson" in cast


def test_english_places_and_no_sentence_initial_words():
    cast = _by_name(build_cast(ENGLISH, "en"))
    assert cast["London"].kind == "place"
    assert cast["London"].mentions == 3
    assert cast["Baker Street"].kind == "place"
    assert not {"Yes", "When", "We", "I"} & set(cast)


def test_cast_is_ranked_by_mentions():
    cast = build_cast(ENGLISH, "en")
    assert [m.mentions for m in cast] == sorted((m.mentions for m in cast), reverse=True)
    assert cast[0].name == "Sherlock Holmes"


def test_english_falls_back_to_heuristics_without_the_model():
    cast = _by_name(build_cast(ENGLISH, "en", ner_words=0))
    assert {"Holmes", "Mr. Holmes"} <= set(cast["Sherlock Holmes"].aliases)
    assert cast["London"].kind == "place"


def test_appearance_is_gathered_from_character_descriptions():
    text = RUSSIAN[0][1]
    start = text.index("Вечером")
    description = Description(
        chapter=0,
        start=start,
        end=text.index(".", start) + 1,
        type="character",
        confidence=0.9,
        priority=0.7,
        summary=VisualSummary(
            subjects=["марья ивановна"],
            attributes={"clothing": ["серый шаль"], "colour": ["серый"]},
        ),
    )
    other = description.model_copy(update={"type": "location"})
    cast = _by_name(build_cast(RUSSIAN, "ru", [description, other]))
    assert cast["Марья Ивановна"].appearance == {"clothing": ["серый шаль"], "colour": ["серый"]}
    assert cast["Иван Петрович"].appearance == {}


def test_unsupported_language_has_no_cast():
    assert build_cast([(0, "حسنًا! إن أردنا أن نفهم الآن")], "ar") == []


@pytest.mark.slow
def test_corpus_russian_novel_cast():
    path = CORPUS / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
    if not path.exists():
        pytest.skip("corpus absent")
    from bookreader.books import parse_book

    book = parse_book(path.read_bytes(), image_url=str)
    chapters = [(c.index, c.text) for c in book.chapters]
    cast = build_cast(chapters, "ru")
    names = {member.name for member in cast[:15]}
    assert "Пугачев" in names
    assert all(chapters[m.first_chapter][1][m.first_offset :][:1].isupper() for m in cast)


def test_a_common_noun_used_as_a_name_is_one_character_in_every_case():
    chapters = [
        (
            0,
            "Собака побежала к дому, где жила Тетка. Потом она долго смотрела на Тетку и ждала."
            " Вечером собака принесла Тетке свою кость. Утром все увидели, как Тетка вышла во двор."
            " Соседи говорили о Тетке с уважением.",
        )
    ]
    names = [member.name for member in build_cast(chapters, "ru")]
    aunts = [name for name in names if name.startswith("Тетк")]
    assert aunts == ["Тетка"], names
