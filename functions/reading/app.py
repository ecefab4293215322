"""Reading: where the reader is in a book. Saving the position is also what moves automatic
illustration along (the current chapter and the next N, never further)."""

from __future__ import annotations

from chalice import Response

from bookreader.api.schemas import SavedPosition
from bookreader.http import BookReaderApp, json_response, parse_body
from bookreader.images import auto, preferences
from bookreader.library import positions

app = BookReaderApp("reading")


@app.route("/books/{book_id}/position", methods=["GET"])
def get_position(book_id: str) -> Response:
    """The saved position, or null for a book not started yet: an ordinary first visit, not an
    error (404 stays for a book that is not the reader's)."""
    return json_response(positions.get_position(app.user.sub, book_id))


@app.route("/books/{book_id}/position", methods=["PUT"])
def save_position(book_id: str) -> Response:
    """Remember where the reader is; with automatic illustration on, draw what lies just ahead."""
    update = parse_body(app.current_request, positions.PositionUpdate)
    position = positions.save_position(app.user.sub, book_id, update)
    prefs = preferences.get_preferences(app.user.sub)
    queued = auto.illustrate_ahead(app.user.sub, book_id, position.chapter, prefs)
    return json_response(
        SavedPosition(**position.model_dump(), illustrating=[record.id for record in queued])
    )
