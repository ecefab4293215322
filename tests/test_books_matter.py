"""Notes, comments, contents and licence pages stay readable but give no descriptions, while
the story's chapters keep theirs (real fixture books; the corpus check runs when it is there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookreader.books import parse_book
from bookreader.books.matter import is_non_story_title, story_paragraphs
from bookreader.books.model import Chapter, ParsedBook

BOOKS = Path(__file__).parent / "fixtures" / "books"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _parse(path: Path) -> ParsedBook:
    return parse_book(path.read_bytes(), image_url=lambda image_id: image_id)


def _kept(chapter: Chapter) -> list[tuple[int, int]]:
    return story_paragraphs(
        chapter.title,
        chapter.text,
        chapter.paragraphs,
        story=chapter.story,
        linear=chapter.linear,
    )


def _found(chapter: Chapter, paragraphs: list[tuple[int, int]]) -> list[str]:
    from bookreader.nlp.extractor import extract_chapter

    items = extract_chapter(chapter.index, chapter.text, paragraphs, "ru") if paragraphs else []
    return [chapter.text[item.start : item.end] for item in items]


def test_epub_endnotes_file_and_comments_chapter_give_no_descriptions() -> None:
    book = _parse(BOOKS / "epub" / "ru-gen-chekhov-kashtanka-notes.epub3-endnotes.epub")
    titles = [chapter.title for chapter in book.chapters]
    assert titles[2:] == ["Пояснения издателя", "Комментарии"]  # both still readable chapters
    story, endnotes, comments = book.chapters[:2], book.chapters[2], book.chapters[3]
    assert not endnotes.story  # epub:type="endnotes": its title alone would not tell
    assert comments.story and is_non_story_title(comments.title)
    for chapter in story:
        assert _kept(chapter) == chapter.paragraphs
        assert _found(chapter, _kept(chapter)), chapter.title
    for chapter in (endnotes, comments):
        assert _kept(chapter) == []
        # Their text is Chekhov's own prose: read as the story it would give descriptions.
        assert _found(chapter, chapter.paragraphs), chapter.title


def test_fb2_notes_after_the_end_and_the_notes_body_give_no_descriptions() -> None:
    book = _parse(BOOKS / "fb2" / "ru-gen-chekhov-kashtanka-notes.fb2")
    assert [note.id for note in book.footnotes] == ["n1"]  # the notes body: a popup note
    assert all(book.footnotes[0].text[:40] not in chapter.text for chapter in book.chapters)
    first, last = book.chapters
    assert _kept(first) == first.paragraphs and _found(first, first.paragraphs)
    kept = _kept(last)
    end = last.text.index("\n\nКонец\n\n")
    assert kept and kept[-1][1] <= end  # the story up to «Конец», not the afterword or notes
    found = _found(last, kept)
    assert found and all(last.text.index(passage) < end for passage in found)
    tail = [(start, stop) for start, stop in last.paragraphs if start > end]
    assert _found(last, tail)  # the afterword and notes would have given descriptions


@pytest.mark.parametrize(
    "title",
    [
        "Примечания",
        "КОММЕНТАРИИ",
        "Содержание",
        "Оглавление",
        "Notes",
        "Endnotes",
        "Glossary",
        "Table of Contents",
        "Index",
        "Copyright Page",
        "Original Transcriber’s Notes:",
        "EXTRACTS (Supplied by a Sub-Sub-Librarian).",
        "The Project Gutenberg License",
    ],
)
def test_back_matter_titles(title: str) -> None:
    assert is_non_story_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "Глава первая. Дурное поведение",
        "CHAPTER V. Advice from a Caterpillar",
        "Notes from Underground",
        "The Index Card",
        "Содержанка",
        "Epilogue",
        "ПРИЛОЖЕНИЕ. ПРОПУЩЕННАЯ ГЛАВА *",
    ],
)
def test_story_titles(title: str) -> None:
    assert not is_non_story_title(title)


def _paragraphs(*lines: str) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for line in lines:
        spans.append((len(text), len(text) + len(line)))
        text += line + "\n\n"
    return text, spans


STORY = (
    "Alice was beginning to get very tired of sitting by her sister on the bank, and of having"
    " nothing to do: once or twice she had peeped into the book her sister was reading."
)


def test_a_title_page_with_its_table_of_contents_is_not_the_story() -> None:
    # Project Gutenberg's first file: the cast had Alice "first appear" on the title page
    entries = ["CHAPTER I.", "Down the Rabbit-Hole", "CHAPTER II.", "The Pool of Tears"]
    text, spans = _paragraphs(
        "Alice’s Adventures in Wonderland", "by Lewis Carroll", "Contents", *entries
    )
    assert story_paragraphs("Alice’s Adventures in Wonderland", text, spans) == []
    # the story before a contents list is kept; "Contents" in the story, followed by it, too
    text, spans = _paragraphs(STORY, "Contents", *entries)
    assert story_paragraphs("Chapter 1", text, spans) == spans[:1]
    text, spans = _paragraphs("Contents", STORY, *entries)
    assert story_paragraphs("Chapter 1", text, spans) == spans


# What is not the story in each corpus book, looked through by hand: every other chapter (and
# every paragraph before these) is extracted.
SKIPPED = {
    "tolstoy-anna-karenina.fb2": ["XIX from «Конец»"],
    "tolstoy-voina-i-mir-1.epub": ["Часть третья. XIX from «Примечания»"],
    "en-gutenberg-alice-pg11.epub2.epub": [
        "Alice’s Adventures in Wonderland",  # the title page and its contents
        "CHAPTER XII. Alice’s Evidence from «*** END OF»",
    ],
    "en-gutenberg-sherlock-pg1661.epub2.epub": [
        "The Adventures of Sherlock Holmes",
        "The Project Gutenberg License",
    ],
    "en-idpf-moby-dick.epub3-nav-only.epub": [
        "Brief Contents",
        "Original Transcriber’s Notes:",
        "ETYMOLOGY.",
        "EXTRACTS (Supplied by a Sub-Sub-Librarian).",
        "Copyright Page",
    ],
    "en-w3c-spine-nonlinear.epub3.epub": ["Chapter 2"],
}
CORPUS_BOOKS = sorted(
    path.relative_to(CORPUS)
    for path in [*CORPUS.glob("*.epub"), *CORPUS.glob("*.fb2"), *CORPUS.glob("bench/*")]
    if CORPUS.is_dir()
)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_BOOKS, reason="the shared corpus is not beside the repository")
@pytest.mark.parametrize("name", CORPUS_BOOKS, ids=str)
def test_corpus_skips_only_what_is_not_the_story(name: Path) -> None:
    book = _parse(CORPUS / name)
    skipped = []
    for chapter in book.chapters:
        kept = _kept(chapter)
        if not kept and chapter.paragraphs:
            skipped.append(chapter.title)
        elif kept != chapter.paragraphs:
            start, end = chapter.paragraphs[len(kept)]
            skipped.append(f"{chapter.title} from «{chapter.text[start:end][:10]}»")
    assert skipped == SKIPPED.get(name.name, [])
