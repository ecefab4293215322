"""The auth API over HTTP (production template, real PostgreSQL and Redis): accounts, tokens
and their attacks, rate limits, trusted proxies, failing closed, and the first administrator.

HTTP semantics only, so the tests call the functions in the test process (tests/support/
inprocess.py); the real runtime serves the one about its HTTP server's own headers."""

from __future__ import annotations

import json
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from bookreader.auth import sessions
from bookreader.db import connect
from local.launcher import RunningRuntime
from local.services import EmbeddedRedis
from tests.support.auth_client import (
    AuthClient,
    Session,
    assert_error,
    b64url_json,
    claims_of,
    error_fields,
    fake_ip,
    forge,
    make_admin,
    new_email,
    refresh_cookie_of,
    run_admin_cli,
    strong_password,
    unsigned_token,
    valid_claims,
)
from tests.support.inprocess import InProcessRuntime, start_inprocess

ONE_MEGABYTE = b'{"padding": "' + b"x" * (1024 * 1024) + b'"}'
# Another site of ours that may use the API from a browser (ALLOWED_ORIGINS).
PARTNER_ORIGIN = "https://reader.example"


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[InProcessRuntime]:
    """One API for the module (in this process); tests use their own users and client
    addresses."""
    with services.inprocess_runtime(
        tmp_path_factory.mktemp("auth-http"), ALLOWED_ORIGINS=PARTNER_ORIGIN
    ) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def client(rt: InProcessRuntime) -> AuthClient:
    return AuthClient(rt)


@pytest.fixture(scope="module")
def admin(client: AuthClient) -> Session:
    return make_admin(client)


@pytest.fixture
def reader(client: AuthClient) -> Session:
    return client.register()


