"""Accounts: registration, login, profile, password change, and the admin's view of users.

Login never says whether an email exists: an unknown email and a wrong password give the same
error after the same amount of hashing. Changing a password, disabling a user or changing a
role ends the user's other sessions and cuts off their access tokens at once.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from typing import Any, Literal, TypeVar

import redis
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bookreader import db
from bookreader.auth import denylist, passwords, sessions
from bookreader.auth.emails import MAX_EMAIL, lookup_forms, normalize_email
from bookreader.auth.tokens import Role
from bookreader.errors import BookReaderError
from bookreader.ids import is_uuid
from bookreader.validation import from_pydantic, invalid_fields

Locale = Literal["ru", "en"]
MAX_DISPLAY_NAME = 100
MAX_PAGE_SIZE = 100
# Bidi overrides and isolates let a name display as something it is not.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_ZERO_WIDTH_JOINER = "\u200d"
# More marks than this on one letter is "Zalgo" text that spills over the lines around it;
# after NFC, living scripts need at most two.
MAX_STACKED_MARKS = 2
_USER_COLUMNS = (
    "id, email, display_name, locale, role, disabled, preferences, created_at, updated_at"
)
M = TypeVar("M", bound=BaseModel)


class ReaderPreferences(BaseModel):
    """How the reader shows books; stored as JSON on the user."""

    model_config = ConfigDict(extra="forbid")

    theme: Literal["light", "dark", "sepia"] = "light"
    # "dyslexic": a typeface made for readers with dyslexia, bundled with the web app.
    font_family: Literal["serif", "sans-serif", "monospace", "dyslexic"] = "serif"
    font_size: int = Field(18, ge=10, le=48)
    line_height: float = Field(1.5, ge=1.0, le=3.0)
    text_align: Literal["left", "justify"] = "justify"
    margin: int = Field(2, ge=0, le=10)
    layout: Literal["paginated", "scroll"] = "paginated"
    show_illustrations: bool = True
    # Descriptions underlined in the text (the reader can turn them off).
    show_marks: bool = True


class User(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: str
    email: str
    display_name: str
    locale: Locale
    role: Role
    disabled: bool
    preferences: ReaderPreferences
    created_at: datetime
    updated_at: datetime


class ProfileUpdate(BaseModel):
    """What a user may change about themselves; `preferences` is merged into the current ones."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = None
    locale: Locale | None = None
    preferences: dict[str, Any] | None = None


class AdminUserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    disabled: bool | None = None


class UserPage(BaseModel):
    items: list[User]
    total: int
    page: int
    page_size: int


def register(
    email: str,
    password: str,
    *,
    display_name: str | None = None,
    locale: Locale = "ru",
    pool: db.Pool | None = None,
) -> User:
    """Create an account; 422 for a bad email or weak password, 409 `email_taken`."""
    address = normalize_email(email)
    passwords.check_password_policy(password, address)
    name = normalize_display_name(display_name) if display_name else address.split("@")[0]
    if locale not in ("ru", "en"):
        raise _validation("locale", "locale must be 'ru' or 'en'")
    password_hash = passwords.hash_password(password)
    with (pool or db.get_pool()).transaction() as conn:
        rows = conn.run(
            "INSERT INTO users (email, password_hash, display_name, locale, preferences)"
            " VALUES (:email, :hash, :name, :locale, CAST(:prefs AS jsonb))"
            f" ON CONFLICT ((lower(email))) DO NOTHING RETURNING {_USER_COLUMNS}",
            email=address,
            hash=password_hash,
            name=name[:MAX_DISPLAY_NAME],
            locale=locale,
            prefs=ReaderPreferences().model_dump_json(),
        )
        if not rows:
            raise BookReaderError("email_taken", "An account with this email already exists.", 409)
        return _user(conn, rows)[0]


def authenticate(email: str, password: str, *, pool: db.Pool | None = None) -> User:
    """The user with these credentials; 401 `invalid_credentials` (the same for unknown email
    and wrong password), 403 `account_disabled` once the password is proven."""
    pool = pool or db.get_pool()
    # No validity checks here: an account made under older rules must still sign in.
    addresses = [address for address in lookup_forms(email) if 0 < len(address) <= MAX_EMAIL]
    row = None
    if addresses:
        with pool.connection() as conn:
            rows = conn.run(
                f"SELECT {_USER_COLUMNS}, password_hash FROM users"
                " WHERE lower(email) = ANY(CAST(:emails AS text[])) ORDER BY created_at LIMIT 1",
                emails=addresses,
            )
            if rows:
                record = db.rows_as_dicts(conn, rows)[0]
                stored = record.pop("password_hash")
                row = (_user_from(record), stored)
    if row is None or len(password) > passwords.MAX_PASSWORD_LENGTH:
        passwords.dummy_verify()  # the same hashing time as a real check
        raise _bad_credentials()
    user, stored_hash = row
    if not passwords.verify_password(password, stored_hash):
        raise _bad_credentials()
    if user.disabled:
        raise BookReaderError("account_disabled", "This account is disabled.", 403)
    if passwords.needs_rehash(stored_hash):
        # The parameters were raised since this hash was made; upgrade it while we know the
        # password. Only if the hash is still the one we checked, so a concurrent change wins.
        with pool.transaction() as conn:
            conn.run(
                "UPDATE users SET password_hash = :new WHERE id = CAST(:id AS uuid)"
                " AND password_hash = :old",
                new=passwords.hash_password(password),
                id=user.id,
                old=stored_hash,
            )
    return user


