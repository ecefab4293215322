"""Notes a book writes as plain text: «[359]» in the story and, at the end of a file, a paragraph
«359» before the note's own paragraph («Вот прекрасная смерть.»). Converted Russian classics do
this (War and Peace: 365 translations of its French); the reader would see «[359]» and have to
find the translation at the end of the volume. Such notes become EPUB footnotes — a link where
the story refers to one, an aside holding it — so the reader opens them in place, as any other
book's notes.

A run of numbered paragraphs counts only when it starts at 1, counts up one by one, each number
followed by a short note, and the book refers to most of its numbers in brackets: a story's
numbered sections («1», a chapter of text, «2», …) are none of that."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from bookreader.books.epub_content import Document, is_note_element
from bookreader.books.paragraph_text import remove

_NUMBER = re.compile(r"\d{1,4}")
_REFERENCE = re.compile(r"\[(\d{1,4})\]")
_NOTES_IN_A_RUN = 3
_PARAGRAPHS_PER_NOTE = 12  # a note's paragraphs at most (a letter translated), before the next
_REFERRED_SHARE = 0.5  # of a run's numbers the story must refer to in brackets
_SKIPPED = frozenset(["a", "code", "pre", "script", "style"])
_ID_PREFIX = "plain-note-"


@dataclass
class _Run:
    document: Document
    notes: dict[int, list[etree._Element]]  # number → its paragraphs, the number's own first


def link_plain_notes(documents: list[Document]) -> None:
    """Turns each document's run of plain-text notes into footnotes and the bracketed
    references to them into note links, in place: anywhere in the book when one document has
    such notes (a volume's notes at its end), else in each document to its own."""
    runs = [run for document in documents if (run := _first_run(document))]
    readers = {id(run): documents if len(runs) == 1 else [run.document] for run in runs}
    for run in runs:
        referred = _bracketed_numbers(readers[id(run)])
        if len(referred & set(run.notes)) < _REFERRED_SHARE * len(run.notes):
            continue
        _wrap(run)
        for document in readers[id(run)]:
            href = _relative(document.path, run.document.path)
            _link_references(document.body, set(run.notes), href)


def _first_run(document: Document) -> _Run | None:
    paragraphs = list(document.body.iter("p"))
    for start, paragraph in enumerate(paragraphs):
        if _number(paragraph) == 1:
            run = _run_from(paragraphs, start)
            if len(run) >= _NOTES_IN_A_RUN:
                return _Run(document, run)
    return None


def _run_from(paragraphs: list[etree._Element], start: int) -> dict[int, list[etree._Element]]:
    notes: dict[int, list[etree._Element]] = {}
    expected, at = 1, start
    while at < len(paragraphs) and _number(paragraphs[at]) == expected:
        body = []
        following = at + 1
        while following < len(paragraphs) and _number(paragraphs[following]) is None:
            body.append(paragraphs[following])
            following += 1
        if not body:
            break
        last = following >= len(paragraphs) or _number(paragraphs[following]) != expected + 1
        if last:
            body = body[:1]  # after the last note may come anything (a heading, the comments)
        elif len(body) > _PARAGRAPHS_PER_NOTE:
            break
        notes[expected] = [paragraphs[at], *body]
        if last:
            break
        expected, at = expected + 1, following
    return notes


def _number(paragraph: etree._Element) -> int | None:
    if len(paragraph):
        return None
    text = (paragraph.text or "").strip()
    return int(text) if _NUMBER.fullmatch(text) else None


def _bracketed_numbers(documents: list[Document]) -> set[int]:
    found: set[int] = set()
    for document in documents:
        for text in document.body.itertext():
            found.update(int(number) for number in _REFERENCE.findall(text))
    return found


def _wrap(run: _Run) -> None:
    for number, (label, *body) in run.notes.items():
        aside = etree.Element("aside", id=f"{_ID_PREFIX}{number}")
        aside.set("epub-type", "footnote")
        label.addprevious(aside)
        remove(label)
        for paragraph in body:
            paragraph.tail = None
            aside.append(paragraph)


def _relative(source: str, target: str) -> str:
    if source == target:
        return ""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def _link_references(body: etree._Element, numbers: set[int], href: str) -> None:
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.text and "[" in element.text and not _out_of_story(element):
            pieces = _split(element.text, numbers, href)
            if pieces:
                element.text = pieces[0]
                for offset, link in enumerate(pieces[1:]):
                    element.insert(offset, link)
        parent = element.getparent()
        if element.tail and "[" in element.tail and not _out_of_story(parent):
            pieces = _split(element.tail, numbers, href)
            if pieces:
                element.tail = pieces[0]
                for link in reversed(pieces[1:]):
                    element.addnext(link)


def _out_of_story(element: etree._Element | None) -> bool:
    """In a link, code, or a note (asked only where a bracket sits)."""
    chain = (element, *element.iterancestors()) if element is not None else ()
    return any(e.tag in _SKIPPED or is_note_element(e) for e in chain)


def _split(text: str, numbers: set[int], href: str) -> list:
    """[text before the first reference, then one link per reference, each with the text
    after it as its tail]; [] when the text refers to none of `numbers`."""
    matches = [m for m in _REFERENCE.finditer(text) if int(m.group(1)) in numbers]
    if not matches:
        return []
    pieces: list = [text[: matches[0].start()]]
    for n, match in enumerate(matches):
        link = etree.Element("a", href=f"{href}#{_ID_PREFIX}{match.group(1)}")
        link.set("epub-type", "noteref")
        link.text = match.group(1)  # the reader shows a note's mark raised, without brackets
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        link.tail = text[match.end() : end]
        pieces.append(link)
    return pieces