def assert_signed_in(response: requests.Response, status: int, email: str) -> dict[str, Any]:
    """The answer of register and login: token, type, lifetime, user, and the refresh cookie."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "user"}
    assert body["token_type"] == "bearer"
    assert isinstance(body["expires_in"], int) and 0 < body["expires_in"] <= 3600
    assert body["user"]["email"] == email.strip().lower()
    assert body["user"]["role"] == "user" and body["user"]["disabled"] is False
    assert "password" not in json.dumps(body["user"])
    claims = claims_of(body["access_token"])
    assert {"iss", "aud", "sub", "role", "iat", "exp", "jti"} <= set(claims)
    assert claims["sub"] == body["user"]["id"] and claims["role"] == "user"
    cookie = refresh_cookie_of(response)
    assert cookie.value and cookie.value not in response.text, "refresh token only in the cookie"
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Strict"
    # The path the browser uses for the auth routes: the runtime serves the API under /api.
    assert cookie["path"] == "/api/auth"
    assert int(cookie["max-age"]) > 0
    return body


# --- accounts ------------------------------------------------------------------------------


def test_register_answers_201_with_tokens_user_and_a_locked_down_refresh_cookie(
    client: AuthClient,
) -> None:
    email = new_email()
    response = client.request(
        "POST",
        "/auth/register",
        json={"email": email, "password": strong_password(), "locale": "en"},
    )
    body = assert_signed_in(response, 201, email)
    assert body["user"]["locale"] == "en"
    assert body["user"]["display_name"] == email.split("@")[0]


def test_login_answers_200_with_the_same_shape(client: AuthClient) -> None:
    user = client.register()
    response = client.request(
        "POST", "/auth/login", json={"email": user.email, "password": user.password}
    )
    body = assert_signed_in(response, 200, user.email)
    assert body["user"]["id"] == user.id
    assert refresh_cookie_of(response).value != user.refresh_token, "each login, its own session"


def test_login_ignores_the_case_and_spaces_of_the_email(client: AuthClient) -> None:
    user = client.register()
    session = client.login(f"  {user.email.upper()} ", user.password)
    assert session.id == user.id


def test_register_cannot_choose_a_role(client: AuthClient) -> None:
    email = new_email()
    response = client.request(
        "POST",
        "/auth/register",
        json={"email": email, "password": strong_password(), "role": "admin", "disabled": False},
    )
    body = assert_signed_in(response, 201, email)
    assert body["user"]["role"] == "user"


def test_me_returns_the_callers_profile(client: AuthClient, reader: Session) -> None:
    response = client.me(reader.access_token)
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["id"] == reader.id and me["email"] == reader.email
    assert set(me) >= {"display_name", "locale", "role", "disabled", "preferences"}
    assert "password_hash" not in me


def test_patch_me_changes_name_locale_and_merges_preferences(
    client: AuthClient, reader: Session
) -> None:
    before = client.me(reader.access_token).json()["preferences"]
    response = client.request(
        "PATCH",
        "/auth/me",
        token=reader.access_token,
        json={
            "display_name": "Лев Николаевич",
            "locale": "en",
            "preferences": {"theme": "dark", "font_size": 22},
        },
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["display_name"] == "Лев Николаевич"
    assert changed["locale"] == "en"
    assert changed["preferences"] == {**before, "theme": "dark", "font_size": 22}
    assert client.me(reader.access_token).json() == changed, "the change is stored"

    back = client.request("PATCH", "/auth/me", token=reader.access_token, json={"locale": "ru"})
    assert back.status_code == 200 and back.json()["locale"] == "ru"
    assert back.json()["preferences"]["theme"] == "dark", "fields not sent are kept"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"locale": "de"}, "locale"),
        ({"locale": "RU"}, "locale"),
        ({"preferences": {"no_such_setting": True}}, "preferences.no_such_setting"),
        ({"preferences": {"font_size": 1000}}, "preferences.font_size"),
        ({"preferences": {"theme": "neon"}}, "preferences.theme"),
        ({"preferences": ["dark"]}, "preferences"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 101}, "display_name"),
        ({"role": "admin"}, "role"),
        ({"email": "someone-else@example.com"}, "email"),
    ],
    ids=[
        "unknown-locale",
        "upper-case-locale",
        "unknown-preference",
        "preference-out-of-range",
        "preference-bad-choice",
        "preferences-not-an-object",
        "blank-name",
        "long-name",
        "role",
        "email",
    ],
)
def test_patch_me_rejects_invalid_or_unknown_fields_with_422(
    client: AuthClient, reader: Session, body: dict, field: str
) -> None:
    before = client.me(reader.access_token).json()
    response = client.request("PATCH", "/auth/me", token=reader.access_token, json=body)
    error = assert_error(response, 422)
    assert field in error_fields(error), error
    assert client.me(reader.access_token).json() == before, "nothing was changed"


def test_password_change_needs_the_current_password(client: AuthClient, reader: Session) -> None:
    response = client.request(
        "POST",
        "/auth/password",
        token=reader.access_token,
        json={"current_password": "not my password at all", "new_password": strong_password()},
    )
    assert_error(response, 403, "password_incorrect")
    assert client.me(reader.access_token).status_code == 200, "a wrong guess revokes nothing"


@pytest.mark.parametrize(
    ("new_password", "reason"),
    [("short1!", "too_short"), ("password123", "too_common"), ("qwertyuiop", "too_common")],
)
def test_password_change_refuses_a_weak_new_password(
    client: AuthClient, reader: Session, new_password: str, reason: str
) -> None:
    response = client.request(
        "POST",
        "/auth/password",
        token=reader.access_token,
        json={"current_password": reader.password, "new_password": new_password},
    )
    error = assert_error(response, 422, "password_weak")
    assert error["details"]["reason"] == reason
    assert client.login(reader.email, reader.password).id == reader.id, "password unchanged"


def test_password_change_ends_other_sessions_and_old_tokens_and_returns_a_working_token(
    client: AuthClient,
) -> None:
    here = client.register()
    elsewhere = client.login(here.email, here.password)
    new_password = strong_password()

    response = client.request(
        "POST",
        "/auth/password",
        token=here.access_token,
        cookie=here.refresh_token,
        json={"current_password": here.password, "new_password": new_password},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0

    assert_no_session(client.refresh(elsewhere.refresh_token))
    assert_error(client.me(elsewhere.access_token), 401)
    assert_error(client.me(here.access_token), 401)
    fresh = client.me(body["access_token"])
    assert fresh.status_code == 200 and fresh.json()["id"] == here.id
    # The session that changed the password goes on.
    assert client.refresh(here.refresh_token).status_code == 200

    old = client.request(
        "POST", "/auth/login", json={"email": here.email, "password": here.password}
    )
    assert_error(old, 401, "invalid_credentials")
    assert client.login(here.email, new_password).id == here.id


# --- bad input -----------------------------------------------------------------------------

REQUIRED_FIELDS = {
    "/auth/register": {"email", "password"},
    "/auth/login": {"email", "password"},
    "/auth/password": {"current_password", "new_password"},
}
JSON_ENDPOINTS = [
    ("POST", "/auth/register", None),
    ("POST", "/auth/login", None),
    ("POST", "/auth/password", "user"),
    ("PATCH", "/auth/me", "user"),
    ("PATCH", "/admin/users/{user_id}", "admin"),
]


def _call(
    client: AuthClient,
    method: str,
    path: str,
    who: str | None,
    reader: Session,
    admin: Session,
    **kwargs: Any,
) -> requests.Response:
    token = {"user": reader.access_token, "admin": admin.access_token, None: None}[who]
    return client.request(method, path.format(user_id=reader.id), token=token, **kwargs)


@pytest.mark.parametrize("path", sorted(REQUIRED_FIELDS))
def test_missing_fields_answer_422_naming_each_field(
    client: AuthClient, reader: Session, admin: Session, path: str
) -> None:
    who = "user" if path == "/auth/password" else None
    response = _call(client, "POST", path, who, reader, admin, json={})
    error = assert_error(response, 422, "validation_failed")
    assert error_fields(error) == REQUIRED_FIELDS[path]


@pytest.mark.parametrize(("method", "path", "who"), JSON_ENDPOINTS)
def test_invalid_json_answers_400(
    client: AuthClient, reader: Session, admin: Session, method: str, path: str, who: str | None
) -> None:
    hostile = (
        b"[" * 30_000 + b"]" * 30_000,  # deep enough to exhaust the parser's stack
        b'{"email": ' + b"7" * 5_000 + b"}",  # past Python's limit on digits
    )
    for raw in (b'{"email": ', b"not json", b"\xff\xfe\x00garbage", *hostile):
        response = _call(
            client,
            method,
            path,
            who,
            reader,
            admin,
            data=raw,
            headers={"Content-Type": "application/json"},
        )
        assert_error(response, 400, "invalid_json")


@pytest.mark.parametrize(("method", "path", "who"), JSON_ENDPOINTS)
def test_a_one_megabyte_body_answers_413(
    client: AuthClient, reader: Session, admin: Session, method: str, path: str, who: str | None
) -> None:
    response = _call(
        client,
        method,
        path,
        who,
        reader,
        admin,
        data=ONE_MEGABYTE,
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")


@pytest.mark.parametrize(("method", "path", "who"), JSON_ENDPOINTS)
def test_a_body_that_is_not_a_json_object_answers_422(
    client: AuthClient, reader: Session, admin: Session, method: str, path: str, who: str | None
) -> None:
    for body in ([], "text", 42, None):
        response = _call(
            client,
            method,
            path,
            who,
            reader,
            admin,
            data=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        assert_error(response, 422)


@pytest.mark.parametrize(("method", "path", "who"), JSON_ENDPOINTS)
def test_a_body_that_is_not_json_answers_415(
    client: AuthClient, reader: Session, admin: Session, method: str, path: str, who: str | None
) -> None:
    body = "email=reader%40example.com&password=Tolstoy+wrote+many+pages"
    for content_type in ("application/x-www-form-urlencoded", "text/plain"):
        response = _call(
            client,
            method,
            path,
            who,
            reader,
            admin,
            data=body,
            headers={"Content-Type": content_type},
        )
        assert_error(response, 415)


@pytest.mark.parametrize(
    "email",
    [
        "plainaddress",
        "@example.com",
        "reader@",
        "reader@example",
        "two@@example.com",
        "with space@example.com",
        "reader@exa mple.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "",
    ],
)
def test_register_rejects_a_malformed_email_with_422(client: AuthClient, email: str) -> None:
    response = client.request(
        "POST", "/auth/register", json={"email": email, "password": strong_password()}
    )
    error = assert_error(response, 422)
    assert "email" in error_fields(error)


@pytest.mark.parametrize(
    "email",
    [
        "a\u0000b@example.com",
        "a\u0007b@example.com",
        "a\nb@example.com",
        "reader\u202egro.elpmaxe@example.com",
        "reader\u2066x@example.com",
        "a\u200bb@example.com",
        "a\ufeffb@example.com",
        "\ud800reader@example.com",
    ],
    ids=[
        "nul",
        "bell",
        "newline",
        "rtl-override",
        "bidi-isolate",
        "zero-width",
        "bom",
        "surrogate",
    ],
)
def test_register_rejects_emails_with_control_or_direction_characters(
    client: AuthClient, email: str
) -> None:
    body = json.dumps({"email": email, "password": strong_password()})  # \u escapes in JSON
    response = client.request(
        "POST", "/auth/register", data=body, headers={"Content-Type": "application/json"}
    )
    error = assert_error(response, 422)
    assert "email" in error_fields(error)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("", "too_short"),
        ("short", "too_short"),
        ("nine char", "too_short"),
        ("password123", "too_common"),
        ("PASSWORD123", "too_common"),
        ("1234567890", "too_common"),
        ("qwertyuiop", "too_common"),
    ],
)
def test_register_rejects_short_and_common_passwords(
    client: AuthClient, password: str, reason: str
) -> None:
    email = new_email()
    response = client.request("POST", "/auth/register", json={"email": email, "password": password})
    error = assert_error(response, 422, "password_weak")
    assert error["details"]["reason"] == reason
    missing = client.request("POST", "/auth/login", json={"email": email, "password": password})
    assert_error(missing, 401, "invalid_credentials")


def test_register_rejects_a_password_that_is_the_email(client: AuthClient) -> None:
    email = new_email()
    response = client.request("POST", "/auth/register", json={"email": email, "password": email})
    assert_error(response, 422, "password_weak")


def test_a_cyrillic_display_name_and_email_are_accepted_as_written(client: AuthClient) -> None:
    name = "Анна Аркадьевна Каренина"
    email = f"читатель-{uuid.uuid4().hex[:8]}@пример.рф"
    user = client.register(email=email, display_name=name)
    assert user.user["display_name"] == name
    assert user.user["email"] == email
    assert client.me(user.access_token).json()["display_name"] == name
    assert client.login(email, user.password).id == user.id


@pytest.mark.parametrize(
    "name",
    ["evil\u202eexe.txt", "nul\u0000name", "\u2067isolated", "bell\u0007"],
    ids=["rtl-override", "nul", "bidi-isolate", "control"],
)
def test_display_names_with_control_or_direction_characters_are_rejected(
    client: AuthClient, reader: Session, name: str
) -> None:
    registered = client.request(
        "POST",
        "/auth/register",
        json={"email": new_email(), "password": strong_password(), "display_name": name},
    )
    assert "display_name" in error_fields(assert_error(registered, 422))
    patched = client.request(
        "PATCH", "/auth/me", token=reader.access_token, json={"display_name": name}
    )
    assert "display_name" in error_fields(assert_error(patched, 422))


def test_a_taken_email_answers_409_whatever_its_letter_case(client: AuthClient) -> None:
    user = client.register(email=new_email("Reader"))
    for email in (user.email, user.email.upper(), user.email.lower(), f"  {user.email} "):
        response = client.request(
            "POST", "/auth/register", json={"email": email, "password": strong_password()}
        )
        assert_error(response, 409, "email_taken")


def test_a_taken_cyrillic_email_answers_409_in_the_other_letter_case(client: AuthClient) -> None:
    local_part = f"ЧИТАТЕЛЬ-{uuid.uuid4().hex[:8]}"
    client.register(email=f"{local_part}@example.com")
    response = client.request(
        "POST",
        "/auth/register",
        json={"email": f"{local_part.lower()}@example.com", "password": strong_password()},
    )
    assert_error(response, 409, "email_taken")


def test_a_taken_email_answers_409_in_its_decomposed_unicode_spelling(client: AuthClient) -> None:
    email = f"renée-{uuid.uuid4().hex[:8]}@example.com"
    client.register(email=unicodedata.normalize("NFC", email))
    response = client.request(
        "POST",
        "/auth/register",
        json={"email": unicodedata.normalize("NFD", email), "password": strong_password()},
    )
    assert_error(response, 409, "email_taken")


def test_login_failure_is_identical_for_an_unknown_email_and_a_wrong_password(
    client: AuthClient,
) -> None:
    user = client.register()
    unknown = client.request(
        "POST", "/auth/login", json={"email": new_email(), "password": user.password}
    )
    wrong = client.request(
        "POST", "/auth/login", json={"email": user.email, "password": strong_password()}
    )
    malformed = client.request(
        "POST", "/auth/login", json={"email": "not-an-email", "password": user.password}
    )
    for response in (unknown, wrong, malformed):
        assert_error(response, 401, "invalid_credentials")
    assert unknown.json() == wrong.json() == malformed.json()
    assert "Set-Cookie" not in unknown.headers and "Set-Cookie" not in wrong.headers


# --- token attacks -------------------------------------------------------------------------


def _tamper_payload(token: str, **changes: Any) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{b64url_json({**claims_of(token), **changes})}.{signature}"


def _tamper_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    first = "A" if signature[0] != "A" else "B"  # the first character carries 6 real bits
    return f"{header}.{payload}.{first}{signature[1:]}"


def _rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


Forger = Callable[[InProcessRuntime, Session], str]
ATTACKS: dict[str, Forger] = {
    "alg-none": lambda rt, s: unsigned_token(valid_claims(s.id)),
    "alg-none-admin": lambda rt, s: unsigned_token(valid_claims(s.id, "admin")),
    "wrong-secret": lambda rt, s: forge(rt, valid_claims(s.id), key="y" * 64),
    "hs512-with-the-real-secret": lambda rt, s: forge(rt, valid_claims(s.id), algorithm="HS512"),
    "rs256-with-an-attacker-key": lambda rt, s: forge(
        rt, valid_claims(s.id), key=_rsa_key(), algorithm="RS256"
    ),
    "payload-role-admin": lambda rt, s: _tamper_payload(s.access_token, role="admin"),
    "payload-other-sub": lambda rt, s: _tamper_payload(s.access_token, sub=str(uuid.uuid4())),
    "payload-later-exp": lambda rt, s: _tamper_payload(
        s.access_token, exp=int(time.time()) + 86400
    ),
    "signature": lambda rt, s: _tamper_signature(s.access_token),
    "signature-stripped": lambda rt, s: s.access_token.rsplit(".", 1)[0] + ".",
    "expired": lambda rt, s: forge(
        rt, valid_claims(s.id, iat=int(time.time()) - 1000, exp=int(time.time()) - 120)
    ),
    "iat-in-the-future": lambda rt, s: forge(
        rt, valid_claims(s.id, iat=int(time.time()) + 90, exp=int(time.time()) + 900)
    ),
    "nbf-in-the-future": lambda rt, s: forge(rt, valid_claims(s.id, nbf=int(time.time()) + 90)),
    "wrong-audience": lambda rt, s: forge(rt, valid_claims(s.id, aud="someone-else")),
    "wrong-issuer": lambda rt, s: forge(rt, valid_claims(s.id, iss="https://evil.example")),
    "unknown-role": lambda rt, s: forge(rt, valid_claims(s.id, role="superuser")),
    "empty-jti": lambda rt, s: forge(rt, valid_claims(s.id, jti="")),
    "not-a-jwt": lambda rt, s: "definitely-not-a-token",
    "three-empty-parts": lambda rt, s: "..",
}
for _claim in ("iss", "aud", "sub", "role", "iat", "exp", "jti"):
    ATTACKS[f"missing-{_claim}"] = lambda rt, s, claim=_claim: forge(
        rt, {k: v for k, v in valid_claims(s.id).items() if k != claim}
    )


def test_a_token_forged_with_the_real_key_and_claims_is_accepted(
    client: AuthClient, rt: InProcessRuntime, reader: Session
) -> None:
    """The control for the attacks below: the forging itself matches the server's tokens."""
    response = client.me(forge(rt, valid_claims(reader.id)))
    assert response.status_code == 200 and response.json()["id"] == reader.id


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_forged_or_tampered_token_is_refused_with_401(
    client: AuthClient, rt: InProcessRuntime, reader: Session, attack: str
) -> None:
    token = ATTACKS[attack](rt, reader)
    error = assert_error(client.me(token), 401)
    assert error["code"] in {"token_invalid", "token_expired", "unauthenticated"}
    # Why the library refused it ("Not enough segments", "alg value is not allowed") is for
    # the log: an attacker learns nothing about which check failed.
    assert error["details"] == {}, error
    assert_error(client.request("GET", "/admin/users", token=token), 401)


