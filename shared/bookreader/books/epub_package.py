"""The EPUB package: container.xml → OPF → metadata, manifest, spine and cover.

Read with our own safe XML parser rather than ebooklib: ebooklib parses with its own lxml
settings before we could vet the XML, and it fails the whole book on one bad manifest entry.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

from bookreader.books.limits import ParseLimits, book_error
from bookreader.books.matter import NON_STORY_GUIDE_TYPES
from bookreader.books.model import BookMetadata
from bookreader.books.safety import SafeZip, parse_xml, safe_entry_name
from bookreader.errors import BookReaderError

XHTML_TYPES = {"application/xhtml+xml", "text/html", "application/xml", "text/xml"}
NCX_TYPE = "application/x-dtbncx+xml"
# Declared types that are surely not images; anything else (image/jpg, "", …) is sniffed.
NOT_IMAGES = (*XHTML_TYPES, NCX_TYPE, "text/", "font/", "audio/", "video/", "application/")


@dataclass
class ManifestItem:
    id: str
    path: str | None  # the entry name inside the archive; None if it escapes the archive
    media_type: str
    properties: set[str] = field(default_factory=set)


@dataclass
class Package:
    opf_path: str
    metadata: BookMetadata
    manifest: dict[str, ManifestItem]  # by manifest id
    spine: list[tuple[ManifestItem, bool]]  # (item, linear) in reading order
    nav: ManifestItem | None
    ncx: ManifestItem | None
    cover_candidates: list[ManifestItem]  # best first
    cover_page: str | None = None  # EPUB 2 `<guide><reference type="cover">` document
    direction: str | None = None  # the spine's page-progression-direction ("rtl", "ltr")
    # EPUB 2 `<guide>` documents that are not the story (notes, contents, index, copyright)
    non_story_pages: frozenset[str] = frozenset()


def may_be_image(item: ManifestItem) -> bool:
    """Worth sniffing: the bytes decide, the declared type only rules out the obvious."""
    declared = item.media_type
    return bool(item.path) and (
        declared.startswith("image/") or not declared.startswith(NOT_IMAGES)
    )


def local(element: etree._Element) -> str:
    """The tag without its namespace ('' for comments and other non-elements)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def attr(element: etree._Element, name: str) -> str:
    """An attribute by local name, whatever its namespace (opf:role, role, …)."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return value
    return ""


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def resolve(base_path: str, href: str) -> tuple[str | None, str]:
    """(archive entry name, fragment) of a relative href; entry None if external or escaping.

    Never clamps `..` at the root: a link that climbs out of the archive resolves to nothing
    (en-w3c-link-leaking-relative has a real file where a clamped path would land).
    """
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        return None, ""
    fragment = unquote(parts.fragment)
    if not parts.path:
        return base_path, fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_path), unquote(parts.path)))
    if not safe_entry_name(joined):
        return None, fragment
    return joined, fragment


def read_package(archive: SafeZip, limits: ParseLimits) -> Package:
    opf_path = _find_opf(archive, limits)
    root = parse_xml(archive.read(opf_path), limits, allow_doctype=True)
    metadata_element = _first(root, "metadata")
    manifest = _read_manifest(root, opf_path)
    spine, ncx_id = _read_spine(root, manifest)
    nav = next((item for item in manifest.values() if "nav" in item.properties), None)
    ncx = manifest.get(ncx_id) if ncx_id else None
    if ncx is None:
        ncx = next((item for item in manifest.values() if item.media_type == NCX_TYPE), None)
    metadata = _read_metadata(metadata_element)
    covers = _cover_candidates(metadata_element, manifest)
    spine_element = _first(root, "spine")
    direction = (
        attr(spine_element, "page-progression-direction") if spine_element is not None else ""
    )
    return Package(
        opf_path,
        metadata,
        manifest,
        spine,
        nav,
        ncx,
        covers,
        cover_page=_guide_cover(root, opf_path),
        direction=direction.strip().lower() or None,
        non_story_pages=_guide_non_story(root, opf_path),
    )


def _guide_cover(root: etree._Element, opf_path: str) -> str | None:
    for element in root.iter():
        if local(element) == "reference" and (element.get("type") or "").lower() == "cover":
            path, _ = resolve(opf_path, element.get("href") or "")
            return path
    return None


def _guide_non_story(root: etree._Element, opf_path: str) -> frozenset[str]:
    pages = set()
    for element in root.iter():
        kind = (element.get("type") or "").lower()
        if local(element) == "reference" and kind in NON_STORY_GUIDE_TYPES:
            path, fragment = resolve(opf_path, element.get("href") or "")
            if path and not fragment:  # "book.html#toc" names a part of a file, not the file
                pages.add(path)
    return frozenset(pages)


def _find_opf(archive: SafeZip, limits: ParseLimits) -> str:
    names = set(archive.names())
    if "META-INF/container.xml" in names:
        try:
            container = parse_xml(archive.read("META-INF/container.xml"), limits)
        except BookReaderError as error:
            if error.code == "xml_entities_forbidden":
                raise
            container = None
        for element in container.iter() if container is not None else ():
            path = unquote(attr(element, "full-path")) if local(element) == "rootfile" else ""
            if path in names:
                return path
    # A missing or wrong container is a common defect; any OPF in the archive will do.
    for name in sorted(names):
        if name.lower().endswith(".opf"):
            return name
    raise book_error("unsupported_format", "the EPUB has no package document (OPF)")


def _first(root: etree._Element, name: str) -> etree._Element | None:
    return next((element for element in root.iter() if local(element) == name), None)


def _read_manifest(root: etree._Element, opf_path: str) -> dict[str, ManifestItem]:
    manifest: dict[str, ManifestItem] = {}
    for element in root.iter():
        if local(element) != "item" or not element.get("id") or not element.get("href"):
            continue
        path, _ = resolve(opf_path, element.get("href", ""))
        manifest[element.get("id", "")] = ManifestItem(
            id=element.get("id", ""),
            path=path,
            media_type=(element.get("media-type") or "").strip().lower(),
            properties=set((element.get("properties") or "").split()),
        )
    return manifest


def _read_spine(
    root: etree._Element, manifest: dict[str, ManifestItem]
) -> tuple[list[tuple[ManifestItem, bool]], str | None]:
    spine_element = _first(root, "spine")
    if spine_element is None:
        return [], None
    spine = []
    for element in spine_element:
        item = manifest.get(element.get("idref", "")) if local(element) == "itemref" else None
        if item is not None and item.path is not None:
            spine.append((item, (element.get("linear") or "yes").strip().lower() != "no"))
    return spine, spine_element.get("toc")


def _read_metadata(metadata: etree._Element | None) -> BookMetadata:
    if metadata is None:
        return BookMetadata(title="Untitled")
    elements = [element for element in metadata.iter() if local(element)]
    refines: dict[str, dict[str, str]] = {}  # "#id" → property → value (EPUB 3)
    roles: dict[str, set[str]] = {}  # "#id" → every role refining it (a creator has several)
    metas: dict[str, str] = {}  # EPUB 2 name → content, EPUB 3 property → text
    for element in elements:
        if local(element) != "meta":
            continue
        if element.get("refines") and element.get("property") == "role":
            roles.setdefault(element.get("refines", "").lstrip("#"), set()).add(
                clean(element.text).lower()
            )
        elif element.get("refines"):
            refines.setdefault(element.get("refines", "").lstrip("#"), {}).setdefault(
                element.get("property", ""), clean(element.text)
            )
        elif element.get("name"):
            metas.setdefault(element.get("name", ""), (element.get("content") or "").strip())
        elif element.get("property"):
            metas.setdefault(element.get("property", ""), clean(element.text))

    def dc(name: str) -> list[etree._Element]:
        return [e for e in elements if local(e) == name and clean(e.text)]

    def role(element: etree._Element) -> set[str]:
        found = set(roles.get(element.get("id", ""), set()))
        if attr(element, "role"):
            found.add(attr(element, "role").strip().lower())
        return found

    titles = dc("title")
    main = [t for t in titles if refines.get(t.get("id", ""), {}).get("title-type") == "main"]
    title = clean((main or titles)[0].text) if titles else "Untitled"
    people = dc("creator") + dc("contributor")
    authors = [clean(e.text) for e in dc("creator") if not role(e) or "aut" in role(e)]
    translators = [clean(e.text) for e in people if "trl" in role(e)]
    languages = dc("language")
    series, index = _series(elements, metas, refines)
    return BookMetadata(
        title=title,
        authors=authors,
        language=clean(languages[0].text).lower() if languages else None,
        series=series,
        series_index=index,
        publisher=clean(dc("publisher")[0].text) if dc("publisher") else None,
        description=_plain(dc("description")[0].text) if dc("description") else None,
        identifiers=_identifiers(dc("identifier"), refines),
        subjects=[clean(e.text) for e in dc("subject")],
        translators=translators,
    )


def _series(
    elements: list[etree._Element], metas: dict[str, str], refines: dict[str, dict[str, str]]
) -> tuple[str | None, float | None]:
    if metas.get("calibre:series"):
        return metas["calibre:series"], _number(metas.get("calibre:series_index"))
    for element in elements:
        if local(element) == "meta" and element.get("property") == "belongs-to-collection":
            refined = refines.get(element.get("id", ""), {})
            if refined.get("collection-type", "series") == "series" and clean(element.text):
                return clean(element.text), _number(refined.get("group-position"))
    return None, None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _plain(text: str | None) -> str | None:
    """Descriptions often hold escaped HTML; the model wants plain text."""
    plain = clean(html.unescape(re.sub(r"<[^>]+>", " ", text or "")))
    return plain or None


def _identifiers(
    elements: list[etree._Element], refines: dict[str, dict[str, str]]
) -> dict[str, str]:
    identifiers: dict[str, str] = {}
    for element in elements:
        value = clean(element.text)
        scheme = attr(element, "scheme").lower()
        if not scheme:
            onix = refines.get(element.get("id", ""), {}).get("identifier-type", "")
            scheme = {"15": "isbn", "02": "isbn", "03": "gtin", "06": "doi"}.get(onix, "")
        match = re.match(r"(?i)^urn:(isbn|uuid|doi|issn):(.+)$", value)
        if match:
            scheme, value = scheme or match.group(1).lower(), match.group(2)
        elif not scheme:
            scheme = "uri" if re.match(r"(?i)^https?://", value) else "id"
        identifiers.setdefault(scheme, value)
    return identifiers


def _cover_candidates(
    metadata: etree._Element | None, manifest: dict[str, ManifestItem]
) -> list[ManifestItem]:
    images = [item for item in manifest.values() if may_be_image(item)]
    candidates = [item for item in images if "cover-image" in item.properties]
    if metadata is not None:
        for element in metadata.iter():
            if local(element) == "meta" and element.get("name") == "cover":
                content = (element.get("content") or "").strip()
                by_id = manifest.get(content)
                # Some books put the image's href in `content` instead of its manifest id.
                by_href = [i for i in images if i.path and i.path.endswith("/" + content)]
                candidates += [by_id] if by_id and by_id in images else by_href
    candidates += [i for i in images if "cover" in f"{i.id} {i.path}".lower()]
    unique: list[ManifestItem] = []
    for item in candidates:
        if item not in unique:
            unique.append(item)
    return unique
