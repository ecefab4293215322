"""Where a book's objects live in the store. Uploads land under `uploads/` (which triggers
parse); everything parse derives lives under `books/`."""

from __future__ import annotations

import re
import unicodedata

UPLOADS_PREFIX = "uploads/"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def clean_filename(name: str) -> str:
    """The user's file name, kept readable (Cyrillic too) but safe as the last key segment."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:180] or "book"


def upload_key(user_id: str, book_id: str, filename: str) -> str:
    return f"{UPLOADS_PREFIX}{user_id}/{book_id}/{clean_filename(filename)}"


def parse_upload_key(key: str) -> tuple[str, str] | None:
    """(user_id, book_id) of an upload key, or None for keys we did not hand out."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] != UPLOADS_PREFIX.rstrip("/"):
        return None
    return parts[1], parts[2]


def book_prefix(user_id: str, book_id: str) -> str:
    return f"books/{user_id}/{book_id}/"


def image_key(user_id: str, book_id: str, image_id: str) -> str:
    return f"{book_prefix(user_id, book_id)}images/{image_id}"


def illustration_keys(user_id: str, book_id: str, image_id: str) -> tuple[str, str]:
    """The reader's own copy of a generated illustration: the picture and its thumbnail."""
    base = f"{book_prefix(user_id, book_id)}illustrations/{image_id}"
    return f"{base}.webp", f"{base}.thumb.webp"


def cover_thumb_key(user_id: str, book_id: str) -> str:
    return f"{book_prefix(user_id, book_id)}cover-thumb.webp"


# What a stored picture is served as, whatever type it was stored with (S3 keeps what the
# writer said; presigned GETs force this instead).
_MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


def served_media_type(key: str) -> tuple[str, str]:
    """(Content-Type, Content-Disposition) to serve the object under `key` with. An SVG is a
    document: as `attachment` it shows in `<img>` but never opens as a page on the store's
    origin; anything unknown is plain bytes."""
    extension = key[key.rfind(".") :].lower() if "." in key.rsplit("/", 1)[-1] else ""
    media_type = _MEDIA_TYPES.get(extension, "application/octet-stream")
    bitmap = media_type.startswith("image/") and extension != ".svg"
    return media_type, "inline" if bitmap else "attachment"
