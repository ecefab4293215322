"""The books table and the parsed content tables: every read is scoped to its owner."""

from __future__ import annotations

import json
import re
from typing import Any

from bookreader import db
from bookreader.books.model import ParsedBook
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid
from bookreader.library.lifecycle import (
    READABLE,
    BookState,
    expire_uploads,
    parse_progress,
    transition,
)
from bookreader.library.records import (
    BookImageRecord,
    BookRecord,
    ChapterEntry,
    ChapterRecord,
    FootnoteRecord,
    StoredFile,
)
from bookreader.search.index import index_book

SORTS = {"created": "created_at", "title": "lower(title)", "author": "lower(authors->>0)"}

BOOK_COLUMNS = (
    "id::text, user_id::text, state, progress, error_code, error_message, error_details, filename,"
    " object_key, declared_size, size, sha256, format, title, authors, language, direction,"
    " metadata, toc,"
    " cover_image_id, has_cover_thumb, chapter_count, word_count, reading_minutes, created_at,"
    " updated_at, parsed_at, detected_language, chapters_extracted"
)


# How far the owner has read, 0–1: the words of the chapters before the saved position plus the
# read share of its chapter, over the book's words. NULL before the book was first opened.
_READING_PROGRESS = (
    "(SELECT LEAST(1.0, (COALESCE((SELECT sum(c.word_count) FROM chapters c"
    " WHERE c.book_id = books.id AND c.index < p.chapter), 0)"
    " + COALESCE((SELECT c.word_count"
    " * LEAST(1.0, p.char_offset::float8 / GREATEST(length(c.text), 1))"
    " FROM chapters c WHERE c.book_id = books.id AND c.index = p.chapter), 0))"
    " / GREATEST(books.word_count, 1))"
    " FROM reading_positions p WHERE p.book_id = books.id AND p.user_id = books.user_id)"
    " AS reading_progress"
)


def _like(text: str) -> str:
    """`text` as a literal part of an ILIKE pattern (ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# What the library's search box looks in, lower-cased, ё read as е.
_SEARCHED = (
    "translate(lower(COALESCE(title, '') || ' ' || authors::text || ' ' || filename), 'ё', 'е')"
)


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def book_not_found() -> BookReaderError:
    # The same answer whether the book is someone else's or does not exist.
    return BookReaderError("book_not_found", "No such book in your library.", 404)


def create_book(
    user_id: str,
    book_id: str,
    filename: str,
    object_key: str,
    declared_size: int,
    sha256: str | None,
) -> BookRecord:
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "INSERT INTO books (id, user_id, filename, object_key, declared_size, sha256)"
            " VALUES (CAST(:id AS uuid), CAST(:user AS uuid), :filename, :key, :size, :sha)"
            f" RETURNING {BOOK_COLUMNS}",
            id=book_id,
            user=user_id,
            filename=filename,
            key=object_key,
            size=declared_size,
            sha=sha256,
        )
        return db.rows_as(conn, rows, BookRecord)[0]


def count_books(user_id: str) -> int:
    with db.get_pool().connection() as conn:
        return conn.run("SELECT count(*) FROM books WHERE user_id = CAST(:u AS uuid)", u=user_id)[
            0
        ][0]


def find_by_sha256(user_id: str, sha256: str, exclude: str | None = None) -> BookRecord | None:
    """The user's live (not failed) book with this file content, if any."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {BOOK_COLUMNS} FROM books WHERE user_id = CAST(:u AS uuid) AND sha256 = :sha"
            " AND state <> :failed AND (CAST(:ex AS text) IS NULL OR id::text <> :ex)"
            " ORDER BY created_at LIMIT 1",
            u=user_id,
            sha=sha256,
            ex=exclude,
            failed=str(BookState.FAILED),
        )
        return db.first_as(conn, rows, BookRecord)


def expire_abandoned_uploads(conn: db.Connection, user_id: str, book_id: str | None = None) -> None:
    """Fail the user's uploads (or this one) that never arrived: still `uploading` after the
    presigned URL expired plus a grace period. Done lazily when books are read, and only from
    `uploading` (compare-and-set), so an upload that has just landed is never touched."""
    settings = get_settings()
    abandoned_after = settings.presign_expiry_seconds + settings.upload_grace_seconds
    expire_uploads(conn, abandoned_after, user_id=user_id, book_id=book_id)


def get_book(user_id: str, book_id: str) -> BookRecord:
    """The user's book; 404 `book_not_found` for anyone else's."""
    if not is_uuid(book_id):
        raise book_not_found()
    with db.get_pool().connection() as conn:
        expire_abandoned_uploads(conn, user_id, book_id)
        rows = conn.run(
            f"SELECT {BOOK_COLUMNS}, {_READING_PROGRESS} FROM books"
            " WHERE id = CAST(:b AS uuid) AND user_id = CAST(:u AS uuid)",
            b=book_id,
            u=user_id,
        )
        found = db.rows_as(conn, rows, BookRecord)
    if not found:
        raise book_not_found()
    return found[0]


