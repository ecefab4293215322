"""Library: the user's books, their chapters, cover and images; deleting a book."""

from __future__ import annotations

from chalice import Response

from bookreader.api.queries import BookListQuery, CastQuery, DescriptionListQuery
from bookreader.api.schemas import BookPage, CastList, DescriptionPage
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.http import (
    BookReaderApp,
    binary_response,
    json_response,
    parse_query,
    path_number,
)
from bookreader.library import books, descriptions, positions, removal, views
from bookreader.library.records import BookRecord
from bookreader.storage import get_store

app = BookReaderApp("library")


@app.route("/books", methods=["GET"])
def list_books() -> Response:
    query = parse_query(app.current_request, BookListQuery)
    items, total = books.list_books(
        app.user.sub,
        state=query.state,
        language=query.language,
        author=query.author,
        text=query.q,
        sort=query.sort,
        descending=query.descending,
        page=query.page,
        page_size=query.page_size,
    )
    return json_response(
        BookPage(
            items=[views.book_summary(book) for book in items],
            total=total,
            page=query.page,
            page_size=query.page_size,
        )
    )


@app.route("/books/{book_id}", methods=["GET"])
def get_book(book_id: str) -> Response:
    book = books.get_book(app.user.sub, book_id)
    return json_response(views.book_detail(book, books.chapter_list(book_id)))


@app.route("/books/{book_id}/chapters/{index}", methods=["GET"])
def get_chapter(book_id: str, index: str) -> Response:
    book = books.get_book(app.user.sub, book_id)
    number = path_number(index)
    if number is None:
        raise BookReaderError("chapter_not_found", "Chapters are numbered from 0.", 404)
    chapter = books.get_chapter(book_id, number)
    return json_response(views.chapter_view(book, chapter, books.footnotes(book_id)))


def _image(book: BookRecord, image_id: str) -> Response:
    image = books.get_image(book.id, image_id)
    data = get_store().get(get_settings().books_bucket, image.object_key)
    headers: dict[str, str | list[str]] = {
        "Cache-Control": "private, max-age=86400",
        "ETag": f'"{book.id}-{image_id}"',
        # A book's SVG is untrusted: never let it run anything or be sniffed as HTML.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "X-Content-Type-Options": "nosniff",
    }
    if app.current_request.headers.get("if-none-match") == headers["ETag"]:
        return Response(body="", status_code=304, headers=headers)
    return binary_response(data, image.media_type, headers=headers)


@app.route("/books/{book_id}/cover", methods=["GET"])
def get_cover(book_id: str) -> Response:
    book = books.get_book(app.user.sub, book_id)
    if not book.cover_image_id:
        raise BookReaderError("cover_not_found", "This book has no cover.", 404)
    return _image(book, book.cover_image_id)


@app.route("/books/{book_id}/images/{image_id}", methods=["GET"])
def get_image(book_id: str, image_id: str) -> Response:
    return _image(books.get_book(app.user.sub, book_id), image_id)


@app.route("/books/{book_id}/descriptions", methods=["GET"])
def list_descriptions(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)
    query = parse_query(app.current_request, DescriptionListQuery)
    items = descriptions.list_descriptions(
        book_id,
        chapter=query.chapter,
        kind=query.type,
        min_confidence=query.min_confidence,
        after=query.after,
        limit=query.limit + 1,
    )
    more = len(items) > query.limit
    items = items[: query.limit]
    last = items[-1] if items else None
    cursor = f"{last.chapter}.{last.start_offset}.{last.id}" if more and last else None
    return json_response(
        DescriptionPage(items=[views.description_view(item) for item in items], next=cursor)
    )


@app.route("/books/{book_id}/cast", methods=["GET"])
def get_cast(book_id: str) -> Response:
    books.get_book(app.user.sub, book_id)
    query = parse_query(app.current_request, CastQuery)
    if query.unread:
        members, hidden, reached = descriptions.list_cast(book_id)[0], 0, None
    else:
        # No spoilers: the saved position says how far the reader is; before it, nowhere yet.
        position = positions.get_position(app.user.sub, book_id)
        reached = position.chapter if position else None
        members, hidden = descriptions.list_cast(
            book_id, up_to_chapter=reached if reached is not None else -1
        )
    return json_response(
        CastList.model_validate({"items": members, "hidden": hidden, "reached_chapter": reached})
    )


@app.route("/books/{book_id}", methods=["DELETE"])
def delete_book(book_id: str) -> Response:
    removal.remove_book(app.user.sub, book_id)
    return Response(body="", status_code=204)
