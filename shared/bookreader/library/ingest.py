"""Parse: an uploaded object → a parsed book in the library (or a failed one with a reason).

Triggered by the ObjectCreated event of `uploads/{user}/{book}/{file}`. Deterministic
failures (a bad file) end in state `failed` and are not retried; infrastructure failures raise
so the event is retried. The idempotency key is claimed in the same transaction that stores
the content, so a redelivered event never stores a second copy. Every state change is a
compare-and-set (`lifecycle.transition`): a duplicate delivery that read the book before the
first one finished can neither put a parsed book back into `parsing` nor fail it.
"""

from __future__ import annotations

import hashlib
import logging

from bookreader import jobs
from bookreader.books import parse_book
from bookreader.books.model import ParsedBook
from bookreader.config import get_settings
from bookreader.db import get_pool
from bookreader.errors import BookReaderError
from bookreader.events import ObjectCreated
from bookreader.kosync.document_id import partial_md5
from bookreader.library import books, keys, removal
from bookreader.library.lifecycle import BookState, move, parse_progress
from bookreader.library.records import BookRecord, StoredFile
from bookreader.library.thumbnails import cover_thumbnail
from bookreader.log import log_event
from bookreader.storage import get_store

logger = logging.getLogger("bookreader.ingest")


def ingest_upload(created: ObjectCreated) -> None:
    ids = keys.parse_upload_key(created.key)
    if ids is None:
        log_event(logger, "ignored object outside the upload layout", key=created.key)
        return
    user_id, book_id = ids
    book = books.get_book_by_id(book_id)
    if book is None or book.user_id != user_id or book.object_key != created.key:
        log_event(logger, "no book for this upload; ignored", logging.WARNING, key=created.key)
        return
    if book.state == BookState.PARSED:
        # Parsed, but the hand-off to extract may be what failed (the queue was down): a
        # redelivery hands it over again; extraction after parse runs only from `parsed`, once.
        _start_extraction(book_id)
        return
    startable = [BookState.UPLOADING, BookState.PARSING]
    if book.state == BookState.FAILED and book.error_code == "upload_expired":
        startable.append(BookState.FAILED)  # the file arrived after all
    if not move(book_id, BookState.PARSING, startable, progress=parse_progress(0.05)):
        log_event(logger, "book already past parsing; redelivery ignored", book_id=book_id)
        return
    file = None
    try:
        data = _read(created)
        file = stored_file(data)
        _ingest(book, created, data, file)
    except BookReaderError as error:
        if error.status >= 500:
            raise  # the store or the database: let the event be retried
        _fail(book_id, error, file)
    except MemoryError:
        too_large = BookReaderError("too_large", "The book is too large to process.", 422)
        _fail(book_id, too_large, file)


def _fail(book_id: str, error: BookReaderError, file: StoredFile | None) -> None:
    # Only from `parsing`: a duplicate delivery failing late never fails a book another
    # delivery has parsed meanwhile.
    if move(book_id, BookState.FAILED, [BookState.PARSING], error=error):
        log_event(logger, "book failed", logging.INFO, book_id=book_id, code=error.code)
        if file is not None:
            books.record_failed_file(book_id, file.sha256)


def _read(created: ObjectCreated) -> bytes:
    """The uploaded file's bytes, within the size limit."""
    limit = get_settings().max_upload_bytes
    too_large = BookReaderError("file_too_large", f"The file exceeds {limit} bytes.", 422)
    if created.size > limit:
        raise too_large
    data = get_store().get(created.bucket, created.key)
    if len(data) > limit:
        raise too_large
    return data


def _ingest(book: BookRecord, created: ObjectCreated, data: bytes, file: StoredFile) -> None:
    book_id, user_id = book.id, book.user_id
    replaced = removal.remove_failed_copies(user_id, file.sha256, keep=book_id)
    if replaced:
        log_event(logger, "failed uploads of this file replaced", book_id=book_id, books=replaced)
    duplicate = books.find_by_sha256(user_id, file.sha256, exclude=book_id)
    if duplicate is not None:
        raise BookReaderError(
            "duplicate", "You already have this book.", 409, {"book_id": duplicate.id}
        )
    parsed = parse_stored(data, book_id)
    move(book_id, BookState.PARSING, [BookState.PARSING], progress=parse_progress(0.6))

    stored_images, has_thumb = store_pictures(user_id, book_id, parsed)

    with get_pool().transaction() as conn:
        if not jobs.claim_once(conn, created.idempotency_key, "parse"):
            return
        stored = books.save_parsed(
            conn, book_id, parsed, file, images=stored_images, has_cover_thumb=has_thumb
        )
    if not stored:  # failed or re-driven meanwhile: what happened then stands
        log_event(logger, "book left parsing meanwhile; not stored", book_id=book_id)
        return
    log_event(logger, "book parsed", book_id=book_id, chapters=len(parsed.chapters))
    _start_extraction(book_id)


def stored_file(data: bytes) -> StoredFile:
    """What parse records of the file's bytes (size, SHA-256, KOReader's partial MD5)."""
    return StoredFile(
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), partial_md5=partial_md5(data)
    )


def parse_stored(data: bytes, book_id: str) -> ParsedBook:
    """The book model of a file's bytes; a parser bug is a `parse_error`, not a crash."""
    try:
        return parse_book(data, image_url=lambda image_id: f"/books/{book_id}/images/{image_id}")
    except BookReaderError:
        raise
    except Exception as error:  # a parser bug must not crash the worker or retry forever
        logger.exception("parser failed on book %s", book_id)
        raise BookReaderError("parse_error", "The book could not be read.", 422) from error


def store_pictures(
    user_id: str, book_id: str, parsed: ParsedBook
) -> tuple[list[tuple[str, str, int, str]], bool]:
    """Put the book's pictures (and its cover's thumbnail) in the store: (id, media type,
    size, key) of each, and whether there is a thumbnail."""
    settings = get_settings()
    store = get_store()
    stored_images = []
    for image in parsed.images:
        key = keys.image_key(user_id, book_id, image.id)
        store.put(settings.books_bucket, key, image.data, image.media_type)
        stored_images.append((image.id, image.media_type, len(image.data), key))
    has_thumb = False
    cover = next((image for image in parsed.images if image.id == parsed.cover_image_id), None)
    if cover is not None and (thumb := cover_thumbnail(cover.data)) is not None:
        store.put(
            settings.books_bucket, keys.cover_thumb_key(user_id, book_id), thumb, "image/webp"
        )
        has_thumb = True
    return stored_images, has_thumb


def _start_extraction(book_id: str) -> None:
    settings = get_settings()
    if settings.extract_function_name:
        jobs.invoke_async(settings.extract_function_name, {"book_id": book_id, "after_parse": True})
