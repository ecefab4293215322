"""How an image looks in the API: its state, its prompt, and short-lived URLs of the bytes."""

from __future__ import annotations

from typing import Any

from bookreader.api.schemas import (
    Illustration,
    IllustrationError,
    IllustrationPassage,
    RecentIllustration,
)
from bookreader.images.records import ImageRecord, PlacedImage
from bookreader.library.views import presigned


def image_view(record: ImageRecord) -> Illustration:
    return Illustration.model_validate(_fields(record))


def recent_view(record: PlacedImage) -> RecentIllustration:
    return RecentIllustration.model_validate(
        {**_fields(record), "book_title": record.book_title or ""}
    )


def _fields(record: ImageRecord) -> dict[str, Any]:
    ready = record.state == "ready" and record.object_key and record.thumbnail_key
    passage = (
        IllustrationPassage(
            chapter=record.chapter,
            start=record.start_offset,
            end=record.end_offset,
            text=record.passage,
        )
        if isinstance(record, PlacedImage)
        else None
    )
    return {
        "id": record.id,
        "book_id": record.book_id,
        "description_id": record.description_id,
        "state": record.state,
        "style": record.style,
        "provider": record.provider,
        "made_by": record.made_by,
        "generation": record.generation,
        "prompt": record.prompt.prompt if record.prompt else None,
        "negative_prompt": record.prompt.negative_prompt if record.prompt else None,
        "seed": record.seed,
        "width": record.width,
        "height": record.height,
        "bytes": record.bytes,
        "url": presigned(record.object_key) if ready and record.object_key else None,
        "thumbnail_url": presigned(record.thumbnail_key)
        if ready and record.thumbnail_key
        else None,
        "error": (
            IllustrationError(code=record.error_code, message=record.error_message)
            if record.state == "failed"
            else None
        ),
        "created_at": record.created_at,
        "passage": passage,
    }
