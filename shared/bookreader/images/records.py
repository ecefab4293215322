"""The images, image_cache and image_quotas tables: every user-facing read is owner-scoped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from bookreader import db
from bookreader.db.leases import session_lease
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid
from bookreader.images.model import ImagePrompt
from bookreader.library import books, descriptions

ImageState = Literal["queued", "running", "ready", "failed"]

_COLUMNS = (
    "id::text, user_id::text, book_id::text, description_id::text, style, provider, state,"
    " error_code, error_message, prompt, seed, width, height, bytes, object_key, thumbnail_key,"
    " made_by, cache_key, generation, created_at, updated_at"
)


class ImageRecord(BaseModel):
    id: str
    user_id: str
    book_id: str
    description_id: str
    style: str
    provider: str
    state: ImageState
    error_code: str | None = None
    error_message: str | None = None
    prompt: ImagePrompt | None = None
    seed: int | None = None
    width: int | None = None
    height: int | None = None
    bytes: int | None = None
    object_key: str | None = None
    thumbnail_key: str | None = None
    made_by: str | None = None
    cache_key: str | None = None
    generation: int = 0
    created_at: datetime
    updated_at: datetime


class CachedImage(BaseModel):
    cache_key: str
    object_key: str
    thumbnail_key: str
    width: int
    height: int
    bytes: int
    made_by: str


def image_not_found() -> BookReaderError:
    # The same answer whether the image is someone else's or does not exist.
    return BookReaderError("image_not_found", "No such image in your library.", 404)


def insert_image(
    conn: db.Connection,
    *,
    user_id: str,
    book_id: str,
    description_id: str,
    style: str,
    provider: str,
    generation: int,
) -> ImageRecord | None:
    """The new row, or None when (description, style, provider, generation) already exists."""
    rows = conn.run(
        "INSERT INTO images (user_id, book_id, description_id, style, provider, generation)"
        " VALUES (CAST(:u AS uuid), CAST(:b AS uuid), CAST(:d AS uuid), :s, :p, :g)"
        f" ON CONFLICT ON CONSTRAINT images_one_per_generation DO NOTHING RETURNING {_COLUMNS}",
        u=user_id,
        b=book_id,
        d=description_id,
        s=style,
        p=provider,
        g=generation,
    )
    return db.first_as(conn, rows, ImageRecord)


def find_image(
    conn: db.Connection, description_id: str, style: str, provider: str, generation: int
) -> ImageRecord | None:
    rows = conn.run(
        f"SELECT {_COLUMNS} FROM images WHERE description_id = CAST(:d AS uuid)"
        " AND style = :s AND provider = :p AND generation = :g",
        d=description_id,
        s=style,
        p=provider,
        g=generation,
    )
    return db.first_as(conn, rows, ImageRecord)


def latest_generation(conn: db.Connection, description_id: str, style: str, provider: str) -> int:
    rows = conn.run(
        "SELECT COALESCE(MAX(generation), -1) FROM images WHERE description_id = CAST(:d AS uuid)"
        " AND style = :s AND provider = :p",
        d=description_id,
        s=style,
        p=provider,
    )
    return int(rows[0][0])


def get_image(image_id: str, user_id: str | None = None) -> ImageRecord:
    """The image; with `user_id`, only when it is theirs (404 `image_not_found` otherwise)."""
    if not is_uuid(image_id):
        raise image_not_found()
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_COLUMNS} FROM images WHERE id = CAST(:i AS uuid)"
            " AND (CAST(:u AS text) IS NULL OR user_id::text = :u)",
            i=image_id,
            u=user_id,
        )
        found = db.first_as(conn, rows, ImageRecord)
    if found is None:
        raise image_not_found()
    return found


def queued_automatically(user_id: str, description_id: str) -> bool:
    """Whether automatic illustration took this description up for the user (auto_illustrated)."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT 1 FROM auto_illustrated WHERE user_id = CAST(:u AS uuid)"
            " AND description_id = CAST(:d AS uuid)",
            u=user_id,
            d=description_id,
        )
    return bool(rows)


@contextmanager
def generation_lease(image_id: str) -> Iterator[bool]:
    """Whether this worker may draw the image, held while it does. A worker that dies loses the
    lease with its connection, so a retry takes the image over at once instead of waiting for
    its `running` row to go stale."""
    with session_lease(f"generate:{image_id}") as held:
        yield held


def claim_for_generation(image_id: str, stale_after_s: float) -> ImageRecord | None:
    """Mark the image running when no one else is on it; None when it is ready or taken.

    A `running` row older than `stale_after_s` is a crashed worker's and may be taken over.
    """
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE images SET state = 'running', error_code = NULL, error_message = NULL,"
            " updated_at = now() WHERE id = CAST(:i AS uuid) AND (state IN ('queued', 'failed')"
            " OR (state = 'running' AND updated_at < now() - make_interval(secs => :stale)))"
            f" RETURNING {_COLUMNS}",
            i=image_id,
            stale=stale_after_s,
        )
        return db.first_as(conn, rows, ImageRecord)


def set_prompt(image_id: str, prompt: ImagePrompt, cache_key: str) -> None:
    with db.get_pool().transaction() as conn:
        conn.run(
            "UPDATE images SET prompt = CAST(:p AS jsonb), seed = :seed, cache_key = :k,"
            " updated_at = now() WHERE id = CAST(:i AS uuid)",
            i=image_id,
            p=prompt.model_dump_json(),
            seed=prompt.seed,
            k=cache_key,
        )


