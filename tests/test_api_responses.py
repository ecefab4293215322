"""The running product answers what its OpenAPI document says: a reader's walk through every
operation (register → upload → read → passages → position → illustrations → admin), each
answer checked against the schema the document gives for its route, status and media type."""

from __future__ import annotations

import base64
import hashlib
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator

from bookreader.api.openapi import build_document
from local.launcher import RunningRuntime
from tests.support.auth_client import AuthClient, Session, make_admin, refresh_cookie_of

KASHTANKA = (
    Path(__file__).parent
    / "fixtures"
    / "books"
    / "epub"
    / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
)
HEFTY_WATER = KASHTANKA.parent / "en-idpf-hefty-water.epub3-minimal.epub"
DOCUMENT = build_document()
# An id nothing has: fixed, so every collection of the tests (xdist workers too) names them alike.
NOBODYS_ID = "5f0c6a1e-0000-4000-8000-00000000dead"


class Contract:
    """Sends requests and checks each answer against the document; remembers what it saw."""

    def __init__(self, client: AuthClient) -> None:
        self.client = client
        self.seen: set[tuple[str, str, int]] = set()

    def call(
        self, method: str, template: str, expected: int, *, path: str | None = None, **kwargs: Any
    ) -> requests.Response:
        response = self.client.request(method, path or template, **kwargs)
        assert response.status_code == expected, (
            f"{method} {path or template}: {response.text[:400]}"
        )
        assert_documented(method, template, response)
        self.seen.add((method, template, expected))
        return response


def assert_documented(method: str, template: str, response: requests.Response) -> None:
    operation = DOCUMENT["paths"][template][method.lower()]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, (
        f"{method} {template} answered undocumented {response.status_code}"
    )
    content = documented.get("content")
    if not content:
        assert not response.content, f"{method} {template}: a body where none is documented"
        return
    full_type = response.headers.get("Content-Type", "")
    media_type = full_type.split(";")[0]
    # A download may come in several media types (chosen by a query parameter): the one sent.
    declared, media = (
        (media_type, content[media_type]) if media_type in content else next(iter(content.items()))
    )
    if ";" in declared:  # a profile the type names (OPDS feeds): all of it must match
        assert full_type.replace(" ", "") == declared, (method, template, full_type)
        return
    if declared.endswith("/*"):
        assert media_type.startswith(declared[:-1]), (template, media_type)
        return
    assert media_type == declared, (method, template, media_type)
    if declared == "application/json":
        schema = {**media["schema"], "components": DOCUMENT["components"]}
        errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=str)
        assert not errors, f"{method} {template} {response.status_code}: " + "; ".join(
            f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]
        )


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    """The session's shared runtime: the tests here bring users of their own."""
    return product_runtime


@pytest.fixture(scope="module")
def contract(rt: RunningRuntime) -> Contract:
    return Contract(AuthClient(rt))


def _wait_book(contract: Contract, token: str, book_id: str, states: tuple[str, ...]) -> dict:
    deadline = time.time() + 240
    while time.time() < deadline:
        book = contract.call(
            "GET", "/books/{book_id}", 200, path=f"/books/{book_id}", token=token
        ).json()
        if book["state"] in (*states, "failed"):
            return book
        time.sleep(0.25)
    raise AssertionError(f"book stuck in {book['state']}")


def _wait_illustration(contract: Contract, token: str, illustration_id: str) -> dict:
    deadline = time.time() + 120
    while time.time() < deadline:
        path = f"/illustrations/{illustration_id}"
        picture = contract.call(
            "GET", "/illustrations/{illustration_id}", 200, path=path, token=token
        ).json()
        if picture["state"] in ("ready", "failed"):
            return picture
        time.sleep(0.2)
    raise AssertionError(f"illustration stuck in {picture['state']}")


