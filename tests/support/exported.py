"""What a reader's exported EPUB is expected to hold, as the tests of exports read it."""

from __future__ import annotations


def alt_text_of(passage: str, limit: int = 500) -> str:
    """An illustration's alt text: its passage, cut at `limit` characters with an ellipsis."""
    return passage if len(passage) <= limit else passage[: limit - 1].rstrip() + "…"
