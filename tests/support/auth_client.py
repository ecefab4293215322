"""Helpers for the auth tests over HTTP: a small client for the auth API, the JSON error shape,
fake client addresses, forged tokens, and a runtime of the production template per module.

Rate limits count per client address, so every request carries a fresh fake address in
`X-Forwarded-For` (believed from loopback, a trusted proxy by default) unless a test picks one.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from http.cookies import Morsel, SimpleCookie
from pathlib import Path
from typing import Any

import jwt
import requests

from bookreader.config import Settings
from local.launcher import RunningRuntime
from local.settings import PROJECT_ROOT
from tests.support.inprocess import InProcessRuntime

ERROR_KEYS = {"code", "message", "details"}
TIMEOUT = 30
# The issuer and audience the functions use (the template does not override them).
ISSUER = Settings.model_fields["jwt_issuer"].default
AUDIENCE = Settings.model_fields["jwt_audience"].default
REFRESH_COOKIE = "refresh_token"


def fake_ip() -> str:
    """A client address nobody else uses (IPv6 documentation prefix, 64 random bits)."""
    return "2001:db8::{}:{}:{}:{}".format(*(secrets.token_hex(2) for _ in range(4)))


def new_email(tag: str = "reader") -> str:
    return f"{tag}-{uuid.uuid4().hex[:12]}@example.com"


def strong_password() -> str:
    return f"Tolstoy wrote {secrets.token_hex(6)} pages"


def assert_error(response: requests.Response, status: int, code: str | None = None) -> dict:
    """The response is the one JSON error shape with `status` (and `code`); its error object."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    assert response.headers.get("Content-Type", "").startswith("application/json")
    assert "Traceback" not in response.text and 'File "' not in response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == ERROR_KEYS, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    if code is not None:
        assert error["code"] == code, error
    return error


def error_fields(error: dict) -> set[str]:
    """The request fields a 422 error names, whichever way its details list them."""
    details = error["details"]
    named: set[str] = set()
    for item in details.get("fields", []):
        named.add(item["field"])
    for item in details.get("errors", []):
        named.add(item["loc"])
    if isinstance(details.get("field"), str):
        named.add(details["field"])
    return named


def refresh_cookie_of(response: requests.Response) -> Morsel:
    """The refresh-token cookie the response sets."""
    jar: SimpleCookie = SimpleCookie()
    jar.load(response.headers["Set-Cookie"])
    assert REFRESH_COOKIE in jar, response.headers["Set-Cookie"]
    return jar[REFRESH_COOKIE]


def claims_of(token: str) -> dict[str, Any]:
    """A token's payload, read without verifying it (what the server signed)."""
    return jwt.decode(token, options={"verify_signature": False})


@dataclass
class Session:
    """A signed-in user: their access token and the refresh token of their cookie."""

    user: dict[str, Any]
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def id(self) -> str:
        return self.user["id"]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class AuthClient:
    """Requests to one runtime, each from a fresh fake client address unless `ip` is given.
    An in-process runtime is reached through its own session (no socket)."""

    def __init__(self, runtime: RunningRuntime | InProcessRuntime) -> None:
        self.runtime = runtime
        self.url = runtime.api_url
        self.http: Any = getattr(runtime, "session", requests)

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        cookie: str | None = None,
        ip: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        sent = {"X-Forwarded-For": ip or fake_ip(), **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if cookie is not None:
            # requests keeps Secure cookies off plain HTTP, so the header is written by hand.
            sent["Cookie"] = f"{REFRESH_COOKIE}={cookie}"
        return self.http.request(method, self.url + path, headers=sent, timeout=TIMEOUT, **kwargs)

    def register(
        self, email: str | None = None, password: str | None = None, **fields: Any
    ) -> Session:
        email = email or new_email()
        password = password or strong_password()
        response = self.request(
            "POST", "/auth/register", json={"email": email, "password": password, **fields}
        )
        assert response.status_code == 201, response.text
        return self._session(response, email, password)

    def login(self, email: str, password: str, ip: str | None = None) -> Session:
        response = self.request(
            "POST", "/auth/login", json={"email": email, "password": password}, ip=ip
        )
        assert response.status_code == 200, response.text
        return self._session(response, email, password)

    def me(self, token: str) -> requests.Response:
        return self.request("GET", "/auth/me", token=token)

    def refresh(self, refresh_token: str) -> requests.Response:
        return self.request("POST", "/auth/refresh", cookie=refresh_token)

    @staticmethod
    def _session(response: requests.Response, email: str, password: str) -> Session:
        body = response.json()
        return Session(
            user=body["user"],
            email=email,
            password=password,
            access_token=body["access_token"],
            refresh_token=refresh_cookie_of(response).value,
        )


def jwt_secret(runtime: RunningRuntime | InProcessRuntime) -> str:
    """The key the runtime's functions sign access tokens with."""
    configured = runtime.env.get("JWT_SECRET")
    if configured:
        return configured
    return json.loads((runtime.data_dir / "secrets.json").read_text())["jwt_secret"]


def valid_claims(sub: str, role: str = "user", **overrides: Any) -> dict[str, Any]:
    """Claims like the server's own: right issuer and audience, issued now, 10 minutes left."""
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": sub,
        "role": role,
        "iat": now,
        "exp": now + 600,
        "jti": secrets.token_urlsafe(16),
    }
    claims.update(overrides)
    return claims


def forge(
    runtime: RunningRuntime | InProcessRuntime,
    claims: dict[str, Any],
    *,
    key: Any = None,
    algorithm: str = "HS256",
) -> str:
    """A token over `claims`, signed with the runtime's own secret unless `key` is given."""
    return jwt.encode(claims, key if key is not None else jwt_secret(runtime), algorithm=algorithm)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def unsigned_token(claims: dict[str, Any]) -> str:
    """An `alg: none` token: no signature at all."""
    return f"{b64url_json({'alg': 'none', 'typ': 'JWT'})}.{b64url_json(claims)}."


def run_admin_cli(
    runtime: RunningRuntime | InProcessRuntime, email: str
) -> subprocess.CompletedProcess[str]:
    """`python -m local admin EMAIL` against the runtime's database and data directory."""
    env = {
        **os.environ,
        "DATABASE_URL": runtime.env["DATABASE_URL"],
        "DATA_DIR": str(runtime.data_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "local", "admin", email],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def make_admin(client: AuthClient) -> Session:
    """A registered user promoted with the CLI, signed in again so their token says admin."""
    user = client.register(email=new_email("admin"))
    promoted = run_admin_cli(client.runtime, user.email)
    assert promoted.returncode == 0, promoted.stderr
    admin = client.login(user.email, user.password)
    assert admin.user["role"] == "admin" and claims_of(admin.access_token)["role"] == "admin"
    return admin


def auth_runtime(services: Any, base: Path, **env: str) -> AbstractContextManager[RunningRuntime]:
    """The production template on its own database and Redis namespace, removed afterwards."""
    return services.product_runtime(base, **env)
