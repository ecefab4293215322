"""Request and generate illustrations: idempotent records, quotas, a shared cache, storage.

`request_image` creates (or finds) the record and counts the quota; `generate_image` is the
asynchronous work: prompt → cache or provider → WebP + thumbnail in the object store → ready.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from bookreader import db, jobs
from bookreader.config import Settings, get_settings
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid
from bookreader.images import quota, records
from bookreader.images.assist import AssistOutcome, AssistRequest, assist_config, assist_prompt
from bookreader.images.concurrency import limited
from bookreader.images.encode import MEDIA_TYPE, encode_webp
from bookreader.images.model import BookContext, ImagePrompt
from bookreader.images.preferences import load_preferences
from bookreader.images.prompts import build_prompt
from bookreader.images.providers.base import ImageProvider
from bookreader.images.records import CachedImage, ImageRecord
from bookreader.images.styles import resolve_style
from bookreader.library import books, descriptions
from bookreader.library.keys import illustration_keys
from bookreader.log import log_event
from bookreader.nlp.model import Description, VisualSummary
from bookreader.storage import delete_book_objects, get_store, put_patiently

log = logging.getLogger(__name__)


def description_not_found() -> BookReaderError:
    # The same answer whether the description is someone else's or does not exist.
    return BookReaderError("description_not_found", "No such description in your library.", 404)


def request_image(
    user_id: str,
    description_id: str,
    style: str | None = None,
    *,
    regenerate_of: str | None = None,
    provider: str | None = None,
) -> tuple[ImageRecord, bool]:
    """The image for (description, style, provider): (record, True) when this call created it.

    Concurrent duplicates get the same record and count against the quota once. With
    `regenerate_of` (an image of the same description) a new generation is created.
    """
    if not is_uuid(description_id) or not is_uuid(user_id):
        raise description_not_found()
    counted = False
    try:
        with db.get_pool().transaction() as conn:
            book = descriptions.owners_book(conn, user_id, description_id)
            if book is None:
                raise description_not_found()
            book_id, metadata = book.id, book.metadata
            generation = 0
            if regenerate_of is not None:
                original = records.get_image(regenerate_of, user_id)  # 404 unless theirs
                if original.description_id != description_id:
                    raise records.image_not_found()
                style = original.style if style is None else style
                provider = provider or original.provider
            if style is None:  # the reader's default style, else the genre's
                style = load_preferences(conn, user_id).style
            style_name = resolve_style(style, _genres(metadata)).name
            provider_name = provider or get_settings().image_providers[0]
            if regenerate_of is not None:
                generation = (
                    records.latest_generation(conn, description_id, style_name, provider_name) + 1
                )
            record = records.insert_image(
                conn,
                user_id=user_id,
                book_id=book_id,
                description_id=description_id,
                style=style_name,
                provider=provider_name,
                generation=generation,
            )
            if record is not None:
                quota.count_new_image(conn, user_id)  # 429 rolls the insert back
                counted = True
                return record, True
            # Someone inserted it first (and committed): this statement sees their row.
            existing = records.find_image(
                conn, description_id, style_name, provider_name, generation
            )
            if existing is None:  # only when the winner rolled back in between: a lost race
                raise BookReaderError(
                    "image_conflict", "The image is being created; try again.", 409
                )
            return existing, False
    except BookReaderError:
        raise
    except Exception:
        if counted:  # counted, but the insert never committed
            quota.refund(user_id)
        raise


def start_generation(record: ImageRecord) -> None:
    """Hand a newly created record to the generate function (asynchronously)."""
    jobs.invoke_async(get_settings().generate_function_name, {"image_id": record.id})


def delete_image(user_id: str, image_id: str) -> None:
    """Delete the reader's image and their own copy of the picture; cache objects stay for
    the reader's other copies (or, with a shared cache, other readers) until the sweeper finds
    nothing refers to them."""
    delete_book_objects(image_keys(records.delete_image(image_id, user_id)))


def generate_image(
    image_id: str, provider_chain: ImageProvider, *, settings: Settings | None = None
) -> ImageRecord:
    """Draw, store and record the image; idempotent (a ready image returns as it is).

    A provider failure leaves the image `failed` with the error's code and message. A busy
    provider (no slot within the wait) puts it back to `queued` and raises 503
    `provider_busy`, so the caller's retry runs it again.
    """
    settings = settings or get_settings()
    current = records.get_image(image_id)
    if current.state == "ready":
        return current
    with records.generation_lease(image_id) as leased:
        if not leased:  # another live worker is drawing it
            return records.get_image(image_id)
        # Holding the lease, a `running` row is a dead worker's: take it over at once.
        record = records.claim_for_generation(image_id, stale_after_s=0)
        if record is None:  # ready meanwhile
            return records.get_image(image_id)
        return _generate_claimed(image_id, record, provider_chain, settings)


def _generate_claimed(
    image_id: str, record: ImageRecord, provider_chain: ImageProvider, settings: Settings
) -> ImageRecord:
    try:
        return _generate(record, provider_chain, settings)
    except BookReaderError as error:
        if _is_busy(error):
            records.mark_state(image_id, "queued", error.code, error.message)
            raise
        log.info("image %s failed: %s", image_id, error.code)
        return records.mark_state(image_id, "failed", error.code, error.message)
    except Exception:
        log.exception("image %s failed unexpectedly", image_id)
        records.mark_state(
            image_id, "failed", "generation_failed", "The image could not be generated."
        )
        raise


def cache_key(
    book_sha256: str, prompt: ImagePrompt, style: str, provider: str, owner: str | None = None
) -> str:
    """Same book content, final prompt, style, provider and seed → the same picture; for one
    `owner` only unless the cache is shared (owner None)."""
    # The prompt's source is a note on the record: the same words are the same picture.
    parts = [
        book_sha256,
        prompt.model_dump(mode="json", exclude={"source"}),
        style,
        provider,
        prompt.seed,
    ]
    material = json.dumps(parts + ([owner] if owner else []), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def image_keys(record: ImageRecord) -> tuple[str, str]:
    return illustration_keys(record.user_id, record.book_id, record.id)


def cache_keys(key: str) -> tuple[str, str]:
    base = f"image-cache/{key[:2]}/{key}"
    return f"{base}.webp", f"{base}.thumb.webp"


def _generate(
    record: ImageRecord, provider_chain: ImageProvider, settings: Settings
) -> ImageRecord:
    started = time.perf_counter()
    outcome, book_sha256 = _prompt_for(record, settings)
    prompt = outcome.prompt
    owner = None if settings.image_cache_shared else record.user_id
    key = cache_key(book_sha256, prompt, record.style, record.provider, owner)
    records.set_prompt(record.id, prompt, key)
    if not outcome.pictureable and _queued_automatically(record):
        return _skip_unpictureable(record)
    cached = records.cached_image(key) if book_sha256 else None
    if cached is not None:
        return records.mark_ready(record.id, cached)

    asked = time.perf_counter()
    deadline = time.monotonic() + settings.image_deadline_seconds
    image = limited(provider_chain, settings, holder=record.id).generate(prompt, deadline=deadline)
    drawn = time.perf_counter()
    encoded = encode_webp(image.data, picture=image.picture)
    encoded_at = time.perf_counter()
    object_key, thumbnail_key = image_keys(record)
    stored = CachedImage(
        cache_key=key,
        object_key=object_key,
        thumbnail_key=thumbnail_key,
        width=encoded.width,
        height=encoded.height,
        bytes=encoded.byte_size,
        made_by=image.provider,
    )
    shared: CachedImage | None = None
    # Shared copies only of what the asked provider drew: a fallback's picture is not its.
    if book_sha256 and image.provider == record.provider:
        shared_key, shared_thumb = cache_keys(key)
        shared = stored.model_copy(update={"object_key": shared_key, "thumbnail_key": shared_thumb})
    store, bucket = get_store(), get_settings().books_bucket
    for copy in (stored, shared):
        if copy is not None:
            put_patiently(store, bucket, copy.object_key, encoded.webp, MEDIA_TYPE)
            put_patiently(store, bucket, copy.thumbnail_key, encoded.thumbnail, MEDIA_TYPE)
    if shared is not None:
        records.remember_cached(shared)
    ready = records.mark_ready(record.id, stored)
    # Where an image's time goes, for operators and the generate benchmark.
    log_event(
        log,
        "image ready",
        image_id=record.id,
        provider=image.provider,
        prepare_ms=round((asked - started) * 1000, 1),
        provider_ms=round((drawn - asked) * 1000, 1),
        encode_ms=round((encoded_at - drawn) * 1000, 1),
        store_ms=round((time.perf_counter() - encoded_at) * 1000, 1),
    )
    return ready


def _prompt_for(record: ImageRecord, settings: Settings) -> tuple[AssistOutcome, str]:
    """The final prompt for the record's description (the assist's when it is on and answers,
    else the offline one), and the book file's sha256."""
    found = descriptions.get_description(record.description_id)
    stored = books.get_book_by_id(record.book_id)
    if found is None or stored is None:
        raise description_not_found()
    cast, _ = descriptions.list_cast(record.book_id)
    description = Description(
        chapter=found.chapter,
        start=found.start_offset,
        end=found.end_offset,
        type=found.type,
        confidence=found.confidence,
        priority=found.priority,
        summary=found.summary or VisualSummary(),
    )
    metadata = stored.metadata
    language = (stored.detected_language or stored.language or "").split("-")[0].lower()
    book = BookContext(
        title=stored.title or "",
        authors=list(stored.authors),
        year=_year(metadata),
        genres=_genres(metadata),
        language=language,
        sha256=stored.sha256 or "",
    )
    prompt = build_prompt(
        description, found.text, language=language, cast=cast, book=book, style=record.style
    )
    request = AssistRequest.build(
        found.text, language=language, kind=found.type, style=prompt.style, cast=cast, book=book
    )
    config = assist_config(settings)
    return assist_prompt(prompt, request, user_id=record.user_id, config=config), book.sha256


