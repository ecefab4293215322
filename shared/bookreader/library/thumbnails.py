"""Cover thumbnails for the library grid (WebP, Pillow)."""

from __future__ import annotations

import io
import logging

from PIL import Image

THUMB_SIZE = (320, 480)
logger = logging.getLogger("bookreader.library")


def cover_thumbnail(data: bytes) -> bytes | None:
    """A WebP thumbnail of a cover image, or None when the image cannot be read."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", THUMB_SIZE)  # JPEG: decode at a smaller scale, much faster
            image = opened.convert("RGB")
            image.thumbnail(THUMB_SIZE)
            out = io.BytesIO()
            image.save(out, "WEBP", quality=80, method=4)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("cover thumbnail skipped: %s", error)
        return None
