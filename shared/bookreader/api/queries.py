"""Query strings of the API as models: one per route that takes any, validated at the edge by
`bookreader.http.parse_query` (422 `validation_failed` naming each bad field).

Query values arrive as text. Whole numbers accept ASCII digits only (Python's `int()` would
also take `²` or Arabic-Indic digits) and stay inside PostgreSQL's `integer`; text refuses NUL,
which PostgreSQL cannot store or compare.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from bookreader.ids import is_uuid
from bookreader.library.lifecycle import BookState
from bookreader.nlp.model import DescriptionType

# A query parameter is a plain value: the lifecycle's states inline, not a schema reference.
StateParameter = Annotated[
    BookState, WithJsonSchema({"type": "string", "enum": [str(state) for state in BookState]})
]

PG_INT_MAX = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def _ascii_whole_number(value: object) -> object:
    if isinstance(value, str) and not _ASCII_DIGITS.fullmatch(value):
        raise ValueError("must be a whole number written with the digits 0-9")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Every field of this type states its range with `Field(ge=…, le=…)`, le ≤ PG_INT_MAX.
WholeNumber = Annotated[int, BeforeValidator(_ascii_whole_number)]
ChapterIndex = Annotated[int, Field(ge=0, le=PG_INT_MAX), BeforeValidator(_ascii_whole_number)]


QueryText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]


class Query(BaseModel):
    """A query string: unknown parameters are refused, so a typo never silently does nothing."""

    model_config = ConfigDict(extra="forbid")


class BookListQuery(Query):
    state: StateParameter | None = Field(None, description="Only books in this state")
    language: QueryText | None = Field(None, description="BCP 47 language, e.g. `ru` or `en`")
    author: QueryText | None = Field(None, description="Part of an author's name")
    q: QueryText | None = Field(
        None, description="Words that must each appear in the title, an author or the file name"
    )
    sort: Literal["created", "title", "author"] = "created"
    order: Literal["asc", "desc"] | None = Field(
        None, description="Default: `desc` by creation time, `asc` by title or author"
    )
    page: WholeNumber = Field(1, ge=1, le=100_000)
    page_size: WholeNumber = Field(20, ge=1, le=100)

    @property
    def descending(self) -> bool:
        return (self.order or ("desc" if self.sort == "created" else "asc")) == "desc"


_CURSOR = re.compile(r"([0-9]{1,10})\.([0-9]{1,10})\.([0-9a-f-]{36})")


def _cursor(value: str) -> str:
    match = _CURSOR.fullmatch(value)
    if not (
        match and int(match[1]) <= PG_INT_MAX and int(match[2]) <= PG_INT_MAX and is_uuid(match[3])
    ):
        raise ValueError("is not a cursor this API returned")
    return value


class DescriptionListQuery(Query):
    chapter: ChapterIndex | None = Field(None, description="Only this chapter")
    type: DescriptionType | None = Field(None, description="Only this kind of passage")
    min_confidence: float = Field(0, ge=0, le=1, allow_inf_nan=False)
    limit: WholeNumber = Field(50, ge=1, le=500)
    cursor: Annotated[str, AfterValidator(_cursor)] | None = Field(
        None, description="The `next` of the previous page"
    )

    @property
    def after(self) -> tuple[int, int, str] | None:
        if self.cursor is None:
            return None
        chapter, start, description_id = self.cursor.split(".", 2)
        return int(chapter), int(start), description_id


class IllustrationListQuery(Query):
    chapter: ChapterIndex | None = Field(None, description="Only this chapter")
    type: DescriptionType | None = Field(None, description="Only this kind of passage")


class RecentIllustrationQuery(Query):
    limit: WholeNumber = Field(12, ge=1, le=50, description="How many, newest first")


class CastQuery(Query):
    unread: bool = Field(
        False,
        description="Also members first met beyond the saved reading position (spoilers)",
    )


class UserListQuery(Query):
    q: QueryText | None = Field(None, description="Part of an email or display name")
    page: WholeNumber = Field(1, ge=1, le=1_000_000)
    page_size: WholeNumber = Field(20, ge=1, le=100)


class AnnotationExportQuery(Query):
    format: Literal["md", "json", "csv"] = Field(
        "md",
        description="`md` Markdown grouped by chapter, `json` with offsets and anchors, `csv` in"
        " Readwise's import columns",
    )


class OpdsPageQuery(Query):
    page: WholeNumber = Field(1, ge=1, le=100_000)


class OpdsBooksQuery(Query):
    author: QueryText | None = Field(None, description="Only books with exactly this author")
    language: QueryText | None = Field(None, description="Only books in this language")
    page: WholeNumber = Field(1, ge=1, le=100_000)


class OpdsSearchQuery(Query):
    q: QueryText = Field(description="Words that must each appear in the title or an author")
    page: WholeNumber = Field(1, ge=1, le=100_000)


class Opds2SearchQuery(Query):
    """OPDS 2.0's search: its templated link `{?query}` names the words `query`."""

    query: QueryText = Field(description="Words that must each appear in the title or an author")
    page: WholeNumber = Field(1, ge=1, le=100_000)
