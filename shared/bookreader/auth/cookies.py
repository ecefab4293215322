"""The refresh-token cookie: HttpOnly, Secure, SameSite=Strict, sent only to the auth routes.

Its `Path` is the auth routes' path as the browser sees it: `/api/auth` when the API is
served under `/api` (see `bookreader.mount`), `/auth` at the root.
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie

REFRESH_COOKIE = "refresh_token"
AUTH_ROUTES = "/auth"


def refresh_cookie_path(mount_prefix: str) -> str:
    return f"{mount_prefix}{AUTH_ROUTES}"


def refresh_cookie(token: str, max_age: int, mount_prefix: str) -> str:
    return (
        f"{REFRESH_COOKIE}={token}; Max-Age={max_age}; Path={refresh_cookie_path(mount_prefix)};"
        " HttpOnly; Secure; SameSite=Strict"
    )


def cleared_refresh_cookie(mount_prefix: str) -> str:
    return refresh_cookie("", 0, mount_prefix)


def refresh_token_from(headers: Mapping[str, str]) -> str | None:
    """The refresh token of the request's Cookie header, if any."""
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie") or "")
    except CookieError:
        return None
    morsel = jar.get(REFRESH_COOKIE)
    return morsel.value if morsel and morsel.value else None
