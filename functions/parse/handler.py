"""Parse: runs when an upload lands under `uploads/` (S3 ObjectCreated), and when an
administrator asks for a book to be parsed again (`{"reparse_book_id": …}`)."""

from __future__ import annotations

from typing import Any

from bookreader.annotations.reanchor import reanchor_book
from bookreader.events import parse_s3_event
from bookreader.library.ingest import ingest_upload
from bookreader.library.reparse import reparse_book
from bookreader.log import configure_function_logging

configure_function_logging()


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    if book_id := event.get("reparse_book_id"):
        # Highlights and bookmarks move with the text, in the transaction that replaces it.
        return {"reparsed": int(reparse_book(str(book_id), reanchor=[reanchor_book]))}
    created = parse_s3_event(event)
    for item in created:
        ingest_upload(item)
    return {"objects": len(created)}
