"""FB2 `description` → BookMetadata, and `binary` elements → BookImages.

A broken, oversized or unrecognisable binary is skipped: a bad image never fails a book.
"""

from __future__ import annotations

import base64
import binascii
import re

from lxml import etree

from bookreader.books.fb2_html import Context, collapse, href_target
from bookreader.books.model import BookImage, BookMetadata

# The real type comes from the bytes; FB2 content-type attributes are often wrong ("image/jpg").
_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")
_PARAGRAPHS = ("p", "v", "subtitle", "text-author")


def read_images(root: etree._Element, context: Context) -> list[BookImage]:
    """Decode the binaries; fills `context.images` (binary id → URL-safe image id)."""
    images: list[BookImage] = []
    taken: set[str] = set()
    limit = context.limits.max_image_bytes
    for binary in root.iterchildren(f"{context.ns}binary"):
        context.deadline.check()
        source_id = binary.get("id") or ""
        encoded = binary.text or ""
        # a cheap bound before decoding (line breaks inflate the text); exact check below
        if not source_id or source_id in context.images or len(encoded) // 2 > limit:
            continue
        try:
            data = base64.b64decode(encoded)  # validate=False: line breaks are normal here
        except (binascii.Error, ValueError):
            continue
        media_type = next((t for sig, t in _SIGNATURES.items() if data.startswith(sig)), None)
        if media_type is None or len(data) > limit:
            continue
        image_id = _safe_id(source_id, taken)
        taken.add(image_id)
        context.images[source_id] = image_id
        images.append(BookImage(id=image_id, media_type=media_type, data=data))
    return images


def _safe_id(source_id: str, taken: set[str]) -> str:
    """[A-Za-z0-9_.-] only, never `..` or a leading dot (it becomes part of an object key)."""
    base = _UNSAFE_ID.sub("_", source_id)
    if base.startswith("."):
        base = "img" + base
    if base.lower().endswith(".svg"):  # FB2 pictures are bitmaps; `.svg` keys serve as SVG
        base += ".img"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def read_metadata(root: etree._Element, context: Context) -> tuple[BookMetadata, str | None]:
    """The book's metadata and the binary id its cover page points at."""
    ns = context.ns
    description = root.find(f"{ns}description")
    info = _child(description, "title-info", ns)
    publish = _child(description, "publish-info", ns)
    document = _child(description, "document-info", ns)
    identifiers = {}
    if isbn := _text(_child(publish, "isbn", ns)):
        identifiers["isbn"] = isbn
    if fb2_id := _text(_child(document, "id", ns)):
        identifiers["fb2"] = fb2_id
    sequence = _child(info, "sequence", ns)
    annotation = _child(info, "annotation", ns)
    cover = _child(_child(info, "coverpage", ns), "image", ns)
    metadata = BookMetadata(
        title=_text(_child(info, "book-title", ns)) or "",
        authors=_people(info, "author", ns),
        language=(_text(_child(info, "lang", ns)) or "").lower() or None,
        series=(sequence.get("name") or "").strip() or None if sequence is not None else None,
        series_index=_number(sequence.get("number") if sequence is not None else None),
        publisher=_text(_child(publish, "publisher", ns)),
        description=_annotation(annotation, context),
        identifiers=identifiers,
        subjects=[text for g in _children(info, "genre", ns) if (text := _text(g))],
        translators=_people(info, "translator", ns),
    )
    return metadata, href_target(cover) if cover is not None else None


def _child(parent: etree._Element | None, name: str, ns: str) -> etree._Element | None:
    return parent.find(f"{ns}{name}") if parent is not None else None


def _children(parent: etree._Element | None, name: str, ns: str) -> list[etree._Element]:
    return parent.findall(f"{ns}{name}") if parent is not None else []


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return collapse("".join(element.itertext())).strip() or None


def _people(info: etree._Element | None, role: str, ns: str) -> list[str]:
    """`First Middle Last`, or the nickname when the name parts are missing."""
    people = []
    for person in _children(info, role, ns):
        parts = [_text(_child(person, part, ns)) for part in ("first-name", "middle-name")]
        parts.append(_text(_child(person, "last-name", ns)))
        name = " ".join(part for part in parts if part) or _text(_child(person, "nickname", ns))
        if name:
            people.append(name)
    return people


def _number(value: str | None) -> float | None:
    try:
        return float(value.strip().replace(",", ".")) if value else None
    except ValueError:
        return None


def _annotation(annotation: etree._Element | None, context: Context) -> str | None:
    if annotation is None:
        return None
    names = [f"{context.ns}{name}" for name in _PARAGRAPHS]
    lines = [collapse(context.plain_text(p)).strip() for p in annotation.iter(*names)]
    return "\n\n".join(line for line in lines if line) or None
