"""Re-parse: read a readable book's stored file again (after a parser fix) and replace its
content, moving everything that points into its text with it.

The book stays readable throughout: the new chapters, and every description, highlight and
bookmark placed in them, are stored in one transaction, so a reader sees the old text with
the old offsets or the new text with the new ones, never a mix. Descriptions are re-anchored
here; other packages' anchors (highlights, bookmarks) through `reanchor` hooks the caller
passes, in the same transaction. Then extraction runs again over the new text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bookreader import db, jobs
from bookreader.config import get_settings
from bookreader.db.leases import session_lease
from bookreader.errors import BookReaderError
from bookreader.library import books, descriptions
from bookreader.library.ingest import parse_stored, store_pictures, stored_file
from bookreader.library.lifecycle import BookState
from bookreader.log import log_event
from bookreader.storage import delete_book_objects, get_store

logger = logging.getLogger("bookreader.reparse")

# Moves what another package anchors in the book's text: (transaction, book id, old text of
# each chapter by index, new text of each chapter by index).
Reanchor = Callable[[db.Connection, str, dict[int, str], list[str]], object]
# Extraction is over (or never ran): a re-parse may replace the text under it.
REPARSABLE = frozenset(
    {BookState.PARSED, BookState.READY, BookState.EXTRACTION_UNSUPPORTED_LANGUAGE}
)


def book_not_reparsable(state: BookState) -> BookReaderError:
    return BookReaderError(
        "book_not_reparsable", f"The book is {state}; it can be parsed again once it is done.", 409
    )


def reparse_book(book_id: str, reanchor: Sequence[Reanchor] = ()) -> bool:
    """Parse the book's file again and store the result; whether it did (not when the book is
    gone or busy, or another re-parse holds it). A file that no longer parses leaves the book
    as it was."""
    with session_lease(f"reparse:{book_id}") as leased:
        if not leased:
            log_event(logger, "another re-parse has the book; left to it", book_id=book_id)
            return False
        book = books.get_book_by_id(book_id)
        if book is None or book.state not in REPARSABLE:
            log_event(logger, "book not re-parsable", book_id=book_id, state=book and book.state)
            return False
        data = get_store().get(get_settings().books_bucket, book.object_key)
        try:
            parsed = parse_stored(data, book_id)
        except BookReaderError as error:
            if error.status >= 500:
                raise
            log_event(logger, "re-parse failed; book kept", book_id=book_id, code=error.code)
            return False
        pictures, has_thumb = store_pictures(book.user_id, book_id, parsed)
        texts = [chapter.text for chapter in sorted(parsed.chapters, key=lambda c: c.index)]
        with db.get_pool().transaction() as conn:
            before = books.chapter_texts_for_update(conn, book_id)
            books.replace_content(
                conn, book_id, parsed, stored_file(data), images=pictures, has_cover_thumb=has_thumb
            )
            lost = descriptions.reanchor_descriptions(conn, book_id, before, texts)
            for hook in reanchor:
                hook(conn, book_id, before, texts)
    delete_book_objects(lost)
    log_event(logger, "book re-parsed", book_id=book_id, chapters=len(texts), lost=len(lost))
    if name := get_settings().extract_function_name:
        jobs.invoke_async(name, {"book_id": book_id})
    return True