def get_user(user_id: str, *, pool: db.Pool | None = None) -> User:
    """The user `user_id`; 404 `user_not_found`."""
    if not is_uuid(user_id):
        raise _not_found()
    with (pool or db.get_pool()).connection() as conn:
        rows = conn.run(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = CAST(:id AS uuid)", id=user_id
        )
        if not rows:
            raise _not_found()
        return _user(conn, rows)[0]


def update_profile(
    user_id: str, changes: ProfileUpdate | dict[str, Any], *, pool: db.Pool | None = None
) -> User:
    """Change display name, UI language and reader preferences; 422 for invalid values."""
    update = _parse(ProfileUpdate, changes)
    pool = pool or db.get_pool()
    current = get_user(user_id, pool=pool)
    name = (
        normalize_display_name(update.display_name)
        if update.display_name is not None
        else current.display_name
    )
    preferences = current.preferences
    if update.preferences is not None:
        merged = {**current.preferences.model_dump(), **update.preferences}
        preferences = _parse(ReaderPreferences, merged, location="preferences")
    with pool.transaction() as conn:
        rows = conn.run(
            "UPDATE users SET display_name = :name, locale = :locale,"
            " preferences = CAST(:prefs AS jsonb), updated_at = now()"
            f" WHERE id = CAST(:id AS uuid) RETURNING {_USER_COLUMNS}",
            name=name,
            locale=update.locale or current.locale,
            prefs=preferences.model_dump_json(),
            id=user_id,
        )
        if not rows:
            raise _not_found()
        return _user(conn, rows)[0]


def change_password(
    user_id: str,
    current_password: str,
    new_password: str,
    *,
    keep_family: str | None = None,
    pool: db.Pool | None = None,
    redis_client: redis.Redis | None = None,
) -> None:
    """Replace the password after checking the current one (403 `password_incorrect`).

    Every other session ends (`keep_family` — the caller's own — survives) and every access
    token issued so far stops working; the caller should hand out a fresh access token.
    """
    pool = pool or db.get_pool()
    with pool.connection() as conn:
        rows = (
            conn.run(
                "SELECT email, password_hash FROM users WHERE id = CAST(:id AS uuid)",
                id=user_id,
            )
            if is_uuid(user_id)
            else []
        )
    if not rows:
        raise _not_found()
    email, stored_hash = rows[0]
    if len(current_password) > passwords.MAX_PASSWORD_LENGTH or not passwords.verify_password(
        current_password, stored_hash
    ):
        raise BookReaderError("password_incorrect", "The current password is not correct.", 403)
    passwords.check_password_policy(new_password, email)
    if passwords.verify_password(new_password, stored_hash):
        raise BookReaderError(
            "password_weak", "Choose a password you have not used here.", 422, {"reason": "same"}
        )
    # Revoke first: if a later step fails, the account is left more locked, never less.
    sessions.revoke_user_sessions(user_id, except_family=keep_family, pool=pool)
    with pool.transaction() as conn:
        conn.run(
            "UPDATE users SET password_hash = :hash, updated_at = now()"
            " WHERE id = CAST(:id AS uuid)",
            hash=passwords.hash_password(new_password),
            id=user_id,
        )
    denylist.cut_off_user_tokens(user_id, client=redis_client)