def get_book_by_id(book_id: str) -> BookRecord | None:
    """For the pipeline only (no owner check): the book an object event refers to."""
    if not is_uuid(book_id):
        return None
    with db.get_pool().connection() as conn:
        rows = conn.run(f"SELECT {BOOK_COLUMNS} FROM books WHERE id = CAST(:b AS uuid)", b=book_id)
        return db.first_as(conn, rows, BookRecord)


def save_parsed(
    conn: db.Connection,
    book_id: str,
    parsed: ParsedBook,
    file: StoredFile,
    *,
    images: list[tuple[str, str, int, str]],  # (id, media type, size, object key)
    has_cover_thumb: bool,
) -> bool:
    """Store the parsed content and mark the book parsed, inside the caller's transaction;
    False (nothing stored) when the book is no longer `parsing`.

    Existing rows are replaced, so a redelivered event can never leave two copies.
    """
    if not transition(conn, book_id, BookState.PARSED, progress=parse_progress(1.0)):
        return False
    replace_content(conn, book_id, parsed, file, images=images, has_cover_thumb=has_cover_thumb)
    return True


def chapter_text_for_share(conn: db.Connection, book_id: str, index: int) -> str | None:
    """The chapter's plain text, its row locked against a re-parse until the caller's
    transaction ends (so what is anchored in it now is re-anchored by that re-parse); None
    when the book has no such chapter."""
    for _ in range(2):  # a re-parse replaced the row while we waited: the next read sees it
        rows = conn.run(
            "SELECT text FROM chapters WHERE book_id = CAST(:b AS uuid) AND index = :i FOR SHARE",
            b=book_id,
            i=index,
        )
        if rows:
            return str(rows[0][0])
    return None


def chapter_texts_for_update(conn: db.Connection, book_id: str) -> dict[int, str]:
    """Each chapter's plain text by index, rows locked in the caller's transaction."""
    rows = conn.run(
        "SELECT index, text FROM chapters WHERE book_id = CAST(:b AS uuid) FOR UPDATE",
        b=book_id,
    )
    return {index: text for index, text in rows}


def replace_content(
    conn: db.Connection,
    book_id: str,
    parsed: ParsedBook,
    file: StoredFile,
    *,
    images: list[tuple[str, str, int, str]],  # (id, media type, size, object key)
    has_cover_thumb: bool,
) -> None:
    """Replace the book's chapters, notes, pictures and metadata with `parsed`, inside the
    caller's transaction (the state is the caller's business)."""
    for table in ("chapters", "footnotes", "book_images"):
        conn.run(f"DELETE FROM {table} WHERE book_id = CAST(:b AS uuid)", b=book_id)
    for chapter in parsed.chapters:
        conn.run(
            "INSERT INTO chapters (book_id, index, title, level, linear, story, direction, html,"
            " text, paragraphs, word_count, sources) VALUES (CAST(:b AS uuid), :i, :title,"
            " :level, :linear, :story, :direction, :html, :text, CAST(:paragraphs AS jsonb),"
            " :words, CAST(:sources AS jsonb))",
            b=book_id,
            i=chapter.index,
            title=chapter.title,
            level=chapter.level,
            linear=chapter.linear,
            story=chapter.story,
            direction=chapter.direction,
            html=chapter.html,
            text=chapter.text,
            paragraphs=json.dumps(chapter.paragraphs),
            words=chapter.word_count,
            sources=json.dumps(chapter.sources, ensure_ascii=False) if chapter.sources else None,
        )
    index_book(conn, book_id, parsed.chapters, parsed.metadata.language)
    for note in parsed.footnotes:
        conn.run(
            "INSERT INTO footnotes (book_id, id, title, html, text)"
            " VALUES (CAST(:b AS uuid), :id, :title, :html, :text) ON CONFLICT DO NOTHING",
            b=book_id,
            id=note.id,
            title=note.title,
            html=note.html,
            text=note.text,
        )
    for image_id, media_type, image_size, key in images:
        conn.run(
            "INSERT INTO book_images (book_id, id, media_type, size, object_key)"
            " VALUES (CAST(:b AS uuid), :id, :type, :size, :key) ON CONFLICT DO NOTHING",
            b=book_id,
            id=image_id,
            type=media_type,
            size=image_size,
            key=key,
        )
    meta = parsed.metadata
    conn.run(
        "UPDATE books SET format = :format, title = :title,"
        " authors = CAST(:authors AS jsonb),"
        " language = :language, direction = :direction, metadata = CAST(:metadata AS jsonb),"
        " toc = CAST(:toc AS jsonb),"
        " cover_image_id = :cover, has_cover_thumb = :thumb, chapter_count = :chapters,"
        " word_count = :words, reading_minutes = :minutes, size = :size, sha256 = :sha,"
        " partial_md5 = COALESCE(:partial_md5, partial_md5),"
        " parsed_at = now(), updated_at = now() WHERE id = CAST(:b AS uuid)",
        format=parsed.format,
        title=meta.title,
        authors=json.dumps(meta.authors, ensure_ascii=False),
        language=meta.language,
        direction=parsed.direction,
        metadata=meta.model_dump_json(),
        toc=json.dumps([entry.model_dump() for entry in parsed.toc], ensure_ascii=False),
        cover=parsed.cover_image_id,
        thumb=has_cover_thumb,
        chapters=len(parsed.chapters),
        words=parsed.word_count,
        minutes=parsed.reading_minutes,
        size=file.size,
        sha=file.sha256,
        partial_md5=file.partial_md5,
        b=book_id,
    )


