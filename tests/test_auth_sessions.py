"""Refresh sessions: opaque tokens stored as hashes, rotated on use, families revoked on reuse."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bookreader import db
from bookreader.auth import sessions
from bookreader.config import get_settings
from bookreader.db.migrate import apply_migrations
from bookreader.errors import BookReaderError


@pytest.fixture
def pool(
    database_url: str, services, redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[db.Pool]:
    # Ending a session also ends its access tokens, in Redis.
    monkeypatch.setenv("REDIS_URL", services.redis_url)
    monkeypatch.setenv("REDIS_PREFIX", redis_prefix)
    get_settings.cache_clear()
    with db.connect(database_url) as conn:
        apply_migrations(conn)
    pool = db.Pool(database_url, size=2)
    yield pool
    pool.close()
    get_settings.cache_clear()


def _new_user(pool: db.Pool, email: str = "reader@example.org", disabled: bool = False) -> str:
    with pool.transaction() as conn:
        rows = conn.run(
            "INSERT INTO users (email, password_hash, disabled) VALUES (:e, 'x', :d) RETURNING id",
            e=email,
            d=disabled,
        )
    return str(rows[0][0])


def _refused(token: str, pool: db.Pool, code: str, status: int = 401) -> None:
    with pytest.raises(BookReaderError) as error:
        sessions.rotate_refresh(token, pool=pool)
    assert (error.value.code, error.value.status) == (code, status)


def test_refresh_token_is_random_and_only_its_hash_is_stored(pool: db.Pool) -> None:
    user = _new_user(pool)
    first = sessions.issue_refresh(user, pool=pool)
    second = sessions.issue_refresh(user, pool=pool)
    assert first.token != second.token and first.family_id != second.family_id
    assert len(first.token) >= 43
    assert first.max_age == 30 * 86400
    with pool.connection() as conn:
        stored = [row[0] for row in conn.run("SELECT token_hash FROM refresh_tokens")]
        text = conn.run("SELECT string_agg(refresh_tokens::text, ' ') FROM refresh_tokens")[0][0]
    assert sessions.hash_refresh_token(first.token) in stored
    assert first.token not in text and second.token not in text


def test_rotation_gives_a_new_token_in_the_same_family(pool: db.Pool) -> None:
    user = _new_user(pool)
    issued = sessions.issue_refresh(user, pool=pool)
    rotated = sessions.rotate_refresh(issued.token, pool=pool)
    assert rotated.token != issued.token
    assert (rotated.family_id, rotated.user_id) == (issued.family_id, user)
    again = sessions.rotate_refresh(rotated.token, pool=pool)
    assert again.family_id == issued.family_id


def test_reused_refresh_token_revokes_family(
    pool: db.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    user = _new_user(pool)
    stolen = sessions.issue_refresh(user, pool=pool)
    # The rightful holder received its successor and used it: the spent token is the thief's.
    received = sessions.rotate_refresh(stolen.token, pool=pool)
    legitimate = sessions.rotate_refresh(received.token, pool=pool)
    other_device = sessions.issue_refresh(user, pool=pool)
    with caplog.at_level(logging.WARNING, logger="bookreader.auth.sessions"):
        _refused(stolen.token, pool, "refresh_reused")
    assert any(
        getattr(record, "fields", {}).get("event") == "refresh_token_reuse"
        and record.fields["family_id"] == stolen.family_id
        for record in caplog.records
    )
    # The thief's copy and the rightful holder's newer token are both dead now…
    _refused(legitimate.token, pool, "refresh_invalid")
    _refused(stolen.token, pool, "refresh_invalid")
    # …while the user's other sessions go on.
    assert (
        sessions.rotate_refresh(other_device.token, pool=pool).family_id == other_device.family_id
    )


def test_a_token_whose_answer_was_lost_is_rotated_again_within_the_grace_window(
    pool: db.Pool,
) -> None:
    user = _new_user(pool)
    spent = sessions.issue_refresh(user, pool=pool)
    sessions.rotate_refresh(spent.token, pool=pool)  # the answer never reached the client
    retried = sessions.rotate_refresh(spent.token, pool=pool)
    again = sessions.rotate_refresh(spent.token, pool=pool)  # lost a second time
    assert retried.family_id == again.family_id == spent.family_id
    assert len({spent.token, retried.token, again.token}) == 3
    # The session goes on from the successor the client finally holds.
    assert sessions.rotate_refresh(again.token, pool=pool).family_id == spent.family_id


def test_a_spent_token_is_theft_once_its_successor_was_used_even_within_the_window(
    pool: db.Pool,
) -> None:
    user = _new_user(pool)
    spent = sessions.issue_refresh(user, pool=pool)
    successor = sessions.rotate_refresh(spent.token, pool=pool)
    newest = sessions.rotate_refresh(successor.token, pool=pool)
    _refused(spent.token, pool, "refresh_reused")
    _refused(newest.token, pool, "refresh_invalid")


def test_a_spent_token_after_the_grace_window_revokes_the_family(
    pool: db.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _new_user(pool)
    spent = sessions.issue_refresh(user, pool=pool)
    successor = sessions.rotate_refresh(spent.token, pool=pool)
    monkeypatch.setenv("REFRESH_REUSE_GRACE_SECONDS", "0")
    get_settings.cache_clear()
    _refused(spent.token, pool, "refresh_reused")
    _refused(successor.token, pool, "refresh_invalid")


def test_unknown_refresh_token_is_refused(pool: db.Pool) -> None:
    _refused("not-a-token-we-issued", pool, "refresh_invalid")
    _refused("", pool, "refresh_invalid")


def test_expired_refresh_token_is_refused(pool: db.Pool) -> None:
    user = _new_user(pool)
    issued = sessions.issue_refresh(user, pool=pool)
    with pool.transaction() as conn:
        conn.run("UPDATE refresh_tokens SET expires_at = now() - interval '1 second'")
    _refused(issued.token, pool, "refresh_invalid")


def test_logout_ends_the_session_of_the_presented_token(pool: db.Pool) -> None:
    user = _new_user(pool)
    issued = sessions.issue_refresh(user, pool=pool)
    rotated = sessions.rotate_refresh(issued.token, pool=pool)
    assert sessions.family_of(rotated.token, pool=pool) == issued.family_id
    assert sessions.revoke_refresh(rotated.token, pool=pool) == issued.family_id
    _refused(rotated.token, pool, "refresh_invalid")
    assert sessions.family_of(rotated.token, pool=pool) is None
    assert sessions.revoke_refresh("unknown", pool=pool) is None


def test_revoke_family_ends_one_session_only(pool: db.Pool) -> None:
    user = _new_user(pool)
    one = sessions.issue_refresh(user, pool=pool)
    two = sessions.issue_refresh(user, pool=pool)
    assert sessions.revoke_family(one.family_id, pool=pool) == 1
    _refused(one.token, pool, "refresh_invalid")
    sessions.rotate_refresh(two.token, pool=pool)
    assert sessions.revoke_family("not-a-uuid", pool=pool) == 0


def test_revoke_user_sessions_can_keep_the_current_one(pool: db.Pool) -> None:
    user = _new_user(pool)
    someone_else = _new_user(pool, "other@example.org")
    current = sessions.issue_refresh(user, pool=pool)
    old_laptop = sessions.issue_refresh(user, pool=pool)
    theirs = sessions.issue_refresh(someone_else, pool=pool)
    sessions.revoke_user_sessions(user, except_family=current.family_id, pool=pool)
    _refused(old_laptop.token, pool, "refresh_invalid")
    current_next = sessions.rotate_refresh(current.token, pool=pool)
    sessions.rotate_refresh(theirs.token, pool=pool)
    sessions.revoke_user_sessions(user, pool=pool)
    _refused(current_next.token, pool, "refresh_invalid")


def test_refresh_of_a_disabled_user_is_forbidden_and_ends_the_session(pool: db.Pool) -> None:
    user = _new_user(pool)
    issued = sessions.issue_refresh(user, pool=pool)
    with pool.transaction() as conn:
        conn.run("UPDATE users SET disabled = true")
    _refused(issued.token, pool, "account_disabled", 403)
    with pool.transaction() as conn:
        conn.run("UPDATE users SET disabled = false")
    _refused(issued.token, pool, "refresh_invalid")


def test_expired_tokens_are_cleaned_up(pool: db.Pool) -> None:
    user = _new_user(pool)
    sessions.issue_refresh(user, pool=pool)
    live = sessions.issue_refresh(user, pool=pool)
    with pool.transaction() as conn:
        conn.run(
            "UPDATE refresh_tokens SET expires_at = now() - interval '8 days'"
            " WHERE family_id <> CAST(:f AS uuid)",
            f=live.family_id,
        )
    assert sessions.delete_expired(pool=pool) == 1
    sessions.rotate_refresh(live.token, pool=pool)
