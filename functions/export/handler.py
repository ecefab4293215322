"""Export: builds one requested export, invoked asynchronously with {"export_id": …}."""

from __future__ import annotations

from typing import Any

from bookreader.exports.pipeline import build_export
from bookreader.log import configure_function_logging

configure_function_logging()


def handle(event: dict[str, Any], context: Any) -> dict[str, str]:
    # Our own services away (503) raise: the event is retried with backoff.
    record = build_export(str(event["export_id"]))
    return {"export_id": record.id, "state": record.state}
