"""SVG pictures of a book, rebuilt from an allow-list: shapes, text, paint, gradients, filters.

Why an allow-list and not rasterising to PNG: SVG pictures in books are mostly line art and
text that should stay sharp at any zoom, and rasterising would need a native renderer
(cairo) in the function layer. A picture is parsed (no DTD, no entities), then only known
SVG elements and presentation attributes are kept; everything that can run, load or change
something else goes — scripts, `foreignObject`, `<style>` (`@import`), `<set>`/`<animate*>`
(they can rewrite `href` or event attributes), links, event attributes, and any reference
that is not a `#fragment` or an inline bitmap (`data:image/png;base64,…`). Checks read the
parsed values, so entity-encoded `&#106;avascript:` is just text that fails them.
"""

from __future__ import annotations

import re

from lxml import etree

from bookreader.books.limits import ParseLimits
from bookreader.books.safety import parse_xml
from bookreader.errors import BookReaderError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = {
    *("svg", "g", "defs", "title", "desc", "symbol", "use", "switch"),
    *("path", "rect", "circle", "ellipse", "line", "polyline", "polygon"),
    *("text", "tspan", "textPath", "image"),
    *("linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker"),
    *("filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feFlood"),
    *("feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode"),
    *("feMorphology", "feOffset", "feTile", "feTurbulence", "feDropShadow"),
}
ATTRIBUTES = {
    # structure and geometry
    *("id", "width", "height", "viewBox", "preserveAspectRatio", "x", "y", "x1", "y1", "x2"),
    *("y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points", "transform", "version"),
    *("pathLength", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset"),
    # paint and text
    *("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity"),
    *("stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray"),
    *("stroke-dashoffset", "opacity", "color", "display", "visibility", "overflow"),
    *("font-family", "font-size", "font-style", "font-weight", "font-variant", "font-stretch"),
    *("text-anchor", "text-decoration", "letter-spacing", "word-spacing", "writing-mode"),
    *("dominant-baseline", "alignment-baseline", "baseline-shift", "direction", "style"),
    *("clip-path", "clip-rule", "mask", "filter", "marker-start", "marker-mid", "marker-end"),
    *("stop-color", "stop-opacity", "offset", "gradientUnits", "gradientTransform"),
    *("spreadMethod", "patternUnits", "patternContentUnits", "patternTransform"),
    *("clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth", "markerHeight"),
    *("markerUnits", "refX", "refY", "orient", "shape-rendering", "image-rendering"),
    *("text-rendering", "color-interpolation-filters", "flood-color", "flood-opacity"),
    # filter primitives
    *("filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode"),
    *("operator", "k1", "k2", "k3", "k4", "type", "values", "tableValues", "slope"),
    *("intercept", "amplitude", "exponent", "radius", "baseFrequency", "numOctaves", "seed"),
    *("stitchTiles", "requiredFeatures", "systemLanguage"),
}
_FRAGMENT = re.compile(r"#[A-Za-z_][\w.:-]*")
_INLINE_BITMAP = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*")
# In any value: a url() must point inside the picture; no CSS escapes, at-rules or old IE tricks.
_UNSAFE_VALUE = re.compile(
    r"(?i)url\s*\(\s*['\"]?\s*[^#'\"\s]|[\\@<]|expression|javascript|behavior"
)


def sanitize_svg(data: bytes, limits: ParseLimits) -> bytes | None:
    """The picture rebuilt from allowed parts, or None if it is not an SVG picture at all."""
    try:
        root = parse_xml(data, limits, allow_doctype=True)
    except BookReaderError:
        return None
    if root.tag != f"{{{SVG_NS}}}svg":
        return None
    _clean(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _clean(element: etree._Element) -> None:
    for child in list(element):
        if not _allowed_element(child):
            _remove(child)
            continue
        _clean(child)
    for name in list(element.attrib):
        if not _allowed_attribute(element, name, element.attrib[name]):
            del element.attrib[name]
    if etree.QName(element).localname == "image" and not (
        element.get("href") or element.get(XLINK_HREF)
    ):
        _remove(element)


def _allowed_element(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):  # comments and processing instructions
        return False
    name = etree.QName(element)
    return name.namespace == SVG_NS and name.localname in ELEMENTS


def _allowed_attribute(element: etree._Element, name: str, value: str) -> bool:
    if name in ("href", XLINK_HREF):
        value = value.strip()
        if etree.QName(element).localname == "image":
            return bool(_FRAGMENT.fullmatch(value) or _INLINE_BITMAP.fullmatch(value))
        return bool(_FRAGMENT.fullmatch(value))
    if name.startswith(f"{{{XML_NS}}}"):
        return name in (f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang")
    return name in ATTRIBUTES and not _UNSAFE_VALUE.search(value)


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:  # keep the text that followed it
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
