"""The refresh-token cookie: HttpOnly, Secure, SameSite=Strict, sent only to /auth."""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie

REFRESH_COOKIE = "refresh_token"
REFRESH_PATH = "/auth"


def refresh_cookie(token: str, max_age: int) -> str:
    return (
        f"{REFRESH_COOKIE}={token}; Max-Age={max_age}; Path={REFRESH_PATH};"
        " HttpOnly; Secure; SameSite=Strict"
    )


def cleared_refresh_cookie() -> str:
    return f"{REFRESH_COOKIE}=; Max-Age=0; Path={REFRESH_PATH}; HttpOnly; Secure; SameSite=Strict"


def refresh_token_from(headers: Mapping[str, str]) -> str | None:
    """The refresh token of the request's Cookie header, if any."""
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie") or "")
    except CookieError:
        return None
    morsel = jar.get(REFRESH_COOKIE)
    return morsel.value if morsel and morsel.value else None
