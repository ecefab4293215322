"""Language detection from script and stop words, per book and per chapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookreader.nlp.language import (
    book_language,
    chapter_languages,
    detect_language,
    is_supported,
    primary_subtag,
)

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"

RUSSIAN = (
    "Всё смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в их доме "
    "француженкою-гувернанткой, и объявила мужу, что не может жить с ним в одном доме."
)
ENGLISH = (
    "To Sherlock Holmes she is always the woman. I have seldom heard him mention her under any "
    "other name. In his eyes she eclipses and predominates the whole of her sex."
)
ARABIC = "حسنًا! إن أردنا أن نفهم الآن كيف يمكن للأغذية التي نتناولها أن ترفع أو تخفض احتمالات"


def test_russian_text_is_russian():
    assert detect_language(RUSSIAN) == "ru"


def test_english_text_is_english():
    assert detect_language(ENGLISH) == "en"


def test_arabic_text_is_arabic_and_unsupported():
    assert detect_language(ARABIC) == "ar"
    assert not is_supported(detect_language(ARABIC))


def test_ukrainian_is_told_from_russian():
    assert detect_language("Він пішов додому, і вона теж. Їхній дім є біля річки.") == "uk"


def test_french_is_told_from_english():
    assert detect_language("Le chat est dans la maison et il ne veut pas sortir.") == "fr"


def test_short_text_is_decided_by_script_only_when_it_can_be():
    assert detect_language("Привет") == "ru"
    assert detect_language("Hello") is None


@pytest.mark.parametrize("text", ["", "   ", "123 — 456 !!", "ab"])
def test_empty_or_letterless_text_is_unknown(text):
    assert detect_language(text) is None


def test_mixed_book_is_detected_per_chapter():
    chapters = [(0, RUSSIAN * 8), (1, ENGLISH * 8), (2, RUSSIAN * 12), (3, "Глава")]
    assert book_language(chapters) == "ru"
    assert chapter_languages(chapters) == {0: "ru", 1: "en", 2: "ru", 3: "ru"}


def test_declared_language_is_used_when_the_text_cannot_tell():
    assert book_language([(0, "12 34")], declared="en-US") == "en"
    assert primary_subtag("en-US") == "en"
    assert is_supported("en-gb") and is_supported("ru") and not is_supported(None)


def test_arabic_corpus_book_is_not_supported():
    path = CORPUS / "ar-idpf-regime-anticancer.epub3-rtl.epub"
    if not path.exists():
        pytest.skip("corpus absent")
    from bookreader.books import parse_book

    book = parse_book(path.read_bytes(), image_url=str)
    chapters = [(c.index, c.text) for c in book.chapters]
    language = book_language(chapters, declared=book.metadata.language)
    assert language == "ar"
    assert not is_supported(language)
