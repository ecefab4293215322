"""EPUB 2 and 3 → the one book model.

Order of work: the archive's limits (SafeZip), the package (OPF), images, every spine document
through the safe XML parser, notes across the whole book, paragraphs per chapter, then links
and the TOC — which need every chapter's offsets — and finally sanitised HTML.
One broken or missing resource is skipped; only attacks and limits fail the book.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from bookreader.books.epub_content import (
    Block,
    Document,
    element_text,
    extract_blocks,
    is_note_element,
    load_document,
    looks_like_note_ref,
    note_container,
    remove,
)
from bookreader.books.epub_images import extract_images
from bookreader.books.epub_package import Package, read_package, resolve
from bookreader.books.epub_toc import (
    RawEntry,
    build_toc,
    nav_entries,
    ncx_entries,
    walk_toc,
)
from bookreader.books.limits import Deadline, ParseLimits, book_error
from bookreader.books.model import Chapter, Footnote, ParsedBook, TocEntry, count_words
from bookreader.books.safety import SafeZip, parse_xml
from bookreader.books.sanitize import sanitize_html
from bookreader.errors import BookReaderError

ImageUrl = Callable[[str], str]
GUTENBERG_START = re.compile(r"(?i)^\*{3} ?START OF (THE|THIS) PROJECT GUTENBERG")
PSEUDO_HEADING = re.compile(r"(?i)^(?:[IVXLC]+|(?:глава|chapter|часть|part)\s+\S+)\.?$")


@dataclass
class _Note:
    id: str
    element: etree._Element
    document: Document
    label: str = ""


@dataclass
class _Draft:
    """A chapter between paragraph extraction and HTML output."""

    document: Document
    linear: bool
    blocks: list[Block]
    starts: list[int]
    text: str
    anchors: dict[str, int]  # element id → block index


def parse_epub(
    data: bytes, *, image_url: ImageUrl, limits: ParseLimits, deadline: Deadline
) -> ParsedBook:
    archive = SafeZip(data, limits)  # size, ratio and entry limits before anything is read
    package = read_package(archive, limits)
    images, image_ids = extract_images(archive, package, limits, deadline)
    cover = next((image_ids[i.path] for i in package.cover_candidates if i.path in image_ids), None)

    documents: list[tuple[Document, bool, bool]] = []  # (document, linear, is the nav document)
    seen: set[str] = set()
    raw_toc: list[RawEntry] = []
    for item, linear in package.spine:
        deadline.check()
        if item.path in seen or item.media_type not in ("application/xhtml+xml", "text/html"):
            continue
        seen.add(item.path or "")
        document = load_document(archive, item.path or "", limits)
        if document is None:
            continue
        is_nav = item is package.nav
        if is_nav:
            raw_toc = nav_entries(document)  # read before its nav elements are removed
        documents.append((document, linear, is_nav))
    raw_toc = raw_toc or _raw_toc(archive, package, limits)

    notes = _find_notes([d for d, _, _ in documents])
    drafts = _drafts(documents, notes, limits, deadline, cover, image_ids)

    anchors: dict[tuple[str, str], tuple[int, int]] = {}
    for index, draft in enumerate(drafts):
        anchors[(draft.document.path, "")] = (index, 0)
        for anchor, block in draft.anchors.items():
            offset = draft.starts[block] if block < len(draft.starts) else len(draft.text)
            anchors.setdefault((draft.document.path, anchor), (index, offset))

    def locate(path: str, fragment: str) -> tuple[int, int] | None:
        return anchors.get((path, fragment)) or anchors.get((path, ""))

    toc = build_toc(raw_toc, locate) if raw_toc else []
    chapters = [
        _chapter(index, draft, toc, anchors, notes, image_ids, image_url)
        for index, draft in enumerate(drafts)
    ]
    if not toc:
        toc = _toc_from_headings(chapters, drafts)
    unique = list({note.id: note for note in notes.values()}.values())
    footnotes = [_footnote(note, anchors, notes, image_ids, image_url, deadline) for note in unique]
    used = {image.id for image in images}
    return ParsedBook(
        format="epub",
        metadata=package.metadata,
        chapters=chapters,
        toc=toc,
        footnotes=[f for f in footnotes if f.text],
        images=images,
        cover_image_id=cover if cover in used else None,
    )


def _raw_toc(archive: SafeZip, package: Package, limits: ParseLimits) -> list[RawEntry]:
    """The TOC when the nav document is not in the spine: nav first, then the NCX."""
    if package.nav is not None and package.nav.path:
        nav = load_document(archive, package.nav.path, limits)
        entries = nav_entries(nav) if nav is not None else []
        if entries:
            return entries
    if package.ncx is not None and package.ncx.path:
        try:
            root = parse_xml(archive.read(package.ncx.path), limits, allow_doctype=True)
        except KeyError:
            return []
        except BookReaderError as error:
            if error.code in ("xml_malformed", "encoding_invalid"):
                return []  # a broken NCX only costs the TOC; headings stand in
            raise
        return ncx_entries(root, package.ncx.path)
    return []


def _find_notes(documents: list[Document]) -> dict[tuple[str, str], _Note]:
    """Footnotes and endnotes anywhere in the book, by the (path, id) links point at."""
    notes: dict[tuple[str, str], _Note] = {}
    used_ids: set[str] = set()
    by_path = {document.path: document for document in documents}

    def add(element: etree._Element, document: Document, label: str = "") -> None:
        if any(note.element is element for note in notes.values()):
            return
        base = re.sub(r"[^A-Za-z0-9_-]", "-", element.get("id") or "note") or "note"
        note_id, n = base, 1
        while note_id in used_ids:
            n += 1
            note_id = f"{base}-{n}"
        used_ids.add(note_id)
        note = _Note(note_id, element, document, label)
        for inner in element.iter():
            if inner.get("id"):
                notes[(document.path, inner.get("id", ""))] = note
        notes.setdefault((document.path, f"#{note_id}"), note)  # keeps id-less notes listed

    for document in documents:
        for element in document.body.iter():
            if is_note_element(element) and not any(
                is_note_element(a) for a in element.iterancestors()
            ):
                add(element, document)
    order = {(d.path): i for i, d in enumerate(documents)}
    for document in documents:
        positions = {element: n for n, element in enumerate(document.body.iter())}
        for link in document.body.iter("a"):
            path, fragment = resolve(document.path, link.get("href") or "")
            target_document = by_path.get(path or "")
            if not fragment or target_document is None or (path, fragment) in notes:
                continue
            if not looks_like_note_ref(link, fragment):
                continue
            target = target_document.ids.get(fragment)
            container = note_container(target, target_document.body) if target is not None else None
            if container is None or link in container.iter():
                continue
            explicit = "noteref" in (link.get("epub-type") or "")
            # A back-link from a note to its reference points backwards; a reference forwards.
            later = order[target_document.path] > order[document.path] or (
                target_document is document and positions[container] > positions[link]
            )
            if explicit or (later and len(element_text(container)) < 5000):
                add(container, target_document, element_text(link))
    return notes


def _drafts(
    documents: list[tuple[Document, bool, bool]],
    notes: dict[tuple[str, str], _Note],
    limits: ParseLimits,
    deadline: Deadline,
    cover: str | None,
    image_ids: dict[str, str],
) -> list[_Draft]:
    note_elements = {id(note.element): note.element for note in notes.values()}
    drafts: list[_Draft] = []
    for document, linear, is_nav in documents:
        deadline.check()
        for element in list(document.body.iter()):
            if id(element) in note_elements:
                remove(element)  # notes are kept as Footnotes, not narrative
        if is_nav:
            for nav in list(document.body.iter("nav")):
                remove(nav)
        extraction = extract_blocks(document.body, deadline)
        blocks, anchors = extraction.blocks, extraction.anchors
        if not drafts:
            blocks, anchors = _without_gutenberg_header(blocks, anchors)
        if not blocks and not _has_own_images(document, drafts, cover, image_ids):
            continue  # cover wrappers, an empty nav document, empty files
        starts, position = [], 0
        for block in blocks:
            if len(block.text) > limits.max_paragraph_chars:
                raise book_error("paragraph_too_long", f"{len(block.text)} characters")
            starts.append(position)
            position += len(block.text) + 2
        text = "\n\n".join(block.text for block in blocks)
        if len(text) > limits.max_chapter_chars:
            raise book_error("chapter_too_long", f"{len(text)} characters")
        for index, block in enumerate(blocks):
            block.element.set("data-p", str(index))
        drafts.append(_Draft(document, linear, blocks, starts, text, anchors))
    return drafts


def _has_own_images(
    document: Document, drafts: list[_Draft], cover: str | None, image_ids: dict[str, str]
) -> bool:
    """A text-less page is kept as an illustration plate only after the book's text began
    and only if it shows something other than the cover."""
    if not drafts:
        return False
    for img in document.body.iter("img"):
        path, _ = resolve(document.path, img.get("src") or "")
        if path in image_ids and image_ids[path] != cover:
            return True
    return False


def _without_gutenberg_header(
    blocks: list[Block], anchors: dict[str, int]
) -> tuple[list[Block], dict[str, int]]:
    """Drop Project Gutenberg's preamble (up to '*** START OF …') from the first chapter."""
    end = next((i for i, b in enumerate(blocks[:60]) if GUTENBERG_START.match(b.text)), None)
    if end is None:
        return blocks, anchors
    for block in blocks[: end + 1]:
        remove(block.element)
    shift = end + 1
    return blocks[shift:], {key: max(0, value - shift) for key, value in anchors.items()}


