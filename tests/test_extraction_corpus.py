"""Every book of the shared corpus gets descriptions (or the unsupported-language state)
without errors, and every offset slices its chapter's text exactly, inside one paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookreader.books import parse_book
from bookreader.nlp.language import book_language, is_supported, primary_subtag

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BOOKS = (
    sorted(path for path in CORPUS.glob("*") if path.name.endswith((".epub", ".fb2", ".fb2.zip")))
    if CORPUS.is_dir()
    else []
)

pytestmark = [
    pytest.mark.skipif(not BOOKS, reason="the shared corpus is not beside the repository"),
    pytest.mark.slow,
]


@pytest.mark.parametrize("path", BOOKS, ids=lambda path: path.name)
def test_corpus_book_is_extracted_with_exact_offsets(path: Path) -> None:
    from bookreader.nlp.extractor import extract_chapter

    book = parse_book(path.read_bytes(), image_url=lambda image_id: f"/books/b/images/{image_id}")
    chapters = [(chapter.index, chapter.text, chapter.paragraphs) for chapter in book.chapters]
    language = primary_subtag(book_language([c[:2] for c in chapters], book.metadata.language))
    if path.name.startswith("ar-"):
        assert not is_supported(language)
        return
    assert language == path.name[:2]
    found = 0
    for index, text, paragraphs in chapters:
        for item in extract_chapter(index, text, paragraphs, language):
            assert item.chapter == index
            passage = text[item.start : item.end]
            assert passage and passage == passage.strip(), (path.name, index, item)
            assert any(start <= item.start and item.end <= end for start, end in paragraphs)
            assert 0 <= item.confidence <= 1 and 0 <= item.priority <= 1
            found += 1
    if book.word_count > 5000:  # a real book, not a one-page conformance test
        assert found >= 5, f"{path.name}: only {found} descriptions in {book.word_count} words"
