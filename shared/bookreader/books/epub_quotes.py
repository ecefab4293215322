"""`<q>` → the language's quotation marks written into the text.

Browsers draw quotes for `<q>` from CSS, so they are not in the DOM's text; the plain text
needs them. The element becomes `<span class="q">` with the marks as text, so the HTML shows
them once and its text stays equal to the paragraph's.
"""

from __future__ import annotations

from lxml import etree

# primary language → (outer, inner) pairs of (opening, closing) marks
QUOTES = {
    "ru": (("«", "»"), ("„", "“")),
    "uk": (("«", "»"), ("„", "“")),
    "be": (("«", "»"), ("„", "“")),
    "de": (("„", "“"), ("‚", "‘")),
    "fr": (("« ", " »"), ("“", "”")),
    "es": (("«", "»"), ("“", "”")),
    "pl": (("„", "”"), ("«", "»")),
    "en": (("“", "”"), ("‘", "’")),
}


def quote(root: etree._Element, language: str | None) -> None:
    """Replace every `<q>` under `root`; `lang` on the element or an ancestor wins over the
    document's `language`."""
    found = [(q, sum(1 for _ in q.iterancestors("q"))) for q in root.iter("q")]
    for element, depth in found:
        lang = next(
            (e.get("lang") for e in (element, *element.iterancestors()) if e.get("lang")),
            language,
        )
        pairs = QUOTES.get((lang or "en").lower().split("-")[0], QUOTES["en"])
        opening, closing = pairs[depth % 2]
        element.tag = "span"
        element.set("class", "q")
        element.text = opening + (element.text or "")
        if len(element):
            element[-1].tail = (element[-1].tail or "") + closing
        else:
            element.text += closing
