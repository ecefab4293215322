"""Search: words in one book or in all the reader's books, hits with offsets and snippets."""

from __future__ import annotations

from chalice import Response

from bookreader.http import BookReaderApp, json_response, parse_query
from bookreader.library import books
from bookreader.search.queries import SearchQuery
from bookreader.search.query import search

app = BookReaderApp("search")


@app.route("/books/{book_id}/search", methods=["GET"])
def search_book(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)  # someone else's book: 404, like a missing one
    query = parse_query(app.current_request, SearchQuery)
    page = search(
        app.user.sub,
        query.q,
        book_id=book_id,
        limit=query.limit,
        offset=query.offset,
        order=query.order,
    )
    return json_response(page)


@app.route("/search", methods=["GET"])
def search_library() -> Response:
    query = parse_query(app.current_request, SearchQuery)
    page = search(
        app.user.sub,
        query.q,
        limit=query.limit,
        offset=query.offset,
        order=query.order,
        with_books=query.cursor is None,
    )
    return json_response(page)
