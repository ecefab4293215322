"""Identifiers: every id we hand out is a UUID, so anything else is simply not found."""

from __future__ import annotations

import uuid


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return False
    return True
