"""Schemathesis against the running product: every operation of the OpenAPI document, called by
a signed-in administrator who owns an uploaded book, with generated valid and invalid requests.
No answer is a 5xx, every answer's status is one the document lists for its route, and every
body matches the schema the document gives for that status.

`make test` runs a few examples per operation; `make fuzz` sets `FUZZ_EXAMPLES` for a long run.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bookreader.api.openapi import build_document
from bookreader.ids import is_uuid
from local.launcher import RunningRuntime
from tests.support.auth_client import (
    AuthClient,
    Session,
    assert_error,
    error_fields,
    fake_ip,
    make_admin,
)

BOOK = (
    Path(__file__).parent / "fixtures" / "books" / "epub" / "en-idpf-hefty-water.epub3-minimal.epub"
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Under pytest-xdist schemathesis folds every operation into one test (and its bookkeeping of
# what was answered goes astray): `make test-python` runs this module alone, in one process.
pytestmark = pytest.mark.serial

# Generated requests that would end the session or spend the book the others read: their path
# ids stay as generated (almost always unknown: a 404 or a 422).
KEEP_GENERATED = {
    "DELETE /books/{book_id}",
    "POST /admin/books/{book_id}/extract",
    "PATCH /admin/users/{user_id}",
}

DOCUMENT = build_document()
schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT))
# Routes e-reader apps call with HTTP Basic and an app password instead of a bearer token.
APP_PASSWORD_ROUTES = {
    f"{method.upper()} {path}"
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if operation["security"] == [{"appPassword": []}]
}
# KOReader's progress sync: the email and the MD5 of an app password in headers of its own.
KOSYNC_ROUTES = {
    f"{method.upper()} {path}"
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if operation["security"] == [{"kosyncUser": [], "kosyncKey": []}]
}
ANSWERED: dict[str, set[int]] = {}  # "METHOD /path" → the statuses the fuzzed calls got


@dataclass
class Reader:
    """The signed-in administrator, the book they uploaded and ids of their real data."""

    client: AuthClient
    session: Session
    signed_in_at: float
    ids: dict[str, str] = field(default_factory=dict)
    chapter_count: int = 0
    # An e-reader of another account (its reads have a per-user budget of their own), signing
    # in with an app password to the routes e-reader apps call.
    device_login: str = ""

    def headers(self, key: str) -> dict[str, str]:
        # Each request from its own address, so the per-address limits do not end the run.
        headers = {"X-Forwarded-For": fake_ip()}
        if key == "POST /auth/logout":
            return headers  # signing out would revoke the token every other case uses
        if key in APP_PASSWORD_ROUTES:
            login = base64.b64encode(self.device_login.encode()).decode()
            return {**headers, "Authorization": f"Basic {login}"}
        if key in KOSYNC_ROUTES:
            email, _, secret = self.device_login.partition(":")
            key_hex = hashlib.md5(secret.encode(), usedforsecurity=False).hexdigest()
            return {**headers, "x-auth-user": email, "x-auth-key": key_hex}
        # Access tokens live 15 minutes; a long `make fuzz` run signs in again before then.
        if time.monotonic() - self.signed_in_at > 600:
            self.session = self.client.login(self.session.email, self.session.password)
            self.signed_in_at = time.monotonic()
        return {**headers, "Authorization": f"Bearer {self.session.access_token}"}

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.client.request(method, path, token=self.session.access_token, **kwargs)


@pytest.fixture(scope="module")
def runtime(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    with services.product_runtime(tmp_path_factory.mktemp("fuzz")) as running:
        yield running


@pytest.fixture(scope="module")
def reader(runtime: RunningRuntime) -> Reader:
    client = AuthClient(runtime)
    admin = make_admin(client)
    uploaded = client.request(
        "POST",
        "/books",
        token=admin.access_token,
        files={"file": (BOOK.name, BOOK.read_bytes(), "application/epub+zip")},
    )
    assert uploaded.status_code in (200, 201), uploaded.text
    book_id = uploaded.json()["book"]["id"]
    reader = Reader(client, admin, time.monotonic(), {"book_id": book_id, "user_id": admin.id})
    owner = client.register()
    device = client.request(
        "POST", "/account/app-passwords", token=owner.access_token, json={"name": "Fuzzer"}
    )
    assert device.status_code == 201, device.text
    reader.device_login = f"{owner.email}:{device.json()['password']}"
    deadline = time.monotonic() + 240
    book: dict[str, Any] = {"state": ""}
    while time.monotonic() < deadline and book["state"] not in ("ready", "failed"):
        time.sleep(0.5)
        book = client.request("GET", f"/books/{book_id}", token=admin.access_token).json()
    assert book["state"] == "ready", f"the fuzzed book ended {book['state']}"
    reader.chapter_count = book["chapter_count"]
    passages = client.request(
        "GET", f"/books/{book_id}/descriptions", token=admin.access_token
    ).json()["items"]
    if passages:
        reader.ids["description_id"] = passages[0]["id"]
    return reader


def _use_real_ids(case: schemathesis.Case, reader: Reader) -> None:
    """Point about half the generated well-formed ids at the reader's own data (and chapter
    numbers at its chapters), so handlers run past their "not found" on real rows; the other
    half stay unknown ids."""
    key = f"{case.method.upper()} {case.path}"
    parameters = case.path_parameters
    if key in KEEP_GENERATED or not parameters:
        return
    for name, value in parameters.items():
        real = reader.ids.get(name)
        if real is not None and is_uuid(value) and int(str(value)[0], 16) < 8:
            parameters[name] = real
            index = parameters.get("index")
            if isinstance(index, int) and index >= 0 and reader.chapter_count:
                parameters["index"] = index % reader.chapter_count


# --- the classes of input that once answered 500, each closed for every route it reaches ---

# A JSON string with NUL in each body that takes one: PostgreSQL stores it in neither text
# (22021) nor jsonb (22P05), so the edge refuses it, naming the field.
NUL_BODIES = [
    ("POST", "/auth/register", {"email": "a\x00b@example.com", "password": "x"}, "email"),
    ("POST", "/auth/login", {"email": "reader@example.com", "password": "a\x00"}, "password"),
    ("PATCH", "/auth/me", {"display_name": "Анна\x00"}, "display_name"),
    ("PATCH", "/auth/me", {"preferences": {"theme": "sepia\x00"}}, "preferences.theme"),
    ("PATCH", "/auth/me", {"preferences": {"the\x00me": "sepia"}}, "preferences.'the\\x00me'"),
    ("POST", "/auth/password", {"current_password": "\x00", "new_password": "x"}, None),
    ("POST", "/uploads", {"filename": "книга\x00.epub", "size": 10}, "filename"),
    ("PATCH", "/settings/illustrations", {"style": "\x00"}, "style"),
    ("POST", "/books/{book_id}/exports", {"format": "epub", "style": "\x00"}, "style"),
    ("PUT", "/books/{book_id}/position", {"chapter": 0, "offset": 0, "x\x00": 1}, None),
    ("PATCH", "/admin/users/{user_id}", {"role": "admin\x00"}, "role"),
    ("PUT", "/admin/users/{user_id}/image-quota", {"daily_limit": "\x00"}, "daily_limit"),
]


@pytest.mark.parametrize(("method", "template", "body", "field_name"), NUL_BODIES)
def test_nul_in_a_json_body_is_refused_with_422(
    reader: Reader, method: str, template: str, body: dict, field_name: str | None
) -> None:
    response = reader.call(method, template.format(**reader.ids), json=body)
    error = assert_error(response, 422, "validation_failed")
    if field_name is not None:
        assert field_name in error_fields(error), error


def test_nul_in_any_query_or_path_is_refused_or_not_found(reader: Reader) -> None:
    book = reader.ids["book_id"]
    for path, params in [
        ("/books", {"q": "a\x00"}),
        ("/books", {"author": "\x00"}),
        ("/books", {"language": "ru\x00"}),
        ("/admin/users", {"q": "\x00"}),
        (f"/books/{book}/descriptions", {"cursor": "1.2.\x00"}),
        (f"/books/{book}/descriptions", {"type": "place\x00"}),
        ("/illustrations", {"limit": "1\x00"}),
    ]:
        assert_error(reader.call("GET", path, params=params), 422, "validation_failed")
    for path in [
        "/books/%00",
        f"/books/{book}/chapters/%00",
        f"/books/{book}/images/%00",
        "/illustrations/%00",
        "/admin/users/%00/image-quota",
    ]:
        assert_error(reader.call("GET", path), 404)


def test_whole_numbers_past_postgres_integer_are_refused_in_every_query(reader: Reader) -> None:
    book = reader.ids["book_id"]
    big = "2147483648"
    for path, params in [
        ("/books", {"page": big}),
        ("/books", {"page_size": "99999999999999999999"}),
        (f"/books/{book}/descriptions", {"chapter": big}),
        (f"/books/{book}/descriptions", {"limit": big}),
        (f"/books/{book}/descriptions", {"cursor": f"{big}.0.{book}"}),
        (f"/books/{book}/descriptions", {"cursor": f"0.{big}.{book}"}),
        (f"/books/{book}/illustrations", {"chapter": big}),
        ("/illustrations", {"limit": big}),
        ("/admin/users", {"page": big}),
    ]:
        error = assert_error(reader.call("GET", path, params=params), 422, "validation_failed")
        assert error_fields(error) == set(params), (path, error)
    # The only whole number in a path: a chapter index.
    for index in (big, "99999999999999999999", "٣", "²"):
        assert_error(
            reader.call("GET", f"/books/{book}/chapters/{index}"), 404, "chapter_not_found"
        )
    for body in ({"chapter": 2**31, "offset": 0}, {"chapter": 0, "offset": 10**30}):
        response = reader.call("PUT", f"/books/{book}/position", json=body)
        assert_error(response, 422, "validation_failed")


def test_a_method_a_route_lacks_answers_the_json_405_whatever_the_method(reader: Reader) -> None:
    for method in ("TRACE", "QUERY", "PROPFIND", "BREW"):
        response = reader.call(method, "/books")
        assert_error(response, 405, "method_not_allowed")
        assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("FUZZ_EXAMPLES"),
)
def test_every_operation_answers_as_documented(case: schemathesis.Case, reader: Reader) -> None:
    _use_real_ids(case, reader)
    key = f"{case.method.upper()} {case.path}"
    response = case.call_and_validate(
        base_url=reader.client.url,
        headers=reader.headers(key),
        checks=CHECKS,
        timeout=30,
        allow_redirects=False,  # a download's 302 is the documented answer
    )
    ANSWERED.setdefault(key, set()).add(response.status_code)
    # Every operation also documents `default` (the error shape), which lets any status pass
    # schemathesis's conformance check: hold the answer to the statuses listed by number.
    listed = DOCUMENT["paths"].get(case.path, {}).get(case.method.lower())
    if listed is not None:
        assert str(response.status_code) in listed["responses"], (key, response.status_code)


def test_the_fuzzing_reached_the_readers_data() -> None:
    """Generated requests got past authentication and "not found" into real rows."""
    if not ANSWERED:
        pytest.skip("the schemathesis cases did not run")
    for key in (
        "GET /auth/me",
        "GET /books",
        "GET /books/{book_id}",
        "GET /books/{book_id}/chapters/{index}",
        "GET /admin/users",
        "GET /opds/recent",
        "GET /kosync/users/auth",
    ):
        assert 200 in ANSWERED.get(key, set()), (key, ANSWERED.get(key))
