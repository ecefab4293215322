"""The one interface every image provider implements, and what it returns."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image

from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt
from bookreader.images.validate import ImageLimits, validate_image


@dataclass(frozen=True)
class GeneratedImage:
    data: bytes
    media_type: str
    provider: str  # the provider that actually drew it, even behind a chain
    seed: int
    width: int
    height: int
    # The decoded pixels when the provider has them (validation decodes once; sketch draws).
    picture: Image.Image | None = field(default=None, compare=False, repr=False)


class ImageProvider(Protocol):
    name: str

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        """Image bytes for the prompt, validated; `deadline` is a `time.monotonic()` instant."""
        ...


def checked_image(data: bytes, provider: str, seed: int, limits: ImageLimits) -> GeneratedImage:
    """A GeneratedImage from bytes that pass validation (BookReaderError otherwise)."""
    info = validate_image(data, limits, provider)
    return GeneratedImage(
        data, info.media_type, provider, seed, info.width, info.height, info.picture
    )


def decode_base64(value: object, provider: str) -> bytes:
    """Bytes of a base64 image field; tolerates a `data:` URL prefix some servers add."""
    if not isinstance(value, str) or not value:
        raise bad_response(provider, "no base64 image in the response")
    if value.startswith("data:") and "," in value:
        value = value.split(",", 1)[1]
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise bad_response(provider, f"invalid base64 image: {exc}") from exc


def bad_response(provider: str, reason: str) -> BookReaderError:
    return BookReaderError(
        "provider_bad_response",
        f"{provider} did not return a usable image: {reason}",
        502,
        {"provider": provider, "reason": reason},
    )