def list_books(
    user_id: str,
    *,
    state: str | None = None,
    language: str | None = None,
    author: str | None = None,
    text: str | None = None,
    sort: str = "created",
    descending: bool = True,
    page: int = 1,
    page_size: int = 20,
    readable_only: bool = False,
    exact_author: str | None = None,
    book_ids: list[str] | None = None,
) -> tuple[list[BookRecord], int]:
    """One page of the user's books and the total matching the filters (`readable_only`: the
    books a reader can open; `exact_author`: one of the book's authors is exactly this;
    `book_ids`: only among these)."""
    where = ["user_id = CAST(:u AS uuid)"]
    params: dict[str, Any] = {"u": user_id}
    if book_ids is not None:
        where.append("id::text = ANY(CAST(:ids AS text[]))")
        params["ids"] = book_ids
    if state:
        where.append("state = :state")
        params["state"] = str(state)
    if readable_only:
        where.append("state = ANY(CAST(:readable AS text[]))")
        params["readable"] = sorted(str(item) for item in READABLE)
    if exact_author is not None:
        where.append("authors @> jsonb_build_array(CAST(:exact_author AS text))")
        params["exact_author"] = exact_author
    if language:
        where.append("(language = :lang OR language LIKE :lang_prefix)")
        params.update(lang=language.lower(), lang_prefix=f"{language.lower()}-%")
    if author:
        where.append("authors::text ILIKE :author ESCAPE '\\'")
        params["author"] = _like(author)
    # Every word must appear in the title, an author or the file name, literally or in another
    # form of the word (Russian and English stemming: «дочку» finds «Дочка»); ё and е match.
    for number, word in enumerate(_fold(text or "").split()[:8]):
        where.append(
            f"({_SEARCHED} LIKE :word{number} ESCAPE '\\'"
            f" OR to_tsvector('russian', {_SEARCHED}) @@ plainto_tsquery('russian', :stem{number})"
            f" OR to_tsvector('english', {_SEARCHED}) @@ plainto_tsquery('english', :stem{number}))"
        )
        params[f"word{number}"] = _like(word)
        params[f"stem{number}"] = word
    order = f"{SORTS[sort]} {'DESC' if descending else 'ASC'} NULLS LAST, created_at DESC"
    clause = " AND ".join(where)
    with db.get_pool().connection() as conn:
        expire_abandoned_uploads(conn, user_id)
        total = conn.run(f"SELECT count(*) FROM books WHERE {clause}", **params)[0][0]
        rows = conn.run(
            f"SELECT {BOOK_COLUMNS}, {_READING_PROGRESS} FROM books WHERE {clause} ORDER BY {order}"
            " LIMIT :limit OFFSET :offset",
            limit=page_size,
            offset=(page - 1) * page_size,
            **params,
        )
        return db.rows_as(conn, rows, BookRecord), total


def chapter_list(book_id: str) -> list[ChapterEntry]:
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT index, title, level, linear, direction, word_count FROM chapters"
            " WHERE book_id = CAST(:b AS uuid) ORDER BY index",
            b=book_id,
        )
        return db.rows_as(conn, rows, ChapterEntry)


