"""The exports table: every user-facing read is owner-scoped."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bookreader import db
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid

ExportState = Literal["queued", "running", "ready", "failed"]
ExportFormat = Literal["epub"]
IllustrationChoice = Literal["ready", "none"]

_COLUMNS = (
    "id::text, user_id::text, book_id::text, format, illustrations, style, picture_ids,"
    " content_key, state, progress, error_code, error_message, object_key, bytes, pictures,"
    " created_at, updated_at"
)


class ExportRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    user_id: str
    book_id: str
    format: ExportFormat
    illustrations: IllustrationChoice
    style: str | None = None
    picture_ids: list[str] = []
    content_key: str
    state: ExportState
    progress: float
    error_code: str | None = None
    error_message: str | None = None
    object_key: str | None = None
    bytes: int | None = None
    pictures: int | None = None
    created_at: datetime
    updated_at: datetime


def export_not_found() -> BookReaderError:
    # The same answer whether the export is someone else's or does not exist.
    return BookReaderError("export_not_found", "No such export in your library.", 404)


def insert_or_find(
    *,
    user_id: str,
    book_id: str,
    format: ExportFormat,
    illustrations: IllustrationChoice,
    style: str | None,
    picture_ids: list[str],
    content_key: str,
) -> tuple[ExportRecord, bool]:
    """The export of this content: (the new row, True), or (the existing one, False)."""
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "INSERT INTO exports (user_id, book_id, format, illustrations, style, picture_ids,"
            " content_key) VALUES (CAST(:u AS uuid), CAST(:b AS uuid), :f, :i, :s,"
            " CAST(:p AS jsonb), :k) ON CONFLICT ON CONSTRAINT exports_one_per_content"
            f" DO NOTHING RETURNING {_COLUMNS}",
            u=user_id,
            b=book_id,
            f=format,
            i=illustrations,
            s=style,
            p=json.dumps(picture_ids),
            k=content_key,
        )
        created = db.first_as(conn, rows, ExportRecord)
        if created is not None:
            return created, True
        rows = conn.run(
            f"SELECT {_COLUMNS} FROM exports WHERE book_id = CAST(:b AS uuid) AND content_key = :k",
            b=book_id,
            k=content_key,
        )
        existing = db.first_as(conn, rows, ExportRecord)
    if existing is None:  # the row that won the insert was rolled back meanwhile
        raise BookReaderError("export_conflict", "The export is being created; try again.", 409)
    return existing, False


def get_export(export_id: str, user_id: str | None = None) -> ExportRecord:
    """The export; with `user_id`, only when it is theirs (404 `export_not_found` otherwise)."""
    if not is_uuid(export_id):
        raise export_not_found()
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_COLUMNS} FROM exports WHERE id = CAST(:i AS uuid)"
            " AND (CAST(:u AS text) IS NULL OR user_id::text = :u)",
            i=export_id,
            u=user_id,
        )
        found = db.first_as(conn, rows, ExportRecord)
    if found is None:
        raise export_not_found()
    return found


def requeue(export_id: str) -> ExportRecord:
    """A failed export asked for again: queued, its error cleared."""
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE exports SET state = 'queued', progress = 0, error_code = NULL,"
            " error_message = NULL, updated_at = now() WHERE id = CAST(:i AS uuid)"
            f" AND state = 'failed' RETURNING {_COLUMNS}",
            i=export_id,
        )
        found = db.first_as(conn, rows, ExportRecord)
    return found or get_export(export_id)


def claim_for_build(export_id: str) -> ExportRecord | None:
    """Mark the export running (the caller holds its lease); None when it is ready."""
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE exports SET state = 'running', error_code = NULL, error_message = NULL,"
            " updated_at = now() WHERE id = CAST(:i AS uuid) AND state <> 'ready'"
            f" RETURNING {_COLUMNS}",
            i=export_id,
        )
        return db.first_as(conn, rows, ExportRecord)


def set_progress(export_id: str, progress: float) -> None:
    with db.get_pool().transaction() as conn:
        conn.run(
            "UPDATE exports SET progress = GREATEST(progress, CAST(:p AS real)), updated_at = now()"
            " WHERE id = CAST(:i AS uuid) AND state = 'running'",
            i=export_id,
            p=min(max(progress, 0.0), 0.99),
        )


def mark_ready(export_id: str, object_key: str, size: int, pictures: int) -> ExportRecord:
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE exports SET state = 'ready', progress = 1, error_code = NULL,"
            " error_message = NULL, object_key = :o, bytes = :n, pictures = :p, updated_at = now()"
            f" WHERE id = CAST(:i AS uuid) RETURNING {_COLUMNS}",
            i=export_id,
            o=object_key,
            n=size,
            p=pictures,
        )
        return db.rows_as(conn, rows, ExportRecord)[0]


def mark_state(
    export_id: str, state: ExportState, code: str | None = None, message: str | None = None
) -> ExportRecord:
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "UPDATE exports SET state = :s, error_code = :c, error_message = :m,"
            f" updated_at = now() WHERE id = CAST(:i AS uuid) RETURNING {_COLUMNS}",
            i=export_id,
            s=state,
            c=code,
            m=message,
        )
        return db.rows_as(conn, rows, ExportRecord)[0]


def superseded(record: ExportRecord) -> list[ExportRecord]:
    """Ready exports of the same book and options made before this one (their book or
    pictures have changed since): removed once this one is ready."""
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            f"DELETE FROM exports WHERE book_id = CAST(:b AS uuid) AND id <> CAST(:i AS uuid)"
            " AND format = :f AND illustrations = :il AND style IS NOT DISTINCT FROM :s"
            f" AND state IN ('ready', 'failed') AND created_at <= :c RETURNING {_COLUMNS}",
            b=record.book_id,
            i=record.id,
            f=record.format,
            il=record.illustrations,
            s=record.style,
            c=record.created_at,
        )
        return db.rows_as(conn, rows, ExportRecord)
