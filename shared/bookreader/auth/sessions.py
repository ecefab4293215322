"""Refresh-token sessions in PostgreSQL: issue, rotate on every use, revoke.

A refresh token is an opaque random string; only its SHA-256 is stored, so a database leak
yields nothing usable. One login starts a family; every refresh replaces the token with a new
one of the same family. A token that was already rotated coming back means two parties hold
it — one of them a thief — so the whole family is revoked, the access tokens it issued stop
working at once (`denylist.end_session_tokens`), and the event is logged.

One exception: an answer lost on the way (the client went offline mid-refresh) leaves the
client with the token it just spent. Presented again within `refresh_reuse_grace_seconds` of
its rotation, while the successor it was exchanged for has never been used, it is rotated once
more (a fresh successor in the same family) instead of ending the session. Whoever received a
successor and used it holds the session; the spent token coming back after that is theft.

Each function runs its own transaction on the pool: the family revocation on reuse must be
committed even though the call then fails.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bookreader import db
from bookreader.auth import denylist
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid
from bookreader.log import log_event

logger = logging.getLogger("bookreader.auth.sessions")

_TOKEN_BYTES = 32


@dataclass(frozen=True)
class IssuedRefresh:
    """A new refresh token; `token` exists only here, never in the database."""

    token: str
    family_id: str
    user_id: str
    expires_at: datetime
    max_age: int  # seconds, for the cookie


def issue_refresh(user_id: str, *, pool: db.Pool | None = None) -> IssuedRefresh:
    """Start a new session (family) for `user_id`, e.g. at login."""
    with (pool or db.get_pool()).transaction() as conn:
        return _insert(conn, user_id, str(uuid.uuid4()))


def rotate_refresh(token: str, *, pool: db.Pool | None = None) -> IssuedRefresh:
    """Exchange a live refresh token for a new one in the same family.

    401 `refresh_invalid` for unknown, expired or revoked tokens; 401 `refresh_reused` (and
    the family revoked) for a token that was already rotated, unless within the grace window
    (see the module's docstring); 403 `account_disabled`.
    """
    token_hash = hash_refresh_token(token)
    ended: str | None = None  # why the family was revoked, raised once that is committed
    with (pool or db.get_pool()).transaction() as conn:
        rows = conn.run(
            "SELECT r.id, r.user_id, r.family_id, r.expires_at <= now(), r.rotated_at,"
            " r.revoked_at, u.disabled,"
            " r.rotated_at > now() - make_interval(secs => :grace)"
            " AND s.rotated_at IS NULL AND s.revoked_at IS NULL"
            " FROM refresh_tokens r JOIN users u ON u.id = r.user_id"
            " LEFT JOIN refresh_tokens s ON s.id = r.replaced_by"
            " WHERE r.token_hash = :hash FOR UPDATE OF r",
            hash=token_hash,
            grace=get_settings().refresh_reuse_grace_seconds,
        )
        if not rows:
            raise _invalid()
        token_id, user_id, family_id, expired, rotated_at, revoked_at, disabled, lost = rows[0]
        user_id, family_id = str(user_id), str(family_id)
        if revoked_at is not None or expired:
            raise _invalid()
        if rotated_at is not None and not lost:
            _revoke_family(conn, family_id)
            ended = "reused"
        elif disabled:
            _revoke_family(conn, family_id)
            ended = "disabled"
        else:
            issued = _insert(conn, user_id, family_id)
            # A retry within the grace window keeps the first rotation's time (the window does
            # not slide) and points at the newest successor, the one the client now holds.
            conn.run(
                "UPDATE refresh_tokens SET rotated_at = COALESCE(rotated_at, now()),"
                " replaced_by = (SELECT id FROM refresh_tokens WHERE token_hash = :new)"
                " WHERE id = :id",
                new=hash_refresh_token(issued.token),
                id=token_id,
            )
            if rotated_at is not None:
                log_event(
                    logger,
                    "refresh token presented again within the grace window; rotated again",
                    event="refresh_token_retry",
                    user_id=user_id,
                    family_id=family_id,
                )
            return issued
    # Outside the transaction: the revocation above is committed before we fail the request.
    denylist.end_session_tokens(family_id)
    if ended == "disabled":
        raise BookReaderError("account_disabled", "This account is disabled.", 403)
    log_event(
        logger,
        "refresh token reused; session family revoked",
        logging.WARNING,
        event="refresh_token_reuse",
        user_id=user_id,
        family_id=family_id,
    )
    raise BookReaderError(
        "refresh_reused", "This session was ended for your safety; please sign in again.", 401
    )


def revoke_family(family_id: str, *, pool: db.Pool | None = None) -> int:
    """End one session and its access tokens; returns how many refresh tokens were revoked."""
    if not is_uuid(family_id):
        return 0
    with (pool or db.get_pool()).transaction() as conn:
        revoked = _revoke_family(conn, family_id)
    denylist.end_session_tokens(family_id)
    return revoked


def revoke_refresh(token: str, *, pool: db.Pool | None = None) -> str | None:
    """End the session `token` belongs to and its access tokens (logout); its family id, or
    None if unknown."""
    with (pool or db.get_pool()).transaction() as conn:
        rows = conn.run(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = :hash",
            hash=hash_refresh_token(token),
        )
        if not rows:
            return None
        family_id = str(rows[0][0])
        _revoke_family(conn, family_id)
    denylist.end_session_tokens(family_id)
    return family_id


def family_of(token: str, *, pool: db.Pool | None = None) -> str | None:
    """The family of a live (not rotated, revoked or expired) token, e.g. the caller's session."""
    with (pool or db.get_pool()).connection() as conn:
        rows = conn.run(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = :hash"
            " AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()",
            hash=hash_refresh_token(token),
        )
    return str(rows[0][0]) if rows else None


def revoke_user_sessions(
    user_id: str, *, except_family: str | None = None, pool: db.Pool | None = None
) -> int:
    """End every session of `user_id` but `except_family`; returns tokens revoked."""
    if except_family is not None and not is_uuid(except_family):
        raise ValueError(f"not a session family id: {except_family!r}")
    if not is_uuid(user_id):
        return 0
    with (pool or db.get_pool()).transaction() as conn:
        conn.run(
            "UPDATE refresh_tokens SET revoked_at = now()"
            " WHERE user_id = CAST(:user_id AS uuid) AND revoked_at IS NULL"
            " AND (CAST(:keep AS uuid) IS NULL OR family_id <> CAST(:keep AS uuid))",
            user_id=user_id,
            keep=except_family,
        )
        return conn.row_count


def delete_expired(
    *, older_than: timedelta = timedelta(days=7), pool: db.Pool | None = None
) -> int:
    """Housekeeping: forget tokens expired more than `older_than` ago."""
    with (pool or db.get_pool()).transaction() as conn:
        conn.run(
            "DELETE FROM refresh_tokens WHERE expires_at < now() - CAST(:age AS interval)",
            age=f"{int(older_than.total_seconds())} seconds",
        )
        return conn.row_count


def hash_refresh_token(token: str) -> bytes:
    """What the database stores: a SHA-256 (the token has 256 random bits; no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def _insert(conn: db.Connection, user_id: str, family_id: str) -> IssuedRefresh:
    ttl = get_settings().refresh_token_ttl
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    rows = conn.run(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)"
        " VALUES (CAST(:user_id AS uuid), CAST(:family_id AS uuid), :hash,"
        " now() + make_interval(secs => :ttl))"
        " RETURNING expires_at",
        user_id=user_id,
        family_id=family_id,
        hash=hash_refresh_token(token),
        ttl=ttl,
    )
    return IssuedRefresh(token, family_id, user_id, rows[0][0], ttl)


def _revoke_family(conn: db.Connection, family_id: str) -> int:
    conn.run(
        "UPDATE refresh_tokens SET revoked_at = now()"
        " WHERE family_id = CAST(:family_id AS uuid) AND revoked_at IS NULL",
        family_id=family_id,
    )
    return conn.row_count


def _invalid() -> BookReaderError:
    return BookReaderError(
        "refresh_invalid", "The session has ended or is not valid; please sign in again.", 401
    )
