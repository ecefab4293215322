"""App passwords: per-device secrets for e-reader apps, scoped to the OPDS catalogue (`opds`)
and KOReader progress sync (`kosync`), never the account password and never a way into the
account's own API or sign-in.

The server makes the secret (20 symbols of 31, 99 random bits, typed on an e-reader's
keyboard: lower-case letters and digits without look-alikes, in groups of four) and shows it
once. What is stored:

- `verifier`: the scrypt hash (`passwords.hash_password`, the account passwords' scheme) of
  the secret's MD5 hex digest. KOReader's sync plugin never sends a password, only
  `x-auth-key: md5(password)` in lower-case hex; HTTP Basic clients send the secret, and the
  server takes its MD5 first. One verifier serves both.
- `key_hint`: 16 hex characters of SHA-256 over that digest, so a request checks one row
  (one scrypt), not every device of the user. Knowing it does not help a guesser: the secret
  has 99 random bits.

`verify_app_password(login, secret, scope)` and `verify_app_password_key(login, key, scope)`
are the checks; `bookreader.auth.device_sign_in` wraps them in the sign-in rate limits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bookreader import db
from bookreader.auth import passwords
from bookreader.auth.emails import MAX_EMAIL, lookup_forms
from bookreader.auth.users import normalize_display_name
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid

Scope = Literal["opds", "kosync"]
SCOPES: tuple[Scope, ...] = ("opds", "kosync")
MAX_NAME = 60
MAX_PER_USER = 20
# Lower-case letters and digits without 0/o, 1/l/i: readable off a screen, typed on e-ink keyboards.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS, _GROUP_LENGTH = 5, 4
MAX_SECRET_LENGTH = 128
_HINT_CONTEXT = b"bookreader app password hint\x00"
_KEY_HEX = frozenset("0123456789abcdef")
# last_used_at is written at most this often per password: reads must not all become writes.
_LAST_USED_EVERY = "1 minute"
_COLUMNS = "id::text, name, scopes, created_at, last_used_at"


class AppPasswordCreate(BaseModel):
    """A new app password: a name that says which device, and what it may do."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1, max_length=MAX_NAME, description="The device, e.g. «Kobo Libra»"
    )
    scopes: list[Scope] = Field(
        default_factory=lambda: list(SCOPES),
        min_length=1,
        max_length=len(SCOPES),
        description="`opds`: browse and download the library; `kosync`: KOReader progress sync",
    )

    @field_validator("name")
    @classmethod
    def _readable(cls, name: str) -> str:
        try:
            return normalize_display_name(name)
        except BookReaderError:
            raise ValueError(
                "must be visible text: no control, direction or zero-width characters"
            ) from None

    @field_validator("scopes")
    @classmethod
    def _distinct(cls, scopes: list[Scope]) -> list[Scope]:
        if len(set(scopes)) != len(scopes):
            raise ValueError("each scope at most once")
        return [scope for scope in SCOPES if scope in scopes]


class AppPassword(BaseModel):
    """An app password as its owner sees it (never the secret, never the verifier)."""

    id: str
    name: str
    scopes: list[Scope]
    created_at: datetime
    last_used_at: datetime | None


class CreatedAppPassword(AppPassword):
    """The new app password with its secret: shown this once, never again."""

    password: str = Field(description="The secret to type into the device; not shown again")


@dataclass(frozen=True)
class Device:
    """Who a request signed with an app password comes from."""

    user_id: str
    app_password_id: str
    scope: Scope


def new_secret() -> str:
    groups = (
        "".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS)
    )
    return "-".join(groups)


def md5_key(secret: str) -> str:
    """What KOReader sends as `x-auth-key` for this secret: MD5 of its UTF-8, lower-case hex."""
    return hashlib.md5(secret.encode("utf-8"), usedforsecurity=False).hexdigest()


def key_hint(key: str) -> str:
    return hashlib.sha256(_HINT_CONTEXT + key.encode("ascii")).hexdigest()[:16]


