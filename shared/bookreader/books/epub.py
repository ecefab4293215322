"""EPUB 2 and 3 → the one book model.

Order of work: the archive's limits (SafeZip), the package (OPF), images, every spine document
through the safe XML parser, notes across the whole book, paragraphs per chapter, then links
and the TOC — which need every chapter's offsets — and finally sanitised HTML.
One broken or missing resource is skipped; only attacks and limits fail the book.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from bookreader.books.epub_content import (
    BLOCK_TAGS,
    Block,
    Document,
    Extraction,
    element_text,
    epub_types,
    extract_blocks,
    is_note_element,
    load_document,
    looks_like_note_ref,
    note_container,
    remove,
)
from bookreader.books.epub_images import extract_images
from bookreader.books.epub_package import Package, read_package, resolve
from bookreader.books.epub_plain_notes import link_plain_notes
from bookreader.books.epub_quotes import quote
from bookreader.books.epub_toc import (
    RawEntry,
    build_toc,
    nav_entries,
    ncx_entries,
    raw_paths,
    walk_toc,
)
from bookreader.books.limits import Deadline, ParseLimits, book_error
from bookreader.books.matter import GUTENBERG_END, is_non_story_type
from bookreader.books.model import (
    Chapter,
    Direction,
    Footnote,
    ParsedBook,
    TocEntry,
    count_words,
    direction_of_language,
)
from bookreader.books.safety import SafeZip, parse_xml
from bookreader.books.sanitize import TAGS, sanitize_html
from bookreader.errors import BookReaderError

ImageUrl = Callable[[str], str]
FOREIGN_BLOCKS = tuple(sorted(BLOCK_TAGS - TAGS))  # <address>, <center>, <details>, …
GUTENBERG_START = re.compile(r"(?i)^\*{3} ?START OF (THE|THIS) PROJECT GUTENBERG")
GUTENBERG_LICENSE = "The Project Gutenberg License"
SHORT_UNTYPED = 200  # characters: a heading beside a typed notes section, not a chapter
PSEUDO_HEADING = re.compile(r"(?i)^(?:[IVXLC]+|(?:глава|chapter|часть|part)\s+\S+)\.?$")
BACK_LINK_TEXT = re.compile(r"^[\s↩↑⤴⬆^\ufe0e\ufe0f]*[↩↑⤴⬆][\s↩↑⤴⬆^\ufe0e\ufe0f]*$")
# Titles for chapters that have none: (the front matter, a numbered chapter) per language.
UNTITLED = {
    "en": ("Title page", "Chapter {}"),
    "ru": ("Титульный лист", "Глава {}"),
    "uk": ("Титульна сторінка", "Розділ {}"),
    "be": ("Тытульны ліст", "Раздзел {}"),
    "de": ("Titelseite", "Kapitel {}"),
    "fr": ("Page de titre", "Chapitre {}"),
    "es": ("Portada", "Capítulo {}"),
}


@dataclass
class _Note:
    id: str
    element: etree._Element
    document: Document
    label: str = ""


@dataclass
class _Part:
    document: Document
    first: int  # index of the document's first block in the chapter


@dataclass
class _Draft:
    """A chapter (one or more spine documents) between paragraph extraction and HTML output."""

    parts: list[_Part]
    linear: bool
    blocks: list[Block]
    anchors: dict[tuple[str, str], int]  # (path, element id) → block index
    front: bool = False  # before the first document the TOC points at, without a heading
    licence: bool = False  # Project Gutenberg's licence, in a file of its own
    story: bool = True  # False: notes, contents, index… by the book's own markup (`matter`)
    starts: list[int] = field(default_factory=list)
    text: str = ""

    def add(self, document: Document, extraction: Extraction) -> None:
        first = len(self.blocks)
        self.parts.append(_Part(document, first))
        self.blocks += extraction.blocks
        for anchor, block in extraction.anchors.items():
            self.anchors.setdefault((document.path, anchor), first + block)

    def offset(self, block: int) -> int:
        return self.starts[block] if block < len(self.starts) else len(self.text)


def parse_epub(
    data: bytes, *, image_url: ImageUrl, limits: ParseLimits, deadline: Deadline
) -> ParsedBook:
    archive = SafeZip(data, limits)  # size, ratio and entry limits before anything is read
    package = read_package(archive, limits)
    images, image_ids = extract_images(archive, package, limits, deadline)
    language = package.metadata.language

    documents: list[tuple[Document, bool, bool]] = []  # (document, linear, is the nav document)
    # KOReader numbers every spine entry (1-based) as a DocFragment, whatever its type.
    fragments: dict[str, int] = {}
    for number, (item, _) in enumerate(package.spine, start=1):
        fragments.setdefault(item.path or "", number)
    seen: set[str] = set()
    raw_toc: list[RawEntry] = []
    non_story = set(package.non_story_pages)
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
            non_story |= _landmarks_non_story(document)
        documents.append((document, linear, is_nav))
    raw_toc = raw_toc or _raw_toc(archive, package, limits)
    cover = _cover(archive, package, [d for d, _, _ in documents], image_ids, limits)

    link_plain_notes([d for d, _, _ in documents])  # «[359]» … «359», «Вот прекрасная смерть.»
    notes = _find_notes([d for d, _, _ in documents])
    non_story |= {d.path for d, _, _ in documents if _marked_non_story(d)}  # before clean-up
    drafts = _drafts(
        documents,
        notes,
        limits,
        deadline,
        (cover, image_ids),
        raw_paths(raw_toc),
        language,
        non_story,
    )

    anchors: dict[tuple[str, str], tuple[int, int]] = {}
    for index, draft in enumerate(drafts):
        for part in draft.parts:
            anchors[(part.document.path, "")] = (index, draft.offset(part.first))
        for key, block in draft.anchors.items():
            anchors.setdefault(key, (index, draft.offset(block)))

    def locate(path: str, fragment: str) -> tuple[int, int] | None:
        return anchors.get((path, fragment)) or anchors.get((path, ""))

    toc = build_toc(raw_toc, locate) if raw_toc else []
    book_direction = _book_direction(package, drafts, language)
    untitled = UNTITLED.get((language or "en").split("-")[0], UNTITLED["en"])
    links = _Links(anchors, notes, image_ids, image_url)
    chapters = []
    for index, draft in enumerate(drafts):
        number = index + (0 if drafts[0].front else 1)
        fallback = untitled[0] if draft.front else untitled[1].format(number)
        fallback = GUTENBERG_LICENSE if draft.licence else fallback
        declared = draft.parts[0].document.direction
        direction: Direction = book_direction if declared is None else _direction(declared)
        chapter = _chapter(index, draft, toc, links, fallback, direction)
        chapter.sources = _sources(draft, fragments)
        chapters.append(chapter)
    if not toc:
        toc = _toc_from_headings(chapters, drafts)
    unique = list({note.id: note for note in notes.values()}.values())
    footnotes = [_footnote(note, links, deadline) for note in unique]
    used = {image.id for image in images}
    return ParsedBook(
        format="epub",
        metadata=package.metadata,
        direction=book_direction,
        chapters=chapters,
        toc=toc,
        footnotes=[f for f in footnotes if f.text],
        images=images,
        cover_image_id=cover if cover in used else None,
    )


@dataclass
class _Links:
    """What rewriting a document's links and images needs."""

    anchors: dict[tuple[str, str], tuple[int, int]]
    notes: dict[tuple[str, str], _Note]
    image_ids: dict[str, str]
    image_url: ImageUrl


