"""Signing a device in with an app password, rate-limited like sign-in: HTTP Basic for OPDS
apps (email + app password), and the same check for other carriers (KOReader's
`x-auth-user` / `x-auth-key`) through `authenticate_device`.

Every request of an e-reader carries the credentials, so the per-address windows count only
failures and the per-account lockout is the devices' own (see `auth.limits`). Every 401 names
the Basic scheme, so an e-reader asks for a password instead of showing an error page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from bookreader.auth import app_passwords
from bookreader.auth.app_passwords import Device, Scope
from bookreader.auth.limits import (
    begin_login_attempt,
    device_sign_in_failed,
    limit_device_sign_in,
    login_succeeded,
)
from bookreader.errors import BookReaderError

REALM = "BookReader AI"
BASIC_CHALLENGE = {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
_MAX_HEADER = 2048


def basic_credentials(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """(login, password) of an `Authorization: Basic …` header (UTF-8), if there is one."""
    header = (headers.get("authorization") or "").strip()
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip() or len(header) > _MAX_HEADER:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, colon, password = decoded.partition(":")
    if not colon or not login:
        return None
    return login, password


def authenticate_device(
    ip: str,
    login: str,
    scope: Scope,
    *,
    secret: str | None = None,
    key: str | None = None,
) -> Device:
    """The device signing in as `login` with an app password for `scope`, given either the
    `secret` itself or `key`, its MD5 hex digest (KOReader). Rate-limited like sign-in:
    429 `rate_limited` / `login_locked` with `Retry-After`; 401 `invalid_credentials`."""
    limit_device_sign_in(ip, login)
    begin_login_attempt(login, kind="device")
    try:
        if key is not None:
            device = app_passwords.verify_app_password_key(login, key, scope)
        else:
            device = app_passwords.verify_app_password(login, secret or "", scope)
    except BookReaderError as error:
        if error.status == 401:
            device_sign_in_failed(ip, login)
        raise
    login_succeeded(login, kind="device")
    return device


def authenticate_basic(headers: Mapping[str, str], ip: str, scope: Scope) -> Device:
    """The device of the request's HTTP Basic credentials; every 401 carries the challenge."""
    credentials = basic_credentials(headers)
    if credentials is None:
        raise BookReaderError(
            "unauthenticated",
            "Sign in with your email and an app password (Account → App passwords).",
            401,
            headers=BASIC_CHALLENGE,
        )
    login, secret = credentials
    try:
        return authenticate_device(ip, login, scope, secret=secret)
    except BookReaderError as error:
        if error.status == 401:
            error.headers = {**BASIC_CHALLENGE, **error.headers}
        raise
