"""Reading: where the reader is in a book. Saving the position is also what moves automatic
illustration along (the current chapter and the next N, never further)."""

from __future__ import annotations

from chalice import Response

from bookreader.api.schemas import SavedPosition
from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, json_response, parse_body
from bookreader.images import auto, preferences
from bookreader.library import positions

app = BookReaderApp("reading")


@app.route("/books/{book_id}/position", methods=["GET"])
def get_position(book_id: str) -> Response:
    position = positions.get_position(app.user.sub, book_id)
    if position is None:
        raise BookReaderError("position_not_found", "You have not started this book yet.", 404)
    return json_response(position)


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
