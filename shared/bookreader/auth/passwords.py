"""Password hashing (scrypt), verification in constant time, and the password policy.

The policy refuses short passwords, the shipped list of common ones, simple repetitions and
runs, passwords built on the product's name or the user's email, and whatever zxcvbn (a
strength estimate that knows keyboard patterns, dates, l33t spellings and word lists)
scores below MIN_STRENGTH_SCORE: `Summer2024!` and `1234567890a` among them.

A stored hash reads `scrypt$<n>$<r>$<p>$<salt>$<hash>` (salt and hash in unpadded urlsafe
base64), so the cost can be raised in configuration and old hashes upgraded at next login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zxcvbn import zxcvbn

from bookreader.config import get_settings
from bookreader.errors import BookReaderError

_SCHEME = "scrypt"
_SALT_BYTES = 16
_HASH_BYTES = 32
# Longer inputs are refused before hashing so a huge body cannot buy a lot of CPU.
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# zxcvbn's 0–4 scale: 3 is "safely unguessable" (~10^8 guesses), out of reach of an online
# attacker held back by our rate limits and of a quick offline one against scrypt.
MIN_STRENGTH_SCORE = 3
# Words of our own that a guesser tries first: the product's name in the spellings people use.
PRODUCT_WORDS = ("bookreader", "book reader", "book-reader", "book_reader")
# zxcvbn's time grows with length; beyond this many characters it judges only a prefix (a
# password this long and not refused by the checks before is not the weak kind anyway).
_STRENGTH_CHECK_CHARS = 100


@dataclass(frozen=True, order=True)
class ScryptParams:
    """scrypt's cost: n (CPU/memory, a power of two), r (block size), p (parallelism)."""

    n: int
    r: int
    p: int

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * (self.n + self.p + 2)


def current_params() -> ScryptParams:
    settings = get_settings()
    return ScryptParams(settings.scrypt_n, settings.scrypt_r, settings.scrypt_p)


def hash_password(password: str, params: ScryptParams | None = None) -> str:
    """A fresh salted scrypt hash of `password`, encoded with its parameters."""
    params = params or current_params()
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, params, _HASH_BYTES)
    return "$".join(
        [_SCHEME, str(params.n), str(params.r), str(params.p), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, encoded: str) -> bool:
    """True when `password` matches `encoded`; a malformed hash never matches."""
    parsed = _parse(encoded)
    if parsed is None:
        return False
    params, salt, expected = parsed
    actual = _scrypt(password, salt, params, len(expected))
    return hmac.compare_digest(actual, expected)


def needs_rehash(encoded: str, params: ScryptParams | None = None) -> bool:
    """True when `encoded` was made with weaker parameters than the current ones."""
    params = params or current_params()
    parsed = _parse(encoded)
    if parsed is None:
        return True
    stored, salt, digest = parsed
    return (
        stored.n < params.n
        or stored.r < params.r
        or stored.p < params.p
        or len(salt) < _SALT_BYTES
        or len(digest) < _HASH_BYTES
    )


def dummy_verify() -> None:
    """Spend the time of one verification, for logins whose email matches no account."""
    verify_password("not the password", _dummy_hash(current_params()))


def check_password_policy(password: str, email: str | None = None) -> None:
    """Raise 422 `password_weak` (with `details.reason`) unless `password` is acceptable."""
    normalized = _normalize(password)
    minimum = get_settings().password_min_length
    if len(normalized) < minimum:
        _weak("too_short", f"The password must have at least {minimum} characters.")
    if len(normalized) > MAX_PASSWORD_LENGTH:
        _weak("too_long", f"The password must have at most {MAX_PASSWORD_LENGTH} characters.")
    folded = normalized.casefold()
    if folded in common_passwords():
        _weak("too_common", "This password is one of the most common ones; choose another.")
    if _is_simple_pattern(folded):
        _weak("too_simple", "The password is a simple repetition or sequence; choose another.")
    user_words: list[str] = []
    if email:
        address = email.strip().casefold()
        local = address.split("@", 1)[0]
        if folded in {address, local}:
            _weak("same_as_email", "The password must not be your email address.")
        if len(local) >= 3 and local in folded:
            _weak("contains_email", "The password must not contain your email address.")
        user_words = [address, local, *address.replace("@", ".").split(".")]
    squeezed = "".join(ch for ch in folded if ch.isalnum())
    if any(
        word.replace(" ", "").replace("-", "").replace("_", "") in squeezed
        for word in PRODUCT_WORDS
    ):
        _weak("contains_product_name", "The password must not contain this site's name.")
    estimate = zxcvbn(normalized[:_STRENGTH_CHECK_CHARS], user_inputs=[*PRODUCT_WORDS, *user_words])
    if estimate["score"] < MIN_STRENGTH_SCORE:
        warning = (
            estimate["feedback"].get("warning") or "It follows a pattern that is easy to guess."
        )
        _weak(
            "too_guessable",
            f"This password is easy to guess. {warning} Add another word or two; uncommon words"
            " are better.",
        )


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, case-folded."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def _is_simple_pattern(password: str) -> bool:
    # "abababababab", "1231231231": one short unit over and over.
    for unit in range(1, 5):
        chunk = password[:unit]
        if len(password) >= 2 * unit and (chunk * (len(password) // unit + 1)).startswith(password):
            return True
    # "0123456789", "lmnopqrstuv", "9876543210": a straight run of neighbouring characters.
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
    return steps in ({1}, {-1})


def _weak(reason: str, message: str) -> None:
    raise BookReaderError("password_weak", message, 422, {"reason": reason})


def _normalize(password: str) -> str:
    # The same password typed on two keyboards (composed vs decomposed letters) must match.
    return unicodedata.normalize("NFKC", password)


def _scrypt(password: str, salt: bytes, params: ScryptParams, length: int) -> bytes:
    return hashlib.scrypt(
        _normalize(password).encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.memory_bytes + (1 << 20),
        dklen=length,
    )


def _parse(encoded: str) -> tuple[ScryptParams, bytes, bytes] | None:
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        return None
    try:
        params = ScryptParams(int(parts[1]), int(parts[2]), int(parts[3]))
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None
    valid_n = params.n > 1 and params.n & (params.n - 1) == 0
    if not valid_n or params.r < 1 or params.p < 1 or not salt or not digest:
        return None
    return params, salt, digest


@lru_cache(maxsize=4)
def _dummy_hash(params: ScryptParams) -> str:
    return hash_password(secrets.token_urlsafe(16), params)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError("bad base64") from error
