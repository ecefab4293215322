"""One book model for EPUB and FB2: what parse produces and every later stage reads.

Positions in a book are (chapter index, character offset into that chapter's `text`).
Conventions both parsers follow:
- `Chapter.text` is the plain text of the chapter's paragraphs joined by "\\n\\n"; each entry
  of `Chapter.paragraphs` is the (start, end) of one paragraph in `text`, in reading order,
  so `text[start:end]` is exactly that paragraph.
- `Chapter.html` is sanitised HTML whose block elements that hold a paragraph carry
  `data-p="<i>"` (the paragraph's index in `paragraphs`), so the reader can place a passage.
- Images are referenced as `src` = `image_url(image_id)` (the URL builder given to the parser);
  internal links as `href="#pos-<chapter>-<offset>"`; note references as
  `href="#note-<note id>"` with `data-note="<note id>"`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

Direction = Literal["ltr", "rtl"]


class TocEntry(BaseModel):
    title: str = Field(description="Plain text from the book: render it as text, never as HTML")
    chapter: int
    offset: int = 0
    children: list[TocEntry] = Field(default_factory=list)


class Chapter(BaseModel):
    index: int
    title: str
    level: int = 0  # depth in the book's hierarchy (FB2 nested sections, EPUB nav depth)
    linear: bool = True  # False: outside the main reading flow (EPUB linear="no")
    # False: readable, but not the story (notes, contents, index by the book's markup): no
    # descriptions are extracted from it (`books.matter`)
    story: bool = True
    direction: Direction = "ltr"  # also the `dir` of the HTML's root element
    html: str
    text: str
    paragraphs: list[tuple[int, int]]
    word_count: int
    # For each paragraph, where its element is in the original file as a KOReader XPointer:
    # EPUB "/body/DocFragment[3]/body/div/p[2]" (DocFragment N is spine entry N), FB2
    # "/FictionBook/body/section[2]/p[5]".
    sources: list[str] = Field(default_factory=list)


class Footnote(BaseModel):
    id: str
    title: str = ""
    html: str
    text: str


class BookImage(BaseModel):
    id: str  # stable within the book, safe in a URL and an object key: [A-Za-z0-9_.-]
    media_type: str  # image/jpeg, image/png, image/gif, image/webp, image/svg+xml
    data: bytes = Field(repr=False)


class BookMetadata(BaseModel):
    """As the book states it; every string is plain text (clients render it as text)."""

    title: str
    authors: list[str] = Field(default_factory=list)
    language: str | None = None  # BCP 47 as declared, lower-cased ("ru", "en", "en-us")
    series: str | None = None
    series_index: float | None = None
    publisher: str | None = None
    description: str | None = None  # plain text
    identifiers: dict[str, str] = Field(default_factory=dict)  # scheme → value (isbn, uuid, …)
    subjects: list[str] = Field(default_factory=list)  # EPUB subjects, FB2 genres
    translators: list[str] = Field(default_factory=list)


class ParsedBook(BaseModel):
    format: Literal["epub", "fb2"]
    metadata: BookMetadata
    direction: Direction = "ltr"
    chapters: list[Chapter]
    toc: list[TocEntry]
    footnotes: list[Footnote] = Field(default_factory=list)
    images: list[BookImage] = Field(default_factory=list, repr=False)
    cover_image_id: str | None = None

    @property
    def word_count(self) -> int:
        return sum(chapter.word_count for chapter in self.chapters)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes("\n\n".join(chapter.text for chapter in self.chapters))


WORDS_PER_MINUTE = 230  # an adult's silent reading speed for fiction
CJK_CHARS_PER_MINUTE = 500  # Chinese and Japanese are read by characters, not words
RTL_LANGUAGES = {"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"}
# Han, kana, Hangul syllables and CJK punctuation: each character counts as a word.
_CJK = re.compile(
    "[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\uff00-\uffef\U00020000-\U0002fa1f]"
)


def _counts(text: str) -> tuple[int, int]:
    """(words outside CJK script, CJK characters)."""
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub(" ", text).split()), cjk


def count_words(text: str) -> int:
    """Words; a CJK character counts as one (those scripts do not separate words)."""
    words, cjk = _counts(text)
    return words + cjk


def reading_minutes(text: str) -> int:
    words, cjk = _counts(text)
    minutes = words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE
    return max(1, round(minutes)) if words or cjk else 0


def direction_of_language(language: str | None) -> Direction:
    primary = (language or "").lower().split("-")[0]
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
