"""Illustrations: request pictures of passages, the book's gallery, one illustration,
regenerate, delete, and the reader's illustration settings. The drawing happens in the
generate function. (A book's own pictures are the library's `/books/{id}/images/…`.)"""

from __future__ import annotations

from chalice import Response

from bookreader.api.bodies import IllustrationRequest, SpanIllustrationRequest
from bookreader.api.queries import IllustrationListQuery, RecentIllustrationQuery
from bookreader.api.schemas import IllustrationList, IllustrationSettings, RecentIllustrationList
from bookreader.http import BookReaderApp, json_response, parse_body, parse_query
from bookreader.images import pipeline, preferences, quota, records
from bookreader.images.styles import STYLES
from bookreader.images.views import image_view, recent_view
from bookreader.library import books, descriptions

app = BookReaderApp("images")


def _body() -> IllustrationRequest:
    raw = app.current_request.raw_body
    return parse_body(app.current_request, IllustrationRequest) if raw else IllustrationRequest()


def _queued(record: records.ImageRecord, created: bool) -> Response:
    # Still queued when asked again: the first hand-off may have been lost (the queue was down
    # and the request answered 503), so hand it over again; generate runs an image once.
    if created or record.state == "queued":
        pipeline.start_generation(record)
    return json_response(image_view(record), 202 if created else 200)


@app.route("/descriptions/{description_id}/illustrations", methods=["POST"])
def request_illustration(description_id: str) -> Response:
    record, created = pipeline.request_image(app.user.sub, description_id, _body().style)
    return _queued(record, created)


@app.route("/books/{book_id}/illustrations", methods=["POST"])
def illustrate_span(book_id: str) -> Response:
    """Any passage the reader chose: a description of it is made once (the reader's own), then
    it is drawn like any other, through the same quota and pipeline."""
    body = parse_body(app.current_request, SpanIllustrationRequest)
    description_id = descriptions.choose_passage(
        app.user.sub, book_id, body.chapter, body.start, body.end
    )
    record, created = pipeline.request_image(app.user.sub, description_id, body.style)
    return _queued(record, created)


@app.route("/books/{book_id}/illustrations", methods=["GET"])
def gallery(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)
    query = parse_query(app.current_request, IllustrationListQuery)
    items = records.list_images(app.user.sub, book_id, chapter=query.chapter, kind=query.type)
    return json_response(IllustrationList(items=[image_view(item) for item in items]))


@app.route("/illustrations", methods=["GET"])
def recent_illustrations() -> Response:
    query = parse_query(app.current_request, RecentIllustrationQuery)
    items = records.list_recent_images(app.user.sub, query.limit)
    return json_response(RecentIllustrationList(items=[recent_view(item) for item in items]))


@app.route("/illustrations/{illustration_id}", methods=["GET"])
def get_illustration(illustration_id: str) -> Response:
    return json_response(image_view(records.get_image(illustration_id, app.user.sub)))


@app.route("/illustrations/{illustration_id}/regenerate", methods=["POST"])
def regenerate(illustration_id: str) -> Response:
    original = records.get_image(illustration_id, app.user.sub)
    record, created = pipeline.request_image(
        app.user.sub, original.description_id, _body().style, regenerate_of=illustration_id
    )
    return _queued(record, created)


@app.route("/illustrations/{illustration_id}", methods=["DELETE"])
def delete_illustration(illustration_id: str) -> Response:
    pipeline.delete_image(app.user.sub, illustration_id)
    return Response(body="", status_code=204)


def _settings(user_id: str, prefs: preferences.IllustrationPreferences) -> IllustrationSettings:
    return IllustrationSettings(
        **prefs.model_dump(), quota=quota.describe(user_id), styles=list(STYLES)
    )


@app.route("/settings/illustrations", methods=["GET"])
def get_illustration_settings() -> Response:
    user_id = app.user.sub
    return json_response(_settings(user_id, preferences.get_preferences(user_id)))


@app.route("/settings/illustrations", methods=["PATCH"])
def update_illustration_settings() -> Response:
    user_id = app.user.sub
    update = parse_body(app.current_request, preferences.PreferencesUpdate)
    return json_response(_settings(user_id, preferences.update_preferences(user_id, update)))
