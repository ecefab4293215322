"""How an export looks in the API: its state, and a short-lived URL that downloads the file."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from bookreader.api.schemas import Export, ExportError
from bookreader.config import get_settings
from bookreader.exports.pipeline import EPUB_MEDIA_TYPE
from bookreader.exports.records import ExportRecord
from bookreader.storage import get_store

_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9 ._()-]+")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def export_filename(title: str) -> str:
    """A readable file name from the book's title (Cyrillic kept)."""
    name = _UNSAFE.sub(" ", unicodedata.normalize("NFC", title)).strip(" .")[:120].strip()
    return f"{name or 'book'}.epub"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII name for old clients and the UTF-8 one (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = _NOT_ASCII_NAME.sub("_", ascii_name).strip("_ ") or "book.epub"
    if not ascii_name.endswith(".epub"):
        ascii_name += ".epub"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def export_view(record: ExportRecord, title: str) -> Export:
    ready = record.state == "ready" and record.object_key is not None
    filename = export_filename(title) if ready else None
    url = None
    if ready and record.object_key and filename:
        settings = get_settings()
        url = get_store().presign_get(
            settings.books_bucket,
            record.object_key,
            expires_in=settings.presign_expiry_seconds,
            content_type=EPUB_MEDIA_TYPE,
            disposition=content_disposition(filename),
        )
    error = (
        ExportError(code=record.error_code or "export_failed", message=record.error_message or "")
        if record.state == "failed"
        else None
    )
    return Export(
        id=record.id,
        book_id=record.book_id,
        format=record.format,
        illustrations=record.illustrations,
        style=record.style,
        state=record.state,
        progress=round(float(record.progress), 3),
        pictures=record.pictures,
        bytes=record.bytes,
        url=url,
        filename=filename,
        error=error,
        created_at=record.created_at,
    )
