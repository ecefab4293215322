"""The limits on sign-in, registration and the API, and the per-account sign-in lockout.

Per-IP limits stop one client; the lockout stops a guesser who spreads over many addresses.
It counts sign-in attempts per account (whatever their address) that did not succeed: after
LOGIN_LOCKOUT_AFTER of them each further attempt must wait, twice as long as the previous
wait, up to LOGIN_LOCKOUT_MAX_SECONDS. A successful sign-in resets the count, and so do
LOGIN_LOCKOUT_MEMORY_SECONDS without attempts. An attempt is counted when it starts (and
forgiven on success), so parallel guesses cannot slip past the count.

The lockout is bounded so a stranger cannot lock a reader out for good: each wait is at most
LOGIN_LOCKOUT_MAX_SECONDS, attempts refused during a wait are not counted, and signed-in
devices keep their sessions. Emails that match no account are counted the same way, so the
answer never tells whether an account exists.

Devices (e-reader apps signing in with an app password on every request) have the same limits
with two differences: the per-address windows count only unsuccessful attempts (a catalogue
browsed page after page is not a guesser), and their lockout is kept apart from sign-in's, so
a device's successful requests never forgive guesses at the account password.
"""

from __future__ import annotations

import hashlib
import math
from typing import Literal

import redis

from bookreader import redis_conn
from bookreader.auth.emails import lookup_form
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.metrics import RATE_LIMIT_HITS
from bookreader.ratelimit import Limit, ensure_room, hit, hit_all
from bookreader.ratelimit.redis_guard import client_or_default, fail_closed

# What clients see while Redis (and so every limit) is away.
UNAVAILABLE = "auth_unavailable"
_UNAVAILABLE_MESSAGE = "Authentication is temporarily unavailable; try again shortly."

# KEYS[1]: the account's hash {failures, until}. ARGV: now in ms ("" = the server's clock),
# attempts allowed before waits begin, first wait ms, longest wait ms, memory ms.
# Returns 0 when the attempt may go ahead (and is counted), else the wait in ms.
_ATTEMPT = """
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local until_ms = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if until_ms > now then return until_ms - now end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[2])
if failures >= free then
  local wait = math.min(tonumber(ARGV[3]) * 2 ^ (failures - free), tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'until', now + wait)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return 0
"""


def limit_login(ip: str, email: str, *, client: redis.Redis | None = None) -> None:
    """Login: LOGIN_IP_EMAIL per IP and email, and LOGIN_IP per IP, per window."""
    settings = get_settings()
    window = settings.rate_limit_window
    hit_all(
        [
            Limit(
                f"login-ip-email:{_digest(ip, lookup_form(email))}",
                settings.rate_limit_login_ip_email,
                window,
            ),
            Limit(f"login-ip:{_digest(ip)}", settings.rate_limit_login_ip, window),
        ],
        client=client,
        unavailable=UNAVAILABLE,
    )


LockoutKind = Literal["login", "device"]


def _device_failure_limits(ip: str, login: str) -> list[Limit]:
    settings = get_settings()
    window = settings.rate_limit_window
    return [
        Limit(
            f"device-ip-login:{_digest(ip, lookup_form(login))}",
            settings.rate_limit_login_ip_email,
            window,
        ),
        Limit(f"device-ip:{_digest(ip)}", settings.rate_limit_login_ip, window),
    ]


def limit_device_sign_in(ip: str, login: str, *, client: redis.Redis | None = None) -> None:
    """An app-password request: 429 once this address has failed too often (per login, and in
    all), with login's numbers; nothing is counted here (see `device_sign_in_failed`)."""
    ensure_room(_device_failure_limits(ip, login), client=client, unavailable=UNAVAILABLE)


