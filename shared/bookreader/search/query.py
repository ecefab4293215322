"""Searching one book or all of a reader's books.

The query is folded like the index (`folding`) and parsed by `websearch_to_tsquery` once per
configuration, so quotes make a phrase, `-word` excludes, `or` offers alternatives, and anything
else (unbalanced quotes, stray operators, only stop words) still parses: a query never fails, it
finds something or nothing. Each passage is matched with the query of its own configuration.

Hits come back with plain-text offsets: `ts_headline` with every match marked (on the folded
passage, with private-use markers) says where the matches are; they are mapped back through the
folding to the book's text. The snippet is `ts_headline`'s excerpt, re-cut from the book's text,
HTML-escaped, and only then marked with `<mark>`, so the book's text can never inject markup.

The search reads the library's `books` (ownership, titles) and `chapters` (titles) tables.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bookreader import db
from bookreader.search.folding import END_MARK, START_MARK, Folded, fold, fold_query
from bookreader.search.index import ALL_CONFIGS, ensure_indexed
from bookreader.search.model import SearchBook, SearchHit, SearchPage

MAX_BOOKS = 50
_ALL_MARKS = f"HighlightAll=true, StartSel={START_MARK}, StopSel={END_MARK}"
_SNIPPET = f"MaxWords=30, MinWords=12, ShortWord=2, StartSel={START_MARK}, StopSel={END_MARK}"
_ELLIPSIS = "…"


def _tsquery(config: str) -> str:
    return f"websearch_to_tsquery('{config}', :q)"


# A passage matches the query parsed with its own configuration (each a constant to the planner,
# so the GIN index serves every branch).
_MATCHES = (
    "(" + " OR ".join(f"(s.config = '{c}' AND s.tsv @@ {_tsquery(c)})" for c in ALL_CONFIGS) + ")"
)
_RANK = (
    "ts_rank(s.tsv, CASE s.config "
    + " ".join(f"WHEN '{c}' THEN {_tsquery(c)}" for c in ALL_CONFIGS[:-1])
    + f" ELSE {_tsquery(ALL_CONFIGS[-1])} END, 1)"
)
# Names of the page query's columns, valid both inside it and around it.
_ORDERS = {
    "rank": "rank DESC, created DESC, bid, chapter, start_offset",
    "position": "created DESC, bid, chapter, start_offset",
}


@dataclass(frozen=True)
class _Row:
    book_id: str
    chapter: int
    start: int
    config: str
    body: str
    rank: float
    chapter_title: str


def search(
    user_id: str,
    text: str,
    *,
    book_id: str | None = None,
    limit: int = 20,
    offset: int = 0,
    order: Literal["rank", "position"] = "rank",
    with_books: bool = False,
) -> SearchPage:
    """One page of hits in the user's book (or all their books), and with `with_books` the
    matching books. The caller has checked that `book_id`, if given, is the user's."""
    ensure_indexed(user_id, book_id)
    query = fold_query(text)
    scope = "b.user_id = CAST(:u AS uuid)"
    if book_id is not None:
        scope += " AND s.book_id = CAST(:b AS uuid)"
    params: dict[str, Any] = {"u": user_id, "b": book_id, "q": query}
    with db.get_pool().connection() as conn:
        # Titles are joined to the page only, not to every match.
        rows = conn.run(
            "SELECT h.book_id, h.chapter, h.start_offset, h.config, h.body, h.rank, c.title"
            " FROM (SELECT s.book_id::text AS book_id, s.book_id AS bid, s.chapter,"
            f" s.start_offset, s.config, s.body, {_RANK} AS rank, b.created_at AS created"
            " FROM search_passages s JOIN books b ON b.id = s.book_id"
            f" WHERE {scope} AND {_MATCHES}"
            f" ORDER BY {_ORDERS[order]} LIMIT :limit OFFSET :offset) h"
            " JOIN chapters c ON c.book_id = h.bid AND c.index = h.chapter"
            f" ORDER BY {_ORDERS[order]}",
            limit=limit + 1,
            offset=offset,
            **params,
        )
        found = [_Row(*row) for row in rows]
        more = len(found) > limit
        found = found[:limit]
        hits = _hits(conn, found, query)
        books = _books(conn, scope, params) if with_books else None
    return SearchPage(items=hits, next=str(offset + limit) if more else None, books=books)


