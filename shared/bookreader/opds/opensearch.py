"""The OpenSearch 1.1 description of the catalogue's search: where apps send the words."""

from __future__ import annotations

from lxml import etree

from bookreader.opds.atom import ACQUISITION, OPENSEARCH_NS


def render_description(search_path: str, short_name: str, description: str) -> bytes:
    """`search_path` is the search feed's path; the template adds `?q={searchTerms}`."""
    root = etree.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription", nsmap={None: OPENSEARCH_NS})
    for name, value in (
        ("ShortName", short_name[:16]),
        ("Description", description[:1024]),
        ("InputEncoding", "UTF-8"),
        ("OutputEncoding", "UTF-8"),
    ):
        etree.SubElement(root, f"{{{OPENSEARCH_NS}}}{name}").text = value
    url = etree.SubElement(root, f"{{{OPENSEARCH_NS}}}Url")
    url.set("type", ACQUISITION)
    url.set("template", f"{search_path}?q={{searchTerms}}")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