def test_a_disabled_users_tokens_and_sessions_stop_working_at_once(
    client: AuthClient, admin: Session
) -> None:
    victim = client.register()
    other_device = client.login(victim.email, victim.password)
    assert client.me(victim.access_token).status_code == 200

    response = client.request(
        "PATCH", f"/admin/users/{victim.id}", token=admin.access_token, json={"disabled": True}
    )
    assert response.status_code == 200, response.text
    assert response.json()["disabled"] is True

    for token in (victim.access_token, other_device.access_token):
        refused = client.me(token)
        assert refused.status_code in (401, 403), refused.text
        assert_error(refused, refused.status_code)
    for refresh_token in (victim.refresh_token, other_device.refresh_token):
        answer = client.refresh(refresh_token)  # refused, or no session (null): never a token
        assert answer.status_code in (401, 403) or answer.json() is None, answer.text
    login = client.request(
        "POST", "/auth/login", json={"email": victim.email, "password": victim.password}
    )
    assert_error(login, 403, "account_disabled")

    enabled = client.request(
        "PATCH", f"/admin/users/{victim.id}", token=admin.access_token, json={"disabled": False}
    )
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False
    again = client.login(victim.email, victim.password)
    assert client.me(again.access_token).status_code == 200
    assert_error(client.me(victim.access_token), 401)


