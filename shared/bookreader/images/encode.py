"""Turns validated image bytes into what we store: a WebP picture and a WebP thumbnail."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

MEDIA_TYPE = "image/webp"


@dataclass(frozen=True)
class EncodedImage:
    webp: bytes
    width: int
    height: int
    byte_size: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int
    thumbnail_byte_size: int
    media_type: str = MEDIA_TYPE


def encode_webp(
    data: bytes,
    *,
    picture: Image.Image | None = None,
    quality: int = 85,
    thumbnail_side: int = 256,
) -> EncodedImage:
    """WebP of the image and of a thumbnail `thumbnail_side` px on its long side; `picture`,
    when given, is `data` already decoded.

    Call `validate_image` first: this trusts the bytes to be a bounded, allowed image.
    """
    if picture is not None:
        image = _normalised(picture)
    else:
        with Image.open(io.BytesIO(data)) as source:
            source.seek(0)  # an animated GIF becomes its first frame: an illustration is a still
            image = _normalised(source)
    full = _webp(image, quality)
    thumb = image.copy()
    # thumbnail() never enlarges, so a picture smaller than the thumbnail keeps its size.
    # reducing_gap: a cheap box reduction first, then Lanczos — half the time, no visible loss.
    thumb.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    small = _webp(thumb, quality)
    return EncodedImage(
        webp=full,
        width=image.width,
        height=image.height,
        byte_size=len(full),
        thumbnail=small,
        thumbnail_width=thumb.width,
        thumbnail_height=thumb.height,
        thumbnail_byte_size=len(small),
    )


def _normalised(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the source has transparency (WebP keeps alpha)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No EXIF/ICC copied: provider metadata is not ours to republish.
    # method 0 of 0–6: on a 1024² picture 30 ms against 100 ms for the default 4, for a file
    # about 8 % larger (measured on this machine) — a reader waits for this step.
    image.save(out, "WEBP", quality=quality, method=0)
    return out.getvalue()
