"""Admin: find users, change their role, disable them (their tokens stop working at once), set
their daily image quota, re-run a book's extraction."""

from __future__ import annotations

from chalice import Response
from pydantic import BaseModel, ConfigDict, Field

from bookreader import jobs
from bookreader.auth import users
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, json_response, parse_body
from bookreader.images import quota
from bookreader.library import books

app = BookReaderApp("admin")


def _int_param(name: str, default: int, low: int, high: int) -> int:
    raw = (app.current_request.query_params or {}).get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BookReaderError("query_invalid", f"{name} must be a whole number", 400) from None
    if not low <= value <= high:
        raise BookReaderError("query_invalid", f"{name} must be between {low} and {high}", 400)
    return value


@app.route("/admin/users", methods=["GET"], role="admin")
def list_users() -> object:
    query = (app.current_request.query_params or {}).get("q")
    page = users.list_users(
        query=query,
        page=_int_param("page", 1, 1, 1_000_000),
        page_size=_int_param("page_size", 20, 1, 100),
    )
    return page.model_dump(mode="json")


@app.route("/admin/users/{user_id}", methods=["PATCH"], role="admin")
def update_user(user_id: str) -> object:
    changes = parse_body(app.current_request, users.AdminUserUpdate)
    return users.admin_update_user(user_id, changes, actor_id=app.user.sub).model_dump(mode="json")


class QuotaUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # null removes the override: the user is back on the configured default.
    daily_limit: int | None = Field(ge=0, le=100_000)


@app.route("/admin/users/{user_id}/image-quota", methods=["GET"], role="admin")
def get_image_quota(user_id: str) -> Response:
    return json_response(quota.describe(users.get_user(user_id).id))


@app.route("/admin/users/{user_id}/image-quota", methods=["PUT"], role="admin")
def set_image_quota(user_id: str) -> Response:
    update = parse_body(app.current_request, QuotaUpdate)
    user = users.get_user(user_id)
    quota.set_daily_limit(app.user.sub, user.id, update.daily_limit)
    return json_response(quota.describe(user.id))


@app.route("/admin/books/{book_id}/extract", methods=["POST"], role="admin")
def rerun_extraction(book_id: str) -> Response:
    """Run extraction again for any book (e.g. after an extractor upgrade)."""
    book = books.get_book_by_id(book_id)
    if book is None:
        raise books.book_not_found()
    if book["state"] not in ("parsed", "extracting", "ready", "extraction_unsupported_language"):
        raise BookReaderError("book_not_parsed", f"The book is {book['state']}, not parsed.", 409)
    name = get_settings().extract_function_name
    if not name:
        raise BookReaderError("extract_unavailable", "Extraction is not deployed.", 503)
    jobs.invoke_async(name, {"book_id": book_id})
    return json_response({"book_id": book_id, "state": "queued"}, 202)
