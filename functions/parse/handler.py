"""Parse: runs when an upload lands under `uploads/` (S3 ObjectCreated)."""

from __future__ import annotations

from typing import Any

from bookreader.events import parse_s3_event
from bookreader.library.ingest import ingest_upload
from bookreader.log import configure_function_logging

configure_function_logging()


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    created = parse_s3_event(event)
    for item in created:
        ingest_upload(item)
    return {"objects": len(created)}
