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
from bookreader.library import books, positions

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
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT ranked.id::text FROM ("
            "  SELECT d.id, d.chapter, row_number() OVER ("
            "    PARTITION BY d.chapter ORDER BY d.priority DESC, d.start_offset) AS rank"
            "  FROM descriptions d WHERE d.book_id = CAST(:b AS uuid)"
            "  AND d.chapter BETWEEN :first AND :last AND d.confidence >= :floor"
            ") ranked WHERE ranked.rank <= :per_chapter"
            " AND NOT EXISTS (SELECT 1 FROM images i WHERE i.description_id = ranked.id"
            "   AND i.user_id = CAST(:u AS uuid))"
            " AND NOT EXISTS (SELECT 1 FROM auto_illustrated a"
            "   WHERE a.description_id = ranked.id AND a.user_id = CAST(:u AS uuid))"
            " ORDER BY ranked.chapter, ranked.rank",
            b=book_id,
            u=user_id,
            first=chapter,
            last=chapter + preferences.chapters_ahead,
            floor=MIN_CONFIDENCE,
            per_chapter=preferences.per_chapter,
        )
    return [row[0] for row in rows]


def _remember(user_id: str, description_id: str) -> None:
    with db.get_pool().transaction() as conn:
        conn.run(
            "INSERT INTO auto_illustrated (user_id, description_id)"
            " VALUES (CAST(:u AS uuid), CAST(:d AS uuid)) ON CONFLICT DO NOTHING",
            u=user_id,
            d=description_id,
        )
