"""Access tokens: short-lived JWTs signed with the configured key, verified strictly.

Only the configured algorithm is accepted (so `alg: none` and HS/RS confusion cannot work),
every claim is required, and `iss`/`aud` must match. Revocation (logout, disabled users) is
not checked here; that is `bookreader.auth.denylist`.
"""

from __future__ import annotations

import logging
import math
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import jwt

from bookreader.config import Settings, get_settings
from bookreader.errors import BookReaderError
from bookreader.log import log_event

logger = logging.getLogger("bookreader.auth.tokens")

Role = Literal["user", "admin"]
ROLES: tuple[Role, ...] = ("user", "admin")
REQUIRED_CLAIMS = ("iss", "aud", "sub", "role", "iat", "exp", "jti")
_MIN_HMAC_SECRET_BYTES = 32
_MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class AccessClaims:
    """The verified contents of an access token."""

    sub: str
    role: Role
    jti: str
    iat: float
    exp: int
    # The session (refresh-token family) the token was issued to; ending the session ends it.
    sid: str | None = None

    @property
    def user_id(self) -> str:
        return self.sub


@dataclass(frozen=True)
class IssuedAccessToken:
    token: str
    claims: AccessClaims
    expires_in: int


def issue_access_token(
    user_id: str, role: Role, *, session: str | None = None, now: float | None = None
) -> IssuedAccessToken:
    """Sign a new access token for `user_id` with `role`, valid for ACCESS_TOKEN_TTL seconds,
    tied to the refresh-token family `session` when it comes from one."""
    settings = get_settings()
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    issued_at = time.time() if now is None else now
    # Millisecond `iat` (RFC 7519 allows fractions) so a per-user cut-off taken at time T
    # rejects tokens minted earlier in the same second but not those minted just after.
    iat = math.floor(issued_at * 1000) / 1000
    claims = AccessClaims(
        sub=user_id,
        role=role,
        jti=secrets.token_urlsafe(16),
        iat=iat,
        exp=int(issued_at) + settings.access_token_ttl,
        sid=session,
    )
    payload: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": claims.sub,
        "role": claims.role,
        "iat": claims.iat,
        "exp": claims.exp,
        "jti": claims.jti,
    }
    if session is not None:
        payload["sid"] = session
    token = jwt.encode(payload, signing_key(settings), algorithm=settings.jwt_algorithm)
    return IssuedAccessToken(token, claims, settings.access_token_ttl)


def verify_access_token(token: str) -> AccessClaims:
    """The claims of a valid token; 401 `token_expired` or `token_invalid` otherwise."""
    settings = get_settings()
    try:
        payload = jwt.decode(
            token,
            verification_key(settings),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=settings.jwt_leeway_seconds,
            options={
                "require": list(REQUIRED_CLAIMS),
                "verify_signature": True,
                "verify_exp": True,
                "verify_iat": True,
                "verify_nbf": True,
                "verify_iss": True,
                "verify_aud": True,
                "strict_aud": True,
            },
        )
    except jwt.ExpiredSignatureError as error:
        raise BookReaderError("token_expired", "The access token has expired.", 401) from error
    except jwt.PyJWTError as error:
        raise _invalid(str(error)) from error
    return _claims(payload)


def signing_key(settings: Settings | None = None) -> Any:
    """The key that signs tokens: the HMAC secret or the private key from its PEM file."""
    settings = settings or get_settings()
    if settings.jwt_algorithm == "HS256":
        return _hmac_secret(settings)
    path = _required_path(settings.jwt_private_key_file, "JWT_PRIVATE_KEY_FILE", settings)
    return _load_private_key(str(path), _mtime(path), settings.jwt_algorithm)


def verification_key(settings: Settings | None = None) -> Any:
    """The key that verifies tokens: the HMAC secret, or the public key (file or derived)."""
    settings = settings or get_settings()
    if settings.jwt_algorithm == "HS256":
        return _hmac_secret(settings)
    if settings.jwt_public_key_file is not None:
        path = settings.jwt_public_key_file
        return _load_public_key(str(path), _mtime(path), settings.jwt_algorithm)
    # Without a public key file, a signer can still verify its own tokens.
    return signing_key(settings).public_key()


