"""The search index: each chapter's passages (its paragraphs, long ones cut into pieces) folded
and turned into a `tsvector` with the text search configuration of the chapter's language.

Written in the transaction that stores the parsed chapters, so a book is searchable as soon as it
can be read, and a re-parse replaces its passages with the chapters. Books stored before the index
existed (or under an older `INDEX_VERSION`) are indexed when they are first searched.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bookreader import db
from bookreader.nlp.language import chapter_languages, primary_subtag
from bookreader.search.folding import fold

# Bump when folding or passage cutting changes: books indexed under an older version are indexed
# again on their next search.
INDEX_VERSION = 1
# PostgreSQL's snowball configurations for the languages the product reads; `simple` (lower
# case, no stemming, no stop words) for the rest.
CONFIGS = {"ru": "russian", "en": "english"}
DEFAULT_CONFIG = "simple"
ALL_CONFIGS = ("russian", "english", "simple")
# A passage longer than this is cut at a space: a tsvector holds positions up to 16,383 and at
# most 1 MB, and a hit inside a shorter passage has a cheaper snippet.
MAX_PASSAGE_CHARS = 20_000


class ChapterText(Protocol):
    """What indexing reads of a chapter (a parsed one or a stored one)."""

    @property
    def index(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def paragraphs(self) -> Sequence[tuple[int, int]]: ...


@dataclass(frozen=True)
class Passage:
    chapter: int
    start: int
    end: int
    config: str
    body: str


def config_for(language: str | None) -> str:
    return CONFIGS.get(primary_subtag(language) or "", DEFAULT_CONFIG)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the passages of one paragraph `text[start:end]`, blank ones left out."""
    pieces = []
    while end - start > MAX_PASSAGE_CHARS:
        cut = text.rfind(" ", start + MAX_PASSAGE_CHARS // 2, start + MAX_PASSAGE_CHARS)
        cut = cut if cut > start else start + MAX_PASSAGE_CHARS
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def passages(chapters: Sequence[ChapterText], declared_language: str | None) -> list[Passage]:
    languages = chapter_languages([(c.index, c.text) for c in chapters], declared_language)
    found = []
    for chapter in chapters:
        config = config_for(languages.get(chapter.index))
        for p_start, p_end in chapter.paragraphs:
            for start, end in _pieces(chapter.text, p_start, p_end):
                found.append(Passage(chapter.index, start, end, config, chapter.text[start:end]))
    return found


def index_book(
    conn: db.Connection,
    book_id: str,
    chapters: Sequence[ChapterText],
    declared_language: str | None,
) -> int:
    """Replace the book's passages in the index (inside the caller's transaction); how many."""
    found = passages(chapters, declared_language)
    for table in ("search_passages", "search_passage_texts"):
        conn.run(f"DELETE FROM {table} WHERE book_id = CAST(:b AS uuid)", b=book_id)
    if found:
        columns = {
            "b": book_id,
            "chapters": [p.chapter for p in found],
            "starts": [p.start for p in found],
        }
        conn.run(
            "INSERT INTO search_passages (book_id, chapter, start_offset, end_offset, config, tsv)"
            " SELECT CAST(:b AS uuid), p.chapter, p.s, p.e, p.config,"
            " to_tsvector(CAST(p.config AS regconfig), p.folded)"
            " FROM unnest(CAST(:chapters AS integer[]), CAST(:starts AS integer[]),"
            " CAST(:ends AS integer[]), CAST(:configs AS text[]), CAST(:folded AS text[]))"
            " AS p (chapter, s, e, config, folded)",
            ends=[p.end for p in found],
            configs=[p.config for p in found],
            folded=[fold(p.body).text for p in found],
            **columns,
        )
        conn.run(
            "INSERT INTO search_passage_texts (book_id, chapter, start_offset, body)"
            " SELECT CAST(:b AS uuid), p.chapter, p.s, p.body"
            " FROM unnest(CAST(:chapters AS integer[]), CAST(:starts AS integer[]),"
            " CAST(:bodies AS text[])) AS p (chapter, s, body)",
            bodies=[p.body for p in found],
            **columns,
        )
    conn.run(
        "INSERT INTO search_books (book_id, version) VALUES (CAST(:b AS uuid), :v)"
        " ON CONFLICT (book_id) DO UPDATE SET version = :v, indexed_at = now()",
        b=book_id,
        v=INDEX_VERSION,
    )
    return len(found)


@dataclass(frozen=True)
class _StoredChapter:
    index: int
    text: str
    paragraphs: list[tuple[int, int]]


# Books whose chapters are stored (parse finished) but whose index is missing or out of date.
_UNINDEXED = (
    "SELECT b.id::text, b.language FROM books b"
    " LEFT JOIN search_books s ON s.book_id = b.id"
    " WHERE b.user_id = CAST(:u AS uuid) AND (CAST(:b AS text) IS NULL OR b.id::text = :b)"
    " AND b.state IN ('parsed', 'extracting', 'ready')"
    " AND (s.version IS NULL OR s.version < :v)"
)


def ensure_indexed(user_id: str, book_id: str | None = None, budget_s: float = 5.0) -> int:
    """Index the user's books (or this one) stored before the index or under an older version,
    for at most about `budget_s` seconds (a request must answer); how many are still left.
    Cheap when there is nothing to do (one query)."""
    deadline = time.monotonic() + budget_s
    with db.get_pool().connection() as conn:
        stale = conn.run(_UNINDEXED, u=user_id, b=book_id, v=INDEX_VERSION)
    for done, (stale_id, language) in enumerate(stale):
        if done > 0 and time.monotonic() > deadline:
            return len(stale) - done
        with db.get_pool().transaction() as conn:
            # One indexer per book at a time; the second finds the work done.
            conn.run("SELECT pg_advisory_xact_lock(hashtext(:b))", b=f"search:{stale_id}")
            if not conn.run(_UNINDEXED, u=user_id, b=stale_id, v=INDEX_VERSION):
                continue
            rows = conn.run(
                "SELECT index, text, paragraphs FROM chapters WHERE book_id = CAST(:b AS uuid)"
                " ORDER BY index",
                b=stale_id,
            )
            chapters = [
                _StoredChapter(index, text, [(s, e) for s, e in paragraphs])
                for index, text, paragraphs in rows
            ]
            index_book(conn, stale_id, chapters, language)
    return 0
