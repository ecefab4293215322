"""The authorisation matrix: every API route in template.yaml, over HTTP through the gateway.

Routes are read from the template at collection time, so the routes later issues add are
checked without anyone touching this file:

- a route its function's `PublicRoutes` metadata lists never asks for a bearer token;
- every other route answers 401 without a token and with a garbage one, and accepts a user's
  valid token (unless it is an admin route);
- every route under /admin/ answers 403 to a user and lets an admin through;
- a route its function's `AppPasswordRoutes` lists takes an app password of its scope only:
  the OPDS catalogue by HTTP Basic (no credentials, a bearer token or the account password
  answer 401 with a Basic challenge), KOReader sync (scope `kosync`) by KOReader's
  `x-auth-user` / `x-auth-key` headers (answering the kosync protocol's 401 `{"code": 2001}`);
  and no other route takes an app password;
- whatever a route answers with a body is JSON labelled `application/json` (an app-password
  route's feeds are its own documented types).
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from bookreader.api.openapi import build_document
from local.template import ApiRoute, load_topology
from tests.support.auth_client import (
    AuthClient,
    Session,
    assert_error,
    forge,
    make_admin,
    unsigned_token,
    valid_claims,
)
from tests.support.inprocess import InProcessRuntime

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
TOPOLOGY = load_topology(TEMPLATE, {"DatabaseUrl": "x", "RedisUrl": "y", "JwtSecret": "x" * 32})
# "METHOD /path" entries of every function's PublicRoutes metadata.
PUBLIC = {entry for spec in TOPOLOGY.functions.values() for entry in spec.public_routes}
ROUTES = sorted(TOPOLOGY.routes, key=lambda route: (route.path, route.method))


def route_id(route: ApiRoute) -> str:
    return f"{route.method} {route.path}"


def is_public(route: ApiRoute) -> bool:
    spec = TOPOLOGY.functions[route.function]
    return route_id(route) in spec.public_routes or f"ANY {route.path}" in spec.public_routes


def is_admin(route: ApiRoute) -> bool:
    return route.path.startswith("/admin/")


def app_password_scope(route: ApiRoute) -> str | None:
    return TOPOLOGY.functions[route.function].app_password_routes.get(route_id(route))


APP_PASSWORD = [route for route in ROUTES if app_password_scope(route) is not None]
# KOReader sync carries the app password in its own headers and answers in its own shape.
KOSYNC = [route for route in APP_PASSWORD if app_password_scope(route) == "kosync"]
BASIC = [route for route in APP_PASSWORD if route not in KOSYNC]
PRIVATE = [route for route in ROUTES if not is_public(route) and route not in APP_PASSWORD]
ADMIN = [route for route in ROUTES if is_admin(route)]
USER_ROUTES = [route for route in PRIVATE if not is_admin(route)]


def call(
    client: AuthClient, route: ApiRoute, token: str | None = None, **kwargs
) -> requests.Response:
    """The route with each `{param}` (and `{proxy+}`) filled by a fresh UUID, no body."""
    path = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), route.path)
    method = "GET" if route.method == "ANY" else route.method
    return client.request(method, path, token=token, **kwargs)


def assert_refused(response: requests.Response, status: int, code: str | None = None) -> None:
    """The JSON error shape with `status` (and `code`); a HEAD answer has its headers only."""
    if response.request.method == "HEAD":
        assert response.status_code == status, response.status_code
        assert response.headers.get("Content-Type") == "application/json"
        assert not response.content
    else:
        assert_error(response, status, code)


def assert_not_the_guard(response: requests.Response) -> None:
    """The bearer-token guard did not turn the request away (whatever the route said next)."""
    assert "WWW-Authenticate" not in response.headers, response.text
    if response.status_code in (401, 403) and response.content and "error" in response.json():
        code = response.json()["error"]["code"]
        assert code not in {"unauthenticated", "token_invalid", "token_expired", "forbidden"}, (
            response.text
        )
    assert response.status_code < 500, response.text
    assert_json(response)


def _documented_media() -> dict[str, set[str]]:
    """ "METHOD /path" of the routes the API document says answer something other than JSON
    (an HTML page, a download), with the media types it names."""
    found: dict[str, set[str]] = {}
    for path, operations in build_document()["paths"].items():
        for method, operation in operations.items():
            media = set(operation["responses"].get("200", {}).get("content", {}))
            if media - {"application/json"}:
                found[f"{method.upper()} {path}"] = media
    return found


DOCUMENTED_MEDIA = _documented_media()


def assert_json(response: requests.Response) -> None:
    """A body, if any, is JSON and says so (a client must not have to guess), unless the route
    is documented as a page or a download of another type."""
    if not response.content:
        return
    path = urlsplit(response.request.url).path.removeprefix("/api")
    media = DOCUMENTED_MEDIA.get(f"{response.request.method} {path}")
    if media and response.ok:
        assert response.headers["Content-Type"].split(";")[0] in media, response.headers
        return
    assert response.headers.get("Content-Type") == "application/json", (
        f"{response.request.method} {response.request.url}: "
        f"{response.headers.get('Content-Type')!r} {response.text[:200]}"
    )
    response.json()


@pytest.fixture(scope="module")
def rt(inprocess_runtime: InProcessRuntime) -> InProcessRuntime:
    """Authorisation is HTTP semantics only: the functions are called in the test process."""
    return inprocess_runtime


@pytest.fixture(scope="module")
def client(rt: InProcessRuntime) -> AuthClient:
    return AuthClient(rt)


@pytest.fixture(scope="module")
def admin(client: AuthClient) -> Session:
    return make_admin(client)


@pytest.fixture
def user(client: AuthClient) -> Session:
    """A fresh user per test, so per-user API limits never add up across the matrix."""
    return client.register()


def test_the_matrix_sees_the_whole_template() -> None:
    ids = {route_id(route) for route in ROUTES}
    assert {
        "GET /health",
        "POST /auth/login",
        "GET /auth/me",
        "GET /admin/users",
        "GET /opds",
        "POST /books/{book_id}/exports",
        "GET /exports/{export_id}",
    } <= ids
    assert {route_id(route) for route in BASIC} >= {
        "GET /opds",
        "GET /opds/search",
        "GET /opds/v2",
        "GET /opds/v2/search",
    }
    assert {route_id(route) for route in KOSYNC} >= {"GET /kosync/users/auth"}
    unknown = PUBLIC - ids - {f"ANY {route.path}" for route in ROUTES}
    assert not unknown, f"PublicRoutes names routes the template does not have: {unknown}"
    assert PRIVATE and ADMIN and USER_ROUTES


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_without_a_token_only_public_routes_answer(client: AuthClient, route: ApiRoute) -> None:
    response = call(client, route)
    if is_public(route):
        assert_not_the_guard(response)
    elif route in KOSYNC:
        assert_kosync_unauthorized(response)
    else:
        assert_refused(response, 401, "unauthenticated")
        scheme = "Basic" if route in APP_PASSWORD else "Bearer"
        assert response.headers["WWW-Authenticate"].startswith(scheme)


def basic(login: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{login}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def app_password(client: AuthClient, user: Session, scopes: list[str]) -> str:
    response = client.request(
        "POST",
        "/account/app-passwords",
        token=user.access_token,
        json={"name": "Kobo Libra", "scopes": scopes},
    )
    assert response.status_code == 201, response.text
    return response.json()["password"]


def assert_kosync_unauthorized(response: requests.Response) -> None:
    """The kosync protocol's refusal: 401 `{"code": 2001, "message": "Unauthorized"}`."""
    assert response.status_code == 401, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"code": 2001, "message": "Unauthorized"}


