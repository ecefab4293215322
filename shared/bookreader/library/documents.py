"""The user's books as KOReader names them: by the partial MD5 of the original file (kept in
`books.partial_md5`, computed at parse time; books parsed before that get it the first time a
device asks) or by the MD5 of the file's name; and the chapters' layout that maps KOReader's
places to ours (`kosync.xpointer`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bookreader import db
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.kosync.document_id import partial_md5_of
from bookreader.kosync.xpointer import ChapterLayout
from bookreader.library.books import BOOK_COLUMNS
from bookreader.library.lifecycle import READABLE
from bookreader.library.records import BookRecord
from bookreader.log import log_event
from bookreader.storage import get_store

logger = logging.getLogger("bookreader.documents")


@dataclass(frozen=True)
class DocumentMatch:
    book: BookRecord
    same_file: bool  # named by the file's bytes: KOReader's places in it are places in ours


def book_for_document(user_id: str, document: str) -> DocumentMatch | None:
    """The user's readable book KOReader calls `document`, if any (the newest, if several)."""
    match = _find(user_id, document)
    if match is None and fill_partial_md5(user_id):
        match = _find(user_id, document)
    return match


def _find(user_id: str, document: str) -> DocumentMatch | None:
    readable = [str(state) for state in READABLE]
    with db.get_pool().connection() as conn:
        for same_file, condition in ((True, "partial_md5 = :d"), (False, "md5(filename) = :d")):
            rows = conn.run(
                f"SELECT {BOOK_COLUMNS} FROM books WHERE user_id = CAST(:u AS uuid)"
                f" AND {condition} AND state = ANY(CAST(:states AS text[]))"
                " ORDER BY created_at DESC LIMIT 1",
                u=user_id,
                d=document,
                states=readable,
            )
            found = db.rows_as(conn, rows, BookRecord)
            if found:
                return DocumentMatch(found[0], same_file)
    return None


def fill_partial_md5(user_id: str) -> int:
    """Compute the id of every readable book of the user that has none yet (parsed before ids
    were kept), reading only the sampled parts of each file; how many were filled."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id::text, object_key FROM books WHERE user_id = CAST(:u AS uuid)"
            " AND partial_md5 IS NULL AND state = ANY(CAST(:states AS text[]))",
            u=user_id,
            states=[str(state) for state in READABLE],
        )
    filled = 0
    bucket = get_settings().books_bucket
    for book_id, key in rows:
        try:
            stream, _ = get_store().open(bucket, key)
        except BookReaderError as error:
            if error.status >= 500:
                raise
            log_event(logger, "book file missing; no KOReader id", logging.WARNING, book_id=book_id)
            continue
        try:
            value = partial_md5_of(stream)
        finally:
            stream.close()
        with db.get_pool().transaction() as conn:
            conn.run(
                "UPDATE books SET partial_md5 = :m WHERE id = CAST(:b AS uuid)"
                " AND partial_md5 IS NULL",
                m=value,
                b=book_id,
            )
        filled += 1
    return filled


def chapter_layouts(book_id: str) -> list[ChapterLayout]:
    """Every chapter's length, paragraphs and their places in the original file, in order."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT index, length(text), linear, paragraphs, sources FROM chapters"
            " WHERE book_id = CAST(:b AS uuid) ORDER BY index",
            b=book_id,
        )
    return [
        ChapterLayout(
            index=index,
            length=length or 0,
            linear=linear,
            paragraphs=[(int(start), int(end)) for start, end in paragraphs or []],
            sources=[str(source) for source in sources or []],
        )
        for index, length, linear, paragraphs, sources in rows
    ]
