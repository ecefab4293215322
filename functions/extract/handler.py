"""Extract: invoked asynchronously after parse (or by an admin) with {"book_id": …}."""

from __future__ import annotations

from typing import Any

from bookreader.library.extraction import extract_book


def handle(event: dict[str, Any], context: Any) -> dict[str, str]:
    extract_book(str(event["book_id"]))
    return {"book_id": str(event["book_id"])}
