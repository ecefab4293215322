"""FictionBook documents built in the tests, and the parsed model's invariants for FB2."""

from __future__ import annotations

import re

from bookreader.books import parse_book
from bookreader.books.limits import ParseLimits
from bookreader.books.model import ParsedBook, TocEntry
from bookreader.books.paragraph_text import paragraph_texts_in_html

FB2_NS = "http://www.gribuser.ru/xml/fictionbook/2.0"
XLINK_NS = "http://www.w3.org/1999/xlink"


def parse(data: bytes, limits: ParseLimits | None = None) -> ParsedBook:
    return parse_book(data, image_url=lambda i: f"/books/b/images/{i}", limits=limits)


def fb2(body: str, *, encoding: str = "utf-8", prefix: str = "l", extra: str = "") -> bytes:
    """A small FictionBook around `body` (the <body> elements), encoded as declared."""
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<FictionBook xmlns="{FB2_NS}" xmlns:{prefix}="{XLINK_NS}">'
        "<description><title-info><genre>prose</genre><author><first-name>Тест</first-name>"
        "<last-name>Тестов</last-name></author><book-title>Проба</book-title><lang>ru</lang>"
        f"</title-info></description>{body}{extra}</FictionBook>"
    )
    return xml.encode(encoding)


def assert_consistent(book: ParsedBook) -> None:
    """The model's conventions: offsets cut exactly the paragraphs the HTML marks with data-p."""
    for index, chapter in enumerate(book.chapters):
        assert chapter.index == index
        texts = [chapter.text[start:end] for start, end in chapter.paragraphs]
        assert "\n\n".join(texts) == chapter.text
        previous_end = -2
        for start, end in chapter.paragraphs:
            assert start == previous_end + 2 and end > start  # in order, no overlap, no gap
            previous_end = end
        if not chapter.html:
            assert not texts
            continue
        # each data-p element's DOM text is exactly its paragraph (the reader maps offsets)
        assert paragraph_texts_in_html(chapter.html) == list(enumerate(texts))
        assert "<script" not in chapter.html and "onerror" not in chapter.html
    note_ids = {note.id for note in book.footnotes}
    for note in book.footnotes:  # notes follow the same rule: paragraphs joined by a blank line
        shown = [text for _, text in paragraph_texts_in_html(note.html)]
        assert "\n\n".join(shown) == note.text
    for chapter in book.chapters:
        assert set(re.findall(r'data-note="([^"]+)"', chapter.html)) <= note_ids
        for target, offset in re.findall(r'href="#pos-(\d+)-(\d+)"', chapter.html):
            assert int(target) < len(book.chapters)
            assert int(offset) <= len(book.chapters[int(target)].text)
    for entry in _flatten(book.toc):
        assert 0 <= entry.chapter < len(book.chapters)
        assert entry.offset <= len(book.chapters[entry.chapter].text)


def _flatten(entries: list[TocEntry]) -> list[TocEntry]:
    return [e for entry in entries for e in (entry, *_flatten(entry.children))]


# --- the corpus ----------------------------------------------------------------------------