def device_sign_in_failed(ip: str, login: str, *, client: redis.Redis | None = None) -> None:
    """Count an unsuccessful app-password attempt against its address's windows."""
    try:
        hit_all(_device_failure_limits(ip, login), client=client, unavailable=UNAVAILABLE)
    except BookReaderError as error:
        if error.status != 429:  # a full window is what the next attempt will be told
            raise


def begin_login_attempt(
    email: str,
    *,
    kind: LockoutKind = "login",
    client: redis.Redis | None = None,
    now: float | None = None,
) -> None:
    """Count a sign-in attempt on the account of `email`, or 429 `login_locked` while it waits.

    `kind` "device" counts app-password attempts on a lockout of their own. `now` (seconds)
    replaces the Redis server's clock; tests use it to be exact.
    """
    settings = get_settings()
    arguments = [
        "" if now is None else round(now * 1000),
        settings.login_lockout_after,
        round(settings.login_lockout_base_seconds * 1000),
        round(settings.login_lockout_max_seconds * 1000),
        settings.login_lockout_memory_seconds * 1000,
    ]
    with fail_closed(UNAVAILABLE, _UNAVAILABLE_MESSAGE):
        redis_client = client_or_default(client)
        wait_ms = int(
            redis_client.register_script(_ATTEMPT)([_lockout_key(email, kind)], arguments)
        )
    if wait_ms > 0:
        RATE_LIMIT_HITS.labels(f"{kind}-account").inc()
        retry_after = max(1, math.ceil(wait_ms / 1000))
        raise BookReaderError(
            "login_locked",
            f"Too many unsuccessful sign-ins to this account; try again in {retry_after} seconds.",
            429,
            {"retry_after": retry_after},
            {"Retry-After": str(retry_after)},
        )


def login_succeeded(
    email: str, *, kind: LockoutKind = "login", client: redis.Redis | None = None
) -> None:
    """Forget the account's unsuccessful attempts (of this kind): its owner is back."""
    with fail_closed(UNAVAILABLE, _UNAVAILABLE_MESSAGE):
        client_or_default(client).delete(_lockout_key(email, kind))


def limit_register(ip: str, email: str, *, client: redis.Redis | None = None) -> None:
    """Registration: REGISTER_IP per IP, and REGISTER_EMAIL per target email, per window.

    `email_taken` tells whoever registers that an account exists (the honest answer a reader
    needs); the per-email limit keeps that from becoming a fast way to test a list of emails
    from many addresses.
    """
    settings = get_settings()
    window = settings.rate_limit_window
    hit_all(
        [
            Limit(f"register-ip:{_digest(ip)}", settings.rate_limit_register_ip, window),
            Limit(
                f"register-email:{_digest(lookup_form(email))}",
                settings.rate_limit_register_email,
                window,
            ),
        ],
        client=client,
        unavailable=UNAVAILABLE,
    )


def limit_password_check(user_id: str, *, client: redis.Redis | None = None) -> None:
    """Guesses at the current password (password change): as strict as login."""
    settings = get_settings()
    hit(
        f"password-user:{user_id}",
        settings.rate_limit_login_ip_email,
        settings.rate_limit_window,
        client=client,
        unavailable=UNAVAILABLE,
    )


def limit_api(user_id: str, *, read: bool = False, client: redis.Redis | None = None) -> None:
    """An authenticated API call: API_USER per user per window, or API_READ_USER for reads."""
    settings = get_settings()
    if read:
        key, limit = f"api-read-user:{user_id}", settings.rate_limit_api_read_user
    else:
        key, limit = f"api-user:{user_id}", settings.rate_limit_api_user
    hit(key, limit, settings.rate_limit_window, client=client, unavailable=UNAVAILABLE)


def _lockout_key(email: str, kind: LockoutKind = "login") -> str:
    name = "lockout" if kind == "login" else f"lockout-{kind}"
    return redis_conn.key("auth", name, _digest(lookup_form(email)))


def _digest(*parts: str) -> str:
    # Keys never carry emails or raw input: a fixed-length digest, safe and private.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