def test_a_demoted_admins_admin_token_stops_working_at_once(
    client: AuthClient, admin: Session
) -> None:
    other = make_admin(client)
    assert client.request("GET", "/admin/users", token=other.access_token).status_code == 200

    demoted = client.request(
        "PATCH", f"/admin/users/{other.id}", token=admin.access_token, json={"role": "user"}
    )
    assert demoted.status_code == 200 and demoted.json()["role"] == "user"

    assert_error(client.request("GET", "/admin/users", token=other.access_token), 401)
    again = client.login(other.email, other.password)
    assert claims_of(again.access_token)["role"] == "user"
    assert_error(client.request("GET", "/admin/users", token=again.access_token), 403)


def test_logout_revokes_the_access_token_and_the_session(
    client: AuthClient, reader: Session
) -> None:
    response = client.request(
        "POST", "/auth/logout", token=reader.access_token, cookie=reader.refresh_token
    )
    assert response.status_code == 204
    cleared = refresh_cookie_of(response)
    assert cleared.value == "" and cleared["max-age"] == "0" and cleared["path"] == "/api/auth"

    assert_error(client.me(reader.access_token), 401, "token_revoked")
    assert_no_session(client.refresh(reader.refresh_token))
    again = client.request("POST", "/auth/logout", token=reader.access_token)
    assert again.status_code == 204, "logging out twice is harmless"