def _claims(payload: dict[str, Any]) -> AccessClaims:
    sub, role, jti = payload["sub"], payload["role"], payload["jti"]
    iat, exp = payload["iat"], payload["exp"]
    if not isinstance(sub, str) or not sub:
        raise _invalid("sub must be a non-empty string")
    if role not in ROLES:
        raise _invalid("unknown role")
    if not isinstance(jti, str) or not jti:
        raise _invalid("jti must be a non-empty string")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (iat, exp)):
        raise _invalid("iat and exp must be numbers")
    sid = payload.get("sid")
    if sid is not None and (not isinstance(sid, str) or not sid):
        raise _invalid("sid must be a non-empty string")
    return AccessClaims(sub=sub, role=role, jti=jti, iat=float(iat), exp=int(exp), sid=sid)


def _invalid(reason: str) -> BookReaderError:
    # The reason goes to the log only: clients learn that the token is not valid, never which
    # check failed.
    log_event(logger, "access token refused", reason=reason)
    return BookReaderError("token_invalid", "The access token is not valid.", 401)


def _hmac_secret(settings: Settings) -> bytes:
    if settings.jwt_secret is None or not settings.jwt_secret.get_secret_value():
        raise BookReaderError(
            "config_missing", "JWT_SECRET is not configured (HS256 needs a secret).", 500
        )
    secret = settings.jwt_secret.get_secret_value().encode("utf-8")
    if len(secret) < _MIN_HMAC_SECRET_BYTES:
        raise BookReaderError(
            "config_invalid", f"JWT_SECRET must be at least {_MIN_HMAC_SECRET_BYTES} bytes.", 500
        )
    return secret


def _required_path(path: Path | None, name: str, settings: Settings) -> Path:
    if path is None:
        raise BookReaderError(
            "config_missing", f"{name} is not configured ({settings.jwt_algorithm} needs it).", 500
        )
    return path


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as error:
        raise BookReaderError(
            "config_invalid", f"cannot read key file {path}: {error}", 500
        ) from error


# Keyed on the file's mtime so a replaced key file is picked up without a restart.
@lru_cache(maxsize=8)
def _load_private_key(path: str, mtime_ns: int, algorithm: str) -> Any:
    serialization = _cryptography().serialization
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise BookReaderError(
            "config_invalid", f"bad private key in {path}: {error}", 500
        ) from error
    _check_key_type(key.public_key(), algorithm, path)
    return key


@lru_cache(maxsize=8)
def _load_public_key(path: str, mtime_ns: int, algorithm: str) -> Any:
    serialization = _cryptography().serialization
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError, TypeError) as error:
        raise BookReaderError(
            "config_invalid", f"bad public key in {path}: {error}", 500
        ) from error
    _check_key_type(key, algorithm, path)
    return key


def _check_key_type(public_key: Any, algorithm: str, path: str) -> None:
    rsa, ec = _cryptography().rsa, _cryptography().ec
    if algorithm == "RS256":
        ok = isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size >= _MIN_RSA_BITS
        expected = f"an RSA key of at least {_MIN_RSA_BITS} bits"
    else:
        ok = isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(
            public_key.curve, ec.SECP256R1
        )
        expected = "an EC P-256 key"
    if not ok:
        raise BookReaderError("config_invalid", f"{path} must hold {expected} for {algorithm}", 500)


def _cryptography() -> Any:
    """`cryptography`, needed only for RS256/ES256; HS256 deployments can do without it."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
    except ImportError as error:
        raise BookReaderError(
            "config_invalid", "RS256/ES256 need the 'cryptography' package installed.", 500
        ) from error
    return SimpleNamespace(serialization=serialization, ec=ec, rsa=rsa)
