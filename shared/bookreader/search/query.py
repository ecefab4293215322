"""Searching one book or all of a reader's books.

The query is folded like the index (`folding`) and parsed by `websearch_to_tsquery` once per
configuration, so quotes make a phrase, `-word` excludes, `or` offers alternatives, and anything
else (unbalanced quotes, stray operators, only stop words) still parses: a query never fails, it
finds something or nothing. Each passage is matched with the query of its own configuration.

Hits come back with plain-text offsets: `ts_headline` with every match marked (on the folded
passage, with private-use markers) says where the matches are; they are mapped back through the
folding to the book's text. The hit is the longest run of matched words (a phrase), the first of
those; its snippet is the words around it cut from the book's own text, HTML-escaped, and only
then marked with `<mark>`, so the book's text can never inject markup. (`ts_headline`'s own
excerpt is not used: it may centre on another match than the one the offsets point at, and a
second headline per passage doubled the cost.)

The search reads the library's `books` (ownership, titles) and `chapters` (titles) tables.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bookreader import db
from bookreader.search.folding import END_MARK, START_MARK, Folded, fold, fold_query
from bookreader.search.index import ALL_CONFIGS, ensure_indexed
from bookreader.search.model import SearchBook, SearchHit, SearchPage

MAX_BOOKS = 50
_ALL_MARKS = f"HighlightAll=true, StartSel={START_MARK}, StopSel={END_MARK}"
SNIPPET_WORDS_BEFORE = 10
SNIPPET_WORDS_AFTER = 20
_WORD = re.compile(r"\S+")
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
# The matching books, best first (their best passage's rank), from the ranked matches `m`.
_BOOKS = (
    "(SELECT json_agg(json_build_array(g.bid::text, COALESCE(b.title, b.filename), b.authors,"
    " g.matches) ORDER BY g.best DESC, g.shelf)"
    " FROM (SELECT bid, count(*) AS matches, max(rank) AS best, min(shelf) AS shelf FROM m"
    f" GROUP BY bid ORDER BY best DESC, shelf LIMIT {MAX_BOOKS}) g"
    " JOIN books b ON b.id = g.bid)"
)
# Columns of the ranked matches `m` (`shelf`: the book's place in the library, newest first).
_ORDERS = {
    "rank": "rank DESC, shelf, chapter, start_offset",
    "position": "shelf, chapter, start_offset",
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
    unindexed = ensure_indexed(user_id, book_id)
    query = fold_query(text)
    books_column = _BOOKS if with_books else "NULL::json"
    with db.get_pool().connection() as conn:
        # The reader's books (or this one), newest first: the matches are looked up among them
        # with no join, which keeps the plan the same whatever the statistics say.
        shelf = [
            row[0]
            for row in conn.run(
                "SELECT id::text FROM books WHERE user_id = CAST(:u AS uuid)"
                " AND (CAST(:b AS text) IS NULL OR id = CAST(:b AS uuid))"
                " ORDER BY created_at DESC, id",
                u=user_id,
                b=book_id,
            )
        ]
        # The matches are ranked once; the page, and the books, come from them. Texts and
        # titles are read for the page only.
        rows = conn.run(
            "WITH m AS MATERIALIZED (SELECT s.book_id AS bid, s.chapter, s.start_offset, s.config,"
            f" {_RANK} AS rank, array_position(CAST(:shelf AS uuid[]), s.book_id) AS shelf"
            " FROM search_passages s"
            f" WHERE s.book_id = ANY(CAST(:shelf AS uuid[])) AND {_MATCHES}),"
            f" page AS (SELECT * FROM m ORDER BY {_ORDERS[order]} LIMIT :limit OFFSET :offset),"
            f" numbered AS (SELECT *, row_number() OVER (ORDER BY {_ORDERS[order]}) AS n FROM page)"
            " SELECT h.bid::text, h.chapter, h.start_offset, h.config, t.body, h.rank, c.title,"
            f" {books_column} FROM numbered h"
            " JOIN search_passage_texts t ON t.book_id = h.bid AND t.chapter = h.chapter"
            " AND t.start_offset = h.start_offset"
            " JOIN chapters c ON c.book_id = h.bid AND c.index = h.chapter ORDER BY h.n",
            limit=limit + 1,
            offset=offset,
            q=query,
            shelf=shelf,
        )
        found = [_Row(*row[:7]) for row in rows]
        more = len(found) > limit
        found = found[:limit]
        hits = _hits(conn, found, query)
    books = None
    if with_books:
        listed = rows[0][7] if rows else None
        books = [
            SearchBook(book_id=book, title=title, authors=authors, matches=count)
            for book, title, authors, count in listed or []
        ]
    return SearchPage(
        items=hits,
        next=str(offset + limit) if more else None,
        books=books,
        unindexed=unindexed,
    )


def _hits(conn: db.Connection, rows: Sequence[_Row], query: str) -> list[SearchHit]:
    if not rows:
        return []
    folded = [fold(row.body) for row in rows]
    headlines = conn.run(
        "SELECT ts_headline(CAST(h.config AS regconfig), h.folded,"
        " websearch_to_tsquery(CAST(h.config AS regconfig), :q), :all)"
        " FROM unnest(CAST(:configs AS text[]), CAST(:folded AS text[]))"
        " WITH ORDINALITY AS h (config, folded, n) ORDER BY h.n",
        q=query,
        all=_ALL_MARKS,
        configs=[row.config for row in rows],
        folded=[f.text for f in folded],
    )
    return [
        _hit(row, passage, marked)
        for row, passage, (marked,) in zip(rows, folded, headlines, strict=True)
    ]


def _marked_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The headline without its markers, and the (start, end) of each marked run in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for number, part in enumerate(marked.split(START_MARK)):
        inside, closed, after = part.partition(END_MARK)
        if number > 0 and closed:
            spans.append((position, position + len(inside)))
        else:
            inside, after = "", part.replace(END_MARK, "")
        plain += [inside, after]
        position += len(inside) + len(after)
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


def _hit(row: _Row, passage: Folded, marked: str) -> SearchHit:
    plain, spans = _marked_spans(marked)
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
        snippet=_snippet(row.body, (start, end), marks),
        rank=row.rank,
    )


def _snippet(body: str, hit: tuple[int, int], marks: Sequence[tuple[int, int]]) -> str:
    """The words around the hit (a few before, more after), escaped, the matches marked."""
    words = [match.span() for match in _WORD.finditer(body)]
    if len(words) <= SNIPPET_WORDS_BEFORE + SNIPPET_WORDS_AFTER:
        first, last = 0, len(body)
    else:
        at = next((n for n, (_, e) in enumerate(words) if e > hit[0]), 0)
        upto = max(at, max((n for n, (s, _) in enumerate(words) if s < hit[1]), default=at))
        first = words[max(0, at - SNIPPET_WORDS_BEFORE)][0]
        last = words[min(len(words) - 1, upto + SNIPPET_WORDS_AFTER)][1]
    shown = [
        (max(s, first) - first, min(e, last) - first) for s, e in marks if s < last and e > first
    ]
    before = _ELLIPSIS if body[:first].strip() else ""
    after = _ELLIPSIS if body[last:].strip() else ""
    return before + _marked_html(body[first:last], shown) + after


def _marked_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)
