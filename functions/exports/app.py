"""Exports: ask for a book as a file to take elsewhere (an EPUB with the reader's
illustrations), and follow it until it can be downloaded. The building happens in the export
function."""

from __future__ import annotations

from chalice import Response

from bookreader.exports import pipeline, records
from bookreader.exports.views import export_view
from bookreader.http import BookReaderApp, json_response, parse_body
from bookreader.library import books

app = BookReaderApp("exports")


@app.route("/books/{book_id}/exports", methods=["POST"])
def request_export(book_id: str) -> Response:
    request = parse_body(app.current_request, pipeline.ExportRequest)
    record, _ = pipeline.request_export(app.user.sub, book_id, request)
    book = books.get_book(app.user.sub, book_id)
    status = 200 if record.state == "ready" else 202
    return json_response(export_view(record, book.title or book.filename), status)


@app.route("/exports/{export_id}", methods=["GET"])
def get_export(export_id: str) -> Response:
    record = records.get_export(export_id, app.user.sub)
    book = books.get_book(app.user.sub, record.book_id)
    return json_response(export_view(record, book.title or book.filename))
