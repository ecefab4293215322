"""The EPUB and FB2 parsers on damaged books: the real fixture books with bytes flipped, cut
short, ZIP entries changed, dropped or renamed, and their XML cut, repeated or spliced with
hostile fragments. Every input ends in a parsed book or in the book's `failed` code (a
BookReaderError whose code the API documents), never in another exception.

`make test` tries a few hundred inputs; `make fuzz` sets `FUZZ_EXAMPLES` for a long run.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookreader.books import parse_book
from bookreader.books.limits import FAILURES, ParseLimits
from bookreader.books.model import ParsedBook
from bookreader.errors import BookReaderError

BOOKS = Path(__file__).parent / "fixtures" / "books"
SEEDS = (
    BOOKS / "epub" / "en-idpf-hefty-water.epub3-minimal.epub",
    BOOKS / "epub" / "en-w3c-spine-nonlinear.epub3.epub",
    BOOKS / "epub" / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub",
    BOOKS / "fb2" / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2.zip",
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))
# A mutated book may be slow to reject; a small budget keeps the run short and exercises the
# time-budget failure as well.
LIMITS = ParseLimits(time_budget_s=5.0)
# What a hostile or broken book puts into its XML.
FRAGMENTS = [
    b"<",
    b"</",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"&nope;",
    b"<![CDATA[",
    b"]]>",
    b'<!DOCTYPE x [<!ENTITY a "b">]>',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="no-such-encoding"?>',
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8
    b"<div>" * 300,
    b"<p>" + b"x" * 5000,
    b'<img src="../../../../etc/passwd"/>',
    b'<a href="javascript:alert(1)">',
    b'<image xlink:href="missing.png"/>',
    b"<section><title><p>",
    b'id="a" id="a"',
    b'xmlns=""',
    b'xmlns:x="urn:x" x:y="z"',
]


@cache
def seed(path: Path) -> bytes:
    return path.read_bytes()


@st.composite
def flipped_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(out) - 1))
        out[position] = draw(st.integers(0, 255))
    return bytes(out)


@st.composite
def truncated(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data) - 1))]


@st.composite
def mutated_xml(draw: st.DrawFn, text: bytes) -> bytes:
    """Text with a slice cut, repeated, or replaced by a hostile fragment."""
    out = text
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(out)))
        end = draw(st.integers(start, min(len(out), start + 400)))
        how = draw(st.sampled_from(["cut", "repeat", "splice", "insert"]))
        if how == "cut":
            out = out[:start] + out[end:]
        elif how == "repeat":
            out = out[:end] + out[start:end] * draw(st.integers(2, 50)) + out[end:]
        elif how == "splice":
            out = out[:start] + draw(st.sampled_from(FRAGMENTS)) + out[end:]
        else:
            out = out[:start] + draw(st.sampled_from(FRAGMENTS)) + out[start:]
    return out


@st.composite
def mutated_entry(draw: st.DrawFn, data: bytes) -> bytes:
    """The archive rebuilt with one entry changed, dropped, renamed or doubled."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = [(info.filename, source.read(info)) for info in source.infolist()]
    index = draw(st.integers(0, len(entries) - 1))
    name, content = entries[index]
    how = draw(st.sampled_from(["xml", "bytes", "truncate", "drop", "rename", "double", "empty"]))
    if how == "xml":
        entries[index] = (name, draw(mutated_xml(content)))
    elif how == "bytes" and content:
        entries[index] = (name, draw(flipped_bytes(content)))
    elif how == "truncate" and content:
        entries[index] = (name, draw(truncated(content)))
    elif how == "drop":
        del entries[index]
    elif how == "rename":
        entries[index] = (
            draw(st.sampled_from(["", "/", "../x", name.upper(), name + "/"])),
            content,
        )
    elif how == "double":
        entries.append((name, content[: len(content) // 2]))
    elif how == "empty":
        entries[index] = (name, b"")
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # a doubled name is the point
        for entry_name, entry_content in entries:
            if entry_name:
                archive.writestr(entry_name, entry_content)
    return out.getvalue()


@st.composite
def damaged_books(draw: st.DrawFn) -> bytes:
    path = draw(st.sampled_from(SEEDS))
    data = seed(path)
    how = draw(st.sampled_from(["bytes", "truncate", "entry", "entry", "entry", "fb2"]))
    if how == "bytes":
        return draw(flipped_bytes(data))
    if how == "truncate":
        return draw(truncated(data))
    if how == "fb2":  # the bare FB2, its XML mutated
        inner = zipfile.ZipFile(io.BytesIO(seed(SEEDS[-1])))
        return draw(mutated_xml(inner.read(inner.namelist()[0])))
    return draw(mutated_entry(data))


def parse_outcome(data: bytes) -> ParsedBook | BookReaderError:
    try:
        return parse_book(data, image_url=lambda image_id: f"/images/{image_id}", limits=LIMITS)
    except BookReaderError as error:
        return error


def _rebuilt(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The archive with some entries' contents replaced (same names, same order)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, replace.get(info.filename, source.read(info)))
    return out.getvalue()


def _damage_entry_data(data: bytes, name: str) -> bytes:
    """The archive with the stored bytes of entry `name` overwritten in the middle."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    # local header: 30 bytes + name + extra, then the entry's data
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 8]) + data[middle + 8 :]


def test_a_damaged_mimetype_entry_fails_as_a_corrupt_archive() -> None:
    outcome = parse_outcome(_damage_entry_data(seed(SEEDS[0]), "mimetype"))
    assert isinstance(outcome, BookReaderError) and outcome.code == "archive_corrupt"


def test_a_broken_deflate_stream_fails_as_a_corrupt_archive() -> None:
    outcome = parse_outcome(_damage_entry_data(seed(SEEDS[0]), "EPUB/heftywater.xhtml"))
    assert isinstance(outcome, BookReaderError) and outcome.code == "archive_corrupt"


def test_tag_soup_with_control_characters_and_broken_names_is_read() -> None:
    soup = (
        b"<html><body><p>Hefty\x00 water<br\x01>\x02</p>"
        b'<p o<l="1" a\x03b="2" title="x\x04y">still <o<l>read</o<l></p></body></html>'
    )
    book = parse_outcome(_rebuilt(seed(SEEDS[0]), {"EPUB/heftywater.xhtml": soup}))
    assert isinstance(book, ParsedBook), book
    text = " ".join(chapter.text for chapter in book.chapters)
    assert "water" in text and "still" in text


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name)
def test_the_undamaged_seed_books_parse(path: Path) -> None:
    assert isinstance(parse_outcome(seed(path)), ParsedBook)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not os.environ.get("FUZZ_EXAMPLES"),
)
@given(damaged_books())
def test_a_damaged_book_parses_or_fails_with_a_documented_code(data: bytes) -> None:
    outcome = parse_outcome(data)
    if isinstance(outcome, BookReaderError):
        assert outcome.code in FAILURES, outcome.code
        assert outcome.status == 422 and outcome.message
    else:
        assert outcome.chapters and any(chapter.text.strip() for chapter in outcome.chapters)
