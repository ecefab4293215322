"""OPDS: the reader's library as an OPDS 1.2 catalogue for e-reader apps (KOReader, Moon+
Reader, FBReader, Thorium, KyBook), signed in with HTTP Basic: email and an app password; the
same feeds as OPDS 2.0 (JSON) under `/opds/v2` for the apps that read it (Thorium, Readium)."""

from __future__ import annotations

import json

from chalice import Response

from bookreader.api.queries import (
    Opds2SearchQuery,
    OpdsBooksQuery,
    OpdsPageQuery,
    OpdsSearchQuery,
)
from bookreader.auth import users
from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, parse_query
from bookreader.library import books
from bookreader.library.lifecycle import READABLE
from bookreader.opds import acquisition, opds2, opensearch
from bookreader.opds.atom import (
    ACQUISITION,
    NAVIGATION,
    OPDS_JSON,
    OPENSEARCH_DESCRIPTION,
    Feed,
    render_feed,
)
from bookreader.opds.catalog import OPDS_PUBLICATION, PRODUCT, Catalog, Version

app = BookReaderApp("opds")

# Feeds answer HEAD like GET without the body: KOReader checks a feed's headers with HEAD
# before its "sync catalog" downloads.
FEED_METHODS = ["GET", "HEAD"]
# Feeds carry short-lived picture URLs and private data: revalidated, never shared by caches.
_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _catalog(version: Version = 1) -> Catalog:
    user = users.get_user(app.device.user_id)
    return Catalog(user_id=user.id, base=app.mount_prefix, locale=user.locale, version=version)


def _atom(feed: Feed, kind: str) -> Response:
    body = render_feed(feed).decode("utf-8")
    return Response(body=body, status_code=200, headers={"Content-Type": kind, **_HEADERS})


def _json(document: opds2.Json, kind: str = OPDS_JSON) -> Response:
    body = json.dumps(document, ensure_ascii=False)
    return Response(body=body, status_code=200, headers={"Content-Type": kind, **_HEADERS})


@app.route("/opds", methods=FEED_METHODS, app_password="opds")
def root() -> Response:
    return _atom(_catalog().root(), NAVIGATION)


@app.route("/opds/recent", methods=FEED_METHODS, app_password="opds")
def recent() -> Response:
    query = parse_query(app.current_request, OpdsPageQuery)
    return _atom(_catalog().recent(query.page), ACQUISITION)


@app.route("/opds/books", methods=FEED_METHODS, app_password="opds")
def all_books() -> Response:
    query = parse_query(app.current_request, OpdsBooksQuery)
    feed = _catalog().all_books(query.page, author=query.author, language=query.language)
    return _atom(feed, ACQUISITION)


@app.route("/opds/authors", methods=FEED_METHODS, app_password="opds")
def authors() -> Response:
    query = parse_query(app.current_request, OpdsPageQuery)
    return _atom(_catalog().authors(query.page), NAVIGATION)


@app.route("/opds/languages", methods=FEED_METHODS, app_password="opds")
def languages() -> Response:
    return _atom(_catalog().languages(), NAVIGATION)


@app.route("/opds/search", methods=FEED_METHODS, app_password="opds")
def search() -> Response:
    query = parse_query(app.current_request, OpdsSearchQuery)
    return _atom(_catalog().search(query.q, query.page), ACQUISITION)


@app.route("/opds/opensearch.xml", methods=FEED_METHODS, app_password="opds")
def opensearch_description() -> Response:
    catalog = _catalog()
    body = opensearch.render_description(
        catalog.path("/search"), PRODUCT, catalog.say("search_about")
    ).decode("utf-8")
    return Response(
        body=body, status_code=200, headers={"Content-Type": OPENSEARCH_DESCRIPTION, **_HEADERS}
    )


@app.route("/opds/books/{book_id}/file", methods=["GET"], app_password="opds")
def download(book_id: str) -> Response:
    """302 to a short-lived URL of the original file (see `opds.acquisition`)."""
    book = books.get_book(app.device.user_id, book_id)
    if book.state not in READABLE:
        raise BookReaderError("book_not_ready", "This book cannot be opened yet.", 409)
    return Response(
        body="",
        status_code=302,
        headers={"Location": acquisition.download_url(book), **_HEADERS},
    )


@app.route("/opds/books/{book_id}/illustrated.epub", methods=["GET"], app_password="opds")
def download_illustrated(book_id: str) -> Response:
    """302 to the illustrated EPUB once built; 503 with `Retry-After` while it is being made
    (see `opds.acquisition`)."""
    url = acquisition.illustrated_download_url(app.device.user_id, book_id)
    return Response(body="", status_code=302, headers={"Location": url, **_HEADERS})


# --- the same feeds as OPDS 2.0 (JSON) -------------------------------------------------------


@app.route("/opds/v2", methods=FEED_METHODS, app_password="opds")
def root_v2() -> Response:
    return _json(opds2.render_feed(_catalog(2).root()))


@app.route("/opds/v2/recent", methods=FEED_METHODS, app_password="opds")
def recent_v2() -> Response:
    query = parse_query(app.current_request, OpdsPageQuery)
    return _json(opds2.render_feed(_catalog(2).recent(query.page)))


@app.route("/opds/v2/books", methods=FEED_METHODS, app_password="opds")
def all_books_v2() -> Response:
    query = parse_query(app.current_request, OpdsBooksQuery)
    feed = _catalog(2).all_books(query.page, author=query.author, language=query.language)
    return _json(opds2.render_feed(feed))


@app.route("/opds/v2/books/{book_id}", methods=FEED_METHODS, app_password="opds")
def publication_v2(book_id: str) -> Response:
    return _json(opds2.render_publication(_catalog(2).publication(book_id)), OPDS_PUBLICATION)


@app.route("/opds/v2/authors", methods=FEED_METHODS, app_password="opds")
def authors_v2() -> Response:
    query = parse_query(app.current_request, OpdsPageQuery)
    return _json(opds2.render_feed(_catalog(2).authors(query.page)))


@app.route("/opds/v2/languages", methods=FEED_METHODS, app_password="opds")
def languages_v2() -> Response:
    return _json(opds2.render_feed(_catalog(2).languages()))


@app.route("/opds/v2/search", methods=FEED_METHODS, app_password="opds")
def search_v2() -> Response:
    query = parse_query(app.current_request, Opds2SearchQuery)
    return _json(opds2.render_feed(_catalog(2).search(query.query, query.page)))