def test_refresh_rotates_the_cookie_and_a_reused_old_one_revokes_the_whole_family(
    client: AuthClient, reader: Session
) -> None:
    first = client.refresh(reader.refresh_token)
    body = assert_signed_in(first, 200, reader.email)
    rotated = refresh_cookie_of(first).value
    assert rotated != reader.refresh_token
    assert client.me(body["access_token"]).status_code == 200
    # The rightful client uses what it received, so the old token coming back is a copy.
    newest = refresh_cookie_of(client.refresh(rotated)).value

    assert_error(client.refresh(reader.refresh_token), 401, "refresh_reused")
    assert_no_session(client.refresh(newest))


def test_a_refresh_whose_answer_was_lost_may_be_retried_within_the_grace_window(
    rt: InProcessRuntime, client: AuthClient, reader: Session
) -> None:
    # The browser sent the refresh and went offline before the answer (its new cookie) came:
    # it still holds the spent token, and presents it again once back online.
    lost = client.refresh(reader.refresh_token)
    assert lost.status_code == 200, lost.text
    retried = client.refresh(reader.refresh_token)
    body = assert_signed_in(retried, 200, reader.email)
    assert client.me(body["access_token"]).status_code == 200
    assert client.me(reader.access_token).status_code == 200, "the session was not ended"
    held = refresh_cookie_of(retried).value
    assert held not in (reader.refresh_token, refresh_cookie_of(lost).value)
    assert client.refresh(held).status_code == 200, "the session goes on from the new cookie"


def test_a_spent_refresh_token_after_the_grace_window_revokes_the_family(
    rt: InProcessRuntime, client: AuthClient, reader: Session
) -> None:
    lost = client.refresh(reader.refresh_token)
    assert lost.status_code == 200, lost.text
    successor = refresh_cookie_of(lost).value
    # The window (REFRESH_REUSE_GRACE_SECONDS, 30 s) has passed: its clock is the rotation
    # time the database keeps, moved back instead of waiting.
    with connect(rt.env["DATABASE_URL"]) as conn:
        conn.run(
            "UPDATE refresh_tokens SET rotated_at = rotated_at - interval '31 seconds'"
            " WHERE token_hash = :hash",
            hash=sessions.hash_refresh_token(reader.refresh_token),
        )
    assert_error(client.refresh(reader.refresh_token), 401, "refresh_reused")
    assert_no_session(client.refresh(successor))
    assert_error(client.me(reader.access_token), 401, "token_revoked")


def assert_no_session(response: requests.Response) -> None:
    """The refresh's answer to a visitor without a live session: 200 `null`, never a token, and
    a cookie it sent is cleared (a signed-out visit is ordinary; browsers log a 401 as an error).
    """
    assert response.status_code == 200, response.text
    assert response.headers.get("Content-Type", "").startswith("application/json")
    assert response.json() is None
    if "cookie" in {name.lower() for name in response.request.headers}:
        cleared = refresh_cookie_of(response)
        assert cleared.value == "" and cleared["max-age"] == "0"
    else:
        assert "Set-Cookie" not in response.headers


def test_refresh_without_or_with_a_garbage_cookie_answers_null(client: AuthClient) -> None:
    assert_no_session(client.request("POST", "/auth/refresh"))
    assert_no_session(client.refresh("not-a-real-session"))


def test_a_refresh_token_is_not_an_access_token(client: AuthClient, reader: Session) -> None:
    assert_error(client.me(reader.refresh_token), 401)


# --- rate limits ---------------------------------------------------------------------------


def assert_rate_limited(response: requests.Response) -> int:
    error = assert_error(response, 429, "rate_limited")
    header = response.headers["Retry-After"]
    assert header.isdigit(), header
    retry_after = int(header)
    assert 0 < retry_after <= 60
    assert error["details"]["retry_after"] == retry_after
    return retry_after


def test_the_sixth_login_for_one_ip_and_email_within_a_minute_is_refused(
    client: AuthClient,
) -> None:
    user = client.register()
    ip = fake_ip()
    for _ in range(5):
        wrong = client.request(
            "POST", "/auth/login", json={"email": user.email, "password": "wrong but long"}, ip=ip
        )
        assert_error(wrong, 401, "invalid_credentials")
    sixth = client.request(
        "POST", "/auth/login", json={"email": user.email, "password": user.password}, ip=ip
    )
    assert_rate_limited(sixth)
    # The limit is per address and email: the same address may try another account, and the
    # account's owner signs in from elsewhere.
    other = client.request(
        "POST", "/auth/login", json={"email": new_email(), "password": "wrong but long"}, ip=ip
    )
    assert_error(other, 401, "invalid_credentials")
    assert client.login(user.email, user.password, ip=fake_ip()).id == user.id


def test_the_login_limit_counts_one_account_however_its_email_is_spelled(
    client: AuthClient,
) -> None:
    email = f"renée-{uuid.uuid4().hex[:8]}@example.com"
    user = client.register(email=unicodedata.normalize("NFC", email))
    composed = unicodedata.normalize("NFC", email)
    decomposed = unicodedata.normalize("NFD", email)
    assert composed != decomposed
    # Both spellings sign in to the same account...
    assert client.login(decomposed, user.password).id == user.id
    ip = fake_ip()
    for spelling in (composed, composed, composed, decomposed, decomposed):
        response = client.request(
            "POST", "/auth/login", json={"email": spelling, "password": "wrong but long"}, ip=ip
        )
        assert_error(response, 401, "invalid_credentials")
    # ...so together they share one budget of five guesses per address.
    assert_rate_limited(
        client.request(
            "POST", "/auth/login", json={"email": decomposed, "password": "wrong"}, ip=ip
        )
    )


def test_more_than_twenty_logins_from_one_ip_are_refused_whatever_the_emails(
    client: AuthClient,
) -> None:
    ip = fake_ip()
    for _ in range(20):
        response = client.request(
            "POST", "/auth/login", json={"email": new_email(), "password": "wrong but long"}, ip=ip
        )
        assert_error(response, 401, "invalid_credentials")
    assert_rate_limited(
        client.request(
            "POST", "/auth/login", json={"email": new_email(), "password": "x" * 12}, ip=ip
        )
    )


