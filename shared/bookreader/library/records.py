"""Typed rows of the library's tables, as the library's functions hand them out: a book, its
chapters and footnotes, and the descriptions extract found (the cast is nlp.model.CastMember,
stored as it is). Frozen: a row read is a snapshot, never edited in place."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from bookreader.library.lifecycle import BookState
from bookreader.nlp.model import DescriptionType, VisualSummary

Direction = Literal["ltr", "rtl"]


class StoredFile(BaseModel):
    """What is known of a book's original file once it is read: its size, SHA-256 (the
    duplicate check) and KOReader's partial MD5 (`kosync.document_id`)."""

    model_config = ConfigDict(frozen=True)

    size: int
    sha256: str
    partial_md5: str | None = None


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class BookRecord(Row):
    id: str
    user_id: str
    state: BookState
    progress: float
    error_code: str | None = None
    error_message: str | None = None
    error_details: dict[str, Any] | None = None
    filename: str
    object_key: str
    declared_size: int | None = None
    size: int | None = None
    sha256: str | None = None
    format: Literal["epub", "fb2"] | None = None
    title: str | None = None
    authors: list[str] = []
    language: str | None = None
    direction: Direction = "ltr"
    metadata: dict[str, Any] = {}  # a BookMetadata once parsed
    toc: list[dict[str, Any]] = []  # TocEntry items once parsed
    cover_image_id: str | None = None
    has_cover_thumb: bool = False
    chapter_count: int | None = None
    word_count: int | None = None
    reading_minutes: int | None = None
    created_at: datetime
    updated_at: datetime
    parsed_at: datetime | None = None
    detected_language: str | None = None
    chapters_extracted: int = 0
    # How far the owner has read, 0–1; only where the owner's reads ask for it.
    reading_progress: float | None = None


class ChapterEntry(Row):
    """A chapter as the contents list shows it."""

    index: int
    title: str
    level: int
    linear: bool
    direction: Direction = "ltr"
    word_count: int


class ChapterRecord(ChapterEntry):
    html: str
    text: str
    paragraphs: list[tuple[int, int]]  # (start, end) offsets into `text`


class FootnoteRecord(Row):
    id: str
    title: str
    html: str


class BookImageRecord(Row):
    """A picture inside the book (not an illustration)."""

    id: str
    media_type: str
    size: int
    object_key: str


class DescriptionRecord(Row):
    id: str
    chapter: int
    start_offset: int
    end_offset: int
    type: DescriptionType
    confidence: float
    priority: float
    text: str
    summary: VisualSummary | None = None
