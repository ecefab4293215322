"""A reader's bookmarks and highlights in their books: created against the chapter's plain
text (the quote is checked, the anchor is taken from the text), listed, changed, deleted.
Anyone else's book or annotation answers 404, as if it did not exist."""

from __future__ import annotations

from typing import Any

from bookreader import db
from bookreader.anchoring import point_quote, quote_at
from bookreader.annotations.model import (
    MAX_PER_BOOK,
    MAX_SPAN_CHARS,
    NOTE_MAX_BYTES,
    Anchor,
    Bookmark,
    BookmarkCreate,
    Highlight,
    HighlightCreate,
    HighlightUpdate,
)
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid
from bookreader.library import books
from bookreader.validation import invalid_fields

_HIGHLIGHT_COLUMNS = (
    "id::text, book_id::text, chapter, start_offset, end_offset, exact, prefix, suffix, color,"
    " note, detached, created_at, updated_at"
)
_BOOKMARK_COLUMNS = (
    "id::text, book_id::text, chapter, char_offset, label, exact, prefix, suffix, detached,"
    " created_at, updated_at"
)


def highlight_not_found() -> BookReaderError:
    return BookReaderError("highlight_not_found", "No such highlight in your library.", 404)


def bookmark_not_found() -> BookReaderError:
    return BookReaderError("bookmark_not_found", "No such bookmark in your library.", 404)


def _chapter_text(conn: db.Connection, book_id: str, index: int) -> str:
    text = books.chapter_text_for_share(conn, book_id, index)
    if text is None:
        raise invalid_fields([("chapter", "the book has no such chapter")])
    return text


def _check_note(note: str) -> None:
    if len(note.encode("utf-8")) > NOTE_MAX_BYTES:
        raise invalid_fields([("note", f"must be at most {NOTE_MAX_BYTES} bytes (UTF-8)")])


def _lock_book(conn: db.Connection, user_id: str, book_id: str) -> None:
    # The per-book limit is counted under this lock, so two requests cannot both be the last.
    conn.run("SELECT pg_advisory_xact_lock(hashtext(:key))", key=f"annotations:{user_id}:{book_id}")


def _check_room(conn: db.Connection, table: str, user_id: str, book_id: str, what: str) -> None:
    rows = conn.run(
        f"SELECT count(*) FROM {table} WHERE user_id = CAST(:u AS uuid)"
        " AND book_id = CAST(:b AS uuid)",
        u=user_id,
        b=book_id,
    )
    if rows[0][0] >= MAX_PER_BOOK:
        raise BookReaderError(
            f"too_many_{what}",
            f"A book can have at most {MAX_PER_BOOK} {what}; delete some first.",
            409,
            {"limit": MAX_PER_BOOK},
        )


# --- highlights ------------------------------------------------------------------------------


def _highlight(row: dict[str, Any]) -> Highlight:
    return Highlight(
        id=row["id"],
        book_id=row["book_id"],
        chapter=row["chapter"],
        start=row["start_offset"],
        end=row["end_offset"],
        quote=row["exact"],
        color=row["color"],
        note=row["note"],
        anchor=Anchor(exact=row["exact"], prefix=row["prefix"], suffix=row["suffix"]),
        detached=row["detached"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def create_highlight(user_id: str, book_id: str, body: HighlightCreate) -> Highlight:
    books.get_book(user_id, book_id)
    _check_note(body.note)
    with db.get_pool().transaction() as conn:
        text = _chapter_text(conn, book_id, body.chapter)
        if body.end <= body.start:
            raise invalid_fields([("end", "must be greater than start")])
        if body.end - body.start > MAX_SPAN_CHARS:
            raise invalid_fields([("end", f"a highlight is at most {MAX_SPAN_CHARS} characters")])
        if body.end > len(text):
            raise invalid_fields([("end", f"the chapter's text has {len(text)} characters")])
        if text[body.start : body.end] != body.quote:
            raise invalid_fields(
                [("quote", "is not the chapter's text from start to end")],
                "The quote does not match the book's text at these offsets.",
            )
        anchor = quote_at(text, body.start, body.end)
        _lock_book(conn, user_id, book_id)
        _check_room(conn, "highlights", user_id, book_id, "highlights")
        rows = conn.run(
            "INSERT INTO highlights (user_id, book_id, chapter, start_offset, end_offset, exact,"
            " prefix, suffix, color, note) VALUES (CAST(:u AS uuid), CAST(:b AS uuid), :c, :s,"
            f" :e, :exact, :prefix, :suffix, :color, :note) RETURNING {_HIGHLIGHT_COLUMNS}",
            u=user_id,
            b=book_id,
            c=body.chapter,
            s=body.start,
            e=body.end,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            color=body.color,
            note=body.note,
        )
        return _highlight(db.rows_as_dicts(conn, rows)[0])


def list_highlights(user_id: str, book_id: str | None = None) -> list[Highlight]:
    """The reader's highlights in one book (404 unless it is theirs) or in all their books,
    in reading order."""
    if book_id is not None:
        books.get_book(user_id, book_id)
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_HIGHLIGHT_COLUMNS} FROM highlights WHERE user_id = CAST(:u AS uuid)"
            " AND (CAST(:b AS text) IS NULL OR book_id = CAST(:b AS uuid))"
            " ORDER BY book_id, chapter, start_offset, created_at",
            u=user_id,
            b=book_id,
        )
        return [_highlight(row) for row in db.rows_as_dicts(conn, rows)]