def test_the_fourth_registration_from_one_ip_within_a_minute_is_refused(
    client: AuthClient,
) -> None:
    ip = fake_ip()
    for _ in range(3):
        response = client.request(
            "POST",
            "/auth/register",
            json={"email": new_email(), "password": strong_password()},
            ip=ip,
        )
        assert response.status_code == 201, response.text
    email = new_email()
    fourth = client.request(
        "POST", "/auth/register", json={"email": email, "password": strong_password()}, ip=ip
    )
    assert_rate_limited(fourth)
    assert_error(
        client.request("POST", "/auth/login", json={"email": email, "password": "x" * 12}),
        401,
        "invalid_credentials",
    )


def test_with_loopback_trusted_each_forwarded_address_is_its_own_client(
    client: AuthClient,
) -> None:
    email = new_email()
    for _ in range(8):
        response = client.request(
            "POST", "/auth/login", json={"email": email, "password": "wrong but long"}, ip=fake_ip()
        )
        assert_error(response, 401, "invalid_credentials")


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(
    services, tmp_path
) -> None:
    with services.inprocess_runtime(tmp_path, TRUSTED_PROXIES="10.255.255.1/32") as runtime:
        client = AuthClient(runtime)
        email = new_email()
        attempts = [
            client.request(
                "POST",
                "/auth/login",
                json={"email": email, "password": "wrong but long"},
                ip=fake_ip(),  # a different made-up client each time
            )
            for _ in range(6)
        ]
        for response in attempts[:5]:
            assert_error(response, 401, "invalid_credentials")
        assert_rate_limited(attempts[5])
        # Nor does its X-Forwarded-Prefix move the refresh cookie.
        spoofed = client.request(
            "POST",
            "/auth/register",
            json={"email": new_email(), "password": strong_password()},
            headers={"X-Forwarded-Prefix": "/elsewhere"},
        )
        assert spoofed.status_code == 201, spoofed.text
        assert refresh_cookie_of(spoofed)["path"] == "/api/auth"


def test_behind_a_trusted_proxy_the_cookie_path_carries_its_prefix(client: AuthClient) -> None:
    """A proxy that serves the site under /reader/ and strips it says so in X-Forwarded-Prefix:
    the browser sends /reader/api/auth/…, so the cookie must name that path."""
    email, password = new_email(), strong_password()
    prefixed = {"X-Forwarded-Prefix": "/reader/"}
    registered = client.request(
        "POST", "/auth/register", json={"email": email, "password": password}, headers=prefixed
    )
    assert registered.status_code == 201, registered.text
    assert refresh_cookie_of(registered)["path"] == "/reader/api/auth"
    token = refresh_cookie_of(registered).value
    refreshed = client.request("POST", "/auth/refresh", cookie=token, headers=prefixed)
    assert refresh_cookie_of(refreshed)["path"] == "/reader/api/auth"
    out = client.request(
        "POST", "/auth/logout", cookie=refresh_cookie_of(refreshed).value, headers=prefixed
    )
    assert refresh_cookie_of(out)["path"] == "/reader/api/auth"
    # A prefix that is not plain path segments never reaches the Set-Cookie header.
    for hostile in ("/x; Domain=evil.example", "/../..", "reader", "/a b"):
        response = client.request(
            "POST",
            "/auth/login",
            json={"email": email, "password": password},
            headers={"X-Forwarded-Prefix": hostile},
        )
        assert response.status_code == 200, response.text
        assert refresh_cookie_of(response)["path"] == "/api/auth", hostile
        assert "evil" not in response.headers["Set-Cookie"]


# --- Redis down ----------------------------------------------------------------------------


@pytest.fixture
def doomed_redis(tmp_path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "r")
    server.start()
    yield server
    server.stop()


def test_with_redis_down_protected_routes_fail_closed_with_503(
    database_url: str, doomed_redis: EmbeddedRedis, tmp_path
) -> None:
    runtime = start_inprocess(tmp_path / "data", database_url, doomed_redis.url, "redis-down")
    try:
        client = AuthClient(runtime)
        user = client.register()
        assert client.me(user.access_token).status_code == 200

        doomed_redis.stop()

        error = assert_error(client.me(user.access_token), 503)
        assert error["code"] == "auth_unavailable"
        patched = client.request(
            "PATCH", "/auth/me", token=user.access_token, json={"display_name": "Redis-less"}
        )
        assert_error(patched, 503)
        assert_error(client.request("GET", "/admin/users", token=user.access_token), 503)
        # Login is rate-limited in Redis too: no unlimited guessing while it is away.
        login = client.request(
            "POST", "/auth/login", json={"email": user.email, "password": user.password}
        )
        assert_error(login, 503)
        assert runtime.request("GET", runtime.api_url + "/health").status_code == 200
    finally:
        runtime.close()


# --- the first administrator ---------------------------------------------------------------


def test_the_admin_cli_promotes_a_registered_user(client: AuthClient, rt: InProcessRuntime) -> None:
    user = client.register()
    assert_error(client.request("GET", "/admin/users", token=user.access_token), 403)

    promoted = run_admin_cli(rt, user.email.upper())
    assert promoted.returncode == 0, promoted.stderr
    assert user.email in promoted.stdout

    admin = client.login(user.email, user.password)
    assert admin.user["role"] == "admin"
    assert claims_of(admin.access_token)["role"] == "admin"
    listed = client.request(
        "GET", "/admin/users", token=admin.access_token, params={"q": user.email}
    )
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert [item["id"] for item in page["items"]] == [user.id]
    assert page["total"] == 1


@pytest.mark.parametrize("email", ["nobody-here@example.com", "not an email"])
def test_the_admin_cli_fails_clearly_for_an_unknown_email(rt: InProcessRuntime, email: str) -> None:
    result = run_admin_cli(rt, email)
    assert result.returncode == 1
    assert result.stderr.startswith("error:"), result.stderr
    assert "Traceback" not in result.stderr
    assert "administrator" not in result.stdout


