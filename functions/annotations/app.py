"""Annotations: a reader's bookmarks, highlights and notes in their books, and the export of
them (Markdown, JSON, Readwise CSV) for one book or all."""

from __future__ import annotations

from chalice import Response

from bookreader.annotations import export, store
from bookreader.annotations.model import (
    BookmarkCreate,
    BookmarkList,
    HighlightCreate,
    HighlightList,
    HighlightUpdate,
)
from bookreader.api.queries import AnnotationExportQuery
from bookreader.http import BookReaderApp, json_response, parse_body, parse_query

app = BookReaderApp("annotations")


@app.route("/books/{book_id}/bookmarks", methods=["GET"])
def list_bookmarks(book_id: str) -> Response:
    return json_response(BookmarkList(items=store.list_bookmarks(app.user.sub, book_id)))


@app.route("/books/{book_id}/bookmarks", methods=["POST"])
def create_bookmark(book_id: str) -> Response:
    body = parse_body(app.current_request, BookmarkCreate)
    return json_response(store.create_bookmark(app.user.sub, book_id, body), 201)


@app.route("/bookmarks/{bookmark_id}", methods=["DELETE"])
def delete_bookmark(bookmark_id: str) -> Response:
    store.delete_bookmark(app.user.sub, bookmark_id)
    return Response(body="", status_code=204)


@app.route("/books/{book_id}/highlights", methods=["GET"])
def list_highlights(book_id: str) -> Response:
    return json_response(HighlightList(items=store.list_highlights(app.user.sub, book_id)))


@app.route("/books/{book_id}/highlights", methods=["POST"])
def create_highlight(book_id: str) -> Response:
    body = parse_body(app.current_request, HighlightCreate)
    return json_response(store.create_highlight(app.user.sub, book_id, body), 201)


@app.route("/highlights/{highlight_id}", methods=["PATCH"])
def update_highlight(highlight_id: str) -> Response:
    body = parse_body(app.current_request, HighlightUpdate)
    return json_response(store.update_highlight(app.user.sub, highlight_id, body))


@app.route("/highlights/{highlight_id}", methods=["DELETE"])
def delete_highlight(highlight_id: str) -> Response:
    store.delete_highlight(app.user.sub, highlight_id)
    return Response(body="", status_code=204)


def _download(book_id: str | None) -> Response:
    fmt = parse_query(app.current_request, AnnotationExportQuery).format
    found = export.collect(app.user.sub, book_id)
    name = export.filename(found, fmt, whole_library=book_id is None)
    return Response(
        body=export.render(found, fmt),
        status_code=200,
        headers={
            "Content-Type": export.MEDIA_TYPES[fmt],
            "Content-Disposition": export.content_disposition(name),
            "Cache-Control": "no-store",
        },
    )


@app.route("/books/{book_id}/annotations/export", methods=["GET"])
def export_book(book_id: str) -> Response:
    return _download(book_id)


@app.route("/annotations/export", methods=["GET"])
def export_all() -> Response:
    return _download(None)
