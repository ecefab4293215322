"""Access tokens: only tokens we signed, with every claim, for us, and not expired, pass."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import ValidationError

from bookreader.auth import tokens
from bookreader.config import Settings, get_settings
from bookreader.errors import BookReaderError

SECRET = "s3cret-for-tests-only-" + "x" * 20
USER = str(uuid.uuid4())


@pytest.fixture(autouse=True)
def hs256(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("JWT_ALGORITHM", "JWT_PRIVATE_KEY_FILE", "JWT_PUBLIC_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JWT_SECRET", SECRET)
    monkeypatch.setenv("JWT_ISSUER", "bookreader-test")
    monkeypatch.setenv("JWT_AUDIENCE", "bookreader-api-test")
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "10")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _use(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def _payload(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    payload: dict[str, object] = {
        "iss": "bookreader-test",
        "aud": "bookreader-api-test",
        "sub": USER,
        "role": "user",
        "iat": now,
        "exp": now + 900,
        "jti": uuid.uuid4().hex,
    }
    payload.update(overrides)
    return {name: value for name, value in payload.items() if value is not None}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _forge(header: dict[str, object], payload: dict[str, object], hmac_key: bytes | None) -> str:
    """A JWT assembled by hand, the way an attacker would."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    signature = (
        b""
        if hmac_key is None
        else hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    )
    return f"{signing_input}.{_b64(signature)}"


def _rejected(token: str, code: str = "token_invalid") -> BookReaderError:
    with pytest.raises(BookReaderError) as error:
        tokens.verify_access_token(token)
    assert error.value.status == 401
    assert error.value.code == code
    return error.value


