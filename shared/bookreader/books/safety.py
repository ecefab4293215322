"""Reading untrusted archives and XML safely: zip bombs, traversal names, entity expansion,
external entities and absurd nesting are refused before any parser sees them."""

from __future__ import annotations

import codecs
import io
import lzma
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from bookreader.books.limits import ParseLimits, book_error

# What zipfile raises on a damaged archive or entry: a bad header or CRC, a deflate stream cut
# short (zlib.error is not an OSError), an unknown compression method, an encrypted entry.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
)

_DOCTYPE_OR_ENTITY = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
# How an XML parser tells the encoding before reading the declaration (XML 1.0 appendix F):
# byte-order marks, then the bytes of "<?" in encodings that are not ASCII-compatible.
_SIGNATURES = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\0\0\0", "utf-32-le"),
    (b"\0\0\0<", "utf-32-be"),
    (b"<\0?\0", "utf-16-le"),
    (b"\0<\0?", "utf-16-be"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # EBCDIC
]
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")


class SafeZip:
    """A ZIP whose size, ratio and entry count were checked; unsafe entry names are ignored."""

    def __init__(self, data: bytes, limits: ParseLimits) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except ZIP_ERRORS as error:
            raise book_error("archive_corrupt", str(error)) from None
        if len(infos) > limits.max_entries:
            raise book_error("archive_too_many_entries", f"{len(infos)} files")
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed_bytes:
            raise book_error("archive_too_large", f"{total} bytes")
        packed = sum(info.compress_size for info in infos) or 1
        if total > 1024 * 1024 and total / packed > limits.max_compression_ratio:
            raise book_error("archive_ratio", f"{total / packed:.0f}:1")
        self.limits = limits
        self.entries = {
            info.filename: info
            for info in infos
            if safe_entry_name(info.filename) and not info.is_dir()
        }

    def names(self) -> list[str]:
        return list(self.entries)

    def read(self, name: str) -> bytes:
        """The entry's bytes (KeyError if absent or unsafe); never inflates past its size."""
        info = self.entries[name]
        if info.file_size > 1024 * 1024 and info.file_size / max(info.compress_size, 1) > (
            self.limits.max_compression_ratio
        ):
            raise book_error("archive_ratio", name)
        try:
            with self.zip.open(info) as entry:
                data = entry.read(info.file_size + 1)
        except ZIP_ERRORS as error:
            raise book_error("archive_corrupt", f"{name}: {error}") from None
        if len(data) > info.file_size:  # the header lied about the size
            raise book_error("archive_corrupt", f"{name}: size mismatch")
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)


def safe_entry_name(name: str) -> bool:
    """False for absolute paths, `..` segments, drive letters and backslash tricks."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    normalised = posixpath.normpath(name)
    return not (normalised.startswith("..") or "/../" in f"/{normalised}/")


def parse_xml(data: bytes, limits: ParseLimits, *, allow_doctype: bool = False) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities (internal or external), no network, bounded depth.

    XHTML files commonly carry a plain `<!DOCTYPE html>`; `allow_doctype` accepts a DOCTYPE
    without entity declarations (its DTD is still never loaded).
    """
    # Looked for in the decoded text, not the bytes: in UTF-16 or UTF-32 "<!ENTITY" has no
    # ASCII bytes to find. The parsed tree is checked again below, whatever lxml decoded.
    text = xml_text(data)
    head = text[:4096] if allow_doctype else text
    if _ENTITY.search(text) or (not allow_doctype and _DOCTYPE_OR_ENTITY.search(head)):
        raise book_error("xml_entities_forbidden")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        message = str(error)
        if "encoding" in message.lower() or "Document labelled" in message:
            raise book_error("encoding_invalid", message[:200]) from None
        if "Excessive depth" in message or "depth" in message.lower():
            raise book_error("nesting_too_deep") from None
        if "Text node too long" in message:  # libxml2 refuses text nodes over 10 MB
            raise book_error("paragraph_too_long") from None
        raise book_error("xml_malformed", message[:200]) from None
    except (ValueError, LookupError) as error:  # unknown encoding names, bad byte sequences
        raise book_error("encoding_invalid", str(error)[:200]) from None
    if root is None:
        raise book_error("xml_malformed", "empty document")
    docinfo = root.getroottree().docinfo
    subset = docinfo.internalDTD
    if (subset is not None and any(True for _ in subset.iterentities())) or (
        not allow_doctype and docinfo.doctype
    ):
        raise book_error("xml_entities_forbidden")
    check_depth(root, limits.max_xml_depth)
    return root


def xml_text(data: bytes) -> str:
    """The document as text in the encoding a parser would read it with (undecodable bytes
    replaced): from its byte-order mark or first bytes, else its declaration, else UTF-8."""
    encoding = next((name for mark, name in _SIGNATURES if data.startswith(mark)), None)
    if encoding is None or encoding == "cp037":
        head = data[:512].decode(encoding or "latin-1", "replace")
        declared = _DECLARED.match(head)
        encoding = declared.group(1) if declared else (encoding or "utf-8")
    try:
        return data.decode(encoding, "replace")
    except LookupError:  # a name Python does not know; the parsed tree is still checked
        return data.decode("latin-1")


def check_depth(root: etree._Element, max_depth: int) -> None:
    """Raise `nesting_too_deep` if any element is nested deeper than `max_depth`."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise book_error("nesting_too_deep", f"more than {max_depth} levels")
        stack.extend((child, depth + 1) for child in element)
