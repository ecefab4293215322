"""Library: the user's books, their chapters, cover and images; deleting a book."""

from __future__ import annotations

from chalice import Response

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, binary_response, json_response
from bookreader.ids import is_uuid
from bookreader.library import books, descriptions, keys, views
from bookreader.nlp.model import DESCRIPTION_TYPES
from bookreader.storage import delete_book_objects, get_store

app = BookReaderApp("library")


def _query(name: str) -> str | None:
    return (app.current_request.query_params or {}).get(name) or None


def _int_query(name: str, default: int, low: int, high: int) -> int:
    raw = _query(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BookReaderError(
            "query_invalid", f"{name} must be a whole number from {low} to {high}", 400
        )
    return int(raw)


@app.route("/books", methods=["GET"])
def list_books() -> Response:
    state, sort = _query("state"), _query("sort") or "created"
    if state and state not in books.STATES:
        raise BookReaderError(
            "query_invalid", f"state must be one of {', '.join(books.STATES)}", 400
        )
    if sort not in books.SORTS:
        raise BookReaderError("query_invalid", f"sort must be one of {', '.join(books.SORTS)}", 400)
    order = _query("order") or ("desc" if sort == "created" else "asc")
    if order not in ("asc", "desc"):
        raise BookReaderError("query_invalid", "order must be asc or desc", 400)
    page, page_size = _int_query("page", 1, 1, 100_000), _int_query("page_size", 20, 1, 100)
    items, total = books.list_books(
        app.user.sub,
        state=state,
        language=_query("language"),
        author=_query("author"),
        sort=sort,
        descending=order == "desc",
        page=page,
        page_size=page_size,
    )
    return json_response(
        {
            "items": [views.book_summary(book) for book in items],
            "total": total,
            "page": page,
            "page_size": page_size,
        }
    )


@app.route("/books/{book_id}", methods=["GET"])
def get_book(book_id: str) -> Response:
    book = books.get_book(app.user.sub, book_id)
    return json_response(views.book_detail(book, books.chapter_list(book_id)))


@app.route("/books/{book_id}/chapters/{index}", methods=["GET"])
def get_chapter(book_id: str, index: str) -> Response:
    book = books.get_book(app.user.sub, book_id)
    if not index.isdigit():
        raise BookReaderError("chapter_not_found", "Chapters are numbered from 0.", 404)
    chapter = books.get_chapter(book_id, int(index))
    return json_response(views.chapter_view(book, chapter, books.footnotes(book_id)))


def _image(book: dict, image_id: str) -> Response:
    image = books.get_image(book["id"], image_id)
    data = get_store().get(get_settings().books_bucket, image["object_key"])
    headers = {
        "Cache-Control": "private, max-age=86400",
        "ETag": f'"{book["id"]}-{image_id}"',
        # A book's SVG is untrusted: never let it run anything or be sniffed as HTML.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "X-Content-Type-Options": "nosniff",
    }
    if app.current_request.headers.get("if-none-match") == headers["ETag"]:
        return Response(body="", status_code=304, headers=headers)
    return binary_response(data, image["media_type"], headers=headers)


@app.route("/books/{book_id}/cover", methods=["GET"])
def get_cover(book_id: str) -> Response:
    book = books.get_book(app.user.sub, book_id)
    if not book["cover_image_id"]:
        raise BookReaderError("cover_not_found", "This book has no cover.", 404)
    return _image(book, book["cover_image_id"])


@app.route("/books/{book_id}/images/{image_id}", methods=["GET"])
def get_image(book_id: str, image_id: str) -> Response:
    return _image(books.get_book(app.user.sub, book_id), image_id)


@app.route("/books/{book_id}/descriptions", methods=["GET"])
def list_descriptions(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)
    kind = _query("type")
    if kind and kind not in DESCRIPTION_TYPES:
        raise BookReaderError(
            "query_invalid", f"type must be one of {', '.join(DESCRIPTION_TYPES)}", 400
        )
    chapter = _query("chapter")
    if chapter is not None and not chapter.isdigit():
        raise BookReaderError("query_invalid", "chapter must be a whole number", 400)
    try:
        min_confidence = float(_query("min_confidence") or 0)
    except ValueError:
        raise BookReaderError(
            "query_invalid", "min_confidence must be a number from 0 to 1", 400
        ) from None
    if not 0 <= min_confidence <= 1:
        raise BookReaderError("query_invalid", "min_confidence must be a number from 0 to 1", 400)
    limit = _int_query("limit", 50, 1, 500)
    items = descriptions.list_descriptions(
        book_id,
        chapter=int(chapter) if chapter is not None else None,
        kind=kind,
        min_confidence=min_confidence,
        after=_cursor(_query("cursor")),
        limit=limit + 1,
    )
    more = len(items) > limit
    items = items[:limit]
    last = items[-1] if items else None
    cursor = f"{last['chapter']}.{last['start_offset']}.{last['id']}" if more and last else None
    return json_response(
        {"items": [views.description_view(item) for item in items], "next": cursor}
    )


def _cursor(raw: str | None) -> tuple[int, int, str] | None:
    if raw is None:
        return None
    chapter, _, rest = raw.partition(".")
    start, _, description_id = rest.partition(".")
    if not (chapter.isdigit() and start.isdigit() and is_uuid(description_id)):
        raise BookReaderError("query_invalid", "cursor is not one this API returned", 400)
    return int(chapter), int(start), description_id


@app.route("/books/{book_id}/cast", methods=["GET"])
def get_cast(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)
    return json_response({"items": descriptions.list_cast(book_id)})


@app.route("/books/{book_id}", methods=["DELETE"])
def delete_book(book_id: str) -> Response:
    book = books.delete_book(app.user.sub, book_id)
    store, bucket = get_store(), get_settings().books_bucket
    prefixes = (book["object_key"].rsplit("/", 1)[0] + "/", keys.book_prefix(app.user.sub, book_id))
    delete_book_objects([item.key for prefix in prefixes for item in store.list(bucket, prefix)])
    return Response(body="", status_code=204)