def test_answers_with_tokens_or_private_data_are_never_cached_nor_sniffed(
    product_runtime: RunningRuntime,
) -> None:
    # Through the real runtime: its HTTP server's own headers count too.
    client = AuthClient(product_runtime)
    reader = client.register()
    for response in (
        client.request(
            "POST", "/auth/login", json={"email": reader.email, "password": reader.password}
        ),
        client.me(reader.access_token),
        client.request("GET", "/auth/me"),  # the 401 too
    ):
        assert response.headers["Cache-Control"] == "no-store", response.headers
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Python" not in response.headers.get("Server", ""), response.headers


# --- hardening: stolen sessions, spread-out guessing, other sites, lookalikes ----------------


def test_a_reused_refresh_token_also_cuts_off_the_sessions_access_tokens(
    client: AuthClient, reader: Session
) -> None:
    elsewhere = client.login(reader.email, reader.password)  # another device, its own session
    rightful = client.refresh(reader.refresh_token)  # the owner refreshes first…
    rightful_access = assert_signed_in(rightful, 200, reader.email)["access_token"]
    assert client.me(rightful_access).status_code == 200
    assert client.refresh(refresh_cookie_of(rightful).value).status_code == 200  # …and again
    # …then the thief replays the stolen refresh token: the session ends, and with it every
    # access token it handed out — the thief's 15 minutes are gone.
    assert_error(client.refresh(reader.refresh_token), 401, "refresh_reused")
    assert_error(client.me(reader.access_token), 401, "token_revoked")
    assert_error(client.me(rightful_access), 401, "token_revoked")
    # The user's other session is not the stolen one and goes on.
    assert client.me(elsewhere.access_token).status_code == 200
    assert client.refresh(elsewhere.refresh_token).status_code == 200


def test_logout_also_ends_the_access_tokens_of_its_session(
    client: AuthClient, reader: Session
) -> None:
    # Two tabs of one session: each refreshed its own access token from the same family.
    other_tab = client.refresh(reader.refresh_token)
    other_access = assert_signed_in(other_tab, 200, reader.email)["access_token"]
    logout = client.request("POST", "/auth/logout", cookie=refresh_cookie_of(other_tab).value)
    assert logout.status_code == 204
    assert_error(client.me(other_access), 401, "token_revoked")
    assert_error(client.me(reader.access_token), 401, "token_revoked")


def _wrong_login(client: AuthClient, email: str) -> requests.Response:
    # A new made-up address each time: the guesser spreads over many.
    return client.request(
        "POST", "/auth/login", json={"email": email, "password": "wrong but long"}, ip=fake_ip()
    )


def test_guessing_one_accounts_password_from_many_addresses_is_slowed_down(
    client: AuthClient,
) -> None:
    user = client.register()
    for _ in range(10):  # LOGIN_LOCKOUT_AFTER: ten attempts before waits begin
        assert_error(_wrong_login(client, user.email), 401, "invalid_credentials")
    locked = client.request(
        "POST", "/auth/login", json={"email": user.email, "password": user.password}
    )
    error = assert_error(locked, 429, "login_locked")
    retry_after = int(locked.headers["Retry-After"])
    assert error["details"]["retry_after"] == retry_after
    assert 1 <= retry_after <= 2  # the first wait: LOGIN_LOCKOUT_BASE_SECONDS
    assert locked.headers["Cache-Control"] == "no-store"
    # Other accounts are not affected, and the wait ends: the owner then signs in, which
    # forgives the failures (the next wrong guess is an ordinary 401, not a longer wait).
    other = client.register()
    assert client.login(other.email, other.password).id == other.id
    time.sleep(retry_after)
    assert client.login(user.email, user.password).id == user.id
    assert_error(_wrong_login(client, user.email), 401, "invalid_credentials")


def test_an_email_without_an_account_is_locked_the_same_way(client: AuthClient) -> None:
    # Otherwise the lockout would tell which emails have accounts.
    email = new_email()
    for _ in range(10):
        assert_error(_wrong_login(client, email), 401, "invalid_credentials")
    assert_error(_wrong_login(client, email), 429, "login_locked")


def test_registration_is_limited_per_target_email_across_addresses(client: AuthClient) -> None:
    user = client.register()
    for _ in range(4):  # REGISTER_EMAIL = 5 a minute, the first being the real registration
        taken = client.request(
            "POST", "/auth/register", json={"email": user.email, "password": strong_password()}
        )
        assert_error(taken, 409, "email_taken")
    probe = client.request(
        "POST", "/auth/register", json={"email": user.email.upper(), "password": strong_password()}
    )
    assert_rate_limited(probe)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1234567890a", "too_guessable"),
        ("Summer2024!", "too_guessable"),
        ("Password2024!", "too_guessable"),
        ("MyBookReader#1877", "contains_product_name"),
        ("book reader of tolstoy", "contains_product_name"),
    ],
)
def test_register_refuses_guessable_passwords_with_a_reason_and_a_message(
    client: AuthClient, password: str, reason: str
) -> None:
    response = client.request(
        "POST", "/auth/register", json={"email": new_email(), "password": password}
    )
    error = assert_error(response, 422, "password_weak")
    assert error["details"]["reason"] == reason
    assert len(error["message"]) > 20  # a sentence for the person, not a code


def test_a_password_containing_the_email_is_refused(client: AuthClient) -> None:
    email = f"karenina{uuid.uuid4().hex[:6]}@example.com"
    local = email.split("@")[0]
    response = client.request(
        "POST", "/auth/register", json={"email": email, "password": f"{local} was here long ago"}
    )
    assert assert_error(response, 422, "password_weak")["details"]["reason"] == "contains_email"


