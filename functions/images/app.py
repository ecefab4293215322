"""Images: request illustrations for descriptions, the book's gallery, one image, regenerate,
delete, and the reader's illustration settings. The drawing happens in the generate function."""

from __future__ import annotations

from chalice import Response
from pydantic import BaseModel, Field

from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, json_response, parse_body
from bookreader.images import pipeline, preferences, quota, records
from bookreader.images.views import image_view
from bookreader.library import books
from bookreader.nlp.model import DESCRIPTION_TYPES

app = BookReaderApp("images")


class ImageRequest(BaseModel):
    style: str | None = Field(None, max_length=40)


def _body() -> ImageRequest:
    raw = app.current_request.raw_body
    return parse_body(app.current_request, ImageRequest) if raw else ImageRequest()


def _queued(record: records.ImageRecord, created: bool) -> Response:
    if created:
        pipeline.start_generation(record)
    return json_response(image_view(record), 202 if created else 200)


@app.route("/descriptions/{description_id}/images", methods=["POST"])
def request_image(description_id: str) -> Response:
    record, created = pipeline.request_image(app.user.sub, description_id, _body().style)
    return _queued(record, created)


@app.route("/books/{book_id}/images", methods=["GET"])
def gallery(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)
    query = app.current_request.query_params or {}
    chapter, kind = query.get("chapter"), query.get("type")
    if chapter is not None and not chapter.isdigit():
        raise BookReaderError("query_invalid", "chapter must be a whole number", 400)
    if kind is not None and kind not in DESCRIPTION_TYPES:
        raise BookReaderError(
            "query_invalid", f"type must be one of {', '.join(DESCRIPTION_TYPES)}", 400
        )
    items = records.list_images(
        app.user.sub, book_id, chapter=int(chapter) if chapter else None, kind=kind
    )
    return json_response({"items": [image_view(item) for item in items]})


@app.route("/images/{image_id}", methods=["GET"])
def get_image(image_id: str) -> Response:
    return json_response(image_view(records.get_image(image_id, app.user.sub)))


@app.route("/images/{image_id}/regenerate", methods=["POST"])
def regenerate(image_id: str) -> Response:
    original = records.get_image(image_id, app.user.sub)
    record, created = pipeline.request_image(
        app.user.sub, original.description_id, _body().style, regenerate_of=image_id
    )
    return _queued(record, created)


@app.route("/images/{image_id}", methods=["DELETE"])
def delete_image(image_id: str) -> Response:
    pipeline.delete_image(app.user.sub, image_id)
    return Response(body="", status_code=204)


def _settings_view(user_id: str, prefs: preferences.IllustrationPreferences) -> dict:
    return {**prefs.model_dump(mode="json"), "quota": quota.describe(user_id)}


@app.route("/settings/illustrations", methods=["GET"])
def get_illustration_settings() -> Response:
    user_id = app.user.sub
    return json_response(_settings_view(user_id, preferences.get_preferences(user_id)))


@app.route("/settings/illustrations", methods=["PATCH"])
def update_illustration_settings() -> Response:
    user_id = app.user.sub
    update = parse_body(app.current_request, preferences.PreferencesUpdate)
    return json_response(_settings_view(user_id, preferences.update_preferences(user_id, update)))