def _cover(
    archive: SafeZip,
    package: Package,
    documents: list[Document],
    image_ids: dict[str, str],
    limits: ParseLimits,
) -> str | None:
    """The cover image: declared in the package, else the first image of the EPUB 2 guide's
    cover page (a `<meta name="cover">` may name an id that does not exist)."""
    declared = next((i.path for i in package.cover_candidates if i.path in image_ids), None)
    if declared is not None:
        return image_ids[declared]
    if package.cover_page is None:
        return None
    page = next((d for d in documents if d.path == package.cover_page), None)
    page = page or load_document(archive, package.cover_page, limits)
    if page is None:
        return None
    for img in page.body.iter("img"):
        path, _ = resolve(page.path, img.get("src") or "")
        if path in image_ids:
            return image_ids[path]
    return None


def _direction(value: str) -> Direction:
    return "rtl" if value == "rtl" else "ltr"


def _book_direction(package: Package, drafts: list[_Draft], language: str | None) -> Direction:
    """The language decides; without one, the documents' `dir` and then the spine's
    page-progression-direction (which alone is no proof: vertical Japanese is paged rtl)."""
    if language:
        return direction_of_language(language)
    declared = [p.document.direction for d in drafts for p in d.parts if p.document.direction]
    if declared:
        return "rtl" if declared.count("rtl") * 2 > len(declared) else "ltr"
    return "rtl" if package.direction == "rtl" else "ltr"


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
    images: tuple[str | None, dict[str, str]],  # (cover id, archive path → image id)
    toc_paths: set[str],
    language: str | None,
    non_story: set[str],
) -> list[_Draft]:
    """Chapters from spine documents. A document the TOC does not point at and that has no
    heading continues the previous chapter (converters split long chapters into files), unless
    one is the story and the other not (`non_story`: paths of notes, contents, index…)."""
    note_elements = {id(note.element): note.element for note in notes.values()}
    drafts: list[_Draft] = []
    for document, linear, is_nav in documents:
        deadline.check()
        emptied = is_nav  # lost content of its own: the nav, or notes moved to footnotes
        for element in list(document.body.iter()):
            if id(element) in note_elements:
                remove(element)  # notes are kept as Footnotes, not narrative
                emptied = True
        if is_nav:
            for nav in list(document.body.iter("nav")):
                remove(nav)
        _mark_note_references(document, notes)
        quote(document.body, document.language or language)
        extraction = extract_blocks(document.body, deadline)
        if not drafts:
            extraction = _without_gutenberg_header(extraction)
        blocks = extraction.blocks
        pictures = _has_own_images(document, drafts, *images)
        if not blocks and not pictures:
            continue  # cover wrappers, an empty nav document, empty files
        targeted = document.path in toc_paths
        has_heading = any(block.heading for block in blocks)
        if emptied and not pictures and all(block.heading for block in blocks):
            if not targeted:
                continue  # only the heading of what was moved away is left ("Contents")
            linear = False  # kept for the TOC entry that points at it, out of the flow
        licence = bool(blocks) and bool(GUTENBERG_END.match(blocks[0].text))
        if licence:
            linear = False  # Project Gutenberg's licence after the book: not to be read on
        story = document.path not in non_story
        continues = drafts and drafts[-1].linear == linear and drafts[-1].story == story
        if continues and not licence and not targeted and not has_heading:
            drafts[-1].add(document, extraction)
            continue
        front = bool(toc_paths) and not drafts and not targeted and not has_heading
        draft = _Draft([], linear, [], {}, front=front, licence=licence, story=story)
        draft.add(document, extraction)
        drafts.append(draft)
    for draft in drafts:
        _number_paragraphs(draft, limits)
    return drafts


