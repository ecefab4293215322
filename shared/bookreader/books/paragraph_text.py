"""One whitespace rule for a paragraph's plain text and its HTML, applied to both at once.

The reader maps text offsets into the DOM of each `data-p` element, so that element's text
must be exactly the paragraph's plain text. The DOM text is read this way (`dom_text`):
text nodes in order, `<br>` as "\\n", and the subtrees of note references (`[data-note]`)
and ruby annotations (`rt`, `rp`) skipped — they are shown but are not part of the text.

The rule (`settle`): soft hyphens are dropped; every run of whitespace (Python's `isspace`,
so no-break and ideographic spaces too) becomes one space; lines (split by `<br>`, or by
newlines inside `<pre>`) lose their leading and trailing spaces and empty lines disappear.
The HTML's text nodes are rewritten to the result and superfluous `<br>`s are removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree

SOFT_HYPHEN = "\u00ad"
RUBY_ANNOTATIONS = ("rt", "rp")


@dataclass
class Break:
    """A line break among the pieces; `kept` after `settle` if it separates two lines."""

    kept: bool = False


Piece = str | Break


def settle(pieces: Sequence[Piece]) -> tuple[list[str], str]:
    """Each text piece's normalised form (in place of the raw one) and the whole text."""
    outputs = ["" for _ in pieces]
    text: list[str] = []
    line_started = False
    space_at: int | None = None  # the piece where a pending space began
    break_at: int | None = None  # the first break after the last line's content
    for index, piece in enumerate(pieces):
        if isinstance(piece, Break):
            if line_started:
                break_at, space_at, line_started = index, None, False
            continue
        piece = piece.replace(SOFT_HYPHEN, "")
        words = piece.split()  # Python's whitespace: the same set as str.isspace
        if not words:
            if piece and line_started and space_at is None:
                space_at = index
            continue
        if piece[0].isspace() and line_started and space_at is None:
            space_at = index
        if break_at is not None:
            pending = pieces[break_at]
            assert isinstance(pending, Break)
            pending.kept = True
            outputs[break_at] = "\n"
            text.append("\n")
            break_at = None
        if space_at is not None:
            outputs[space_at] += " "
            text.append(" ")
            space_at = None
        joined = " ".join(words)
        outputs[index] += joined
        text.append(joined)
        line_started = True
        if piece[-1].isspace():
            space_at = index
    return outputs, "".join(text)


def is_hidden(element: etree._Element) -> bool:
    """Shown in the HTML but not part of the paragraph's text."""
    return element.tag in RUBY_ANNOTATIONS or bool(element.get("data-note"))


@dataclass
class _Slot:
    element: etree._Element
    tail: bool  # the element's tail, else its text
    first: int  # index of its first piece
    count: int


def _slots(
    root: etree._Element, pieces: list[Piece]
) -> tuple[list[_Slot], list[tuple[etree._Element, Break]]]:
    slots: list[_Slot] = []
    breaks: list[tuple[etree._Element, Break]] = []

    def add(element: etree._Element, tail: bool, pre: bool) -> None:
        raw = (element.tail if tail else element.text) or ""
        if not raw:
            return
        parts: list[Piece] = []
        for n, line in enumerate(raw.split("\n") if pre else [raw]):
            if n:
                parts.append(Break())
            parts.append(line)
        slots.append(_Slot(element, tail, len(pieces), len(parts)))
        pieces.extend(parts)

    def walk(element: etree._Element, pre: bool) -> None:
        add(element, False, pre)
        for child in element:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "br":
                breaks.append((child, Break()))
                pieces.append(breaks[-1][1])
            elif not is_hidden(child):
                walk(child, pre or child.tag == "pre")
            add(child, True, pre)

    walk(root, root.tag == "pre")
    return slots, breaks


def element_text(root: etree._Element) -> str:
    """The paragraph text of an element, without touching it."""
    pieces: list[Piece] = []
    _slots(root, pieces)
    return settle(pieces)[1]


def settle_element(root: etree._Element) -> str:
    """Rewrite the element's text nodes to the rule and return its text (equal to its DOM
    text from then on)."""
    pieces: list[Piece] = []
    slots, breaks = _slots(root, pieces)
    outputs, text = settle(pieces)
    for slot in slots:
        value = "".join(outputs[slot.first : slot.first + slot.count]) or None
        if slot.tail:
            slot.element.tail = value
        else:
            slot.element.text = value
    for element, piece in breaks:
        if not piece.kept:
            remove(element)  # leading, trailing or repeated: no line of its own
    return text


def text_before(element: etree._Element, text: str) -> None:
    """Append `text` to what precedes `element` in its parent (a sibling's tail or the
    parent's own text)."""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + text


def remove(element: etree._Element) -> None:
    """Detach an element but keep the text that follows it (lxml's remove drops the tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        text_before(element, element.tail)
    parent.remove(element)


def dom_text(element: etree._Element) -> str:
    """What a client reads from a `data-p` element: text nodes, `<br>` as a newline, hidden
    parts skipped."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            if child.tag == "br":
                parts.append("\n")
            elif not is_hidden(child):
                parts.append(dom_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def paragraph_texts_in_html(html: str) -> list[tuple[int, str]]:
    """(data-p, DOM text) of every paragraph element of a chapter's HTML, in document order."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(int(e.get("data-p")), dom_text(e)) for e in root.xpath("//*[@data-p]")]
