"""The guard every HTTP route passes: who is calling, may they, and not too often.

`BookReaderApp` calls `authenticate` for every route not declared `public=True`, so a route
cannot forget it; the template's `PublicRoutes` must list exactly the public ones (a test
compares them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bookreader.auth.client_ip import client_ip
from bookreader.auth.denylist import ensure_not_revoked
from bookreader.auth.limits import limit_api
from bookreader.auth.tokens import AccessClaims, Role, verify_access_token
from bookreader.errors import BookReaderError

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="bookreader"'}


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer …` header, if there is one."""
    header = headers.get("authorization") or ""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate(headers: Mapping[str, str], method: str = "GET") -> AccessClaims:
    """The verified, unrevoked claims of the request's access token; 401 otherwise."""
    token = bearer_token(headers)
    if token is None:
        raise BookReaderError(
            "unauthenticated",
            "Sign in: this request needs an access token.",
            401,
            headers=_CHALLENGE,
        )
    try:
        claims = verify_access_token(token)
    except BookReaderError as error:
        error.headers = {**_CHALLENGE, **error.headers}
        raise
    ensure_not_revoked(claims)
    limit_api(claims.sub, read=method.upper() in ("GET", "HEAD"))
    return claims


def require_role(claims: AccessClaims, role: Role) -> None:
    if role == "admin" and claims.role != "admin":
        raise BookReaderError("forbidden", "This needs an administrator.", 403)


def request_ip(context: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    """The caller's address: the peer, or X-Forwarded-For when the peer is a trusted proxy."""
    peer = (context.get("identity") or {}).get("sourceIp") or ""
    return client_ip(peer, headers.get("x-forwarded-for"))