def _marked_non_story(document: Document) -> bool:
    """The document's body says it is not the story, or its top elements do: one typed as
    notes, contents… and nothing else but typed the same or short (a heading). A single-file
    book whose contents section alone is typed stays the story."""

    def types(element: etree._Element) -> set[str]:
        return epub_types(element) | set((element.get("role") or "").split())

    if is_non_story_type(types(document.body)):
        return True
    marked = False
    for child in document.body:
        if not isinstance(child.tag, str):
            continue
        if is_non_story_type(types(child)):
            marked = True
        elif len(element_text(child).strip()) > SHORT_UNTYPED:
            return False
    return marked


def _landmarks_non_story(nav: Document) -> set[str]:
    """Documents the nav's landmarks name as contents, notes, index… (read before the nav
    elements are removed)."""
    pages = set()
    for element in nav.body.iter("nav"):
        if "landmarks" not in epub_types(element):
            continue
        for link in element.iter("a"):
            path, fragment = resolve(nav.path, link.get("href") or "")
            if path and not fragment and is_non_story_type(epub_types(link)):
                pages.add(path)
    return pages


def _mark_note_references(document: Document, notes: dict[tuple[str, str], _Note]) -> None:
    """Note references stay in the HTML as links but out of the text: `data-note` hides them
    (with a `<sup>` that holds nothing else but brackets)."""
    for link in document.body.iter("a"):
        path, fragment = resolve(document.path, link.get("href") or "")
        note = notes.get((path or "", fragment)) if fragment else None
        if note is None:
            continue
        link.set("data-note", note.id)
        parent = link.getparent()
        if parent is not None and parent.tag in ("sup", "span") and len(parent) == 1:
            around = (parent.text or "") + (link.tail or "")
            if not around.strip(" []()"):
                parent.set("data-note", note.id)


def _number_paragraphs(draft: _Draft, limits: ParseLimits) -> None:
    starts, position = [], 0
    for block in draft.blocks:
        if len(block.text) > limits.max_paragraph_chars:
            raise book_error("paragraph_too_long", f"{len(block.text)} characters")
        starts.append(position)
        position += len(block.text) + 2
    text = "\n\n".join(block.text for block in draft.blocks)
    if len(text) > limits.max_chapter_chars:
        raise book_error("chapter_too_long", f"{len(text)} characters")
    for index, block in enumerate(draft.blocks):
        block.element.set("data-p", str(index))
    draft.starts, draft.text = starts, text


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


