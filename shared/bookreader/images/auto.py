"""Automatic illustration: as a reader moves through a book, the best descriptions of the
current chapter and the next N are drawn in the background — never further ahead than N, so
no picture shows what the reader has not nearly reached."""

from __future__ import annotations

import logging

from bookreader import db
from bookreader.errors import BookReaderError
from bookreader.images import pipeline, preferences
from bookreader.images.preferences import IllustrationPreferences
from bookreader.images.records import ImageRecord
from bookreader.library import books, descriptions, positions

log = logging.getLogger(__name__)

# Automatic mode spends the reader's quota unasked: only passages the extractor is fairly sure
# of (calibration in bench/RESULTS.md, eval).
MIN_CONFIDENCE = 0.6


def illustrate_ahead(
    user_id: str, book_id: str, chapter: int, preferences: IllustrationPreferences
) -> list[ImageRecord]:
    """Queue images for chapters `chapter`..`chapter + chapters_ahead`: per chapter, the
    `per_chapter` highest-priority descriptions the reader has no image of yet and that
    automatic mode has not taken up before. Returns the records created.

    Stops quietly at the daily quota: automatic mode never answers a page turn with 429.
    """
    if not preferences.auto_illustrate:
        return []
    created: list[ImageRecord] = []
    for description_id in _candidates(user_id, book_id, chapter, preferences):
        try:
            record, new = pipeline.request_image(user_id, description_id)
        except BookReaderError as error:
            log.info("automatic illustration stopped for %s: %s", user_id, error.code)
            break
        _remember(user_id, description_id)
        if new:
            pipeline.start_generation(record)
            created.append(record)
    return created


def illustrate_after_extraction(book_id: str) -> list[ImageRecord]:
    """After extraction: the book's owner gets the pictures for where they are reading."""
    book = books.get_book_by_id(book_id)
    if book is None:
        return []
    return illustrate_at_saved_position(book.user_id, book_id)


def illustrate_at_saved_position(user_id: str, book_id: str) -> list[ImageRecord]:
    """After extraction: a reader who opened the book before its descriptions existed gets
    the pictures for where they are now."""
    prefs = preferences.get_preferences(user_id)
    if not prefs.auto_illustrate:
        return []
    position = positions.get_position(user_id, book_id)
    if position is None:
        return []
    return illustrate_ahead(user_id, book_id, position.chapter, prefs)


def _candidates(
    user_id: str, book_id: str, chapter: int, preferences: IllustrationPreferences
) -> list[str]:
    """Descriptions in the window, best first per chapter, nearest chapter first. The rank is
    taken before the exclusions, so a picture the reader asked for counts toward the chapter's
    share."""
    best = descriptions.best_in_chapters(
        book_id,
        chapter,
        chapter + preferences.chapters_ahead,
        min_confidence=MIN_CONFIDENCE,
        per_chapter=preferences.per_chapter,
    )
    if not best:
        return []
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT description_id::text FROM images WHERE user_id = CAST(:u AS uuid)"
            " AND description_id = ANY(CAST(:ids AS uuid[]))"
            " UNION SELECT description_id::text FROM auto_illustrated"
            " WHERE user_id = CAST(:u AS uuid) AND description_id = ANY(CAST(:ids AS uuid[]))",
            u=user_id,
            ids=best,
        )
    taken = {row[0] for row in rows}
    return [description_id for description_id in best if description_id not in taken]


def _remember(user_id: str, description_id: str) -> None:
    with db.get_pool().transaction() as conn:
        conn.run(
            "INSERT INTO auto_illustrated (user_id, description_id)"
            " VALUES (CAST(:u AS uuid), CAST(:d AS uuid)) ON CONFLICT DO NOTHING",
            u=user_id,
            d=description_id,
        )
