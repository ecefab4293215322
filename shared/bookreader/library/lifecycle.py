"""A book's lifecycle, in one place: its states, the moves between them, and the one way a
state changes — a compare-and-set, so a redelivered event, a second worker or the sweeper can
never undo what another has done.

    uploading ─► parsing ─► parsed ─► extracting ─► ready
        │           │                     │     └─► extraction_unsupported_language
        └───────────┴─────► failed ◄──────┘

`progress` is one number for the whole way, parse and extract together: parsing fills
0–PARSED_PROGRESS, extracting PARSED_PROGRESS–1 by chapters done, `ready` and
`extraction_unsupported_language` are 1. Within a state it never goes down (a redelivery that
starts over keeps the higher value), and every forward move starts the next phase where the
last one ended. Only an explicit re-run (an admin re-extracting a `ready` book) starts
extraction over from PARSED_PROGRESS. A `failed` book's progress is 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from bookreader import db
from bookreader.errors import BookReaderError


class BookState(StrEnum):
    UPLOADING = "uploading"
    PARSING = "parsing"
    PARSED = "parsed"
    EXTRACTING = "extracting"
    READY = "ready"
    FAILED = "failed"
    # Readable, but no descriptions: the book's language has no extractor.
    EXTRACTION_UNSUPPORTED_LANGUAGE = "extraction_unsupported_language"


S = BookState
# Where each state may go. Staying (parsing → parsing, extracting → extracting) is a retry of
# the same stage; ready → extracting is an admin re-run; failed → parsing is an upload that
# arrived after it had been expired.
TRANSITIONS: dict[BookState, frozenset[BookState]] = {
    S.UPLOADING: frozenset({S.PARSING, S.FAILED}),
    S.PARSING: frozenset({S.PARSING, S.PARSED, S.FAILED}),
    S.PARSED: frozenset({S.EXTRACTING, S.FAILED}),
    S.EXTRACTING: frozenset({S.EXTRACTING, S.READY, S.EXTRACTION_UNSUPPORTED_LANGUAGE, S.FAILED}),
    S.READY: frozenset({S.EXTRACTING}),
    S.EXTRACTION_UNSUPPORTED_LANGUAGE: frozenset({S.EXTRACTING}),
    S.FAILED: frozenset({S.PARSING}),
}
# The server still works on the book (clients poll these).
WORKING: frozenset[BookState] = frozenset({S.UPLOADING, S.PARSING, S.PARSED, S.EXTRACTING})
# The book's content is stored: it can be read, and extraction can run (again).
READABLE: frozenset[BookState] = frozenset(
    {S.PARSED, S.EXTRACTING, S.READY, S.EXTRACTION_UNSUPPORTED_LANGUAGE}
)
# The pipeline is done with the book.
FINAL: frozenset[BookState] = frozenset({S.READY, S.EXTRACTION_UNSUPPORTED_LANGUAGE, S.FAILED})

PARSED_PROGRESS = 0.2  # parsing is seconds, extraction minutes: its share of the bar


def parse_progress(fraction: float) -> float:
    """Overall progress `fraction` (0–1) of the way through parsing."""
    return round(PARSED_PROGRESS * min(max(fraction, 0.0), 1.0), 4)


def extract_progress_sql(done: str, total: str) -> str:
    """SQL for the overall progress with `done` of `total` chapters extracted, below 1 until
    the run has finished."""
    return (
        f"LEAST(0.99, {PARSED_PROGRESS} + {1 - PARSED_PROGRESS}"
        f" * ({done})::real / GREATEST({total}, 1))"
    )


def may_move(current: BookState, to: BookState) -> bool:
    return to in TRANSITIONS[current]


def sources(to: BookState, among: Iterable[BookState] | None = None) -> list[str]:
    """The states a book may come to `to` from (optionally only those `among`)."""
    allowed = {state for state, targets in TRANSITIONS.items() if to in targets}
    if among is not None:
        allowed &= set(among)
    return sorted(allowed)


def transition(
    conn: db.Connection,
    book_id: str,
    to: BookState,
    from_: Iterable[BookState] | None = None,
    *,
    progress: float | None = None,
    error: BookReaderError | None = None,
    unchanged_since: datetime | None = None,
) -> bool:
    """Move the book to `to` if it is in one of `from_` (default: every state the table allows
    to reach `to`), in the caller's transaction; whether it moved.

    `progress` sets the overall progress; staying in the same state never lowers it.
    `error` is recorded for `failed` and cleared by every other move. `unchanged_since` also
    requires the row's `updated_at` to be exactly that (the sweeper's "nobody touched it").
    """
    allowed = sources(to, from_)
    if to == S.FAILED:
        progress = 0.0
    rows = conn.run(
        "UPDATE books SET progress = CASE"
        "   WHEN CAST(:p AS real) IS NULL THEN progress"
        "   WHEN state = :to THEN GREATEST(progress, CAST(:p AS real))"
        "   ELSE CAST(:p AS real) END,"
        " state = :to, error_code = :code, error_message = :message,"
        " error_details = CAST(:details AS jsonb), updated_at = now()"
        " WHERE id = CAST(:b AS uuid) AND state = ANY(CAST(:from_ AS text[]))"
        " AND (CAST(:since AS timestamptz) IS NULL OR updated_at = CAST(:since AS timestamptz))"
        " RETURNING id",
        to=str(to),
        p=progress,
        code=error.code if error else None,
        message=error.message if error else None,
        details=json.dumps(error.details) if error else None,
        b=book_id,
        from_=allowed,
        since=unchanged_since,
    )
    return bool(rows)


def move(
    book_id: str,
    to: BookState,
    from_: Iterable[BookState] | None = None,
    *,
    progress: float | None = None,
    error: BookReaderError | None = None,
) -> bool:
    """`transition` in a transaction of its own."""
    with db.get_pool().transaction() as conn:
        return transition(conn, book_id, to, from_, progress=progress, error=error)


def expire_uploads(
    conn: db.Connection,
    abandoned_after: float,
    *,
    user_id: str | None = None,
    book_id: str | None = None,
) -> list[str]:
    """Fail the uploads (all, the user's, or one) still `uploading` `abandoned_after` seconds
    after they were started; only from `uploading`, so an upload that has just landed is never
    touched. The ids of the books it failed."""
    error = BookReaderError(
        "upload_expired",
        "The upload did not finish in time. Upload the file again.",
        410,
        {"abandoned_after_seconds": abandoned_after},
    )
    rows = conn.run(
        "UPDATE books SET state = :to, progress = 0, error_code = :code,"
        " error_message = :message, error_details = CAST(:details AS jsonb), updated_at = now()"
        " WHERE state = :from_"
        " AND (CAST(:u AS text) IS NULL OR user_id = CAST(:u AS uuid))"
        " AND (CAST(:b AS text) IS NULL OR id = CAST(:b AS uuid))"
        " AND created_at < now() - make_interval(secs => CAST(:after AS double precision))"
        " RETURNING id::text",
        to=str(S.FAILED),
        from_=str(S.UPLOADING),
        code=error.code,
        message=error.message,
        details=json.dumps(error.details),
        u=user_id,
        b=book_id,
        after=abandoned_after,
    )
    return [row[0] for row in rows]