def test_docs_are_served_publicly(contract: Contract) -> None:
    document = contract.call("GET", "/openapi.json", 200).json()
    assert document == DOCUMENT
    page = contract.call("GET", "/docs", 200)
    assert "<script" not in page.text.lower() and "http" not in page.text.split("<body>")[0]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    for path, methods in DOCUMENT["paths"].items():
        assert path in page.text.replace("&#x27;", "'"), path
        for operation in methods.values():
            assert f'id="op-{operation["operationId"]}"' in page.text
    assert re.search(r'id="schema-BookDetail"', page.text)


def test_health_answers_as_documented(contract: Contract) -> None:
    contract.call("GET", "/health", 200)
    contract.call("GET", "/health/ready", 200)


def test_a_readers_walk_matches_the_document(contract: Contract) -> None:
    # --- account -----------------------------------------------------------------------------
    email, password = f"walk-{uuid.uuid4().hex[:10]}@example.com", "a walk through the contract 7"
    registered = contract.call(
        "POST", "/auth/register", 201, json={"email": email, "password": password, "locale": "en"}
    )
    signed_in = contract.call(
        "POST", "/auth/login", 200, json={"email": email, "password": password}
    )
    token = signed_in.json()["access_token"]
    cookie = refresh_cookie_of(signed_in).value
    # A visitor without a session: 200 null as documented, not a 401 the browser logs.
    assert contract.call("POST", "/auth/refresh", 200).json() is None
    refreshed = contract.call("POST", "/auth/refresh", 200, cookie=cookie)
    token = refreshed.json()["access_token"]
    assert (
        registered.json()["user"]["id"]
        == contract.call("GET", "/auth/me", 200, token=token).json()["id"]
    )
    contract.call("PATCH", "/auth/me", 200, token=token, json={"display_name": "Walker"})

    # --- upload: the presigned way, then the same file directly: one shape, one id ----------
    data = KASHTANKA.read_bytes()
    started = contract.call(
        "POST",
        "/uploads",
        201,
        token=token,
        json={
            "filename": KASHTANKA.name,
            "size": len(data),
            "content_type": "application/epub+zip",
        },
    ).json()
    book_id = started["book"]["id"]
    assert started["existing"] is False and started["book"]["state"] == "uploading"
    put = requests.put(
        started["upload"]["url"], data=data, headers=started["upload"]["headers"], timeout=30
    )
    assert put.status_code == 200, put.text
    book = _wait_book(contract, token, book_id, ("extracting", "ready", "parsed"))
    assert book["state"] != "failed", book["error"]
    assert book["direction"] == "ltr"
    again = contract.call(
        "POST",
        "/books",
        200,
        token=token,
        files={"file": (KASHTANKA.name, data, "application/epub+zip")},
    ).json()
    assert again["book"]["id"] == book_id and again["existing"] is True and again["upload"] is None
    known = contract.call(
        "POST",
        "/uploads",
        200,
        token=token,
        json={
            "filename": "copy.epub",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    ).json()
    assert known["book"]["id"] == book_id and known["upload"] is None

    # --- the library and reading ------------------------------------------------------------
    page = contract.call(
        "GET", "/books", 200, token=token, params={"sort": "title", "page_size": "5"}
    ).json()
    assert [item["id"] for item in page["items"]] == [book_id]
    readable = next(chapter for chapter in book["chapters"] if chapter["word_count"] > 0)
    chapter = contract.call(
        "GET",
        "/books/{book_id}/chapters/{index}",
        200,
        path=f"/books/{book_id}/chapters/{readable['index']}",
        token=token,
    ).json()
    start, end = chapter["paragraphs"][0]
    assert chapter["text"][start:end].strip() and chapter["text"][start:end] in chapter["text"]
    if book["has_cover"]:
        contract.call(
            "GET", "/books/{book_id}/cover", 200, path=f"/books/{book_id}/cover", token=token
        )
    else:
        contract.call(
            "GET", "/books/{book_id}/cover", 404, path=f"/books/{book_id}/cover", token=token
        )
    contract.call(
        "GET",
        "/books/{book_id}/images/{image_id}",
        404,
        path=f"/books/{book_id}/images/none.png",
        token=token,
    )
    unstarted = contract.call(
        "GET", "/books/{book_id}/position", 200, path=f"/books/{book_id}/position", token=token
    )
    assert unstarted.json() is None  # not started yet: null, not 404
    saved = contract.call(
        "PUT",
        "/books/{book_id}/position",
        200,
        path=f"/books/{book_id}/position",
        token=token,
        json={"chapter": readable["index"], "offset": start},
    ).json()
    assert saved["illustrating"] == []
    contract.call(
        "GET", "/books/{book_id}/position", 200, path=f"/books/{book_id}/position", token=token
    )

    # --- passages, cast and illustrations ---------------------------------------------------
    book = _wait_book(contract, token, book_id, ("ready", "extraction_unsupported_language"))
    assert book["state"] == "ready", book
    first = contract.call(
        "GET",
        "/books/{book_id}/descriptions",
        200,
        path=f"/books/{book_id}/descriptions",
        token=token,
        params={"limit": "2"},
    ).json()
    assert first["items"] and first["next"]
    contract.call(
        "GET",
        "/books/{book_id}/descriptions",
        200,
        path=f"/books/{book_id}/descriptions",
        token=token,
        params={"limit": "2", "cursor": first["next"]},
    )
    found = contract.call(
        "GET",
        "/books/{book_id}/search",
        200,
        path=f"/books/{book_id}/search",
        token=token,
        params={"q": "the", "limit": "1"},
    ).json()
    assert "items" in found
    contract.call("GET", "/search", 200, token=token, params={"q": '"a phrase'})
    contract.call("GET", "/books/{book_id}/cast", 200, path=f"/books/{book_id}/cast", token=token)
    contract.call(
        "GET",
        "/books/{book_id}/cast",
        200,
        path=f"/books/{book_id}/cast",
        token=token,
        params={"unread": "true"},
    )
    contract.call("GET", "/settings/illustrations", 200, token=token)
    contract.call("PATCH", "/settings/illustrations", 200, token=token, json={"per_chapter": 3})
    description_id = first["items"][0]["id"]
    queued = contract.call(
        "POST",
        "/descriptions/{description_id}/illustrations",
        202,
        path=f"/descriptions/{description_id}/illustrations",
        token=token,
    ).json()
    picture = _wait_illustration(contract, token, queued["id"])
    assert picture["state"] == "ready" and picture["url"], picture
    contract.call(
        "POST",
        "/descriptions/{description_id}/illustrations",
        200,
        path=f"/descriptions/{description_id}/illustrations",
        token=token,
    )
    gallery = contract.call(
        "GET",
        "/books/{book_id}/illustrations",
        200,
        path=f"/books/{book_id}/illustrations",
        token=token,
        params={"chapter": str(first["items"][0]["chapter"])},
    ).json()
    assert queued["id"] in [item["id"] for item in gallery["items"]]
    recent = contract.call("GET", "/illustrations", 200, token=token, params={"limit": "5"}).json()
    assert recent["items"][0]["id"] == queued["id"]
    fresh = contract.call(
        "POST",
        "/illustrations/{illustration_id}/regenerate",
        202,
        path=f"/illustrations/{queued['id']}/regenerate",
        token=token,
        json={"style": "engraving"},
    ).json()
    _wait_illustration(contract, token, fresh["id"])
    contract.call(
        "DELETE",
        "/illustrations/{illustration_id}",
        204,
        path=f"/illustrations/{fresh['id']}",
        token=token,
    )

    # --- bookmarks, highlights, notes and their export ----------------------------------------
    quote = chapter["text"][start:end]
    highlights_path = f"/books/{book_id}/highlights"
    made = contract.call(
        "POST",
        "/books/{book_id}/highlights",
        201,
        path=highlights_path,
        token=token,
        json={"chapter": readable["index"], "start": start, "end": end, "quote": quote},
    ).json()
    contract.call(
        "POST",
        "/books/{book_id}/highlights",
        422,
        path=highlights_path,
        token=token,
        json={"chapter": readable["index"], "start": start, "end": end, "quote": quote + "!"},
    )
    contract.call("GET", "/books/{book_id}/highlights", 200, path=highlights_path, token=token)
    contract.call(
        "PATCH",
        "/highlights/{highlight_id}",
        200,
        path=f"/highlights/{made['id']}",
        token=token,
        json={"note": "**why** it matters", "color": "green"},
    )
    bookmarks_path = f"/books/{book_id}/bookmarks"
    mark = contract.call(
        "POST",
        "/books/{book_id}/bookmarks",
        201,
        path=bookmarks_path,
        token=token,
        json={"chapter": readable["index"], "offset": start},
    ).json()
    contract.call("GET", "/books/{book_id}/bookmarks", 200, path=bookmarks_path, token=token)
    for export_format in ("md", "json", "csv"):
        contract.call(
            "GET",
            "/books/{book_id}/annotations/export",
            200,
            path=f"/books/{book_id}/annotations/export",
            token=token,
            params={"format": export_format},
        )
    contract.call("GET", "/annotations/export", 200, token=token)
    contract.call(
        "DELETE", "/bookmarks/{bookmark_id}", 204, path=f"/bookmarks/{mark['id']}", token=token
    )
    contract.call(
        "DELETE", "/highlights/{highlight_id}", 204, path=f"/highlights/{made['id']}", token=token
    )
    chosen = contract.call(
        "POST",
        "/books/{book_id}/illustrations",
        202,
        path=f"/books/{book_id}/illustrations",
        token=token,
        json={"chapter": readable["index"], "start": start, "end": min(end, start + 300)},
    ).json()
    _wait_illustration(contract, token, chosen["id"])

    # --- the illustrated EPUB export --------------------------------------------------------
    export = contract.call(
        "POST",
        "/books/{book_id}/exports",
        202,
        path=f"/books/{book_id}/exports",
        token=token,
        json={"format": "epub", "illustrations": "ready"},
    ).json()
    contract.call("GET", "/exports/{export_id}", 200, path=f"/exports/{export['id']}", token=token)

    # --- administration ---------------------------------------------------------------------
    admin: Session = make_admin(contract.client)
    contract.call("GET", "/admin/overview", 200, token=admin.access_token)
    users = contract.call(
        "GET", "/admin/users", 200, token=admin.access_token, params={"q": email}
    ).json()
    user_id = users["items"][0]["id"]
    quota_path = f"/admin/users/{user_id}/image-quota"
    contract.call(
        "GET", "/admin/users/{user_id}/image-quota", 200, path=quota_path, token=admin.access_token
    )
    contract.call(
        "PUT",
        "/admin/users/{user_id}/image-quota",
        200,
        path=quota_path,
        token=admin.access_token,
        json={"daily_limit": 7},
    )
    contract.call(
        "PATCH",
        "/admin/users/{user_id}",
        200,
        path=f"/admin/users/{user_id}",
        token=admin.access_token,
        json={"disabled": False},
    )

    # --- e-readers: an app password and the OPDS catalogue ----------------------------------
    device = contract.call(
        "POST",
        "/account/app-passwords",
        201,
        token=token,
        json={"name": "Kobo", "scopes": ["opds"]},
    ).json()
    listed = contract.call("GET", "/account/app-passwords", 200, token=token).json()
    assert [item["id"] for item in listed["items"]] == [device["id"]]
    basic = base64.b64encode(f"{email}:{device['password']}".encode()).decode()
    as_device = {"headers": {"Authorization": f"Basic {basic}"}}
    contract.call("GET", "/opds", 200, **as_device)
    contract.call("GET", "/opds/recent", 200, **as_device)
    contract.call("GET", "/opds/books", 200, params={"language": "ru"}, **as_device)
    contract.call("GET", "/opds/authors", 200, **as_device)
    contract.call("GET", "/opds/languages", 200, **as_device)
    contract.call("GET", "/opds/search", 200, params={"q": "Каштанка"}, **as_device)
    contract.call("GET", "/opds/opensearch.xml", 200, **as_device)
    download = contract.call(
        "GET",
        "/opds/books/{book_id}/file",
        302,
        path=f"/opds/books/{book_id}/file",
        allow_redirects=False,
        **as_device,
    )
    assert requests.get(download.headers["Location"], timeout=30).content == data
    # The illustrated edition: the export asked for above, reused; 503 while it is built.
    illustrated = f"/opds/books/{book_id}/illustrated.epub"
    deadline = time.time() + 120
    while time.time() < deadline:
        building = contract.client.request("GET", illustrated, allow_redirects=False, **as_device)
        if building.status_code != 503:
            break
        assert_documented("GET", "/opds/books/{book_id}/illustrated.epub", building)
        assert int(building.headers["Retry-After"]) >= 1
        time.sleep(0.5)
    edition = contract.call(
        "GET",
        "/opds/books/{book_id}/illustrated.epub",
        302,
        path=illustrated,
        allow_redirects=False,
        **as_device,
    )
    assert requests.get(edition.headers["Location"], timeout=30).content[:2] == b"PK"
    for feed in (
        "/opds",
        "/opds/recent",
        "/opds/books",
        "/opds/authors",
        "/opds/languages",
        "/opds/opensearch.xml",
    ):
        contract.call("HEAD", feed, 200, **as_device)
    contract.call("HEAD", "/opds/search", 200, params={"q": "Каштанка"}, **as_device)
    # The same catalogue as OPDS 2.0 (JSON).
    v2_feeds = ("/opds/v2", "/opds/v2/recent", "/opds/v2/authors", "/opds/v2/languages")
    for feed in v2_feeds:
        contract.call("GET", feed, 200, **as_device)
        contract.call("HEAD", feed, 200, **as_device)
    contract.call("GET", "/opds/v2/books", 200, params={"language": "ru"}, **as_device)
    contract.call("HEAD", "/opds/v2/books", 200, **as_device)
    contract.call("GET", "/opds/v2/search", 200, params={"query": "Каштанка"}, **as_device)
    contract.call("HEAD", "/opds/v2/search", 200, params={"query": "Каштанка"}, **as_device)
    for method in ("GET", "HEAD"):
        contract.call(
            method,
            "/opds/v2/books/{book_id}",
            200,
            path=f"/opds/v2/books/{book_id}",
            **as_device,
        )
    contract.call("GET", "/opds", 401, headers={"Authorization": f"Bearer {token}"})
    contract.call(
        "DELETE",
        "/account/app-passwords/{app_password_id}",
        204,
        path=f"/account/app-passwords/{device['id']}",
        token=token,
    )

    # --- e-readers: KOReader's progress sync (the kosync protocol) --------------------------
    sync_secret = contract.call(
        "POST",
        "/account/app-passwords",
        201,
        token=token,
        json={"name": "KOReader", "scopes": ["kosync"]},
    ).json()["password"]
    koreader = {
        "Accept": "application/vnd.koreader.v1+json",
        "x-auth-user": email,
        "x-auth-key": hashlib.md5(sync_secret.encode(), usedforsecurity=False).hexdigest(),
    }
    contract.call(
        "POST",
        "/kosync/users/create",
        402,
        json={"username": email, "password": koreader["x-auth-key"]},
    )
    contract.call("GET", "/kosync/users/auth", 200, headers=koreader)
    contract.call("GET", "/kosync/users/auth", 401, headers={**koreader, "x-auth-key": "0" * 32})
    document = hashlib.md5(b"a file of KOReader's own", usedforsecurity=False).hexdigest()
    progress = {
        "document": document,
        "progress": "/body/DocFragment[2]/body/p[3]/text().4",
        "percentage": 0.25,
        "device": "Kobo_io",
        "device_id": "A1B2",
    }
    contract.call("PUT", "/kosync/syncs/progress", 200, headers=koreader, json=progress)
    contract.call("PUT", "/kosync/syncs/progress", 403, headers=koreader, json={"progress": "1"})
    pulled = contract.call(
        "GET",
        "/kosync/syncs/progress/{document}",
        200,
        path=f"/kosync/syncs/progress/{document}",
        headers=koreader,
    ).json()
    assert pulled["progress"] == progress["progress"] and pulled["device_id"] == "A1B2"

    # --- leaving ----------------------------------------------------------------------------
    fresh_token = contract.call(
        "POST",
        "/auth/password",
        200,
        token=token,
        json={"current_password": password, "new_password": password + " and more"},
    ).json()["access_token"]
    # Re-extraction takes the book out of `ready` for a while: last, so the illustrated
    # edition above (ready books only) never races it.
    contract.call(
        "POST",
        "/admin/books/{book_id}/extract",
        202,
        path=f"/admin/books/{book_id}/extract",
        token=admin.access_token,
    )
    # Delete a small book of its own: the admin's re-extraction may still run on the first.
    small = contract.call(
        "POST",
        "/books",
        201,
        token=fresh_token,
        files={"file": (HEFTY_WATER.name, HEFTY_WATER.read_bytes(), "application/epub+zip")},
    ).json()["book"]["id"]
    settled = ("ready", "extraction_unsupported_language")
    assert _wait_book(contract, fresh_token, small, settled)["state"] in settled
    contract.call(
        "POST",
        "/admin/books/{book_id}/parse",
        202,
        path=f"/admin/books/{small}/parse",
        token=admin.access_token,
    )
    contract.call("DELETE", "/books/{book_id}", 204, path=f"/books/{small}", token=fresh_token)
    contract.call("POST", "/auth/logout", 204, token=fresh_token)

    walked = {(method, template) for method, template, _ in contract.seen}
    documented = {
        (method.upper(), path)
        for path, methods in DOCUMENT["paths"].items()
        for method in methods
        if path not in ("/health", "/health/ready", "/openapi.json", "/docs")
    }
    assert documented <= walked, f"not walked: {sorted(documented - walked)}"


@pytest.mark.parametrize(
    ("method", "template", "path", "query", "status", "code"),
    [
        ("GET", "/books", "/books", {"page": "²"}, 422, "validation_failed"),
        ("GET", "/books", "/books", {"page_size": "٣"}, 422, "validation_failed"),
        ("GET", "/books", "/books", {"page": "99999999999999999999"}, 422, "validation_failed"),
        ("GET", "/books", "/books", {"author": "a\x00b"}, 422, "validation_failed"),
        ("GET", "/books", "/books", {"language": "\x00"}, 422, "validation_failed"),
        ("GET", "/books", "/books", {"sort": "nonsense"}, 422, "validation_failed"),
        ("GET", "/books/{book_id}", f"/books/{NOBODYS_ID}", {}, 404, "book_not_found"),
        (
            "GET",
            "/illustrations/{illustration_id}",
            f"/illustrations/{NOBODYS_ID}",
            {},
            404,
            None,
        ),
    ],
)
def test_bad_requests_answer_documented_errors(
    contract: Contract,
    method: str,
    template: str,
    path: str,
    query: dict,
    status: int,
    code: str | None,
) -> None:
    session = contract.client.register()
    response = contract.call(
        method, template, status, path=path, token=session.access_token, params=query
    )
    if code:
        assert response.json()["error"]["code"] == code
    if status == 422:
        named = [field["field"] for field in response.json()["error"]["details"]["fields"]]
        assert named == list(query)


def test_out_of_range_chapter_numbers_are_not_found(contract: Contract, rt: RunningRuntime) -> None:
    session = contract.client.register()
    data = KASHTANKA.read_bytes()
    made = contract.call(
        "POST",
        "/books",
        201,
        token=session.access_token,
        files={"file": (KASHTANKA.name, data, "application/epub+zip")},
    ).json()
    book_id = made["book"]["id"]
    _wait_book(contract, session.access_token, book_id, ("parsed", "extracting", "ready"))
    for index in ("99999999999999999999", "2147483648", "²", "-1", "1.0"):
        response = contract.call(
            "GET",
            "/books/{book_id}/chapters/{index}",
            404,
            path=f"/books/{book_id}/chapters/{index}",
            token=session.access_token,
        )
        assert response.json()["error"]["code"] == "chapter_not_found"


def test_unauthenticated_calls_answer_the_documented_401(contract: Contract) -> None:
    contract.call("GET", "/books", 401)
    contract.call("GET", "/auth/me", 401)
