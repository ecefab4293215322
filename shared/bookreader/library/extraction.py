"""Extract: a parsed book → descriptions per chapter and the book's cast.

Chapters are stored one by one, so the reader's first chapter has its descriptions within
seconds while the rest of the book is still being read. A rerun replaces what an earlier run
stored, chapter by chapter, so redelivery never duplicates anything; a description found again
at the same span keeps its id and the pictures readers made of it.

The library knows nothing of pictures: what follows an extraction (drawing the passages at a
reader's saved position) is the extract function's business.
"""

from __future__ import annotations

import logging

from bookreader.db.leases import session_lease
from bookreader.library import books, descriptions
from bookreader.library.lifecycle import READABLE, BookState
from bookreader.log import log_event
from bookreader.nlp.language import is_supported, languages, primary_subtag
from bookreader.nlp.model import Description
from bookreader.storage import delete_book_objects

logger = logging.getLogger("bookreader.extract")


def extract_book(book_id: str, after_parse: bool = False) -> BookState | None:
    """Extract the book's descriptions and cast; the state this run left the book in, None
    when it did not run to the end (the book is gone, not parsed, moved on meanwhile, or another
    live run has it).

    One run at a time per book, under a lease: a second delivery meeting a live run leaves the
    book to it (two runs would store its descriptions twice), while the retry of a run that died
    (its worker killed, the database restarted) takes the book over where it was left,
    `extracting`. `after_parse`: parse's hand-off, which may arrive twice (a redelivered parse
    hands over again): it starts from `parsed`, or from `extracting` (its own earlier attempt
    that died), never again once the book is done. An admin's re-run starts from any readable
    state."""
    with session_lease(f"extract:{book_id}") as leased:
        if not leased:
            log_event(logger, "another run is extracting the book; left to it", book_id=book_id)
            return None
        return _extract_leased(book_id, after_parse)


def _extract_leased(book_id: str, after_parse: bool) -> BookState | None:
    book = books.get_book_by_id(book_id)
    if book is None or book.state not in READABLE:
        log_event(logger, "nothing to extract", book_id=book_id, state=book and book.state)
        return None
    chapters = descriptions.chapter_texts(book_id)  # with the paragraphs of the story only
    texts = [(index, text) for index, text, _ in chapters]
    main, per_chapter = languages(texts, book.language)  # mixed books: chapters on their own
    language = primary_subtag(main)
    starts = [BookState.PARSED, BookState.EXTRACTING] if after_parse else READABLE
    if not descriptions.start_run(book_id, language, starts):
        log_event(logger, "book left the readable states; not extracted", book_id=book_id)
        return None
    if language is None or not is_supported(language):
        unsupported = BookState.EXTRACTION_UNSUPPORTED_LANGUAGE
        finished = descriptions.finish_run(book_id, unsupported)
        log_event(logger, "language not supported", book_id=book_id, language=language)
        return unsupported if finished else None

    from bookreader.nlp.cast import build_cast
    from bookreader.nlp.extractor import extract_chapter

    found: list[Description] = []
    for index, text, paragraphs in chapters:
        chapter_language = primary_subtag(per_chapter.get(index)) or language
        items = (
            extract_chapter(index, text, paragraphs, chapter_language)
            if is_supported(chapter_language) and paragraphs and text.strip()
            else []  # not the story (notes, contents, licence: `books.matter`) or no language
        )
        orphaned = descriptions.replace_chapter(book_id, index, text, items)
        delete_book_objects(orphaned)
        found.extend(items)
    # The cast is read from the story only: the part of each chapter before its notes.
    story = [
        (index, text[: paragraphs[-1][1]]) for index, text, paragraphs in chapters if paragraphs
    ]
    cast = build_cast(story, language, found)
    descriptions.replace_cast(book_id, cast)
    finished = descriptions.finish_run(book_id, BookState.READY)
    log_event(logger, "book extracted", book_id=book_id, descriptions=len(found), cast=len(cast))
    return BookState.READY if finished else None
