"""How books and chapters look in the API. Stored images are served through short-lived
presigned URLs, so `<img>` tags work without sending the access token."""

from __future__ import annotations

import re
from typing import Any

from bookreader.api.schemas import (
    BookDetail,
    BookSummary,
    ChapterSummary,
    ChapterView,
    DescriptionView,
    ErrorDetail,
    ExtractionProgress,
    FootnoteView,
)
from bookreader.config import get_settings
from bookreader.library import keys
from bookreader.library.lifecycle import BookState
from bookreader.library.records import (
    BookRecord,
    ChapterEntry,
    ChapterRecord,
    DescriptionRecord,
    FootnoteRecord,
)
from bookreader.storage import get_store

_IMAGE_SRC = re.compile(r'src="/books/([0-9a-f-]{36})/images/([A-Za-z0-9_.-]+)"')
_NOTE_REF = re.compile(r'data-note="([^"]+)"')


def presigned(key: str) -> str:
    settings = get_settings()
    content_type, disposition = keys.served_media_type(key)
    return get_store().presign_get(
        settings.books_bucket,
        key,
        expires_in=settings.presign_expiry_seconds,
        content_type=content_type,
        disposition=disposition,
    )


def book_summary(book: BookRecord) -> BookSummary:
    return BookSummary(**_summary_fields(book))


def _fraction(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def _summary_fields(book: BookRecord) -> dict[str, Any]:
    error = None
    if book.state == BookState.FAILED:
        error = ErrorDetail(
            code=book.error_code or "failed",
            message=book.error_message or "",
            details=book.error_details or {},
        )
    thumb = presigned(keys.cover_thumb_key(book.user_id, book.id)) if book.has_cover_thumb else None
    return {
        "id": book.id,
        "title": book.title or book.filename,
        "authors": book.authors,
        "language": book.language,
        "format": book.format,
        "state": book.state,
        "progress": round(float(book.progress), 3),
        "error": error,
        "cover_thumbnail_url": thumb,
        "word_count": book.word_count,
        "reading_minutes": book.reading_minutes,
        "reading_progress": _fraction(book.reading_progress),
        "created_at": book.created_at,
    }


def book_detail(book: BookRecord, chapters: list[ChapterEntry]) -> BookDetail:
    metadata = book.metadata or None
    return BookDetail(
        **_summary_fields(book),
        filename=book.filename,
        size=book.size or book.declared_size,
        direction=book.direction,
        metadata=metadata,
        toc=book.toc or [],
        chapter_count=book.chapter_count,
        chapters=[ChapterSummary(**chapter.model_dump()) for chapter in chapters],
        has_cover=book.cover_image_id is not None,
        extraction=ExtractionProgress(
            language=book.detected_language,
            chapters_done=book.chapters_extracted or 0,
            chapters_total=book.chapter_count,
        ),
        parsed_at=book.parsed_at,
    )


def chapter_view(
    book: BookRecord, chapter: ChapterRecord, notes: list[FootnoteRecord]
) -> ChapterView:
    user_id = book.user_id

    def image_url(match: re.Match[str]) -> str:
        return f'src="{presigned(keys.image_key(user_id, match[1], match[2]))}"'

    html = _IMAGE_SRC.sub(image_url, chapter.html)
    referenced = set(_NOTE_REF.findall(html))
    return ChapterView(
        book_id=book.id,
        index=chapter.index,
        title=chapter.title,
        level=chapter.level,
        linear=chapter.linear,
        direction=chapter.direction,
        word_count=chapter.word_count,
        html=html,
        text=chapter.text,
        paragraphs=chapter.paragraphs,
        footnotes=[FootnoteView(**note.model_dump()) for note in notes if note.id in referenced],
        previous=chapter.index - 1 if chapter.index > 0 else None,
        next=chapter.index + 1 if chapter.index + 1 < (book.chapter_count or 0) else None,
    )


def description_view(item: DescriptionRecord) -> DescriptionView:
    return DescriptionView(
        id=item.id,
        chapter=item.chapter,
        start=item.start_offset,
        end=item.end_offset,
        type=item.type,
        confidence=round(float(item.confidence), 3),
        priority=round(float(item.priority), 3),
        text=item.text,
        summary=item.summary,
    )
