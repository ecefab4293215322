"""What crosses the API for bookmarks and highlights: request bodies and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Color = Literal["yellow", "green", "blue", "pink", "purple"]
COLORS: tuple[Color, ...] = ("yellow", "green", "blue", "pink", "purple")
NOTE_MAX_BYTES = 10 * 1024  # a note is Markdown, ≤ 10 kB in UTF-8
MAX_PER_BOOK = 5_000  # highlights per book, and bookmarks per book
MAX_SPAN_CHARS = 20_000  # a highlight is a passage, not a chapter
LABEL_MAX_CHARS = 200


class HighlightCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chapter: int = Field(ge=0, le=100_000)
    start: int = Field(ge=0, le=100_000_000, description="Offset in the chapter's plain text")
    end: int = Field(ge=1, le=100_000_000, description="Offset just after the last character")
    quote: str = Field(
        min_length=1,
        max_length=MAX_SPAN_CHARS,
        description="The chapter's text from `start` to `end`, exactly (checked)",
    )
    color: Color = "yellow"
    note: str = Field("", max_length=NOTE_MAX_BYTES, description="Markdown, at most 10 kB")


class HighlightUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    color: Color | None = None
    note: str | None = Field(
        None, max_length=NOTE_MAX_BYTES, description='Markdown, at most 10 kB; "" removes it'
    )


class BookmarkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chapter: int = Field(ge=0, le=100_000)
    offset: int = Field(0, ge=0, le=100_000_000, description="Offset in the chapter's plain text")
    label: str = Field("", max_length=LABEL_MAX_CHARS)


class Anchor(BaseModel):
    """The text around the place, to find it again after a re-parse (W3C text quote
    selector: `exact` with its `prefix` and `suffix`)."""

    model_config = ConfigDict(extra="forbid")

    exact: str
    prefix: str
    suffix: str


class Highlight(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    book_id: str
    chapter: int
    start: int
    end: int
    quote: str
    color: Color
    note: str = Field(description="Markdown as written: render it safely, never as HTML")
    anchor: Anchor
    detached: bool = Field(
        description="A re-parse changed the text and the quote was not found again: kept, but"
        " `chapter`/`start`/`end` are where it used to be"
    )
    created_at: datetime
    updated_at: datetime


class Bookmark(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    book_id: str
    chapter: int
    offset: int
    label: str
    anchor: Anchor
    detached: bool
    created_at: datetime
    updated_at: datetime


class HighlightList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Highlight] = Field(description="In reading order; detached ones included")


class BookmarkList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Bookmark] = Field(description="In reading order; detached ones included")
