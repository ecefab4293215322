"""The stuck-work sweeper, run on a schedule (template: SweeperFunction, a Schedule event).

Each sweep, every step a compare-and-set so two sweeps (or a sweep and the pipeline) never
undo each other:
1. uploads never completed → `failed` / `upload_expired`, their object removed;
2. books stuck in `parsing` / `extracting` past a deadline → re-driven once (the parse event
   or the extract invocation sent again); stuck again after that → `failed` with
   `parse_stuck` / `extraction_stuck`;
3. pictures `queued` or `running` untouched past a deadline (their invocation lost: retries
   spent while a service stayed away) → handed to generate again; still not drawn an hour
   after they were asked for → `failed` with `generation_stuck`;
4. exports (illustrated EPUBs) the same way → built again, or `failed` with `export_stuck`;
5. illustration-cache entries no image refers to → removed (the shared cache leaked before);
6. objects no row refers to, older than a grace period → removed.
It reports what it did in one JSON log line, and adds the counts to `sweeper_totals`
(monotonic counters a metrics endpoint reads with `sweeper_totals()`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bookreader import db, jobs
from bookreader.config import Settings, get_settings
from bookreader.errors import BookReaderError
from bookreader.events import object_created_record
from bookreader.library.lifecycle import BookState, expire_uploads, transition
from bookreader.log import log_event
from bookreader.ops.references import referenced_keys
from bookreader.storage import ObjectStore, get_store

logger = logging.getLogger("bookreader.sweeper")
# Only what the product writes is ever considered an orphan; anything else in the bucket stays.
OWNED_PREFIXES = ("uploads/", "books/", "image-cache/")
STUCK_CODES = {BookState.PARSING: "parse_stuck", BookState.EXTRACTING: "extraction_stuck"}
# Tables of work asked for by a reader, moved queued → running → ready | failed by one function.
WorkTable = Literal["images", "exports"]


@dataclass
class SweepReport:
    uploads_expired: int = 0
    upload_objects_removed: int = 0
    books_redriven: int = 0
    books_failed_stuck: int = 0
    images_redriven: int = 0
    images_failed_stuck: int = 0
    exports_redriven: int = 0
    exports_failed_stuck: int = 0
    cache_entries_removed: int = 0
    orphaned_objects_removed: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}


def sweep(settings: Settings | None = None, store: ObjectStore | None = None) -> SweepReport:
    """One sweep over the whole deployment; what it did."""
    settings = settings or get_settings()
    store = store or get_store()
    pool = db.get_pool()
    report = SweepReport()
    started = time.monotonic()
    steps = (
        ("expire_uploads", _expire_uploads),
        ("stuck_books", _stuck_books),
        ("stuck_images", _stuck_images),
        ("stuck_exports", _stuck_exports),
        ("orphaned_cache", _orphaned_cache),
        ("orphaned_objects", _orphaned_objects),
    )
    for name, step in steps:
        try:
            step(pool, settings, store, report)
        except Exception as error:  # one failing step must not keep the others from running
            logger.exception("sweeper step %s failed", name)
            report.errors.append(f"{name}: {type(error).__name__}: {error}")
    _add_totals(pool, report)
    log_event(
        logger,
        "sweep finished",
        logging.WARNING if report.errors else logging.INFO,
        **report.counts(),
        errors=report.errors,
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    return report


def sweeper_totals(conn: db.Connection) -> dict[str, int]:
    """Everything the sweeper has done in this deployment, by kind, plus `sweeps`."""
    return {name: int(total) for name, total in conn.run("SELECT name, total FROM sweeper_totals")}


def _add_totals(pool: db.Pool, report: SweepReport) -> None:
    counts = {**report.counts(), "sweeps": 1, "sweep_errors": len(report.errors)}
    with pool.transaction() as conn:
        for name, value in counts.items():
            conn.run(
                "INSERT INTO sweeper_totals (name, total) VALUES (:n, :v) ON CONFLICT (name)"
                " DO UPDATE SET total = sweeper_totals.total + :v, updated_at = now()",
                n=name,
                v=value,
            )


def _expire_uploads(
    pool: db.Pool, settings: Settings, store: ObjectStore, report: SweepReport
) -> None:
    abandoned_after = settings.presign_expiry_seconds + settings.upload_grace_seconds
    with pool.transaction() as conn:
        expired = expire_uploads(conn, abandoned_after)
    report.uploads_expired = len(expired)
    # Expired here or lazily when the owner listed their books: remove the object once.
    with pool.connection() as conn:
        pending = conn.run(
            "SELECT id::text, object_key FROM books WHERE state = :failed"
            " AND error_code = 'upload_expired'"
            " AND NOT COALESCE((error_details->>'objects_removed')::boolean, false)",
            failed=str(BookState.FAILED),
        )
    for book_id, key in pending:
        store.delete(settings.books_bucket, key)  # usually never arrived: no error
        with pool.transaction() as conn:
            conn.run(
                "UPDATE books SET error_details = COALESCE(error_details, '{}'::jsonb)"
                " || '{\"objects_removed\": true}'::jsonb"
                " WHERE id = CAST(:b AS uuid) AND state = :failed",
                b=book_id,
                failed=str(BookState.FAILED),
            )
        report.upload_objects_removed += 1


def _stuck_books(
    pool: db.Pool, settings: Settings, store: ObjectStore, report: SweepReport
) -> None:
    with pool.connection() as conn:
        rows = conn.run(
            "SELECT id::text, state, object_key, redriven_at IS NOT NULL, updated_at FROM books"
            " WHERE (state = :parsing AND updated_at < now()"
            "   - make_interval(secs => CAST(:parse AS double precision)))"
            " OR (state = :extracting AND updated_at < now()"
            "   - make_interval(secs => CAST(:extract AS double precision)))",
            parsing=str(BookState.PARSING),
            extracting=str(BookState.EXTRACTING),
            parse=settings.stuck_parsing_seconds,
            extract=settings.stuck_extracting_seconds,
        )
    for book_id, state_name, object_key, redriven, updated_at in rows:
        state = BookState(state_name)
        redrive = None if redriven else _redrive_event(settings, store, book_id, state, object_key)
        if redrive is None:
            if _fail_stuck(pool, book_id, state, updated_at, settings):
                report.books_failed_stuck += 1
            continue
        with pool.transaction() as conn:
            # Compare-and-set: only if the pipeline has not moved the book meanwhile.
            claimed = conn.run(
                "UPDATE books SET redriven_at = now(), updated_at = now()"
                " WHERE id = CAST(:b AS uuid) AND state = :s AND updated_at = :u"
                " AND redriven_at IS NULL RETURNING id",
                b=book_id,
                s=str(state),
                u=updated_at,
            )
        if claimed:
            function_name, payload = redrive  # the stage itself moves the book on
            jobs.invoke_async(function_name, payload)
            report.books_redriven += 1
            log_event(logger, "stuck book re-driven", book_id=book_id, state=state)


def _redrive_event(
    settings: Settings, store: ObjectStore, book_id: str, state: BookState, object_key: str
) -> tuple[str, dict[str, Any]] | None:
    """The function and event that start the stuck stage again; None when it cannot be."""
    if state == BookState.EXTRACTING:
        if not settings.extract_function_name:
            return None
        return settings.extract_function_name, {"book_id": book_id}
    if not settings.parse_function_name:
        return None
    try:
        info = store.head(settings.books_bucket, object_key)
    except Exception:  # the file is gone: nothing to parse again
        return None
    record = object_created_record(
        settings.books_bucket, object_key, info.size, info.etag, sequencer=f"{time.time_ns():X}"
    )
    return settings.parse_function_name, {"Records": [record]}


def _fail_stuck(
    pool: db.Pool, book_id: str, state: BookState, updated_at: Any, settings: Settings
) -> bool:
    deadline = (
        settings.stuck_parsing_seconds
        if state == BookState.PARSING
        else settings.stuck_extracting_seconds
    )
    error = BookReaderError(
        STUCK_CODES[state],
        "Processing the book stopped and did not finish. Upload the file again.",
        500,
        {"stuck_in": str(state), "deadline_seconds": deadline},
    )
    with pool.transaction() as conn:
        failed = transition(
            conn, book_id, BookState.FAILED, [state], error=error, unchanged_since=updated_at
        )
    if failed:
        log_event(logger, "stuck book failed", book_id=book_id, state=state)
    return bool(failed)


def _stuck_images(
    pool: db.Pool, settings: Settings, store: ObjectStore, report: SweepReport
) -> None:
    # Generate draws an image once: a live worker still on it keeps it.
    report.images_failed_stuck, report.images_redriven = _stuck_work(
        pool,
        StuckWork("images", "image_id", settings.generate_function_name),
        settings.stuck_image_seconds,
        settings.image_give_up_seconds,
        BookReaderError(
            "generation_stuck", "The picture could not be drawn in time. Ask for it again.", 500
        ),
    )


def _stuck_exports(
    pool: db.Pool, settings: Settings, store: ObjectStore, report: SweepReport
) -> None:
    # The build runs once under its lease: a live worker still on it keeps it.
    report.exports_failed_stuck, report.exports_redriven = _stuck_work(
        pool,
        StuckWork("exports", "export_id", settings.export_function_name),
        settings.stuck_export_seconds,
        settings.export_give_up_seconds,
        BookReaderError(
            "export_stuck", "The EPUB could not be built in time. Ask for it again.", 500
        ),
    )


@dataclass(frozen=True)
class StuckWork:
    table: WorkTable
    id_field: str  # the row's id in the function's event, `{"image_id": …}`
    function_name: str


def _stuck_work(
    pool: db.Pool, work: StuckWork, stale_s: float, give_up_s: float, error: BookReaderError
) -> tuple[int, int]:
    """Rows `queued` or `running` untouched for `stale_s`: those asked for `give_up_s` ago are
    failed with `error`; the others are touched now, so that one sweep claims each (a
    compare-and-set in one statement), and handed to their function again. (failed, re-driven)

    The re-drive leaves out what is old enough to give up on: a row that became stale between
    the two statements waits for the next sweep to fail it, rather than being drawn long after
    the reader stopped waiting."""
    with pool.transaction() as conn:
        failed = conn.run(
            f"UPDATE {work.table} SET state = 'failed', error_code = :c, error_message = :m,"
            " updated_at = now() WHERE state IN ('queued', 'running')"
            " AND updated_at < now() - make_interval(secs => CAST(:stale AS double precision))"
            " AND created_at < now() - make_interval(secs => CAST(:give_up AS double precision))"
            " RETURNING id::text",
            c=error.code,
            m=error.message,
            stale=stale_s,
            give_up=give_up_s,
        )
    with pool.transaction() as conn:
        stuck = conn.run(
            f"UPDATE {work.table} SET updated_at = now() WHERE state IN ('queued', 'running')"
            " AND updated_at < now() - make_interval(secs => CAST(:stale AS double precision))"
            " AND created_at >= now() - make_interval(secs => CAST(:give_up AS double precision))"
            " RETURNING id::text",
            stale=stale_s,
            give_up=give_up_s,
        )
    for (row_id,) in stuck:
        jobs.invoke_async(work.function_name, {work.id_field: row_id})
        log_event(logger, "stuck work re-driven", table=work.table, **{work.id_field: row_id})
    return len(failed), len(stuck)


def _orphaned_cache(
    pool: db.Pool, settings: Settings, store: ObjectStore, report: SweepReport
) -> None:
    with pool.transaction() as conn:
        removed = conn.run(
            "DELETE FROM image_cache c WHERE created_at < now()"
            " - make_interval(secs => CAST(:grace AS double precision))"
            " AND NOT EXISTS (SELECT 1 FROM images i WHERE i.cache_key = c.cache_key)"
            " RETURNING cache_key",
            grace=settings.orphan_grace_seconds,
        )
    # Their objects are orphans now; the next step removes them.
    report.cache_entries_removed = len(removed)


def _orphaned_objects(
    pool: db.Pool, settings: Settings, store: ObjectStore, report: SweepReport
) -> None:
    bucket = settings.books_bucket
    cutoff = time.time() - settings.orphan_grace_seconds
    with pool.connection() as conn:
        conn.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            referenced = referenced_keys(conn)
        finally:
            conn.run("COMMIT")
    for prefix in OWNED_PREFIXES:
        for info in list(store.list(bucket, prefix)):
            if info.key in referenced or info.last_modified.timestamp() > cutoff:
                continue
            store.delete(bucket, info.key)
            report.orphaned_objects_removed += 1