def update_highlight(user_id: str, highlight_id: str, body: HighlightUpdate) -> Highlight:
    if not is_uuid(highlight_id):
        raise highlight_not_found()
    if body.note is not None:
        _check_note(body.note)
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE highlights SET color = COALESCE(CAST(:color AS text), color),"
            " note = COALESCE(CAST(:note AS text), note), updated_at = now()"
            " WHERE id = CAST(:h AS uuid) AND user_id = CAST(:u AS uuid)"
            f" RETURNING {_HIGHLIGHT_COLUMNS}",
            color=body.color,
            note=body.note,
            h=highlight_id,
            u=user_id,
        )
        found = db.rows_as_dicts(conn, rows)
    if not found:
        raise highlight_not_found()
    return _highlight(found[0])


def delete_highlight(user_id: str, highlight_id: str) -> None:
    if not is_uuid(highlight_id):
        raise highlight_not_found()
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "DELETE FROM highlights WHERE id = CAST(:h AS uuid) AND user_id = CAST(:u AS uuid)"
            " RETURNING id",
            h=highlight_id,
            u=user_id,
        )
    if not rows:
        raise highlight_not_found()


# --- bookmarks -------------------------------------------------------------------------------


def _bookmark(row: dict[str, Any]) -> Bookmark:
    return Bookmark(
        id=row["id"],
        book_id=row["book_id"],
        chapter=row["chapter"],
        offset=row["char_offset"],
        label=row["label"],
        anchor=Anchor(exact=row["exact"], prefix=row["prefix"], suffix=row["suffix"]),
        detached=row["detached"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def create_bookmark(user_id: str, book_id: str, body: BookmarkCreate) -> Bookmark:
    books.get_book(user_id, book_id)
    with db.get_pool().transaction() as conn:
        text = _chapter_text(conn, book_id, body.chapter)
        if body.offset > len(text):
            raise invalid_fields([("offset", f"the chapter's text has {len(text)} characters")])
        anchor = point_quote(text, body.offset)
        _lock_book(conn, user_id, book_id)
        _check_room(conn, "bookmarks", user_id, book_id, "bookmarks")
        rows = conn.run(
            "INSERT INTO bookmarks (user_id, book_id, chapter, char_offset, label, exact, prefix,"
            " suffix) VALUES (CAST(:u AS uuid), CAST(:b AS uuid), :c, :o, :label, :exact,"
            f" :prefix, :suffix) RETURNING {_BOOKMARK_COLUMNS}",
            u=user_id,
            b=book_id,
            c=body.chapter,
            o=body.offset,
            label=body.label,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
        )
        return _bookmark(db.rows_as_dicts(conn, rows)[0])


def list_bookmarks(user_id: str, book_id: str | None = None) -> list[Bookmark]:
    if book_id is not None:
        books.get_book(user_id, book_id)
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = CAST(:u AS uuid)"
            " AND (CAST(:b AS text) IS NULL OR book_id = CAST(:b AS uuid))"
            " ORDER BY book_id, chapter, char_offset, created_at",
            u=user_id,
            b=book_id,
        )
        return [_bookmark(row) for row in db.rows_as_dicts(conn, rows)]


def delete_bookmark(user_id: str, bookmark_id: str) -> None:
    if not is_uuid(bookmark_id):
        raise bookmark_not_found()
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "DELETE FROM bookmarks WHERE id = CAST(:m AS uuid) AND user_id = CAST(:u AS uuid)"
            " RETURNING id",
            m=bookmark_id,
            u=user_id,
        )
    if not rows:
        raise bookmark_not_found()