def kosync_headers(login: str, password: str) -> dict[str, str]:
    """What KOReader sends: the login and the MD5 (hex) of the password it was given."""
    key = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    return {"x-auth-user": login, "x-auth-key": key}


@pytest.mark.parametrize("route", BASIC, ids=route_id)
def test_app_password_routes_refuse_tokens_and_the_account_password(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    other_scope = app_password(client, user, ["kosync"])
    for name, headers in {
        "bearer": user.auth,
        "account password": basic(user.email, user.password),
        "another scope": basic(user.email, other_scope),
        "garbage": {"Authorization": "Basic !!!"},
    }.items():
        response = call(client, route, headers=headers)
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
        assert_refused(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Basic realm="), name


@pytest.mark.parametrize("route", KOSYNC, ids=route_id)
def test_kosync_routes_refuse_tokens_basic_and_the_account_password(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    other_scope = app_password(client, user, ["opds"])
    sync = app_password(client, user, ["kosync"])
    for name, headers in {
        "bearer": user.auth,
        "basic with the right app password": basic(user.email, sync),
        "account password": kosync_headers(user.email, user.password),
        "another scope": kosync_headers(user.email, other_scope),
        "the secret itself as the key": {"x-auth-user": user.email, "x-auth-key": sync},
        "no login": kosync_headers("", sync),
    }.items():
        response = call(client, route, headers=headers)
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
        assert_kosync_unauthorized(response)


@pytest.mark.parametrize("route", KOSYNC, ids=route_id)
def test_kosync_routes_let_a_koreader_device_through(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    secret = app_password(client, user, ["kosync"])
    response = call(client, route, headers=kosync_headers(user.email, secret))
    assert response.status_code not in (401, 402) and response.status_code < 500, response.text
    assert_json(response)


@pytest.mark.parametrize("route", BASIC, ids=route_id)
def test_app_password_routes_let_a_device_through(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    secret = app_password(client, user, [app_password_scope(route) or ""])
    response = call(client, route, headers=basic(user.email, secret))
    assert "WWW-Authenticate" not in response.headers, response.text
    assert response.status_code not in (401, 403) and response.status_code < 500, response.text


@pytest.mark.parametrize("route", PRIVATE, ids=route_id)
def test_private_routes_refuse_an_app_password(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    secret = app_password(client, user, ["opds", "kosync"])
    assert_refused(call(client, route, headers=basic(user.email, secret)), 401, "unauthenticated")
    sync = kosync_headers(user.email, secret)
    assert_refused(call(client, route, headers=sync), 401, "unauthenticated")


def _garbage_tokens(rt: InProcessRuntime, user: Session) -> dict[str, str]:
    return {
        "garbage": "garbage",
        "jwt-shaped-garbage": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
        "alg-none": unsigned_token(valid_claims(user.id, "admin")),
        "wrong-secret": forge(rt, valid_claims(user.id, "admin"), key="z" * 64),
        "expired": forge(rt, valid_claims(user.id, "admin", exp=1_000_000_000, iat=999_999_000)),
    }


@pytest.mark.parametrize("route", PRIVATE, ids=route_id)
def test_private_routes_refuse_a_garbage_token_with_401(
    client: AuthClient, rt: InProcessRuntime, user: Session, route: ApiRoute
) -> None:
    for name, token in _garbage_tokens(rt, user).items():
        response = call(client, route, token=token)
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
        assert_refused(response, 401)


@pytest.mark.parametrize("route", PRIVATE, ids=route_id)
def test_private_routes_refuse_a_non_bearer_authorization_header(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    for header in (user.access_token, f"Basic {user.access_token}", "Bearer", "Bearer  "):
        response = call(client, route, headers={"Authorization": header})
        assert_refused(response, 401, "unauthenticated")


@pytest.mark.parametrize("route", USER_ROUTES, ids=route_id)
def test_user_routes_let_a_signed_in_user_through(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    assert_not_the_guard(call(client, route, token=user.access_token))


@pytest.mark.parametrize("route", ADMIN, ids=route_id)
def test_admin_routes_answer_403_to_a_user(
    client: AuthClient, user: Session, route: ApiRoute
) -> None:
    assert_refused(call(client, route, token=user.access_token), 403, "forbidden")


@pytest.mark.parametrize("route", ADMIN, ids=route_id)
def test_admin_routes_let_an_admin_through(
    client: AuthClient, admin: Session, route: ApiRoute
) -> None:
    assert_not_the_guard(call(client, route, token=admin.access_token))


def test_a_user_only_ever_sees_their_own_account(client: AuthClient) -> None:
    alice = client.register(display_name="Алиса")
    bob = client.register(display_name="Боб")
    for me, other in ((alice, bob), (bob, alice)):
        seen = client.me(me.access_token).json()
        assert (seen["id"], seen["email"]) == (me.id, me.email)
        assert other.id not in str(seen) and other.email not in str(seen)

    renamed = client.request(
        "PATCH", "/auth/me", token=alice.access_token, json={"display_name": "Алиса Б."}
    )
    assert renamed.status_code == 200 and renamed.json()["id"] == alice.id
    assert client.me(bob.access_token).json()["display_name"] == "Боб"


def test_a_user_cannot_change_another_user_or_themselves_through_admin_routes(
    client: AuthClient,
) -> None:
    alice = client.register()
    bob = client.register()
    for target in (bob.id, alice.id):
        for change in ({"role": "admin"}, {"disabled": True}):
            response = client.request(
                "PATCH", f"/admin/users/{target}", token=alice.access_token, json=change
            )
            assert_refused(response, 403, "forbidden")
    assert_error(client.request("GET", "/admin/users", token=alice.access_token), 403)

    for session in (alice, bob):
        me = client.me(session.access_token)
        assert me.status_code == 200, "the refused requests changed nobody"
        assert me.json()["role"] == "user" and me.json()["disabled"] is False
