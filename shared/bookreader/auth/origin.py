"""Cookie-authenticated routes (refresh, logout) answer only pages of our own site.

The refresh cookie is `SameSite=Strict`, but a browser that ignores that, or a same-site
page on another subdomain, would still let another site spend or end a reader's session. So
these routes also check where the request comes from:

- `Sec-Fetch-Site: same-origin` — the browser says the page is ours: allowed.
- An `Origin` header must be our public origin, the request's own host, or one of
  ALLOWED_ORIGINS; anything else (`null` included) is refused with 403 `origin_forbidden`.
- `Sec-Fetch-Site` other than same-origin without an `Origin`: refused.
- Neither header: allowed. Every current browser sends `Origin` on a POST (and
  `Sec-Fetch-Site` on every request), so such a request comes from a non-browser client —
  a script or an app holding its own cookie — which cannot be tricked into sending someone
  else's cookie, the attack this guards against.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from bookreader.config import get_settings
from bookreader.errors import BookReaderError


def ensure_same_site(headers: Mapping[str, str]) -> None:
    """403 `origin_forbidden` unless the request comes from our site or an allowed origin."""
    fetch_site = (headers.get("sec-fetch-site") or "").strip().lower()
    if fetch_site == "same-origin":
        return
    origin = (headers.get("origin") or "").strip()
    if origin:
        if _normalized(origin) in own_origins(headers.get("host") or ""):
            return
        raise _forbidden()
    if fetch_site:
        raise _forbidden()


def cors_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """CORS headers for an answer to a page of an ALLOWED_ORIGINS origin; none for others.

    The origin is named exactly, never `*`: the refresh cookie makes these requests
    credentialed, and a browser shares a credentialed answer only with the origin it names.
    """
    origin = (headers.get("origin") or "").strip()
    if not origin or _normalized(origin) not in allowed_origins():
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }


def allowed_origins() -> set[str]:
    """ALLOWED_ORIGINS, normalised: the other sites whose pages may call the API."""
    items = get_settings().allowed_origins.split(",")
    return {_normalized(item) for item in items if item.strip()} - {""}


def own_origins(host: str) -> set[str]:
    """The origins whose pages may use the cookie routes of a request to `host`."""
    settings = get_settings()
    origins = {_normalized(settings.public_url), *allowed_origins()}
    if host.strip():
        # The API reached directly (no proxy rewriting Host): its own address, either scheme.
        origins.update(_normalized(f"{scheme}://{host.strip()}") for scheme in ("http", "https"))
    origins.discard("")
    return origins


def _normalized(url: str) -> str:
    """`HTTPS://Reader.Example:443/path` → `https://reader.example` (scheme and host only)."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        return ""
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    suffix = f":{port}" if port is not None and port != default_port else ""
    return f"{parts.scheme.lower()}://{host}{suffix}"


def _forbidden() -> BookReaderError:
    return BookReaderError(
        "origin_forbidden", "This request came from another site and was refused.", 403
    )