def _chapter(
    index: int,
    draft: _Draft,
    toc: list[TocEntry],
    anchors: dict[tuple[str, str], tuple[int, int]],
    notes: dict[tuple[str, str], _Note],
    image_ids: dict[str, str],
    image_url: ImageUrl,
) -> Chapter:
    flat = walk_toc(toc)
    named = next(((e, d) for e, d in flat if e.chapter == index and e.offset == 0), None)
    heading = next((b.text for b in draft.blocks if b.heading), None)
    first_entry = next((e.title for e, _ in flat if e.chapter == index), None)
    title = named[0].title if named else heading or first_entry or f"Chapter {index + 1}"
    body = draft.document.body
    _rewrite_links(body, draft.document.path, anchors, notes, image_ids, image_url)
    return Chapter(
        index=index,
        title=title.replace("\n", " ")[:300],
        level=named[1] if named else 0,
        linear=draft.linear,
        html=_html(body),
        text=draft.text,
        paragraphs=[(s, s + len(b.text)) for s, b in zip(draft.starts, draft.blocks, strict=True)],
        word_count=count_words(draft.text),
    )


def _rewrite_links(
    root: etree._Element,
    path: str,
    anchors: dict[tuple[str, str], tuple[int, int]],
    notes: dict[tuple[str, str], _Note],
    image_ids: dict[str, str],
    image_url: ImageUrl,
) -> None:
    """Our own URLs for every link and image; everything else loses its URL before the
    sanitiser sees it (which would drop it anyway)."""
    for img in list(root.iter("img")):
        target, _ = resolve(path, img.get("src") or "")
        if target in image_ids:
            img.set("src", image_url(image_ids[target]))
        else:
            remove(img)  # a missing or escaping image would only show a broken icon
    for link in root.iter("a"):
        href = link.attrib.pop("href", None)
        if not href:
            continue
        target, fragment = resolve(path, href)
        if target is None:
            continue
        note = notes.get((target, fragment)) if fragment else None
        position = anchors.get((target, fragment)) or anchors.get((target, ""))
        if note is not None:
            link.set("href", f"#note-{note.id}")
            link.set("data-note", note.id)
        elif position is not None:
            link.set("href", f"#pos-{position[0]}-{position[1]}")


