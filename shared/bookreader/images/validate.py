"""Checks that a provider's response is a real picture we accept, before anything stores it.

The bytes decide, not the Content-Type header: providers send HTML error pages and JSON errors
with 200 and `image/*` often enough. Dimensions are checked from the header before any pixel is
decoded, so a small file that would expand to gigabytes (a decompression bomb) is refused cheaply.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass, field

from PIL import Image

from bookreader.errors import BookReaderError

# Magic bytes of the formats we accept → (Pillow format name, media type).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG", "image/png"),
    (b"\xff\xd8\xff", "JPEG", "image/jpeg"),
    (b"GIF87a", "GIF", "image/gif"),
    (b"GIF89a", "GIF", "image/gif"),
)


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_side: int = 4096
    max_pixels: int = 4096 * 4096


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    width: int
    height: int
    # The decoded pixels, so the encoder does not decode the same bytes a second time.
    picture: Image.Image | None = field(default=None, compare=False, repr=False)


def sniff_media_type(data: bytes) -> str | None:
    """The media type the leading bytes announce, among the allowed ones; None otherwise."""
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, _, media_type in SIGNATURES:
        if data.startswith(magic):
            return media_type
    return None


def validate_image(data: bytes, limits: ImageLimits | None = None, provider: str = "") -> ImageInfo:
    """ImageInfo for acceptable image bytes; BookReaderError with the reason otherwise."""
    limits = limits or ImageLimits()
    if len(data) > limits.max_bytes:
        raise _too_large(provider, f"{len(data)} bytes; the limit is {limits.max_bytes}")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise _bad_response(provider, _describe_non_image(data))
    try:
        with warnings.catch_warnings():
            # Pillow only warns below 2x its own pixel limit; our limits decide instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if max(width, height) > limits.max_side or width * height > limits.max_pixels:
                    raise _too_large(provider, f"{width}x{height} pixels")
                image.load()  # the header can be fine while the pixel data is truncated
                # Kept past the file's closing (the first frame of a GIF: an illustration is
                # a still), so the encoder does not decode the bytes again.
                picture = image.copy()
    except Image.DecompressionBombError as exc:
        raise _too_large(provider, str(exc)) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise _bad_response(provider, f"corrupt {media_type}: {exc}") from exc
    return ImageInfo(media_type, width, height, picture)


def _describe_non_image(data: bytes) -> str:
    """A short human reason for bytes that are not an image: empty, HTML, a JSON error, other."""
    if not data:
        return "empty response"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return "an HTML/XML page instead of an image"
    if head.startswith((b"{", b"[")):
        try:
            parsed = json.loads(data[:65536])
        except ValueError:
            return "JSON-like text instead of an image"
        return f"a JSON document instead of an image: {_json_error_message(parsed)}"[:300]
    return f"not an allowed image type (first bytes {data[:8].hex()})"


def _json_error_message(parsed: object) -> str:
    if isinstance(parsed, dict):
        error = parsed.get("error", parsed.get("detail", parsed))
        if isinstance(error, dict):
            return str(error.get("message", error))
        return str(error)
    return str(parsed)


def _bad_response(provider: str, reason: str) -> BookReaderError:
    return BookReaderError(
        "provider_bad_response",
        f"{provider or 'provider'} did not return a usable image: {reason}",
        502,
        {"provider": provider, "reason": reason},
    )


def _too_large(provider: str, reason: str) -> BookReaderError:
    return BookReaderError(
        "provider_image_too_large",
        f"{provider or 'provider'} returned an image over the limits: {reason}",
        502,
        {"provider": provider, "reason": reason},
    )
