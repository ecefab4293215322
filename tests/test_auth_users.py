"""Accounts: registration, login, profile, password change and the admin's controls."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator

import pytest
import redis

from bookreader import db
from bookreader.auth import denylist, passwords, sessions, tokens, users
from bookreader.config import get_settings
from bookreader.db.migrate import apply_migrations
from bookreader.errors import BookReaderError

PASSWORD = "correct horse battery staple"


@pytest.fixture
def pool(database_url: str, services, redis_prefix: str, monkeypatch) -> Iterator[db.Pool]:
    monkeypatch.setenv("REDIS_PREFIX", redis_prefix)
    monkeypatch.setenv("JWT_SECRET", "users-tests-secret-" + "q" * 20)
    get_settings.cache_clear()
    with db.connect(database_url) as conn:
        apply_migrations(conn)
    pool = db.Pool(database_url, size=2)
    yield pool
    pool.close()
    get_settings.cache_clear()


@pytest.fixture
def client(services) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(services.redis_url, decode_responses=True)
    yield connection
    connection.close()


def _error(call) -> BookReaderError:
    with pytest.raises(BookReaderError) as error:
        call()
    return error.value


def test_register_creates_a_user_with_defaults(pool: db.Pool) -> None:
    user = users.register("  Anna.K@Example.ORG ", PASSWORD, pool=pool)
    assert user.email == "anna.k@example.org"
    assert (user.role, user.disabled, user.locale) == ("user", False, "ru")
    assert user.display_name == "anna.k"
    assert user.preferences == users.ReaderPreferences()
    uuid.UUID(user.id)
    assert "password" not in user.model_dump_json()


def test_duplicate_email_in_any_case_is_409(pool: db.Pool) -> None:
    users.register("anna@example.org", PASSWORD, pool=pool)
    error = _error(lambda: users.register("ANNA@example.org", "another good passphrase", pool=pool))
    assert (error.code, error.status) == ("email_taken", 409)


@pytest.mark.parametrize(
    "email", ["", "anna", "anna@", "@example.org", "anna@example", "a b@example.org", "a@b@c.org"]
)
def test_malformed_email_is_422(pool: db.Pool, email: str) -> None:
    error = _error(lambda: users.register(email, PASSWORD, pool=pool))
    assert (error.code, error.status) == ("email_invalid", 422)


@pytest.mark.parametrize("password", ["short", "password123", "aaaaaaaaaaaa", "anna@example.org"])
def test_weak_password_is_422_and_creates_nothing(pool: db.Pool, password: str) -> None:
    error = _error(lambda: users.register("anna@example.org", password, pool=pool))
    assert (error.code, error.status) == ("password_weak", 422)
    assert users.list_users(pool=pool).total == 0


def test_odd_unicode_in_names_and_emails(pool: db.Pool) -> None:
    user = users.register(
        "Читатель@Почта.рф", "ёжик в тумане 1987", display_name=" Анна 📚 ", locale="en", pool=pool
    )
    assert (user.email, user.display_name, user.locale) == ("читатель@почта.рф", "Анна 📚", "en")
    assert users.authenticate("ЧИТАТЕЛЬ@почта.рф", "ёжик в тумане 1987", pool=pool).id == user.id
    for name in ["evil\u202egnp.exe", "null\x00byte", "   ", "x" * 101]:
        error = _error(lambda n=name: users.update_profile(user.id, {"display_name": n}, pool=pool))
        assert (error.code, error.status) == ("validation_failed", 422)


def test_login_with_the_right_password_returns_the_user(pool: db.Pool) -> None:
    created = users.register("anna@example.org", PASSWORD, pool=pool)
    assert users.authenticate(" Anna@Example.org", PASSWORD, pool=pool) == created


def test_login_failure_looks_the_same_for_unknown_email_and_wrong_password(
    pool: db.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.register("anna@example.org", PASSWORD, pool=pool)
    passwords.dummy_verify()  # warm the cached dummy hash so only the login's hashing is counted
    real_scrypt = hashlib.scrypt
    calls: list[int] = []

    def counting_scrypt(*args, **kwargs):
        calls.append(kwargs["n"])
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting_scrypt)
    failures = {}
    for label, email, password in [
        ("wrong password", "anna@example.org", "wrong horse battery staple"),
        ("unknown email", "nobody@example.org", PASSWORD),
        ("malformed email", "not an email", PASSWORD),
        ("huge password", "anna@example.org", "x" * 10_000),
    ]:
        calls.clear()
        error = _error(lambda e=email, p=password: users.authenticate(e, p, pool=pool))
        failures[label] = (error.code, error.message, error.status, error.details, error.headers)
        # The same hashing work either way: one scrypt at the current cost.
        assert calls == [get_settings().scrypt_n], label
    assert all(failure == failures["wrong password"] for failure in failures.values())
    assert failures["unknown email"][:3] == (
        "invalid_credentials",
        "The email or password is not correct.",
        401,
    )


def test_disabled_user_with_the_right_password_gets_403_and_a_wrong_one_401(
    pool: db.Pool, client: redis.Redis
) -> None:
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    users.admin_update_user(user.id, {"disabled": True}, pool=pool, redis_client=client)
    error = _error(lambda: users.authenticate("anna@example.org", PASSWORD, pool=pool))
    assert (error.code, error.status) == ("account_disabled", 403)
    error = _error(lambda: users.authenticate("anna@example.org", "not the password!", pool=pool))
    assert error.status == 401


def test_login_rehashes_a_password_stored_with_weaker_parameters(
    pool: db.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRYPT_N", str(2**12))
    get_settings.cache_clear()
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    monkeypatch.setenv("SCRYPT_N", str(2**14))
    get_settings.cache_clear()
    users.authenticate("anna@example.org", PASSWORD, pool=pool)
    with pool.connection() as conn:
        stored = conn.run(
            "SELECT password_hash FROM users WHERE id = CAST(:id AS uuid)", id=user.id
        )
    assert stored[0][0].startswith(f"scrypt${2**14}$")
    assert not passwords.needs_rehash(stored[0][0])
    assert users.authenticate("anna@example.org", PASSWORD, pool=pool).id == user.id


def test_profile_update_changes_name_language_and_merges_preferences(pool: db.Pool) -> None:
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    updated = users.update_profile(
        user.id,
        {
            "display_name": "Анна",
            "locale": "en",
            "preferences": {"theme": "sepia", "font_size": 22},
        },
        pool=pool,
    )
    assert (updated.display_name, updated.locale) == ("Анна", "en")
    assert (updated.preferences.theme, updated.preferences.font_size) == ("sepia", 22)
    again = users.update_profile(user.id, {"preferences": {"layout": "scroll"}}, pool=pool)
    assert (again.preferences.theme, again.preferences.layout) == ("sepia", "scroll")
    assert users.get_user(user.id, pool=pool) == again


@pytest.mark.parametrize(
    "changes",
    [
        {"locale": "de"},
        {"preferences": {"font_size": 500}},
        {"preferences": {"theme": "neon"}},
        {"preferences": {"unknown_option": True}},
        {"preferences": "dark"},
        {"role": "admin"},
    ],
)
def test_invalid_profile_changes_are_422_and_change_nothing(pool: db.Pool, changes) -> None:
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    error = _error(lambda: users.update_profile(user.id, changes, pool=pool))
    assert (error.code, error.status) == ("validation_failed", 422)
    assert error.details["fields"] and all(
        item["field"] and item["problem"] for item in error.details["fields"]
    )
    assert users.get_user(user.id, pool=pool) == user


def test_unknown_user_is_404(pool: db.Pool) -> None:
    for user_id in [str(uuid.uuid4()), "not-a-uuid"]:
        error = _error(lambda u=user_id: users.get_user(u, pool=pool))
        assert (error.code, error.status) == ("user_not_found", 404)


def test_password_change_ends_other_sessions_and_cuts_access_tokens(
    pool: db.Pool, client: redis.Redis
) -> None:
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    here = sessions.issue_refresh(user.id, pool=pool)
    elsewhere = sessions.issue_refresh(user.id, pool=pool)
    old_access = tokens.issue_access_token(user.id, user.role).claims
    users.change_password(
        user.id,
        PASSWORD,
        "a brand new passphrase",
        keep_family=here.family_id,
        pool=pool,
        redis_client=client,
    )
    sessions.rotate_refresh(here.token, pool=pool)
    with pytest.raises(BookReaderError):
        sessions.rotate_refresh(elsewhere.token, pool=pool)
    with pytest.raises(BookReaderError) as error:
        denylist.ensure_not_revoked(old_access, client)
    assert error.value.code == "token_revoked"
    denylist.ensure_not_revoked(tokens.issue_access_token(user.id, user.role).claims, client)
    assert users.authenticate("anna@example.org", "a brand new passphrase", pool=pool)
    assert _error(lambda: users.authenticate("anna@example.org", PASSWORD, pool=pool)).status == 401


def test_password_change_needs_the_current_password_and_a_good_new_one(
    pool: db.Pool, client: redis.Redis
) -> None:
    user = users.register("anna@example.org", PASSWORD, pool=pool)

    def change(current: str, new: str) -> None:
        users.change_password(user.id, current, new, pool=pool, redis_client=client)

    error = _error(lambda: change("wrong current pass", "a brand new passphrase"))
    assert (error.code, error.status) == ("password_incorrect", 403)
    assert _error(lambda: change(PASSWORD, "qwertyuiop")).status == 422
    assert _error(lambda: change(PASSWORD, PASSWORD)).status == 422
    assert users.authenticate("anna@example.org", PASSWORD, pool=pool).id == user.id


def test_admin_list_is_paged_and_searchable(pool: db.Pool) -> None:
    for number in range(7):
        users.register(
            f"reader{number}@example.org",
            PASSWORD,
            display_name=f"Читатель {number}",
            pool=pool,
        )
    users.register("boss_1@corp.example", PASSWORD, display_name="100% Boss", pool=pool)
    page = users.list_users(page=1, page_size=3, pool=pool)
    assert (page.total, len(page.items)) == (8, 3)
    last = users.list_users(page=3, page_size=3, pool=pool)
    assert len(last.items) == 2
    seen = {u.id for p in (1, 2, 3) for u in users.list_users(page=p, page_size=3, pool=pool).items}
    assert len(seen) == 8
    assert users.list_users(query="READER3", pool=pool).total == 1
    assert users.list_users(query="читатель", pool=pool).total == 7
    # Wildcards typed by the admin are literal characters.
    assert [u.email for u in users.list_users(query="%", pool=pool).items] == [
        "boss_1@corp.example"
    ]
    assert users.list_users(query="s_1", pool=pool).total == 1
    assert users.list_users(query="r_1", pool=pool).total == 0
    assert _error(lambda: users.list_users(page=0, pool=pool)).status == 422
    assert _error(lambda: users.list_users(page_size=1000, pool=pool)).status == 422


def test_disabling_a_user_ends_sessions_and_access_tokens_at_once(
    pool: db.Pool, client: redis.Redis
) -> None:
    admin = users.register("admin@example.org", PASSWORD, pool=pool)
    users.promote_to_admin("admin@example.org", pool=pool)
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    refresh = sessions.issue_refresh(user.id, pool=pool)
    access = tokens.issue_access_token(user.id, "user").claims
    updated = users.admin_update_user(
        user.id, {"disabled": True}, actor_id=admin.id, pool=pool, redis_client=client
    )
    assert updated.disabled
    assert _error(lambda: denylist.ensure_not_revoked(access, client)).code == "token_revoked"
    assert _error(lambda: sessions.rotate_refresh(refresh.token, pool=pool)).status == 401


def test_role_change_applies_at_once_and_admins_cannot_lock_themselves_out(
    pool: db.Pool, client: redis.Redis
) -> None:
    admin = users.register("admin@example.org", PASSWORD, pool=pool)
    assert users.promote_to_admin("ADMIN@example.org", pool=pool).role == "admin"
    user = users.register("anna@example.org", PASSWORD, pool=pool)
    as_user = tokens.issue_access_token(user.id, "user").claims
    promoted = users.admin_update_user(user.id, {"role": "admin"}, pool=pool, redis_client=client)
    assert promoted.role == "admin"
    assert _error(lambda: denylist.ensure_not_revoked(as_user, client)).code == "token_revoked"
    for changes in ({"disabled": True}, {"role": "user"}):
        error = _error(
            lambda c=changes: users.admin_update_user(
                admin.id, c, actor_id=admin.id, pool=pool, redis_client=client
            )
        )
        assert (error.code, error.status) == ("cannot_change_self", 409)
    bad = _error(lambda: users.admin_update_user(user.id, {"role": "root"}, pool=pool))
    assert bad.status == 422
    missing = _error(lambda: users.promote_to_admin("ghost@example.org", pool=pool))
    assert missing.status == 404


def test_an_account_stored_before_nfkc_still_signs_in_and_is_still_found(pool: db.Pool) -> None:
    # Stored the old way (NFC only): the "ﬁ" ligature was kept as one character.
    legacy = "\ufb01ona@example.org"
    with pool.transaction() as conn:
        conn.run(
            "INSERT INTO users (email, password_hash) VALUES (:email, :hash)",
            email=legacy,
            hash=passwords.hash_password(PASSWORD),
        )
    assert users.authenticate(legacy, PASSWORD, pool=pool).email == legacy
    assert users.promote_to_admin(legacy, pool=pool).role == "admin"
    # A new registration spells it NFKC ("fiona"): a different, plain address.
    assert users.register("fiona@example.org", PASSWORD, pool=pool).email == "fiona@example.org"