@pytest.mark.parametrize(
    "email",
    [
        "anna@ex\u0430mple.com",  # Cyrillic «а» in a Latin domain
        "p\u0430vel@example.com",  # and in a Latin local part
        "anna@\u0430\u0440\u0435.com",  # all-Cyrillic "аре" imitating "ape" under .com
        "anna@xn--exmple-4nf.com",  # the first, as a browser's email field sends it (punycode)
        "anna@xn--80ak6a.com",  # the third, likewise
    ],
    ids=["mixed-domain", "mixed-local", "whole-script-lookalike", "mixed-punycode", "ape-punycode"],
)
def test_lookalike_emails_are_refused(client: AuthClient, email: str) -> None:
    response = client.request(
        "POST", "/auth/register", json={"email": email, "password": strong_password()}
    )
    error = assert_error(response, 422, "email_invalid")
    assert "email" in error_fields(error)
    assert error["details"]["reason"] in {"mixed_scripts", "imitates_latin"}


def test_a_fullwidth_spelling_is_the_same_account(client: AuthClient) -> None:
    user = client.register(email=f"anna{uuid.uuid4().hex[:6]}@example.com")
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) if "a" <= ch <= "z" else ch for ch in user.email)
    assert fullwidth != user.email
    taken = client.request(
        "POST", "/auth/register", json={"email": fullwidth, "password": strong_password()}
    )
    assert_error(taken, 409, "email_taken")
    assert client.login(fullwidth, user.password).id == user.id


@pytest.mark.parametrize(
    "name",
    ["Anna\u200bKarenina", "Anna\u200d", "\u2060Anna", "Z\u0301\u0302\u0303\u0304algo"],
    ids=["zero-width-space", "lone-joiner", "word-joiner", "stacked-marks"],
)
def test_display_names_with_zero_width_characters_or_stacked_marks_are_refused(
    client: AuthClient, reader: Session, name: str
) -> None:
    patched = client.request(
        "PATCH", "/auth/me", token=reader.access_token, json={"display_name": name}
    )
    assert "display_name" in error_fields(assert_error(patched, 422))


def test_display_names_with_emoji_sequences_and_accents_are_accepted(
    client: AuthClient, reader: Session
) -> None:
    for name in ("Семья \U0001f468\u200d\U0001f469\u200d\U0001f467", "Nguyễn Thị Ánh"):
        patched = client.request(
            "PATCH", "/auth/me", token=reader.access_token, json={"display_name": name}
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["display_name"] == name


@pytest.mark.parametrize("path", ["/auth/refresh", "/auth/logout"])
def test_the_cookie_routes_refuse_other_sites_and_keep_the_session(
    client: AuthClient, reader: Session, path: str
) -> None:
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    ):
        refused = client.request("POST", path, cookie=reader.refresh_token, headers=headers)
        assert_error(refused, 403, "origin_forbidden")
    # Nothing happened to the session: it still refreshes.
    assert client.refresh(reader.refresh_token).status_code == 200


def test_the_cookie_routes_answer_our_own_pages_and_the_allowed_origins(
    client: AuthClient, rt: RunningRuntime
) -> None:
    user = client.register()
    cookie = user.refresh_token
    for headers in (
        {"Origin": rt.url, "Sec-Fetch-Site": "same-origin"},  # the SPA served by the runtime
        {"Origin": rt.url},
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": PARTNER_ORIGIN, "Sec-Fetch-Site": "cross-site"},  # ALLOWED_ORIGINS
        {},  # a non-browser client: no browser omits both (see bookreader.auth.origin)
    ):
        response = client.request("POST", "/auth/refresh", cookie=cookie, headers=headers)
        assert response.status_code == 200, (headers, response.text)
        cookie = refresh_cookie_of(response).value
    response = client.request(
        "POST", "/auth/logout", cookie=cookie, headers={"Origin": PARTNER_ORIGIN}
    )
    assert response.status_code == 204


def test_cors_preflight_names_only_allowed_origins_never_a_wildcard(
    client: AuthClient,
) -> None:
    asked = {"Access-Control-Request-Method": "POST"}
    allowed = client.request(
        "OPTIONS", "/auth/refresh", headers={"Origin": PARTNER_ORIGIN, **asked}
    )
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == PARTNER_ORIGIN
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in allowed.headers["Vary"]
    stranger = client.request(
        "OPTIONS", "/auth/refresh", headers={"Origin": "https://evil.example", **asked}
    )
    assert_error(stranger, 403, "origin_not_allowed")
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_every_answer_that_carries_a_token_or_clears_the_cookie_is_never_stored(
    client: AuthClient,
) -> None:
    email, password = new_email(), strong_password()
    registered = client.request(
        "POST", "/auth/register", json={"email": email, "password": password}
    )
    logged_in = client.request("POST", "/auth/login", json={"email": email, "password": password})
    refreshed = client.refresh(refresh_cookie_of(logged_in).value)
    changed = client.request(
        "POST",
        "/auth/password",
        token=refreshed.json()["access_token"],
        cookie=refresh_cookie_of(refreshed).value,
        json={"current_password": password, "new_password": strong_password()},
    )
    logged_out = client.request("POST", "/auth/logout", cookie=refresh_cookie_of(refreshed).value)
    for response in (registered, logged_in, refreshed, changed, logged_out):
        assert response.status_code in (200, 201, 204), response.text
        assert response.headers["Cache-Control"] == "no-store", response.request.url


def test_answers_name_an_allowed_origin_for_its_pages_and_nobody_else(
    client: AuthClient, reader: Session
) -> None:
    partner = client.request(
        "GET", "/auth/me", token=reader.access_token, headers={"Origin": PARTNER_ORIGIN}
    )
    assert partner.status_code == 200
    assert partner.headers["Access-Control-Allow-Origin"] == PARTNER_ORIGIN
    assert partner.headers["Access-Control-Allow-Credentials"] == "true"
    stranger = client.request(
        "GET", "/auth/me", token=reader.access_token, headers={"Origin": "https://evil.example"}
    )
    assert stranger.status_code == 200  # a browser will not let the page read it
    assert "Access-Control-Allow-Origin" not in stranger.headers