def list_users(
    *,
    query: str | None = None,
    page: int = 1,
    page_size: int = 20,
    pool: db.Pool | None = None,
) -> UserPage:
    """Users, newest first, optionally those whose email or display name contains `query`."""
    if page < 1:
        raise _validation("page", "page must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise _validation("page_size", f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    pattern = None
    if query and query.strip():
        needle = unicodedata.normalize("NFC", query.strip())[:MAX_EMAIL]
        # The user's text is matched literally: % and _ are not wildcards here.
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
    where = (
        " WHERE email ILIKE :pattern ESCAPE '\\' OR display_name ILIKE :pattern ESCAPE '\\'"
        if pattern
        else ""
    )
    params: dict[str, Any] = {"pattern": pattern} if pattern else {}
    with (pool or db.get_pool()).connection() as conn:
        total = conn.run(f"SELECT count(*) FROM users{where}", **params)[0][0]
        rows = conn.run(
            f"SELECT {_USER_COLUMNS} FROM users{where}"
            " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
            limit=page_size,
            offset=(page - 1) * page_size,
            **params,
        )
        items = _user(conn, rows)
    return UserPage(items=items, total=total, page=page, page_size=page_size)


def admin_update_user(
    user_id: str,
    changes: AdminUserUpdate | dict[str, Any],
    *,
    actor_id: str | None = None,
    pool: db.Pool | None = None,
    redis_client: redis.Redis | None = None,
) -> User:
    """Set a user's role or disabled flag. Disabling ends their sessions and tokens at once;
    a role change cuts their tokens so the new role applies now. Admins cannot lock out or
    demote themselves (409 `cannot_change_self`)."""
    update = _parse(AdminUserUpdate, changes)
    pool = pool or db.get_pool()
    if (
        actor_id is not None
        and actor_id == user_id
        and (update.disabled is True or update.role == "user")
    ):
        raise BookReaderError(
            "cannot_change_self", "Admins cannot disable or demote themselves.", 409
        )
    current = get_user(user_id, pool=pool)
    role = update.role or current.role
    disabled = current.disabled if update.disabled is None else update.disabled
    with pool.transaction() as conn:
        rows = conn.run(
            "UPDATE users SET role = :role, disabled = :disabled, updated_at = now()"
            f" WHERE id = CAST(:id AS uuid) RETURNING {_USER_COLUMNS}",
            role=role,
            disabled=disabled,
            id=user_id,
        )
        if not rows:
            raise _not_found()
        user = _user(conn, rows)[0]
    # Applied even when the value did not change, so a retry after a failure completes it.
    if update.disabled is True:
        sessions.revoke_user_sessions(user_id, pool=pool)
    if update.disabled is True or update.role is not None:
        denylist.cut_off_user_tokens(user_id, client=redis_client)
    return user


def promote_to_admin(email: str, *, pool: db.Pool | None = None) -> User:
    """Make the account with `email` an admin (the `make admin` CLI); 404 if there is none."""
    with (pool or db.get_pool()).transaction() as conn:
        rows = conn.run(
            "UPDATE users SET role = 'admin', updated_at = now()"
            " WHERE lower(email) = ANY(CAST(:emails AS text[]))"
            f" RETURNING {_USER_COLUMNS}",
            emails=lookup_forms(email),
        )
        if not rows:
            raise _not_found()
        return _user(conn, rows)[0]


def normalize_display_name(name: str) -> str:
    """A display name: NFC, trimmed, 1–100 characters; no control, direction-override or
    zero-width characters, and no more than two accents stacked on a letter."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(cleaned) <= MAX_DISPLAY_NAME:
        raise _validation("display_name", f"display_name must have 1–{MAX_DISPLAY_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in cleaned) or (
        _BIDI_CONTROLS & set(cleaned)
    ):
        raise _validation("display_name", "display_name contains invisible control characters")
    if _has_invisible_format_characters(cleaned):
        raise _validation("display_name", "display_name contains zero-width characters")
    if _longest_mark_stack(cleaned) > MAX_STACKED_MARKS:
        raise _validation("display_name", "display_name stacks too many accents on one letter")
    return cleaned


def _has_invisible_format_characters(name: str) -> bool:
    # Zero-width spaces, joiners, word joiners, soft hyphens…: two names that look the same.
    # A joiner between two emoji (a family, a flag) is how those are written, so it may stay.
    for index, ch in enumerate(name):
        if unicodedata.category(ch) != "Cf":
            continue
        if ch == _ZERO_WIDTH_JOINER and 0 < index < len(name) - 1:
            before, after = name[index - 1], name[index + 1]
            if _is_emoji_part(before) and _is_emoji_part(after):
                continue
        return True
    return False


def _is_emoji_part(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or ch == "\ufe0f"


def _longest_mark_stack(name: str) -> int:
    longest = run = 0
    for ch in name:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") and ch != "\ufe0f" else 0
        longest = max(longest, run)
    return longest


def _user(conn: db.Connection, rows: list[list[Any]]) -> list[User]:
    return [_user_from(record) for record in db.rows_as_dicts(conn, rows)]


def _user_from(record: dict[str, Any]) -> User:
    record["id"] = str(record["id"])
    preferences = record["preferences"]
    if isinstance(preferences, str):
        preferences = json.loads(preferences)
    record["preferences"] = ReaderPreferences.model_validate(preferences)
    return User.model_validate(record)


def _parse(model: type[M], value: M | dict[str, Any], location: str = "") -> M:
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise from_pydantic(error, location) from error


def _validation(field: str, message: str) -> BookReaderError:
    return invalid_fields([(field, message)], message)


def _bad_credentials() -> BookReaderError:
    return BookReaderError("invalid_credentials", "The email or password is not correct.", 401)


def _not_found() -> BookReaderError:
    return BookReaderError("user_not_found", "No such user.", 404)