def mark_ready(image_id: str, stored: CachedImage) -> ImageRecord:
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE images SET state = 'ready', error_code = NULL, error_message = NULL,"
            " width = :w, height = :h, bytes = :n, object_key = :o, thumbnail_key = :t,"
            f" made_by = :m, updated_at = now() WHERE id = CAST(:i AS uuid) RETURNING {_COLUMNS}",
            i=image_id,
            w=stored.width,
            h=stored.height,
            n=stored.bytes,
            o=stored.object_key,
            t=stored.thumbnail_key,
            m=stored.made_by,
        )
        return db.rows_as(conn, rows, ImageRecord)[0]


def mark_state(
    image_id: str, state: ImageState, code: str | None = None, message: str | None = None
) -> ImageRecord:
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE images SET state = :s, error_code = :c, error_message = :m,"
            f" updated_at = now() WHERE id = CAST(:i AS uuid) RETURNING {_COLUMNS}",
            i=image_id,
            s=state,
            c=code,
            m=message,
        )
        return db.rows_as(conn, rows, ImageRecord)[0]


def cached_image(cache_key: str) -> CachedImage | None:
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT cache_key, object_key, thumbnail_key, width, height, bytes, made_by"
            " FROM image_cache WHERE cache_key = :k",
            k=cache_key,
        )
        found = db.rows_as_dicts(conn, rows)
    return CachedImage.model_validate(found[0]) if found else None


def remember_cached(entry: CachedImage) -> None:
    """Record shared objects; the first writer of a key wins (both wrote identical content)."""
    with db.get_pool().transaction() as conn:
        conn.run(
            "INSERT INTO image_cache (cache_key, object_key, thumbnail_key, width, height, bytes,"
            " made_by) VALUES (:k, :o, :t, :w, :h, :n, :m) ON CONFLICT (cache_key) DO NOTHING",
            k=entry.cache_key,
            o=entry.object_key,
            t=entry.thumbnail_key,
            w=entry.width,
            h=entry.height,
            n=entry.bytes,
            m=entry.made_by,
        )


def quota_override(conn: db.Connection, user_id: str) -> int | None:
    rows = conn.run(
        "SELECT daily_limit FROM image_quotas WHERE user_id = CAST(:u AS uuid)", u=user_id
    )
    return int(rows[0][0]) if rows else None


def set_quota_override(user_id: str, daily_limit: int | None) -> None:
    """An admin's per-user daily limit; None removes the override (back to the default)."""
    with db.get_pool().transaction() as conn:
        if daily_limit is None:
            conn.run("DELETE FROM image_quotas WHERE user_id = CAST(:u AS uuid)", u=user_id)
            return
        conn.run(
            "INSERT INTO image_quotas (user_id, daily_limit) VALUES (CAST(:u AS uuid), :l)"
            " ON CONFLICT (user_id) DO UPDATE SET daily_limit = EXCLUDED.daily_limit,"
            " updated_at = now()",
            u=user_id,
            l=daily_limit,
        )


class PlacedImage(ImageRecord):
    """An image with where its passage is, for lists that link into the reader."""

    chapter: int
    start_offset: int
    end_offset: int
    passage: str
    book_title: str | None = None


def _placed(
    images: list[ImageRecord],
    titles: dict[str, str] | None = None,
    *,
    chapter: int | None = None,
    kind: str | None = None,
) -> list[PlacedImage]:
    """The images with their passages (the library's) — of this chapter and kind, if given;
    those whose passage is gone are left out."""
    passages = descriptions.get_descriptions([image.description_id for image in images])
    placed = []
    for image in images:
        passage = passages.get(image.description_id)
        if passage is None or chapter not in (None, passage.chapter):
            continue
        if kind not in (None, passage.type):
            continue
        placed.append(
            PlacedImage.model_validate(
                {
                    **image.model_dump(),
                    "chapter": passage.chapter,
                    "start_offset": passage.start_offset,
                    "end_offset": passage.end_offset,
                    "passage": passage.text,
                    "book_title": titles.get(image.book_id) if titles is not None else None,
                }
            )
        )
    return placed


def list_images(
    user_id: str, book_id: str, *, chapter: int | None = None, kind: str | None = None
) -> list[PlacedImage]:
    """The book's gallery for its owner: newest generation first within reading order."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_COLUMNS} FROM images"
            " WHERE user_id = CAST(:u AS uuid) AND book_id = CAST(:b AS uuid)",
            u=user_id,
            b=book_id,
        )
        images = db.rows_as(conn, rows, ImageRecord)
    placed = _placed(images, chapter=chapter, kind=kind)
    placed.sort(key=lambda item: (item.chapter, item.start_offset, -item.generation))
    return placed


def list_recent_images(user_id: str, limit: int) -> list[PlacedImage]:
    """The user's newest ready pictures across all their books (the library's strip)."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_COLUMNS} FROM images WHERE user_id = CAST(:u AS uuid) AND state = 'ready'"
            " ORDER BY created_at DESC, id DESC LIMIT :limit",
            u=user_id,
            limit=limit,
        )
        images = db.rows_as(conn, rows, ImageRecord)
    titles = books.display_titles(user_id, sorted({image.book_id for image in images}))
    return _placed([image for image in images if image.book_id in titles], titles)


def delete_image(image_id: str, user_id: str) -> ImageRecord:
    """Delete the user's image record; returns it (its own objects are for the caller)."""
    record = get_image(image_id, user_id)
    with db.get_pool().transaction() as conn:
        conn.run("DELETE FROM images WHERE id = CAST(:i AS uuid)", i=image_id)
    return record
