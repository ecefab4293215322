"""App passwords in the domain, on real PostgreSQL and Redis: what a device may sign in with,
how KOReader's MD5 key is checked against the same stored verifier, and the limits on
guessing."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest

from bookreader import db
from bookreader.auth import users
from bookreader.auth.app_passwords import (
    MAX_PER_USER,
    AppPasswordCreate,
    create_app_password,
    list_app_passwords,
    revoke_app_password,
    verify_app_password,
    verify_app_password_key,
)
from bookreader.auth.device_sign_in import authenticate_device, basic_credentials
from bookreader.auth.limits import begin_login_attempt
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from tests.support.auth_client import fake_ip, new_email, strong_password
from tests.support.domain import domain_environment


@pytest.fixture
def env(services, database_url, redis_prefix, tmp_path, monkeypatch) -> Iterator[None]:
    yield from domain_environment(
        monkeypatch, database_url, services.redis_url, redis_prefix, tmp_path
    )


def register() -> tuple[users.User, str]:
    password = strong_password()
    return users.register(new_email(), password), password


def code_of(call) -> str:
    with pytest.raises(BookReaderError) as raised:
        call()
    return raised.value.code


def test_a_new_app_password_signs_its_device_in_and_is_shown_only_once(env) -> None:
    user, _ = register()
    created = create_app_password(user.id, AppPasswordCreate(name="  Kobo Libra "))
    assert re.fullmatch(r"([a-z2-9]{4}-){4}[a-z2-9]{4}", created.password)
    assert created.name == "Kobo Libra" and created.scopes == ["opds", "kosync"]

    device = verify_app_password(user.email, created.password, "opds")
    assert (device.user_id, device.app_password_id) == (user.id, created.id)
    # The email is found however the device's keyboard typed it.
    assert verify_app_password(user.email.upper(), created.password, "kosync").user_id == user.id

    listed = list_app_passwords(user.id)
    assert [item.id for item in listed] == [created.id]
    assert "password" not in listed[0].model_dump()
    assert listed[0].last_used_at is not None
    with db.get_pool().connection() as conn:
        stored = conn.run("SELECT verifier, key_hint FROM app_passwords")[0]
    assert created.password not in str(stored)
    assert stored[0].startswith("scrypt$"), "the account passwords' hashing"


def test_koreader_signs_in_with_the_md5_of_the_app_password(env) -> None:
    user, _ = register()
    created = create_app_password(user.id, AppPasswordCreate(name="Kindle", scopes=["kosync"]))
    key = hashlib.md5(created.password.encode()).hexdigest()
    assert verify_app_password_key(user.email, key, "kosync").app_password_id == created.id
    assert verify_app_password_key(user.email, key.upper(), "kosync").user_id == user.id
    # The digest of something else, or the secret itself where a digest is expected, fails.
    wrong = hashlib.md5(b"not it").hexdigest()
    assert code_of(lambda: verify_app_password_key(user.email, wrong, "kosync")) == (
        "invalid_credentials"
    )
    assert code_of(lambda: verify_app_password_key(user.email, created.password, "kosync")) == (
        "invalid_credentials"
    )


def test_an_app_password_works_only_for_its_scopes(env) -> None:
    user, _ = register()
    opds_only = create_app_password(user.id, AppPasswordCreate(name="FBReader", scopes=["opds"]))
    assert verify_app_password(user.email, opds_only.password, "opds").scope == "opds"
    assert code_of(lambda: verify_app_password(user.email, opds_only.password, "kosync")) == (
        "invalid_credentials"
    )


def test_the_account_password_is_never_an_app_password_nor_the_other_way_round(env) -> None:
    user, password = register()
    created = create_app_password(user.id, AppPasswordCreate(name="Thorium"))
    assert code_of(lambda: verify_app_password(user.email, password, "opds")) == (
        "invalid_credentials"
    )
    md5_of_account_password = hashlib.md5(password.encode()).hexdigest()
    assert code_of(lambda: verify_app_password_key(user.email, md5_of_account_password, "kosync"))
    assert code_of(lambda: users.authenticate(user.email, created.password)) == (
        "invalid_credentials"
    )


def test_another_users_app_password_does_not_sign_in_as_me(env) -> None:
    alice, _ = register()
    bob, _ = register()
    bobs = create_app_password(bob.id, AppPasswordCreate(name="Bob's Kobo"))
    assert code_of(lambda: verify_app_password(alice.email, bobs.password, "opds")) == (
        "invalid_credentials"
    )
    assert code_of(lambda: revoke_app_password(alice.id, bobs.id)) == "app_password_not_found"
    assert verify_app_password(bob.email, bobs.password, "opds").user_id == bob.id


def test_a_revoked_app_password_is_refused_at_once(env) -> None:
    user, _ = register()
    kept = create_app_password(user.id, AppPasswordCreate(name="Phone"))
    revoked = create_app_password(user.id, AppPasswordCreate(name="Lost e-reader"))
    revoke_app_password(user.id, revoked.id)
    assert code_of(lambda: verify_app_password(user.email, revoked.password, "opds")) == (
        "invalid_credentials"
    )
    assert [item.name for item in list_app_passwords(user.id)] == ["Phone"]
    assert verify_app_password(user.email, kept.password, "opds").app_password_id == kept.id
    assert code_of(lambda: revoke_app_password(user.id, revoked.id)) == "app_password_not_found"


def test_a_disabled_account_signs_no_device_in(env) -> None:
    user, _ = register()
    created = create_app_password(user.id, AppPasswordCreate(name="Kobo"))
    users.admin_update_user(user.id, {"disabled": True})
    assert code_of(lambda: verify_app_password(user.email, created.password, "opds")) == (
        "account_disabled"
    )


def test_names_and_scopes_are_checked(env) -> None:
    for bad in (
        {"name": ""},
        {"name": "x" * 61},
        {"name": "Kobo\u202e"},
        {"name": "Kobo", "scopes": []},
        {"name": "Kobo", "scopes": ["admin"]},
        {"name": "Kobo", "scopes": ["opds", "opds"]},
    ):
        with pytest.raises(ValueError):
            AppPasswordCreate.model_validate(bad)


def test_a_user_has_at_most_twenty_app_passwords(env, monkeypatch) -> None:
    monkeypatch.setenv("SCRYPT_N", str(2**10))  # twenty hashes, quickly
    get_settings.cache_clear()
    user, _ = register()
    for number in range(MAX_PER_USER):
        create_app_password(user.id, AppPasswordCreate(name=f"Device {number}"))
    assert code_of(lambda: create_app_password(user.id, AppPasswordCreate(name="One more"))) == (
        "app_password_limit"
    )


def test_guessing_app_passwords_is_limited_like_sign_in(env) -> None:
    user, _ = register()
    created = create_app_password(user.id, AppPasswordCreate(name="Kobo"))
    ip = fake_ip()
    for _ in range(5):  # RATE_LIMIT_LOGIN_IP_EMAIL failures from one address
        assert code_of(lambda: authenticate_device(ip, user.email, "opds", secret="guess")) == (
            "invalid_credentials"
        )
    with pytest.raises(BookReaderError) as raised:
        authenticate_device(ip, user.email, "opds", secret=created.password)
    assert raised.value.status == 429 and raised.value.headers["Retry-After"]
    # Another address is not held back by this one's failures, and success is not counted:
    # a device browsing page after page is never limited.
    elsewhere = fake_ip()
    for _ in range(12):
        device = authenticate_device(elsewhere, user.email, "opds", secret=created.password)
        assert device.user_id == user.id


def test_guessing_from_many_addresses_locks_the_devices_out_not_the_account(env) -> None:
    user, password = register()
    created = create_app_password(user.id, AppPasswordCreate(name="Kobo"))
    for _ in range(10):  # LOGIN_LOCKOUT_AFTER, each from a fresh address
        code_of(lambda: authenticate_device(fake_ip(), user.email, "opds", secret="guess"))
    assert code_of(
        lambda: authenticate_device(fake_ip(), user.email, "opds", secret=created.password)
    ) == ("login_locked")
    # The account's own sign-in has a lockout of its own: its owner still signs in.
    begin_login_attempt(user.email)
    assert users.authenticate(user.email, password).id == user.id


def test_basic_credentials_are_read_as_e_readers_send_them() -> None:
    def header(raw: bytes) -> dict[str, str]:
        return {"authorization": "Basic " + base64.b64encode(raw).decode()}

    assert basic_credentials(header("анна@пример.рф:abcd-efgh".encode())) == (
        "анна@пример.рф",
        "abcd-efgh",
    )
    # Only the first colon separates: a password may hold more.
    assert basic_credentials(header(b"a@example.com:x:y")) == ("a@example.com", "x:y")
    assert basic_credentials({"authorization": "basic " + base64.b64encode(b"a@b.c:p").decode()})
    for refused in (
        {},
        {"authorization": "Bearer abc"},
        {"authorization": "Basic"},
        {"authorization": "Basic !!!"},
        header(b"no colon at all"),
        header(b":password without a login"),
        header(b"\xff\xfe:latin-1 bytes"),
    ):
        assert basic_credentials(refused) is None, refused
