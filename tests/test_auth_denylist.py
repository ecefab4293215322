"""Revoked access tokens: a logged-out jti or a user's cut-off stops a token; no Redis → 503."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bookreader.auth import denylist, tokens
from bookreader.config import get_settings
from bookreader.errors import BookReaderError


@pytest.fixture
def client(services, redis_prefix: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    monkeypatch.setenv("REDIS_PREFIX", redis_prefix)
    monkeypatch.setenv("JWT_SECRET", "denylist-tests-secret-" + "z" * 20)
    get_settings.cache_clear()
    connection = redis.Redis.from_url(services.redis_url, decode_responses=True)
    yield connection
    connection.close()
    get_settings.cache_clear()


@pytest.fixture
def unreachable() -> redis.Redis:
    """A client pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return redis.Redis(
        host="127.0.0.1", port=port, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )


def _revoked(claims: tokens.AccessClaims, client: redis.Redis) -> None:
    with pytest.raises(BookReaderError) as error:
        denylist.ensure_not_revoked(claims, client)
    assert (error.value.code, error.value.status) == ("token_revoked", 401)


def test_a_fresh_token_is_not_revoked(client: redis.Redis) -> None:
    claims = tokens.issue_access_token(str(uuid.uuid4()), "user").claims
    denylist.ensure_not_revoked(claims, client)
    assert not denylist.is_denied(claims.jti, client)


def test_denylisted_jti_is_rejected_and_other_tokens_are_not(client: redis.Redis) -> None:
    user = str(uuid.uuid4())
    logged_out = tokens.issue_access_token(user, "user").claims
    other_device = tokens.issue_access_token(user, "user").claims
    denylist.deny_token(logged_out.jti, logged_out.exp, client)
    assert denylist.is_denied(logged_out.jti, client)
    _revoked(logged_out, client)
    denylist.ensure_not_revoked(other_device, client)


def test_denylist_entry_lives_until_the_token_expires_plus_leeway(client: redis.Redis) -> None:
    claims = tokens.issue_access_token(str(uuid.uuid4()), "user").claims
    expires = claims.exp + get_settings().jwt_leeway_seconds
    before = time.time()
    denylist.deny_token(claims.jti, claims.exp, client)
    ttl = client.ttl(f"{get_settings().redis_prefix}:auth:deny:{claims.jti}")
    after = time.time()
    # Bounded by the clock before and after, not by a fixed slack: a busy machine may pause here.
    assert expires - after - 1 <= ttl <= expires - before + 1


def test_already_expired_token_is_not_stored(client: redis.Redis) -> None:
    denylist.deny_token("old-jti", int(time.time()) - 3600, client)
    assert not denylist.is_denied("old-jti", client)


def test_cut_off_invalidates_every_earlier_token_of_the_user_only(client: redis.Redis) -> None:
    user, neighbour = str(uuid.uuid4()), str(uuid.uuid4())
    before = tokens.issue_access_token(user, "user").claims
    theirs = tokens.issue_access_token(neighbour, "user").claims
    denylist.cut_off_user_tokens(user, client=client)
    _revoked(before, client)
    denylist.ensure_not_revoked(theirs, client)
    after = tokens.issue_access_token(user, "user").claims
    denylist.ensure_not_revoked(after, client)
    assert denylist.user_cut_off(user, client) is not None
    assert denylist.user_cut_off(neighbour, client) is None


def test_cut_off_marker_outlives_every_token_it_affects(client: redis.Redis) -> None:
    user = str(uuid.uuid4())
    denylist.cut_off_user_tokens(user, client=client)
    ttl = client.ttl(f"{get_settings().redis_prefix}:auth:cutoff:{user}")
    settings = get_settings()
    assert ttl >= settings.access_token_ttl + settings.jwt_leeway_seconds


def test_redis_down_fails_closed_with_503(unreachable: redis.Redis, client: redis.Redis) -> None:
    claims = tokens.issue_access_token(str(uuid.uuid4()), "user").claims
    checks = [
        lambda: denylist.ensure_not_revoked(claims, unreachable),
        lambda: denylist.is_denied(claims.jti, unreachable),
        lambda: denylist.deny_token(claims.jti, claims.exp, unreachable),
        lambda: denylist.cut_off_user_tokens(claims.sub, client=unreachable),
    ]
    for check in checks:
        with pytest.raises(BookReaderError) as error:
            check()
        assert (error.value.code, error.value.status) == ("auth_unavailable", 503)
        assert error.value.headers.get("Retry-After")
