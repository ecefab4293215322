"""Passwords: scrypt hashes that carry their cost, constant-time checks, and the policy."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest

from bookreader.auth import passwords
from bookreader.auth.passwords import ScryptParams
from bookreader.config import get_settings
from bookreader.errors import BookReaderError

FAST = ScryptParams(n=2**12, r=8, p=1)


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _reason(password: str, email: str | None = None) -> str:
    with pytest.raises(BookReaderError) as error:
        passwords.check_password_policy(password, email)
    assert error.value.status == 422
    assert error.value.code == "password_weak"
    return error.value.details["reason"]


def test_hash_carries_scheme_parameters_salt_and_digest() -> None:
    encoded = passwords.hash_password("correct horse battery staple")
    scheme, n, r, p, salt, digest = encoded.split("$")
    settings = get_settings()
    assert (scheme, int(n), int(r), int(p)) == (
        "scrypt",
        settings.scrypt_n,
        settings.scrypt_r,
        settings.scrypt_p,
    )
    assert salt and digest
    assert "correct horse" not in encoded


def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    encoded = passwords.hash_password("correct horse battery staple", FAST)
    assert passwords.verify_password("correct horse battery staple", encoded)
    assert not passwords.verify_password("correct horse battery stapl", encoded)
    assert not passwords.verify_password("Correct horse battery staple", encoded)


def test_each_hash_has_its_own_salt() -> None:
    first = passwords.hash_password("same password here", FAST)
    second = passwords.hash_password("same password here", FAST)
    assert first != second
    assert first.split("$")[4] != second.split("$")[4]


def test_a_malformed_stored_hash_never_matches() -> None:
    for broken in ["", "plain", "scrypt$1$8$1$AA$AA", "bcrypt$x", "scrypt$abc$8$1$AAAA$AAAA"]:
        assert not passwords.verify_password("anything at all", broken)
        assert passwords.needs_rehash(broken)


def test_hash_made_with_lower_cost_needs_rehash_current_one_does_not() -> None:
    old = passwords.hash_password("correct horse battery staple", FAST)
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(passwords.hash_password("correct horse battery staple"))
    # Old hashes still verify with the parameters they carry.
    assert passwords.verify_password("correct horse battery staple", old)


def test_composed_and_decomposed_letters_are_the_same_password() -> None:
    composed = unicodedata.normalize("NFC", "ёлка-палка-2024")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    encoded = passwords.hash_password(composed, FAST)
    assert passwords.verify_password(decomposed, encoded)


def test_dummy_verify_runs_a_full_verification_without_error() -> None:
    passwords.dummy_verify()


def test_short_password_is_rejected() -> None:
    assert _reason("Xk9#mQ2!z") == "too_short"


@pytest.mark.parametrize(
    "password", ["password123", "qwertyuiop", "1234567890", "Password2024", "iloveyou123"]
)
def test_common_passwords_are_rejected_whatever_the_case(password: str) -> None:
    assert _reason(password) == "too_common"


@pytest.mark.parametrize("password", ["zzzzzzzzzzzz", "abcabcabcabc", "lmnopqrstuvw", "9876543210"])
def test_repetitions_and_straight_runs_are_rejected(password: str) -> None:
    assert _reason(password) in ("too_common", "too_simple")


def test_password_equal_to_the_email_is_rejected() -> None:
    assert _reason("Reader.Anna@example.org", "reader.anna@example.org") == "same_as_email"
    assert _reason("reader.anna.k", "Reader.Anna.K@example.org") == "same_as_email"


def test_absurdly_long_password_is_rejected() -> None:
    assert _reason("x7$" * 200) == "too_long"


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "ёжик в тумане 1987", "Tr0ub4dor&3-xyz", "😀🌲 лес и море"],
)
def test_reasonable_passwords_pass(password: str) -> None:
    passwords.check_password_policy(password, "someone@example.org")


def test_shipped_common_password_list_is_substantial() -> None:
    common = passwords.common_passwords()
    assert len(common) >= 1000
    assert {"123456", "password", "qwerty", "пароль", "йцукен"} <= common
    assert not any(entry.startswith("#") for entry in common)
