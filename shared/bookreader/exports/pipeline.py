"""Ask for an export and build it: `request_export` finds or creates the export of exactly this
content (the book as parsed, the chosen pictures, the options) and hands it to the export
function; `build_export` is that function's work — the EPUB written to a temporary file, chunk
by chunk, streamed to the store, and the export marked ready (or failed with a reason).
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bookreader import jobs
from bookreader.config import get_settings
from bookreader.db.leases import session_lease
from bookreader.errors import BookReaderError
from bookreader.exports import records
from bookreader.exports.epub import write_epub
from bookreader.exports.records import ExportRecord
from bookreader.exports.source import chosen_pictures, library_source
from bookreader.images.styles import resolve_style
from bookreader.library import books, keys
from bookreader.library.lifecycle import READABLE
from bookreader.library.records import BookRecord
from bookreader.log import log_event
from bookreader.storage import get_store

log = logging.getLogger("bookreader.exports")

# Part of every content key: a change to how EPUBs are written makes earlier files stale.
WRITER_VERSION = 1
EPUB_MEDIA_TYPE = "application/epub+zip"
# A `running` export untouched this long lost its worker: asking again hands it over again.
STALE_RUNNING_S = 600
# Write the temporary file in memory up to this size, on disk beyond it.
SPOOL_BYTES = 8 * 1024 * 1024


class ExportRequest(BaseModel):
    """What to build: the format, whether the reader's ready illustrations go in, and (with
    them) which style's pictures."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["epub"] = Field(description="The file to build; `epub` (EPUB 3) for now")
    illustrations: Literal["ready", "none"] = Field(
        "ready", description="`ready`: every ready illustration after its passage; `none`: the text"
    )
    style: str | None = Field(
        None,
        max_length=40,
        description="Only pictures in this style (default: the newest picture of each passage)",
    )


def book_not_ready(book: BookRecord) -> BookReaderError:
    return BookReaderError(
        "book_not_ready",
        "The book is not ready to export yet: wait until it has been read in.",
        409,
        {"state": str(book.state)},
    )


def content_key(book: BookRecord, request: ExportRequest, picture_versions: list[str]) -> str:
    """The same book version, pictures and options → the same key (and the cached file)."""
    material = [
        WRITER_VERSION,
        book.id,
        book.sha256,
        book.parsed_at.isoformat() if book.parsed_at else None,
        request.model_dump(mode="json"),
        sorted(picture_versions),
    ]
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()


def request_export(user_id: str, book_id: str, request: ExportRequest) -> tuple[ExportRecord, bool]:
    """The export of this content, started when it is new or failed before: (record, True when
    it is built now)."""
    book = books.get_book(user_id, book_id)  # 404 for anyone else's
    if book.state not in READABLE:
        raise book_not_ready(book)
    if request.style is not None:
        request = request.model_copy(update={"style": resolve_style(request.style, []).name})
    pictures = chosen_pictures(user_id, book_id, request.illustrations, request.style)
    versions = [f"{picture.id}@{picture.updated_at.isoformat()}" for picture in pictures]
    record, created = records.insert_or_find(
        user_id=user_id,
        book_id=book_id,
        format=request.format,
        illustrations=request.illustrations,
        style=request.style,
        picture_ids=[picture.id for picture in pictures],
        content_key=content_key(book, request, versions),
    )
    if record.state == "failed":
        record, created = records.requeue(record.id), True
    stale = time.time() - record.updated_at.timestamp() > STALE_RUNNING_S
    # Still queued when asked again: the first hand-off may have been lost (the queue was
    # down), so hand it over again; the build runs once under its lease.
    if created or record.state == "queued" or (record.state == "running" and stale):
        jobs.invoke_async(get_settings().export_function_name, {"export_id": record.id})
    return record, created


def export_key(record: ExportRecord) -> str:
    return f"{keys.book_prefix(record.user_id, record.book_id)}exports/{record.id}.epub"


def build_export(export_id: str) -> ExportRecord:
    """Build the export; idempotent (a ready export returns as it is)."""
    current = records.get_export(export_id)
    if current.state == "ready":
        return current
    with session_lease(f"export:{export_id}") as leased:
        if not leased:  # another live worker is building it
            return records.get_export(export_id)
        record = records.claim_for_build(export_id)
        if record is None:  # ready meanwhile
            return records.get_export(export_id)
        try:
            return _build(record)
        except BookReaderError as error:
            if error.status >= 500:  # our own services away: the retry builds it
                records.mark_state(export_id, "queued", error.code, error.message)
                raise
            log.info("export %s failed: %s", export_id, error.code)
            return records.mark_state(export_id, "failed", error.code, error.message)
        except MemoryError:
            return records.mark_state(
                export_id, "failed", "export_too_large", "The book is too large to export."
            )
        except Exception:
            log.exception("export %s failed unexpectedly", export_id)
            return records.mark_state(
                export_id, "failed", "export_failed", "The EPUB could not be built; try again."
            )


def _build(record: ExportRecord) -> ExportRecord:
    started = time.perf_counter()
    book = books.get_book_by_id(record.book_id)
    if book is None or book.state not in READABLE:
        raise BookReaderError(
            "book_not_ready",
            "The book is no longer there to export.",
            409,
            {"book_id": record.book_id},
        )
    source = library_source(book, record.picture_ids)
    last_reported = 0.0

    def report(fraction: float) -> None:
        nonlocal last_reported
        if fraction - last_reported >= 0.05:  # a row update every 5 %, not every chapter
            last_reported = fraction
            records.set_progress(record.id, fraction)

    settings = get_settings()
    key = export_key(record)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as file:
        written = write_epub(source, file, language=book.detected_language, progress=report)
        size = file.tell()
        file.seek(0)
        get_store().put_stream(settings.books_bucket, key, file, EPUB_MEDIA_TYPE)  # type: ignore[arg-type]
    ready = records.mark_ready(record.id, key, size, written.illustrations)
    old = records.superseded(ready)
    store = get_store()
    for stale in old:
        if stale.object_key:
            store.delete(settings.books_bucket, stale.object_key)
    log_event(
        log,
        "export ready",
        export_id=record.id,
        book_id=record.book_id,
        bytes=size,
        chapters=written.chapters,
        pictures=written.pictures,
        illustrations=written.illustrations,
        build_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return ready
