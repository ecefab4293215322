"""KOReader's document ids and places, without a server: the partial MD5 read from a stream as
from a store (short reads included) equals KOReader's over the bytes; XPointers in the forms
crengine writes are read, and map to the paragraph of a parsed book they point into."""

from __future__ import annotations

import io
import os

import pytest

from bookreader.kosync import xpointer
from bookreader.kosync.document_id import partial_md5, partial_md5_of
from bookreader.kosync.xpointer import ChapterLayout, parse
from tests.support.epub import make_epub, xhtml
from tests.support.epub import parse as parse_epub
from tests.support.koreader import koreader_partial_md5


class Trickle(io.RawIOBase):
    """A stream that hands out at most 700 bytes a read, like a network body."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = 700 if size < 0 else min(size, 700)
        chunk = self.data[self.at : self.at + size]
        self.at += len(chunk)
        return chunk


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 5000, 65536, 66560, 300_000, 1_100_000])
def test_the_partial_md5_is_koreaders_from_bytes_and_from_a_stream(size: int) -> None:
    data = os.urandom(size)
    assert partial_md5(data) == koreader_partial_md5(data)
    assert partial_md5_of(Trickle(data)) == koreader_partial_md5(data)


def test_a_change_outside_the_samples_keeps_the_id_and_inside_changes_it() -> None:
    data = bytearray(os.urandom(70_000))
    before = partial_md5(bytes(data))
    data[2048] ^= 0xFF  # between the samples at 1 KiB and 4 KiB
    assert partial_md5(bytes(data)) == before
    data[0] ^= 0xFF  # the first sample starts at 0 (LuaJIT's lshift(1024, -2) is 0)
    assert partial_md5(bytes(data)) != before


def test_xpointers_are_read_in_every_form_crengine_writes() -> None:
    place = parse("/body/DocFragment[12]/body/div/p[5]/text().42")
    assert place == xpointer.XPointer(12, (("div", 1), ("p", 5)), 1, 42)
    explicit = parse("/body[1]/DocFragment[12]/body[1]/div[1]/p[5]/text()[1].42")
    assert explicit == place
    assert parse("/body/DocFragment[20]/body/p[22]/img.0") == xpointer.XPointer(
        20, (("p", 22), ("img", 1)), None, 0
    )
    assert parse("/body/DocFragment[3].0") == xpointer.XPointer(3, (), None, 0)
    assert parse("/body/DocFragment[3]/body/p/text()[2].7").text_node == 2
    assert parse("/FictionBook/body/section[2]/p[5]/text().10") == xpointer.XPointer(
        0, (("body", 1), ("section", 2), ("p", 5)), 1, 10
    )
    for junk in ("56", "", "/html/body/p", "/body/DocFragment[x]", "/body/DocFragment[2]/p[", "#"):
        assert parse(junk) is None, junk


BOOK = make_epub(
    {
        "cover.xhtml": xhtml("<div></div>"),
        "one.xhtml": xhtml("<h1>One</h1><div><p>Alpha beta gamma.</p><p>Delta epsilon.</p></div>"),
        "two.xhtml": xhtml("<h1>Two</h1><section><p>Zeta eta theta iota.</p></section>"),
    }
)


def layouts() -> list[ChapterLayout]:
    book = parse_epub(BOOK)
    return [
        ChapterLayout(c.index, len(c.text), c.linear, list(c.paragraphs), c.sources)
        for c in book.chapters
    ]


def test_places_map_to_paragraphs_and_back() -> None:
    chapters = layouts()
    one = chapters[0]
    delta = one.paragraphs[2][0]  # h1, "Alpha…", "Delta…"
    assert xpointer.to_place("/body/DocFragment[2]/body/div/p[2]/text().6", chapters) == (
        0,
        delta + 6,
    )
    # Past the paragraph's end: its end; inside inline markup: its start.
    assert xpointer.to_place("/body/DocFragment[2]/body/div/p[2]/text().999", chapters) == (
        0,
        one.paragraphs[2][1],
    )
    assert xpointer.to_place("/body/DocFragment[2]/body/div/p[2]/b/text().3", chapters) == (
        0,
        delta,
    )
    # A container: its first paragraph; the cover page (no text): the next file's first.
    assert xpointer.to_place("/body/DocFragment[2]/body/div", chapters) == (
        0,
        one.paragraphs[1][0],
    )
    assert xpointer.to_place("/body/DocFragment[1].0", chapters) == (0, 0)
    assert xpointer.to_place("/body/DocFragment[9].0", chapters) is None
    assert xpointer.to_xpointer(0, delta + 3, chapters) == "/body/DocFragment[2]/body/div/p[2].0"
    assert xpointer.to_xpointer(1, 0, chapters) == "/body/DocFragment[3]/body/h1.0"


def test_percentages_are_shares_of_the_books_text() -> None:
    chapters = layouts()
    total = sum(c.length for c in chapters)
    assert xpointer.to_fraction(1, 0, chapters) == pytest.approx(chapters[0].length / total)
    assert xpointer.from_fraction(0.0, chapters) == (0, 0)
    assert xpointer.from_fraction(1.0, chapters) == (1, chapters[1].paragraphs[-1][0])
    no_sources = [ChapterLayout(0, 10, True, [(0, 10)], [])]
    assert xpointer.to_xpointer(0, 3, no_sources) is None
