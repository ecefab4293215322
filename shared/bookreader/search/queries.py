"""The search routes' query strings, validated at the edge (422 `validation_failed` naming the
field): the words, how many hits, where the previous page ended."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from bookreader.api.queries import Query, QueryText, WholeNumber

MAX_LIMIT = 100
MAX_OFFSET = 10_000  # deeper pages are never read; refusing them keeps every page cheap
_CURSOR = re.compile(r"[0-9]{1,5}")


def _cursor(value: str) -> str:
    if not _CURSOR.fullmatch(value) or int(value) > MAX_OFFSET:
        raise ValueError("is not a cursor this API returned")
    return value


class SearchQuery(Query):
    q: QueryText = Field(
        description='Words to find (stemmed: «окно» finds «окна»); "quoted words" as a phrase,'
        " `-word` to exclude, `or` for either"
    )
    limit: WholeNumber = Field(20, ge=1, le=MAX_LIMIT, description="Hits per page")
    cursor: Annotated[str, AfterValidator(_cursor)] | None = Field(
        None, description="The `next` of the previous page"
    )
    order: Literal["rank", "position"] = Field(
        "rank", description="Best first, or in reading order"
    )

    @property
    def offset(self) -> int:
        return int(self.cursor) if self.cursor else 0