def chapter_lengths(book_id: str) -> dict[int, int]:
    """Each chapter's plain-text length in characters, by index."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT index, char_length(text) FROM chapters WHERE book_id = CAST(:b AS uuid)",
            b=book_id,
        )
    return {index: length for index, length in rows}


def get_chapter(book_id: str, index: int) -> ChapterRecord:
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT index, title, level, linear, direction, html, text, paragraphs, word_count"
            " FROM chapters"
            " WHERE book_id = CAST(:b AS uuid) AND index = :i",
            b=book_id,
            i=index,
        )
        found = db.rows_as_dicts(conn, rows)
    if not found:
        raise BookReaderError("chapter_not_found", f"The book has no chapter {index}.", 404)
    return ChapterRecord.model_validate(found[0])


def footnotes(book_id: str) -> list[FootnoteRecord]:
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id, title, html FROM footnotes WHERE book_id = CAST(:b AS uuid) ORDER BY id",
            b=book_id,
        )
        return db.rows_as(conn, rows, FootnoteRecord)


# A book image's id as parsing names it (`<digest>.<extension>`); anything else is not found
# before PostgreSQL sees it (a NUL would fail there with 22021).
_IMAGE_ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def get_image(book_id: str, image_id: str) -> BookImageRecord:
    if not _IMAGE_ID.fullmatch(image_id):
        raise BookReaderError("image_not_found", "The book has no such image.", 404)
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id, media_type, size, object_key FROM book_images"
            " WHERE book_id = CAST(:b AS uuid) AND id = :i",
            b=book_id,
            i=image_id,
        )
        found = db.rows_as_dicts(conn, rows)
    if not found:
        raise BookReaderError("image_not_found", "The book has no such image.", 404)
    return BookImageRecord.model_validate(found[0])


def cover_images(book_ids: list[str]) -> dict[str, BookImageRecord]:
    """The cover picture of each of these books that has one, by book id."""
    if not book_ids:
        return {}
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT b.id::text AS book_id, i.id, i.media_type, i.size, i.object_key"
            " FROM books b JOIN book_images i ON i.book_id = b.id AND i.id = b.cover_image_id"
            " WHERE b.id = ANY(CAST(:ids AS uuid[]))",
            ids=book_ids,
        )
        found = db.rows_as_dicts(conn, rows)
    return {row.pop("book_id"): BookImageRecord.model_validate(row) for row in found}


def author_counts(
    user_id: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[tuple[str, int]], int]:
    """One page of the authors of the user's readable books, A–Z, with how many books each
    has; and how many authors there are."""
    with db.get_pool().connection() as conn:
        readable = sorted(str(item) for item in READABLE)
        source = (
            "FROM books, jsonb_array_elements_text(books.authors) AS author"
            " WHERE user_id = CAST(:u AS uuid) AND state = ANY(CAST(:readable AS text[]))"
        )
        total = conn.run(f"SELECT count(DISTINCT author) {source}", u=user_id, readable=readable)[
            0
        ][0]
        rows = conn.run(
            f"SELECT author, count(*) {source} GROUP BY author ORDER BY lower(author), author"
            " LIMIT :limit OFFSET :offset",
            u=user_id,
            readable=readable,
            limit=limit,
            offset=offset,
        )
    return [(str(name), int(count)) for name, count in rows], int(total)


def language_counts(user_id: str) -> list[tuple[str, int]]:
    """The languages of the user's readable books (as declared), with how many books each."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT language, count(*) FROM books WHERE user_id = CAST(:u AS uuid)"
            " AND state = ANY(CAST(:readable AS text[])) AND language IS NOT NULL"
            " GROUP BY language ORDER BY count(*) DESC, language",
            u=user_id,
            readable=sorted(str(item) for item in READABLE),
        )
    return [(str(language), int(count)) for language, count in rows]


def display_titles(user_id: str, book_ids: list[str]) -> dict[str, str]:
    """The user's books among these, by id: their title, or the file name before parsing."""
    if not book_ids:
        return {}
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id::text, COALESCE(title, filename) FROM books"
            " WHERE user_id = CAST(:u AS uuid) AND id = ANY(CAST(:ids AS uuid[]))",
            u=user_id,
            ids=book_ids,
        )
    return {book_id: title for book_id, title in rows}


def failed_with_sha256(user_id: str, sha256: str, *, exclude: str) -> list[str]:
    """The ids of the user's failed books of this file content, other than `exclude`."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id::text FROM books WHERE user_id = CAST(:u AS uuid) AND sha256 = :sha"
            " AND state = :failed AND id <> CAST(:ex AS uuid)",
            u=user_id,
            sha=sha256,
            ex=exclude,
            failed=str(BookState.FAILED),
        )
    return [book_id for (book_id,) in rows]


def record_failed_file(book_id: str, sha256: str) -> None:
    """A failed book keeps its file's hash, so that uploading the file again replaces it (a
    failed book is outside the one-book-per-file index: no conflict with a live copy)."""
    with db.get_pool().transaction() as conn:
        conn.run(
            "UPDATE books SET sha256 = :sha WHERE id = CAST(:b AS uuid) AND state = :failed",
            sha=sha256,
            b=book_id,
            failed=str(BookState.FAILED),
        )


def delete_book(user_id: str, book_id: str) -> BookRecord:
    """Delete the user's book and its rows; returns the deleted book (for its objects)."""
    book = get_book(user_id, book_id)
    with db.get_pool().transaction() as conn:
        conn.run("DELETE FROM books WHERE id = CAST(:b AS uuid)", b=book_id)
    return book
