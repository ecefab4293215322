"""Pictures as e-readers read them: JPEG (not every reader or older app reads WebP), no side
longer than MAX_SIDE pixels, transparency flattened onto white."""

from __future__ import annotations

import io
import logging

from PIL import Image

MAX_SIDE = 1600
JPEG_QUALITY = 85
MEDIA_TYPE = "image/jpeg"
# A book's picture larger than this many pixels is refused before it is decoded (memory).
MAX_PIXELS = 64_000_000

logger = logging.getLogger("bookreader.exports")


def reader_jpeg(data: bytes, max_side: int = MAX_SIDE) -> bytes | None:
    """The picture as a JPEG at most `max_side` px on its long side; None when it cannot be
    read (a broken picture is left out of the book rather than shown as a broken icon)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                return None
            if opened.format == "JPEG" and max(opened.size) <= max_side and opened.mode == "RGB":
                opened.load()  # decodes: a truncated JPEG fails here, not in a reader
                return data  # already what readers want: never recompressed
            opened.seek(0)  # an animated GIF: its first frame
            if opened.format == "JPEG":
                opened.draft("RGB", (max_side, max_side))  # decode big JPEGs at a smaller scale
            image = _flattened(opened)
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
        return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        logger.info("picture left out of the export: %s", error)
        return None


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, with any transparency composed onto white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")