def create_app_password(user_id: str, request: AppPasswordCreate) -> CreatedAppPassword:
    """A new app password for `user_id`; 409 `app_password_limit` past MAX_PER_USER."""
    secret = new_secret()
    key = md5_key(secret)
    with db.get_pool().transaction() as conn:
        # One user's creations are serialised, so two at once cannot pass the limit together.
        conn.run("SELECT 1 FROM users WHERE id = CAST(:u AS uuid) FOR UPDATE", u=user_id)
        count = conn.run(
            "SELECT count(*) FROM app_passwords WHERE user_id = CAST(:u AS uuid)", u=user_id
        )[0][0]
        if count >= MAX_PER_USER:
            raise BookReaderError(
                "app_password_limit",
                f"You have {MAX_PER_USER} app passwords; revoke one you no longer use first.",
                409,
                {"limit": MAX_PER_USER},
            )
        rows = conn.run(
            "INSERT INTO app_passwords (user_id, name, scopes, key_hint, verifier)"
            " VALUES (CAST(:u AS uuid), :name, CAST(:scopes AS text[]), :hint, :verifier)"
            f" RETURNING {_COLUMNS}",
            u=user_id,
            name=request.name,
            scopes=list(request.scopes),
            hint=key_hint(key),
            verifier=passwords.hash_password(key),
        )
        record = db.rows_as_dicts(conn, rows)[0]
    return CreatedAppPassword(**record, password=secret)


def list_app_passwords(user_id: str) -> list[AppPassword]:
    """The user's app passwords, newest first."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            f"SELECT {_COLUMNS} FROM app_passwords WHERE user_id = CAST(:u AS uuid)"
            " ORDER BY created_at DESC, id",
            u=user_id,
        )
        return db.rows_as(conn, rows, AppPassword)


def revoke_app_password(user_id: str, app_password_id: str) -> None:
    """Delete the user's app password: the device is refused from its next request on.
    404 `app_password_not_found` for anyone else's (or none)."""
    deleted = []
    if is_uuid(app_password_id):
        with db.get_pool().transaction() as conn:
            deleted = conn.run(
                "DELETE FROM app_passwords WHERE id = CAST(:id AS uuid)"
                " AND user_id = CAST(:u AS uuid) RETURNING id",
                id=app_password_id,
                u=user_id,
            )
    if not deleted:
        raise BookReaderError("app_password_not_found", "No such app password.", 404)


def verify_app_password(login: str, secret: str, scope: Scope) -> Device:
    """The device whose app password for `scope` this is, signing in as `login` (the account's
    email); 401 `invalid_credentials` otherwise (the account password never matches), 403
    `account_disabled` once proven. No rate limit here: see `device_sign_in`."""
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH:
        return verify_app_password_key(login, "", scope)
    return verify_app_password_key(login, md5_key(secret), scope)


def verify_app_password_key(login: str, key: str, scope: Scope) -> Device:
    """As `verify_app_password`, given the MD5 hex digest of the secret (KOReader's
    `x-auth-key`; upper-case hex is accepted)."""
    key = key.strip().lower() if isinstance(key, str) else ""
    well_formed = len(key) == 32 and set(key) <= _KEY_HEX
    candidate = _candidate(login, key, scope) if well_formed else None
    if candidate is None:
        passwords.dummy_verify()  # an unknown login costs what a wrong password costs
        raise _bad_credentials()
    app_password_id, user_id, verifier, disabled = candidate
    if not passwords.verify_password(key, verifier):
        raise _bad_credentials()
    if disabled:
        raise BookReaderError("account_disabled", "This account is disabled.", 403)
    _mark_used(app_password_id)
    return Device(user_id=user_id, app_password_id=app_password_id, scope=scope)


def _candidate(login: str, key: str, scope: Scope) -> tuple[str, str, str, bool] | None:
    """(id, user id, verifier, disabled) of the one app password this key can be."""
    addresses = [address for address in lookup_forms(login) if 0 < len(address) <= MAX_EMAIL]
    if not addresses:
        return None
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT a.id::text, u.id::text, a.verifier, u.disabled FROM app_passwords a"
            " JOIN users u ON u.id = a.user_id"
            " WHERE lower(u.email) = ANY(CAST(:emails AS text[])) AND a.key_hint = :hint"
            " AND :scope = ANY(a.scopes)"
            " ORDER BY u.created_at, a.created_at LIMIT 1",
            emails=addresses,
            hint=key_hint(key),
            scope=scope,
        )
    if not rows:
        return None
    app_password_id, user_id, verifier, disabled = rows[0]
    return str(app_password_id), str(user_id), str(verifier), bool(disabled)


def _mark_used(app_password_id: str) -> None:
    with db.get_pool().transaction() as conn:
        conn.run(
            "UPDATE app_passwords SET last_used_at = now() WHERE id = CAST(:id AS uuid)"
            f" AND (last_used_at IS NULL OR last_used_at < now() - interval '{_LAST_USED_EVERY}')",
            id=app_password_id,
        )


def _bad_credentials() -> BookReaderError:
    return BookReaderError("invalid_credentials", "The email or app password is not correct.", 401)
