"""Where a reader is in a book: the chapter and the character offset in its plain text."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from bookreader import db
from bookreader.errors import BookReaderError
from bookreader.library import books
from bookreader.validation import invalid_fields


class PositionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chapter: int = Field(ge=0, le=100_000)
    offset: int = Field(0, ge=0, le=100_000_000)


class ReadingPosition(BaseModel):
    book_id: str
    chapter: int
    offset: int
    updated_at: datetime


def get_position(user_id: str, book_id: str) -> ReadingPosition | None:
    """The reader's saved position in their book (404 for anyone else's book)."""
    books.get_book(user_id, book_id)
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT book_id::text, chapter, char_offset AS offset, updated_at"
            " FROM reading_positions WHERE user_id = CAST(:u AS uuid)"
            " AND book_id = CAST(:b AS uuid)",
            u=user_id,
            b=book_id,
        )
        found = db.rows_as_dicts(conn, rows)
    return ReadingPosition.model_validate(found[0]) if found else None


def save_position(user_id: str, book_id: str, update: PositionUpdate) -> ReadingPosition:
    """Remember where the reader is; the chapter must exist in the parsed book."""
    book = books.get_book(user_id, book_id)
    chapters = book.chapter_count or 0
    if chapters == 0:
        raise BookReaderError(
            "book_not_readable", f"The book is {book.state}; it has no chapters yet.", 409
        )
    if update.chapter >= chapters:
        raise invalid_fields(
            [("chapter", f"must be below {chapters}")],
            f"The book has chapters 0 to {chapters - 1}.",
        )
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "INSERT INTO reading_positions (user_id, book_id, chapter, char_offset)"
            " VALUES (CAST(:u AS uuid), CAST(:b AS uuid), :c, :o)"
            " ON CONFLICT (user_id, book_id) DO UPDATE SET chapter = EXCLUDED.chapter,"
            " char_offset = EXCLUDED.char_offset, updated_at = now()"
            " RETURNING book_id::text, chapter, char_offset AS offset, updated_at",
            u=user_id,
            b=book_id,
            c=update.chapter,
            o=update.offset,
        )
        return ReadingPosition.model_validate(db.rows_as_dicts(conn, rows)[0])
