"""Sweeper: runs on its schedule (an EventBridge scheduled event) and clears stuck work."""

from __future__ import annotations

from typing import Any

from bookreader.log import configure_function_logging
from bookreader.ops.sweeper import sweep

configure_function_logging()


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    report = sweep()
    if report.errors:
        # Nothing to retry now: the next scheduled sweep does the same work again.
        return {**report.counts(), "errors": len(report.errors)}
    return report.counts()
