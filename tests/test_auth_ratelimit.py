"""Rate limits: a sliding window per key; over the limit → 429 with an exact Retry-After.
And the limits sign-in applies with it, the per-account lockout among them."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bookreader import ratelimit
from bookreader.auth import limits
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.ratelimit import Limit
from tests.support.auth_client import new_email

T0 = 1_700_000_000.0


@pytest.fixture
def client(services, redis_prefix: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    monkeypatch.setenv("REDIS_PREFIX", redis_prefix)
    get_settings.cache_clear()
    connection = redis.Redis.from_url(services.redis_url, decode_responses=True)
    yield connection
    connection.close()
    get_settings.cache_clear()


def _limited(call) -> int:
    with pytest.raises(BookReaderError) as error:
        call()
    assert (error.value.code, error.value.status) == ("rate_limited", 429)
    retry_after = error.value.headers["Retry-After"]
    assert retry_after.isdigit()
    assert error.value.details["retry_after"] == int(retry_after)
    return int(retry_after)


def test_hits_up_to_the_limit_pass_and_the_next_one_gets_429(client: redis.Redis) -> None:
    for second in range(3):
        ratelimit.hit("k", 3, 60, client=client, now=T0 + second)
    assert _limited(lambda: ratelimit.hit("k", 3, 60, client=client, now=T0 + 3)) == 57


def test_retry_after_is_when_the_oldest_hit_leaves_the_window_rounded_up(
    client: redis.Redis,
) -> None:
    ratelimit.hit("k", 2, 60, client=client, now=T0)
    ratelimit.hit("k", 2, 60, client=client, now=T0 + 10)
    assert _limited(lambda: ratelimit.hit("k", 2, 60, client=client, now=T0 + 30.5)) == 30
    assert _limited(lambda: ratelimit.hit("k", 2, 60, client=client, now=T0 + 59.2)) == 1
    # Exactly when the oldest hit leaves, there is room for one more — and only one.
    ratelimit.hit("k", 2, 60, client=client, now=T0 + 60)
    assert _limited(lambda: ratelimit.hit("k", 2, 60, client=client, now=T0 + 61)) == 9


def test_refused_requests_do_not_extend_the_wait(client: redis.Redis) -> None:
    ratelimit.hit("k", 1, 60, client=client, now=T0)
    for second in range(1, 50, 7):
        _limited(lambda s=second: ratelimit.hit("k", 1, 60, client=client, now=T0 + s))
    ratelimit.hit("k", 1, 60, client=client, now=T0 + 60)


def test_keys_are_independent(client: redis.Redis) -> None:
    ratelimit.hit("a", 1, 60, client=client, now=T0)
    ratelimit.hit("b", 1, 60, client=client, now=T0)
    _limited(lambda: ratelimit.hit("a", 1, 60, client=client, now=T0 + 1))


def test_several_limits_count_all_or_nothing_and_report_the_longest_wait(
    client: redis.Redis,
) -> None:
    tight, loose = Limit("tight", 1, 10), Limit("loose", 5, 60)
    ratelimit.hit_all([tight, loose], client=client, now=T0)
    assert _limited(lambda: ratelimit.hit_all([tight, loose], client=client, now=T0 + 1)) == 9
    # The refused attempt was not counted against the loose limit either.
    assert client.zcard(f"{get_settings().redis_prefix}:rl:loose") == 1


def test_the_server_clock_is_used_by_default_and_keys_expire(client: redis.Redis) -> None:
    ratelimit.hit("live", 1, 30, client=client)
    assert _limited(lambda: ratelimit.hit("live", 1, 30, client=client)) in range(29, 31)
    ttl = client.pttl(f"{get_settings().redis_prefix}:rl:live")
    assert 0 < ttl <= 30_000


def test_login_limit_is_five_per_ip_and_email(client: redis.Redis) -> None:
    for _ in range(5):
        limits.limit_login("198.51.100.1", "anna@example.org", client=client)
    # The same person typing the email differently is still the same email.
    _limited(lambda: limits.limit_login("198.51.100.1", " Anna@Example.org", client=client))
    limits.limit_login("198.51.100.1", "boris@example.org", client=client)
    limits.limit_login("198.51.100.2", "anna@example.org", client=client)


def test_login_limit_is_twenty_per_ip_across_emails(client: redis.Redis) -> None:
    for number in range(20):
        limits.limit_login("198.51.100.1", f"user{number}@example.org", client=client)
    _limited(lambda: limits.limit_login("198.51.100.1", "fresh@example.org", client=client))
    limits.limit_login("198.51.100.9", "fresh@example.org", client=client)


def test_register_limit_is_three_per_ip(client: redis.Redis) -> None:
    for _ in range(3):
        limits.limit_register("198.51.100.1", new_email(), client=client)
    retry_after = _limited(
        lambda: limits.limit_register("198.51.100.1", new_email(), client=client)
    )
    assert 1 <= retry_after <= 60
    limits.limit_register("198.51.100.2", new_email(), client=client)


def test_api_limit_is_configurable_per_user(
    client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert get_settings().rate_limit_api_user == 100
    monkeypatch.setenv("RATE_LIMIT_API_USER", "4")
    get_settings.cache_clear()
    for _ in range(4):
        limits.limit_api("user-1", client=client)
    _limited(lambda: limits.limit_api("user-1", client=client))
    limits.limit_api("user-2", client=client)


def test_reading_has_its_own_larger_window(
    client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert get_settings().rate_limit_api_read_user > get_settings().rate_limit_api_user
    monkeypatch.setenv("RATE_LIMIT_API_USER", "2")
    monkeypatch.setenv("RATE_LIMIT_API_READ_USER", "5")
    get_settings.cache_clear()
    for _ in range(2):
        limits.limit_api("reader", client=client)
    _limited(lambda: limits.limit_api("reader", client=client))
    for _ in range(5):  # paging through a chapter is not held back by the write limit
        limits.limit_api("reader", read=True, client=client)
    _limited(lambda: limits.limit_api("reader", read=True, client=client))


def test_redis_down_fails_closed_with_503() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = redis.Redis(
        host="127.0.0.1", port=port, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    with pytest.raises(BookReaderError) as error:
        limits.limit_login("198.51.100.1", "anna@example.org", client=unreachable)
    assert (error.value.code, error.value.status) == ("auth_unavailable", 503)


def test_registration_is_limited_per_target_email_whatever_the_address(
    client: redis.Redis,
) -> None:
    # `email_taken` says whether an account exists: asking about one email from many
    # addresses is held back like asking from one.
    for number in range(5):
        limits.limit_register(f"198.51.100.{number}", "Anna@Example.org", client=client)
    _limited(lambda: limits.limit_register("198.51.100.77", " anna@example.org", client=client))
    limits.limit_register("198.51.100.77", "boris@example.org", client=client)


def _locked(call) -> int:
    with pytest.raises(BookReaderError) as error:
        call()
    assert (error.value.code, error.value.status) == ("login_locked", 429)
    assert error.value.details["retry_after"] == int(error.value.headers["Retry-After"])
    return int(error.value.headers["Retry-After"])


@pytest.fixture
def lockout(client: redis.Redis, monkeypatch: pytest.MonkeyPatch) -> redis.Redis:
    monkeypatch.setenv("LOGIN_LOCKOUT_AFTER", "3")
    monkeypatch.setenv("LOGIN_LOCKOUT_BASE_SECONDS", "10")
    monkeypatch.setenv("LOGIN_LOCKOUT_MAX_SECONDS", "60")
    monkeypatch.setenv("LOGIN_LOCKOUT_MEMORY_SECONDS", "3600")
    get_settings.cache_clear()
    return client


def test_unsuccessful_sign_ins_to_one_account_slow_down_twice_as_much_each_time(
    lockout: redis.Redis,
) -> None:
    email = "anna@example.org"
    for second in range(3):
        limits.begin_login_attempt(email, client=lockout, now=T0 + second)
    # The third attempt (at T0+2) started a 10 s wait; asking during it does not extend it.
    assert _locked(lambda: limits.begin_login_attempt(email, client=lockout, now=T0 + 3)) == 9
    assert _locked(lambda: limits.begin_login_attempt(email, client=lockout, now=T0 + 11)) == 1
    limits.begin_login_attempt(email, client=lockout, now=T0 + 12)  # wait over: 20 s now
    assert _locked(lambda: limits.begin_login_attempt(email, client=lockout, now=T0 + 13)) == 19
    limits.begin_login_attempt(email, client=lockout, now=T0 + 32)  # then 40 s
    assert _locked(lambda: limits.begin_login_attempt(email, client=lockout, now=T0 + 33)) == 39
    # Bounded: however long the guessing goes on, no wait is longer than the maximum.
    at = T0 + 72
    for _ in range(10):
        limits.begin_login_attempt(email, client=lockout, now=at)
        wait = _locked(lambda at=at: limits.begin_login_attempt(email, client=lockout, now=at))
        assert wait <= 60
        at += wait
    assert wait == 60


def test_the_lockout_is_per_account_however_the_email_is_written(lockout: redis.Redis) -> None:
    for second, spelling in enumerate(
        ["anna@example.org", " ANNA@example.org", "ａnna@example.org"]
    ):
        limits.begin_login_attempt(spelling, client=lockout, now=T0 + second)
    _locked(lambda: limits.begin_login_attempt("Anna@Example.org", client=lockout, now=T0 + 3))
    limits.begin_login_attempt("boris@example.org", client=lockout, now=T0 + 3)


def test_a_successful_sign_in_forgives_the_failures_before_it(lockout: redis.Redis) -> None:
    email = "anna@example.org"
    for second in range(2):
        limits.begin_login_attempt(email, client=lockout, now=T0 + second)
    limits.begin_login_attempt(email, client=lockout, now=T0 + 2)
    limits.login_succeeded(email, client=lockout)  # that third attempt was the owner
    for second in range(3, 5):
        limits.begin_login_attempt(email, client=lockout, now=T0 + second)
    limits.begin_login_attempt(email, client=lockout, now=T0 + 5)
    _locked(lambda: limits.begin_login_attempt(email, client=lockout, now=T0 + 6))
