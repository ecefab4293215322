"""Starting an upload: validate it, create the book in state `uploading`, and either hand
out a presigned URL (the browser uploads straight to the store) or store a small file sent
to the API. Either way the object landing under `uploads/` starts parsing."""

from __future__ import annotations

import hashlib
import uuid
from email.parser import BytesParser
from email.policy import HTTP

from pydantic import BaseModel, Field

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.library import books, keys
from bookreader.library.records import BookRecord
from bookreader.storage import PresignedRequest, get_store

EXTENSIONS = (".fb2.zip", ".epub", ".fb2")
CONTENT_TYPES = {
    "application/epub+zip",
    "application/x-fictionbook+xml",
    "application/x-fictionbook",
    "application/xml",
    "text/xml",
    "application/zip",
    "application/x-zip-compressed",
    "application/octet-stream",
}
DIRECT_UPLOAD_MAX = 6 * 1024 * 1024  # what fits in one Lambda request


class UploadRequest(BaseModel):
    filename: str = Field(min_length=1, max_length=255)
    size: int = Field(gt=0)
    content_type: str = Field("application/octet-stream", max_length=100)
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")


def check_file(filename: str, size: int, content_type: str) -> None:
    if not filename.lower().endswith(EXTENSIONS):
        raise BookReaderError(
            "unsupported_extension",
            "Upload an .epub, .fb2 or .fb2.zip file.",
            422,
            {"filename": filename},
        )
    limit = get_settings().max_upload_bytes
    if size > limit:
        raise BookReaderError(
            "file_too_large", f"Books may be at most {limit // 2**20} MB.", 413, {"limit": limit}
        )
    if content_type.split(";")[0].strip().lower() not in CONTENT_TYPES:
        raise BookReaderError(
            "unsupported_media_type",
            f"{content_type} is not a book type.",
            415,
            {"content_type": content_type},
        )


def check_quota(user_id: str) -> None:
    limit = get_settings().max_books_per_user
    if books.count_books(user_id) >= limit:
        raise BookReaderError(
            "quota_exceeded", f"Your library is full ({limit} books).", 403, {"limit": limit}
        )


def request_upload(
    user_id: str, request: UploadRequest
) -> tuple[BookRecord, PresignedRequest | None]:
    """(book, presigned upload) — or (existing book, None) when the file is already there."""
    content_type = request.content_type.split(";")[0].strip().lower()
    check_file(request.filename, request.size, content_type)
    if request.sha256 and (existing := books.find_by_sha256(user_id, request.sha256.lower())):
        return existing, None
    check_quota(user_id)
    settings = get_settings()
    book_id = str(uuid.uuid4())
    key = keys.upload_key(user_id, book_id, request.filename)
    book = books.create_book(
        user_id, book_id, keys.clean_filename(request.filename), key, request.size, None
    )
    upload = get_store().presign_put(
        settings.books_bucket,
        key,
        content_type=content_type,
        max_bytes=min(request.size, settings.max_upload_bytes),
        expires_in=settings.presign_expiry_seconds,
    )
    return book, upload


def store_direct_upload(
    user_id: str, filename: str, data: bytes, content_type: str
) -> tuple[BookRecord, bool]:
    """(book, created?) for a file sent in the request itself."""
    check_file(filename, len(data), content_type)
    if not data:
        raise BookReaderError("empty_file", "The file is empty.", 422)
    sha256 = hashlib.sha256(data).hexdigest()
    if existing := books.find_by_sha256(user_id, sha256):
        return existing, False
    check_quota(user_id)
    book_id = str(uuid.uuid4())
    key = keys.upload_key(user_id, book_id, filename)
    book = books.create_book(user_id, book_id, keys.clean_filename(filename), key, len(data), None)
    get_store().put(get_settings().books_bucket, key, data, content_type)
    return book, True


def read_multipart_file(body: bytes, content_type: str) -> tuple[str, bytes, str]:
    """(filename, bytes, content type) of the `file` part of a multipart/form-data body."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise BookReaderError(
            "unsupported_media_type", "Send the book as multipart/form-data.", 415
        )
    if len(body) > DIRECT_UPLOAD_MAX:
        raise BookReaderError(
            "payload_too_large", "Direct uploads are limited to 6 MB; use POST /uploads.", 413
        )
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise BookReaderError("multipart_invalid", "The multipart body could not be read.", 400)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            filename = part.get_filename() or ""
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            return filename, data, part.get_content_type() or "application/octet-stream"
    raise BookReaderError("file_missing", "The form has no `file` field.", 400)
