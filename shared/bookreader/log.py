"""Structured logging: one JSON object per line, on stderr."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from bookreader.config import get_settings


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # A library's warning is a JSON line too, not two raw lines of text on stderr.
    logging.captureWarnings(True)


def configure_function_logging() -> None:
    """JSON lines at LOG_LEVEL (default INFO) inside a function: Lambda's and the local
    workers' root logger would drop INFO lines. Function modules call this at import; outside
    a function (tests, tools importing an app) it does nothing, so the host keeps its own."""
    settings = get_settings()
    if settings.function_name:
        configure_logging(settings.log_level)


def log_event(
    logger: logging.Logger, message: str, level: int = logging.INFO, **fields: Any
) -> None:
    """Log `message` with structured `fields` merged into the JSON line."""
    logger.log(level, message, extra={"fields": fields})


def now_ms() -> int:
    return int(time.time() * 1000)
