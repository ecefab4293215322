"""Images of an EPUB: manifest items whose bytes are a bitmap or a safe SVG, within limits.

The declared media type is not trusted either way: converters write `image/jpg` or nothing.

The id is a short hash of the image's path in the archive: stable across re-parses of the
same book, safe in a URL and an object key.
"""

from __future__ import annotations

import hashlib

from bookreader.books.epub_package import Package, may_be_image
from bookreader.books.limits import Deadline, ParseLimits
from bookreader.books.model import BookImage
from bookreader.books.safety import SafeZip, xml_text
from bookreader.books.svg import sanitize_svg
from bookreader.errors import BookReaderError

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
}


def extract_images(
    archive: SafeZip, package: Package, limits: ParseLimits, deadline: Deadline
) -> tuple[list[BookImage], dict[str, str]]:
    """The book's usable images, and archive path → image id for rewriting `src`."""
    images: list[BookImage] = []
    ids: dict[str, str] = {}
    for item in package.manifest.values():
        deadline.check()
        if not may_be_image(item) or not item.path or item.path in ids:
            continue
        info = archive.entries.get(item.path)
        if info is None or info.file_size > limits.max_image_bytes:
            continue
        try:
            data = archive.read(item.path)
        except BookReaderError:
            continue  # a damaged or over-compressed image costs only that image
        media_type = sniff_image(data)
        if media_type == "image/svg+xml":
            # SVG is a document: only its allow-listed rebuild is kept (see books/svg.py).
            data = sanitize_svg(data, limits) or b""
        if media_type is None or not data:
            continue
        digest = hashlib.sha256(item.path.encode()).hexdigest()[:16]
        image_id = f"{digest}.{EXTENSIONS[media_type]}"
        images.append(BookImage(id=image_id, media_type=media_type, data=data))
        ids[item.path] = image_id
    return images, ids


def sniff_image(data: bytes) -> str | None:
    """The real media type from the bytes (the manifest's claim is not trusted)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if "<svg" in xml_text(data[:4096]):
        return "image/svg+xml"
    return None
