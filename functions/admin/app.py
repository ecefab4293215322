"""Admin: find users, change their role, disable them (their tokens stop working at once), set
their daily image quota, re-run a book's extraction, parse a book again."""

from __future__ import annotations

from chalice import Response

from bookreader import jobs
from bookreader.api.bodies import QuotaUpdate
from bookreader.api.queries import UserListQuery
from bookreader.api.schemas import ExtractionQueued, ReparseQueued
from bookreader.auth import users
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, json_response, parse_body, parse_query
from bookreader.images import quota
from bookreader.library import books
from bookreader.library.lifecycle import READABLE
from bookreader.library.reparse import REPARSABLE, book_not_reparsable
from bookreader.overview import admin_overview

app = BookReaderApp("admin")


@app.route("/admin/overview", methods=["GET"], role="admin")
def overview() -> Response:
    return json_response(admin_overview())


@app.route("/admin/users", methods=["GET"], role="admin")
def list_users() -> Response:
    query = parse_query(app.current_request, UserListQuery)
    page = users.list_users(query=query.q, page=query.page, page_size=query.page_size)
    return json_response(page)


@app.route("/admin/users/{user_id}", methods=["PATCH"], role="admin")
def update_user(user_id: str) -> Response:
    changes = parse_body(app.current_request, users.AdminUserUpdate)
    return json_response(users.admin_update_user(user_id, changes, actor_id=app.user.sub))


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
    if book.state not in READABLE:
        raise BookReaderError("book_not_parsed", f"The book is {book.state}, not parsed.", 409)
    name = get_settings().extract_function_name
    if not name:
        raise BookReaderError("extract_unavailable", "Extraction is not deployed.", 503)
    jobs.invoke_async(name, {"book_id": book_id})
    return json_response(ExtractionQueued(book_id=book_id), 202)


@app.route("/admin/books/{book_id}/parse", methods=["POST"], role="admin")
def reparse(book_id: str) -> Response:
    """Parse a book's file again (e.g. after a parser fix); highlights, bookmarks and
    descriptions are re-anchored in the new text, then extraction runs again."""
    book = books.get_book_by_id(book_id)
    if book is None:
        raise books.book_not_found()
    if book.state not in REPARSABLE:
        raise book_not_reparsable(book.state)
    name = get_settings().parse_function_name
    if not name:
        raise BookReaderError("parse_unavailable", "Parsing is not deployed.", 503)
    jobs.invoke_async(name, {"reparse_book_id": book_id})
    return json_response(ReparseQueued(book_id=book_id), 202)
