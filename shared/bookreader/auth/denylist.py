"""Access-token revocation in Redis: single tokens (logout), sessions and whole users.

A token is revoked when its `jti` is on the denylist, when its session (`sid`, the refresh
token family it came from) has ended — logout, or a stolen refresh token used twice — or when
it was issued before the user's cut-off (set when the user is disabled, changes password or
changes role). Entries live only as long as a token they could affect. Redis unreachable →
503: revocation fails closed.
"""

from __future__ import annotations

import math
import time
from contextlib import AbstractContextManager

import redis

from bookreader import redis_conn
from bookreader.auth.tokens import AccessClaims
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.ratelimit.redis_guard import client_or_default
from bookreader.ratelimit.redis_guard import fail_closed as _fail_closed

_UNAVAILABLE = "auth_unavailable"
_UNAVAILABLE_MESSAGE = "Authentication is temporarily unavailable; try again shortly."


def auth_key(*parts: str) -> str:
    """A key in our Redis namespace, under `auth:`."""
    return redis_conn.key("auth", *parts)


def fail_closed() -> AbstractContextManager[None]:
    """Redis failures inside the block → 503 `auth_unavailable`."""
    return _fail_closed(_UNAVAILABLE, _UNAVAILABLE_MESSAGE)


def deny_token(jti: str, expires_at: int, client: redis.Redis | None = None) -> None:
    """Refuse the token `jti` from now until it would have expired anyway."""
    ttl = _seconds_until(expires_at + get_settings().jwt_leeway_seconds)
    if ttl <= 0:
        return  # already unusable; nothing to remember
    with fail_closed():
        client_or_default(client).set(auth_key("deny", jti), "1", ex=ttl)


def is_denied(jti: str, client: redis.Redis | None = None) -> bool:
    """True when the token `jti` has been revoked (logout)."""
    with fail_closed():
        return bool(client_or_default(client).exists(auth_key("deny", jti)))


def end_session_tokens(family_id: str, client: redis.Redis | None = None) -> None:
    """Refuse every access token issued to the session `family_id`, from now on.

    The family is already revoked in PostgreSQL, so it mints no new token: the mark only has
    to outlive the tokens it already issued.
    """
    settings = get_settings()
    ttl = settings.access_token_ttl + settings.jwt_leeway_seconds + 1
    with fail_closed():
        client_or_default(client).set(auth_key("session-ended", family_id), "1", ex=ttl)


def cut_off_user_tokens(
    user_id: str, at: float | None = None, client: redis.Redis | None = None
) -> None:
    """Make every access token of `user_id` issued up to `at` (default: now) invalid.

    Token `iat`s have millisecond precision; the cut-off is the first millisecond after `at`,
    and without an explicit `at` we wait for that millisecond to begin, so a token issued
    after this call returns is never caught by it.
    """
    settings = get_settings()
    now = time.time()
    cutoff_ms = math.floor((now if at is None else at) * 1000) + 1
    # After one token lifetime every token from before the cut-off has expired by itself.
    ttl = settings.access_token_ttl + settings.jwt_leeway_seconds + 1
    with fail_closed():
        client_or_default(client).set(auth_key("cutoff", user_id), str(cutoff_ms), ex=ttl)
    if at is None:
        time.sleep(max(0.0, cutoff_ms / 1000 - time.time()))


def user_cut_off(user_id: str, client: redis.Redis | None = None) -> float | None:
    """The user's cut-off time (seconds), if one is in force."""
    with fail_closed():
        value = client_or_default(client).get(auth_key("cutoff", user_id))
    return int(value) / 1000 if value is not None else None


def ensure_not_revoked(claims: AccessClaims, client: redis.Redis | None = None) -> None:
    """Raise 401 `token_revoked` if the token was revoked; one Redis round trip."""
    keys = [auth_key("deny", claims.jti), auth_key("cutoff", claims.sub)]
    if claims.sid is not None:
        keys.append(auth_key("session-ended", claims.sid))
    with fail_closed():
        denied, cutoff_ms, *session_ended = client_or_default(client).mget(keys)
    if (
        denied is not None
        or any(mark is not None for mark in session_ended)
        or (cutoff_ms is not None and _iat_ms(claims) < int(cutoff_ms))
    ):
        raise BookReaderError("token_revoked", "The access token has been revoked.", 401)


def _iat_ms(claims: AccessClaims) -> int:
    return round(claims.iat * 1000)


def _seconds_until(timestamp: float) -> int:
    return math.ceil(timestamp - time.time())