def _books(conn: db.Connection, scope: str, params: dict[str, Any]) -> list[SearchBook]:
    rows = conn.run(
        "SELECT s.book_id::text, COALESCE(b.title, b.filename), b.authors, count(*)"
        f" FROM search_passages s JOIN books b ON b.id = s.book_id WHERE {scope} AND {_MATCHES}"
        f" GROUP BY s.book_id, b.title, b.filename, b.authors, b.created_at"
        f" ORDER BY max({_RANK}) DESC, b.created_at DESC LIMIT {MAX_BOOKS}",
        **params,
    )
    return [
        SearchBook(book_id=book, title=title, authors=authors, matches=count)
        for book, title, authors, count in rows
    ]


def _hits(conn: db.Connection, rows: Sequence[_Row], query: str) -> list[SearchHit]:
    if not rows:
        return []
    folded = [fold(row.body) for row in rows]
    headlines = conn.run(
        "SELECT ts_headline(CAST(h.config AS regconfig), h.folded,"
        " websearch_to_tsquery(CAST(h.config AS regconfig), :q), :all),"
        " ts_headline(CAST(h.config AS regconfig), h.folded,"
        " websearch_to_tsquery(CAST(h.config AS regconfig), :q), :snippet)"
        " FROM unnest(CAST(:configs AS text[]), CAST(:folded AS text[]))"
        " WITH ORDINALITY AS h (config, folded, n) ORDER BY h.n",
        q=query,
        all=_ALL_MARKS,
        snippet=_SNIPPET,
        configs=[row.config for row in rows],
        folded=[f.text for f in folded],
    )
    return [
        _hit(row, passage, marked_all, excerpt)
        for row, passage, (marked_all, excerpt) in zip(rows, folded, headlines, strict=True)
    ]


def _marked_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The headline without its markers, and the (start, end) of each marked run in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    position, opened = 0, -1
    for char in marked:
        if char == START_MARK:
            opened = position
        elif char == END_MARK and opened >= 0:
            spans.append((opened, position))
            opened = -1
        else:
            plain.append(char)
            position += 1
    return "".join(plain), spans


def _merge(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Different marked words next to each other (only spaces or punctuation between) as one
    run: a phrase, or words found together. The same word twice ("Stop! Stop!") stays two."""
    runs: list[list[tuple[int, int]]] = []
    for start, end in spans:
        if runs:
            last_start, last_end = runs[-1][-1]
            adjacent = not any(char.isalnum() for char in text[last_end:start])
            if adjacent and text[last_start:last_end] != text[start:end]:
                runs[-1].append((start, end))
                continue
        runs.append([(start, end)])
    return runs


def _hit(row: _Row, passage: Folded, marked_all: str, excerpt: str) -> SearchHit:
    plain, spans = _marked_spans(marked_all)
    length = len(row.body)
    if plain != passage.text or not spans:
        spans = [(0, len(passage.text))]  # the headline did not keep the text: the passage
    runs = _merge(passage.text, spans)
    # The hit: the run with the most matched words (a phrase), the first of those.
    best = max(runs, key=len)
    start, end = passage.original_span(best[0][0], best[-1][1], length)
    marks = [passage.original_span(s, e, length) for s, e in spans]
    return SearchHit(
        book_id=row.book_id,
        chapter=row.chapter,
        chapter_title=row.chapter_title,
        start=row.start + start,
        end=row.start + end,
        marks=[(row.start + s, row.start + e) for s, e in marks],
        snippet=_snippet(row.body, passage, excerpt),
        rank=row.rank,
    )


def _snippet(body: str, passage: Folded, excerpt: str) -> str:
    """The excerpt `ts_headline` chose, cut from the book's text, escaped, then marked."""
    plain, spans = _marked_spans(excerpt)
    at = passage.text.find(plain) if plain else -1
    if at < 0:  # not found verbatim: show the folded excerpt, still escaped
        return _marked_html(plain, spans)
    first, last = passage.original_span(at, at + len(plain), len(body))
    original = body[first:last]
    mapped = []
    for s, e in spans:
        ms, me = passage.original_span(at + s, at + e, len(body))
        mapped.append((ms - first, me - first))
    marked = _marked_html(original, mapped)
    before = _ELLIPSIS if body[:first].strip() else ""
    after = _ELLIPSIS if body[last:].strip() else ""
    return before + marked + after


def _marked_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)