def _without_gutenberg_header(extraction: Extraction) -> Extraction:
    """Drop Project Gutenberg's preamble (up to '*** START OF …') from the first chapter."""
    blocks, anchors = extraction.blocks, extraction.anchors
    end = next((i for i, b in enumerate(blocks[:60]) if GUTENBERG_START.match(b.text)), None)
    if end is None:
        return extraction
    for block in blocks[: end + 1]:
        remove(block.element)
    shift = end + 1
    return Extraction(
        blocks[shift:], {key: max(0, value - shift) for key, value in anchors.items()}
    )


def _chapter(
    index: int,
    draft: _Draft,
    toc: list[TocEntry],
    links: _Links,
    fallback: str,
    direction: Direction,
) -> Chapter:
    flat = walk_toc(toc)
    named = next(((e, d) for e, d in flat if e.chapter == index and e.offset == 0), None)
    heading = next((b.text for b in draft.blocks if b.heading), None)
    first_entry = next((e.title for e, _ in flat if e.chapter == index), None)
    title = named[0].title if named else heading or first_entry or fallback
    for part in draft.parts:
        _rewrite_links(part.document.body, part.document.path, links)
    return Chapter(
        index=index,
        title=title.replace("\n", " ")[:300],
        level=named[1] if named else 0,
        linear=draft.linear,
        story=draft.story,
        direction=direction,
        html=_html([part.document.body for part in draft.parts], direction),
        text=draft.text,
        paragraphs=[(s, s + len(b.text)) for s, b in zip(draft.starts, draft.blocks, strict=True)],
        word_count=count_words(draft.text),
    )


def _sources(draft: _Draft, fragments: dict[str, int]) -> list[str]:
    """Each paragraph's element in the original file as a KOReader XPointer. A paragraph made
    of an inline run beside blocks has no element of its own there: its container stands in."""
    sources = []
    ends = [part.first for part in draft.parts[1:]] + [len(draft.blocks)]
    for part, end in zip(draft.parts, ends, strict=True):
        document = part.document
        root = f"/body/DocFragment[{fragments.get(document.path, 0)}]/body"
        for block in draft.blocks[part.first : end]:
            element: etree._Element | None = block.element
            while element is not None and element not in document.sources:
                element = element.getparent()
            path = document.sources.get(element, "") if element is not None else ""
            sources.append(f"{root}/{path}" if path else root)
    return sources


def _rewrite_links(root: etree._Element, path: str, links: _Links) -> None:
    """Our own URLs for every link and image; everything else loses its URL before the
    sanitiser sees it (which would drop it anyway)."""
    for img in list(root.iter("img")):
        target, _ = resolve(path, img.get("src") or "")
        if target in links.image_ids:
            img.set("src", links.image_url(links.image_ids[target]))
        else:
            remove(img)  # a missing or escaping image would only show a broken icon
    for link in root.iter("a"):
        href = link.attrib.pop("href", None)
        if not href:
            continue
        target, fragment = resolve(path, href)
        if target is None:
            continue
        note = links.notes.get((target, fragment)) if fragment else None
        position = links.anchors.get((target, fragment)) or links.anchors.get((target, ""))
        if note is not None:
            link.attrib.pop("data-note", None)  # set early to hide the label; href first
            link.set("href", f"#note-{note.id}")
            link.set("data-note", note.id)
        elif position is not None:
            link.set("href", f"#pos-{position[0]}-{position[1]}")


def _html(roots: list[etree._Element], direction: Direction | None = None) -> str:
    """Sanitised HTML of the roots' children; a chapter's is wrapped in one element with its
    writing direction."""
    parts = []
    for root in roots:
        for element in root.iter(*FOREIGN_BLOCKS):
            element.set("class", element.get("class") or element.tag)
            element.tag = "div"  # the sanitiser would unwrap it, losing its data-p
        parts += [etree.tostring(child, method="html", encoding="unicode") for child in root]
    inner = "".join(parts)
    if direction is not None:
        inner = f'<div dir="{direction}">{inner}</div>'
    return sanitize_html(inner).strip()


def _footnote(note: _Note, links: _Links, deadline: Deadline) -> Footnote:
    container = etree.Element("div")
    container.append(note.element)  # already detached from its chapter
    note.element.tail = None
    for link in list(container.iter("a")):
        types = set((link.get("epub-type") or "").split())
        text = "".join(link.itertext())
        if "backlink" in types or link.get("role") == "doc-backlink" or BACK_LINK_TEXT.match(text):
            remove(link)  # "↩" back to the reference is navigation, not the note's text
    blocks = extract_blocks(container, deadline).blocks
    for index, block in enumerate(blocks):
        block.element.set("data-p", str(index))
    _rewrite_links(container, note.document.path, links)
    return Footnote(
        id=note.id,
        title=note.label,
        html=_html([container]),
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
