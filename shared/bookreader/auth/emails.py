"""Email addresses as accounts know them: one spelling per mailbox, and no lookalikes.

Registration stores NFKC, trimmed, lower-case addresses, so fullwidth or "mathematical"
letters fold into the plain ones (and then collide with the account that uses them). A
word of the address (between dots, hyphens, pluses and underscores) must be written in one
alphabet: `exаmple.com` with a Cyrillic «а» is refused, and so is an all-Cyrillic domain
word made only of letters that look Latin (`аре.com`) under a Latin top-level domain.
A domain label in its ASCII form (`xn--…`, what a browser's email field sends for a
non-ASCII domain) is read as the Unicode it stands for, so the same checks apply to it and
both spellings are one account. Lookups also try the NFC spelling that accounts made before
NFKC were stored under, so existing accounts keep signing in.
"""

from __future__ import annotations

import re
import unicodedata

from bookreader.errors import BookReaderError

MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_WORD_SEPARATORS = re.compile(r"[.\-_+]")
# Alphabets with letters that pass for each other; a word may use only one of them. Scripts
# that are written mixed on purpose (Han with kana) are not in this set.
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})
# Cyrillic and Greek letters that look like Latin ones in most fonts.
_LOOK_LATIN = frozenset("аеорсухіјѕԁԛԝһӏкмнтвгαεικνορτυχ")


def normalize_email(email: str) -> str:
    """The canonical form a new account stores; 422 `email_invalid` if malformed or lookalike."""
    address = lookup_form(email)
    if (
        len(address) > MAX_EMAIL
        or not _EMAIL.match(address)
        or any(unicodedata.category(ch)[0] == "C" for ch in address)
    ):
        raise _invalid(
            "malformed", "not a valid email address", "This is not a valid email address."
        )
    local, _, domain = address.rpartition("@")
    for word in _WORD_SEPARATORS.split(local) + _WORD_SEPARATORS.split(domain):
        if len(_scripts(word)) > 1:
            raise _invalid("mixed_scripts", "mixes letters of different alphabets")
    tld_scripts = _scripts(domain.rsplit(".", 1)[1])
    if tld_scripts <= {"LATIN"}:
        for label in domain.split(".")[:-1]:
            letters = {ch for ch in label if ch.isalpha()}
            if letters and _scripts(label) != {"LATIN"} and letters <= _LOOK_LATIN:
                raise _invalid("imitates_latin", "is written in letters that imitate Latin ones")
    return address


def lookup_form(email: str) -> str:
    """The spelling an account is found by: NFKC, trimmed, lower-case, the domain's `xn--`
    labels in Unicode (no validity checks)."""
    if not isinstance(email, str):
        return ""
    address = unicodedata.normalize("NFKC", email.strip()).lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    labels = [_from_ascii_form(label) for label in domain.split(".")]
    return unicodedata.normalize("NFKC", f"{local}@{'.'.join(labels)}").lower()


def _from_ascii_form(label: str) -> str:
    """`xn--exmple-4nf` → `exаmple`; a label that does not decode stays as it is."""
    if not label.startswith("xn--"):
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


def lookup_forms(email: str) -> list[str]:
    """Every stored spelling that may be this address: NFKC, and the NFC of older accounts."""
    legacy = unicodedata.normalize("NFC", email.strip()).lower() if isinstance(email, str) else ""
    return list(dict.fromkeys([lookup_form(email), legacy]))


def _scripts(word: str) -> set[str]:
    found = set()
    for ch in word:
        if ch.isalpha():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in _CONFUSABLE_SCRIPTS:
                found.add(script)
    return found


def _invalid(reason: str, problem: str, message: str = "") -> BookReaderError:
    return BookReaderError(
        "email_invalid",
        message or f"This email address is refused: it {problem}.",
        422,
        {"reason": reason, "fields": [{"field": "email", "problem": problem}]},
    )