def _queued_automatically(record: ImageRecord) -> bool:
    return record.generation == 0 and records.queued_automatically(
        record.user_id, record.description_id
    )


def _skip_unpictureable(record: ImageRecord) -> ImageRecord:
    """Automatic mode does not spend the reader's quota on what cannot be drawn; a reader who
    asks (regenerate, or any new request) gets it drawn anyway."""
    quota.refund(record.user_id)
    log_event(log, "image skipped", image_id=record.id, reason="not_pictureable")
    return records.mark_state(
        record.id,
        "failed",
        "not_pictureable",
        "Automatic illustration skipped this passage: it does not describe something to draw."
        " Regenerate to have it drawn anyway.",
    )


def _genres(metadata: Any) -> list[str]:
    metadata = metadata or {}
    values = [*(metadata.get("subjects") or []), *(metadata.get("genres") or [])]
    return [str(value) for value in values if value]


def _year(metadata: dict[str, Any]) -> int | None:
    value = metadata.get("year")
    return value if isinstance(value, int) else None


# Our own services briefly away: the picture is not at fault, so it waits for the retry.
_TRANSIENT_CODES = (
    "provider_busy",
    "store_write_failed",
    "database_unavailable",
    "queue_unavailable",
)


def _is_busy(error: BookReaderError) -> bool:
    if error.code in _TRANSIENT_CODES:
        return True
    failures = error.details.get("failures") or [] if error.code == "providers_failed" else []
    return bool(failures) and all(f.get("code") == "provider_busy" for f in failures)
