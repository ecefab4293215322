"""Identifiers: every id we hand out is a UUID, so anything else is simply not found."""

from __future__ import annotations

import re
import uuid

# The canonical text form only: `uuid.UUID` would also take `urn:uuid:…`, braces or no
# hyphens, which PostgreSQL's uuid type refuses.
_CANONICAL = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def is_uuid(value: object) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    return isinstance(value, str) and _CANONICAL.fullmatch(value) is not None
