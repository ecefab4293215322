"""Character references a book escaped twice. «G&amp;#234;nes» in the source is «G&#234;nes»
once parsed: a converter's slip (War and Peace's French lines, 45 times in the corpus copy),
never text a novelist meant, and the reader would see the code. A numeric reference left in
the parsed text is decoded once more; code and preformatted text keep theirs."""

from __future__ import annotations

import re

from lxml import etree

_REFERENCE = re.compile(r"&#(?:(\d{1,7})|[xX]([0-9a-fA-F]{1,6}));")
_VERBATIM = frozenset(["pre", "code", "kbd", "samp", "tt"])


def decode_escaped_references(root: etree._Element) -> None:
    """Decodes, in place, the numeric character references left in the text of `root`'s tree."""
    for element in root.iter():
        if element.text and "&#" in element.text and not _verbatim(element):
            element.text = _decoded(element.text)
        parent = element.getparent()
        if element.tail and "&#" in element.tail and not (parent is not None and _verbatim(parent)):
            element.tail = _decoded(element.tail)


def _verbatim(element: etree._Element) -> bool:
    """Inside code or preformatted text (asked only where a reference sits: rare)."""
    return any(
        isinstance(e.tag, str) and etree.QName(e).localname in _VERBATIM
        for e in (element, *element.iterancestors())
    )


def _decoded(text: str) -> str:
    return _REFERENCE.sub(_character, text)


def _character(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.groups()
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code in (0x9, 0xA, 0xD) or (
        0x20 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF)
    ):
        return chr(code)
    return match.group()  # not a character XML can hold: left as the book wrote it