def _write_rsa_keys(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _write_keys(directory, key, "rsa")


def _write_keys(directory: Path, key, name: str) -> tuple[Path, Path]:
    private = directory / f"{name}-private.pem"
    public = directory / f"{name}-public.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def test_issued_token_verifies_with_every_claim() -> None:
    issued = tokens.issue_access_token(USER, "admin")
    claims = tokens.verify_access_token(issued.token)
    assert claims == issued.claims
    assert (claims.sub, claims.role) == (USER, "admin")
    assert issued.expires_in == 900
    assert claims.exp - claims.iat == pytest.approx(900, abs=1)
    raw = jwt.decode(issued.token, options={"verify_signature": False})
    assert set(raw) == set(tokens.REQUIRED_CLAIMS)
    assert (raw["iss"], raw["aud"]) == ("bookreader-test", "bookreader-api-test")
    assert jwt.get_unverified_header(issued.token)["alg"] == "HS256"


def test_every_token_has_its_own_jti() -> None:
    first = tokens.issue_access_token(USER, "user").claims.jti
    second = tokens.issue_access_token(USER, "user").claims.jti
    assert first != second


def test_alg_none_is_rejected() -> None:
    for alg in ("none", "None", "NONE"):
        _rejected(_forge({"alg": alg, "typ": "JWT"}, _payload(), None))


def test_hs256_token_signed_with_the_rsa_public_key_is_rejected_when_rs256_is_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    private, public = _write_rsa_keys(tmp_path)
    _use(
        monkeypatch,
        JWT_ALGORITHM="RS256",
        JWT_PRIVATE_KEY_FILE=str(private),
        JWT_PUBLIC_KEY_FILE=str(public),
    )
    # The public key is public: an attacker can use its bytes as an HMAC secret.
    forged = _forge({"alg": "HS256", "typ": "JWT"}, _payload(role="admin"), public.read_bytes())
    _rejected(forged)
    # A genuine RS256 token still passes.
    assert tokens.verify_access_token(tokens.issue_access_token(USER, "user").token).sub == USER


def test_rs256_token_is_rejected_when_hs256_is_configured(tmp_path: Path) -> None:
    private, _ = _write_rsa_keys(tmp_path)
    token = jwt.encode(_payload(), private.read_text(), algorithm="RS256")
    _rejected(token)


def test_es256_keys_from_files_sign_and_verify(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    private, public = _write_keys(tmp_path, ec.generate_private_key(ec.SECP256R1()), "ec")
    _use(
        monkeypatch,
        JWT_ALGORITHM="ES256",
        JWT_PRIVATE_KEY_FILE=str(private),
        JWT_PUBLIC_KEY_FILE=str(public),
    )
    issued = tokens.issue_access_token(USER, "user")
    assert jwt.get_unverified_header(issued.token)["alg"] == "ES256"
    assert tokens.verify_access_token(issued.token).jti == issued.claims.jti


def test_a_verifier_with_only_the_public_key_accepts_tokens_from_the_signer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    private, public = _write_rsa_keys(tmp_path)
    _use(monkeypatch, JWT_ALGORITHM="RS256", JWT_PRIVATE_KEY_FILE=str(private))
    token = tokens.issue_access_token(USER, "user").token
    monkeypatch.delenv("JWT_PRIVATE_KEY_FILE")
    _use(monkeypatch, JWT_PUBLIC_KEY_FILE=str(public))
    assert tokens.verify_access_token(token).sub == USER


def test_a_key_of_the_wrong_type_for_the_algorithm_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    private, _ = _write_keys(tmp_path, ec.generate_private_key(ec.SECP256R1()), "ec")
    _use(monkeypatch, JWT_ALGORITHM="RS256", JWT_PRIVATE_KEY_FILE=str(private))
    with pytest.raises(BookReaderError) as error:
        tokens.issue_access_token(USER, "user")
    assert (error.value.code, error.value.status) == ("config_invalid", 500)


def test_expired_token_is_rejected() -> None:
    past = int(time.time()) - 3600
    token = jwt.encode(_payload(iat=past, exp=past + 900), SECRET, algorithm="HS256")
    _rejected(token, "token_expired")


def test_expiry_within_the_leeway_is_tolerated_beyond_it_is_not() -> None:
    now = int(time.time())
    _ = tokens.verify_access_token(
        jwt.encode(_payload(iat=now - 900, exp=now - 5), SECRET, algorithm="HS256")
    )
    _rejected(
        jwt.encode(_payload(iat=now - 900, exp=now - 15), SECRET, algorithm="HS256"),
        "token_expired",
    )


def test_token_issued_in_the_future_beyond_the_leeway_is_rejected() -> None:
    future = int(time.time()) + 120
    _rejected(jwt.encode(_payload(iat=future, exp=future + 900), SECRET, algorithm="HS256"))


def test_token_not_valid_before_a_future_time_is_rejected() -> None:
    nbf = int(time.time()) + 120
    _rejected(jwt.encode(_payload(nbf=nbf), SECRET, algorithm="HS256"))


def test_wrong_audience_is_rejected() -> None:
    _rejected(jwt.encode(_payload(aud="another-api"), SECRET, algorithm="HS256"))
    _rejected(
        jwt.encode(_payload(aud=["another-api", "bookreader-api-test"]), SECRET, algorithm="HS256")
    )


def test_wrong_issuer_is_rejected() -> None:
    _rejected(jwt.encode(_payload(iss="someone-else"), SECRET, algorithm="HS256"))


@pytest.mark.parametrize("claim", tokens.REQUIRED_CLAIMS)
def test_token_missing_any_claim_is_rejected(claim: str) -> None:
    payload = _payload()
    del payload[claim]
    _rejected(jwt.encode(payload, SECRET, algorithm="HS256"))


def test_unknown_role_is_rejected() -> None:
    _rejected(jwt.encode(_payload(role="superuser"), SECRET, algorithm="HS256"))


def test_tampered_payload_is_rejected() -> None:
    token = tokens.issue_access_token(USER, "user").token
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    _rejected(f"{header}.{_b64(json.dumps(claims).encode())}.{signature}")


def test_tampered_signature_is_rejected() -> None:
    token = tokens.issue_access_token(USER, "user").token
    header, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    _rejected(f"{header}.{payload}.{flipped}")
    _rejected(f"{header}.{payload}.")


def test_token_signed_with_another_secret_is_rejected() -> None:
    _rejected(jwt.encode(_payload(), "another-secret-" + "y" * 32, algorithm="HS256"))


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x.y.z", "😀.😀.😀"])
def test_garbage_is_rejected(garbage: str) -> None:
    _rejected(garbage)


def test_missing_secret_is_a_clear_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JWT_SECRET")
    get_settings.cache_clear()
    with pytest.raises(BookReaderError) as error:
        tokens.issue_access_token(USER, "user")
    assert (error.value.code, error.value.status) == ("config_missing", 500)
    assert "JWT_SECRET" in error.value.message


def test_short_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, JWT_SECRET="too-short")
    with pytest.raises(BookReaderError) as error:
        tokens.issue_access_token(USER, "user")
    assert error.value.code == "config_invalid"


def test_leeway_above_thirty_seconds_is_refused_by_configuration() -> None:
    with pytest.raises(ValidationError):
        Settings(JWT_LEEWAY_SECONDS=31)
