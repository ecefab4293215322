"""Where the API is mounted, as the client sees it: the refresh cookie's `Path` must name the
path the browser really uses, whatever sits in front of the functions.

Two things can put the API below the site's root:
- the API Gateway stage (or a custom domain's base path): `requestContext.path` is the path the
  client sent, the resource path is what the route matched, so the prefix is what the first
  has before the second (`/api/auth/login` for `/auth/login` → `/api`; the local runtime
  serves the stage `api` the same way);
- a reverse proxy that strips a prefix of its own and says so in `X-Forwarded-Prefix`,
  believed only from a trusted proxy (anybody can send the header).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bookreader.auth.client_ip import from_trusted_proxy

_PREFIX = re.compile(r"(?:/[A-Za-z0-9._~-]+)*")


def mount_prefix(context: Mapping[str, Any], path: str, headers: Mapping[str, str]) -> str:
    """The path prefix of the API for this request: "" at the root, e.g. "/api" below it.

    `context` is the event's requestContext, `path` the event's path, `headers` the request's.
    """
    peer = (context.get("identity") or {}).get("sourceIp") or ""
    forwarded = (headers.get("x-forwarded-prefix") or "").strip()
    proxied = _safe(forwarded.rstrip("/")) if forwarded and from_trusted_proxy(peer) else ""
    return proxied + _safe(_stage_prefix(context, path))


def _stage_prefix(context: Mapping[str, Any], path: str) -> str:
    full = str(context.get("path") or "")
    resource = str(context.get("resourcePath") or "")
    if "+}" in resource:  # a greedy resource: its depth is unknown, compare with the path
        return full[: -len(path)] if path and full.endswith(path) else ""
    depth = len([part for part in resource.split("/") if part])
    segments = [part for part in full.split("/") if part]
    if depth > len(segments):
        return ""
    kept = segments[: len(segments) - depth]
    return "".join(f"/{part}" for part in kept)


def _safe(prefix: str) -> str:
    """The prefix if it is plain path segments; "" otherwise (it ends up in a cookie header)."""
    return prefix if _PREFIX.fullmatch(prefix) and ".." not in prefix.split("/") else ""
