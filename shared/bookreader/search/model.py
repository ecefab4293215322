"""What a search answers: hits with plain-text offsets and a marked snippet, and (searching the
whole library) the books that match."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchHit(Answer):
    book_id: str
    chapter: int = Field(description="The chapter's index")
    chapter_title: str = Field(description="Plain text from the book")
    start: int = Field(description="Offset of the hit in the chapter's plain text")
    end: int = Field(description="End offset (exclusive) of the hit in the chapter's plain text")
    marks: list[tuple[int, int]] = Field(
        description="Every match in the hit's paragraph, as (start, end) chapter offsets"
    )
    snippet: str = Field(
        description="HTML: the text around the hit, escaped, with the matches in `<mark>`"
    )
    rank: float = Field(description="Relevance, higher first (comparable within one answer)")


class SearchBook(Answer):
    book_id: str
    title: str = Field(description="Plain text from the book (the file name before parsing)")
    authors: list[str] = Field(description="Plain text from the book")
    matches: int = Field(description="How many passages of the book match")


class SearchPage(Answer):
    items: list[SearchHit]
    next: str | None = Field(description="The `cursor` of the next page; null on the last")
    books: list[SearchBook] | None = Field(
        None,
        description="Searching all books, on the first page: the matching books, best first"
        " (at most 50)",
    )
    unindexed: int = Field(
        0,
        description="Books parsed before search existed and not indexed yet (each search indexes"
        " them for a few seconds): their text is not searched in this answer",
    )