def _html(root: etree._Element) -> str:
    parts = [etree.tostring(child, method="html", encoding="unicode") for child in root]
    return sanitize_html("".join(parts)).strip()


def _footnote(
    note: _Note,
    anchors: dict[tuple[str, str], tuple[int, int]],
    notes: dict[tuple[str, str], _Note],
    image_ids: dict[str, str],
    image_url: ImageUrl,
    deadline: Deadline,
) -> Footnote:
    container = etree.Element("div")
    container.append(note.element)  # already detached from its chapter
    note.element.tail = None
    blocks = extract_blocks(container, deadline).blocks
    for index, block in enumerate(blocks):
        block.element.set("data-p", str(index))
    _rewrite_links(container, note.document.path, anchors, notes, image_ids, image_url)
    return Footnote(
        id=note.id,
        title=note.label,
        html=_html(container),
        text="\n\n".join(block.text for block in blocks),
    )


def _toc_from_headings(chapters: list[Chapter], drafts: list[_Draft]) -> list[TocEntry]:
    """No nav and no NCX (Taras Bulba): chapters by title, headings and 'I', 'II'… inside."""
    toc = []
    for chapter, draft in zip(chapters, drafts, strict=True):
        if not chapter.linear:
            continue
        children = [
            TocEntry(title=block.text.replace("\n", " ")[:300], chapter=chapter.index, offset=start)
            for block, start in zip(draft.blocks, draft.starts, strict=True)
            if start > 0 and (block.heading or PSEUDO_HEADING.match(block.text))
        ]
        toc.append(TocEntry(title=chapter.title, chapter=chapter.index, children=children))
    return toc
