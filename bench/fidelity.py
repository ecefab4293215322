"""Issue 11's benchmark: how faithfully the parser reads each corpus book, against pandoc.

Per book: the parser's plain text (chapters, then footnotes) and pandoc's plain text as word
5-gram multisets, compared both ways — the share of pandoc's 5-grams the parser has
(coverage) and the share of the parser's that pandoc has (precision) — and the share of
`data-p` elements whose DOM text is exactly their paragraph's text. Runs in-process with the
product's parser; pandoc (Debian) is run per book. pandoc cannot read windows-1251 FB2, so
those are re-encoded to UTF-8 first; zipped FB2 is unpacked.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.parse import CORPUS
from bookreader.books import parse_book
from bookreader.books.model import ParsedBook
from bookreader.books.paragraph_text import paragraph_texts_in_html

N = 5
WORD = re.compile(r"\w+")


def corpus_books() -> list[Path]:
    patterns = ("*.epub", "*.fb2", "*.fb2.zip", "bench/*.epub", "bench/*.fb2")
    return sorted({path for pattern in patterns for path in CORPUS.glob(pattern)})


def grams(text: str) -> Counter[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return Counter(tuple(words[i : i + N]) for i in range(len(words) - N + 1))


def overlap(ours: Counter[tuple[str, ...]], theirs: Counter[tuple[str, ...]]) -> float | None:
    """The share of `theirs` found in `ours` (with multiplicity)."""
    total = sum(theirs.values())
    return sum((ours & theirs).values()) / total if total else None


def parser_text(book: ParsedBook) -> str:
    return "\n\n".join([c.text for c in book.chapters] + [n.text for n in book.footnotes])


def data_p_equality(book: ParsedBook) -> tuple[int, int]:
    """(data-p elements whose DOM text equals their paragraph's text, all paragraphs)."""
    equal = total = 0
    for chapter in book.chapters:
        texts = [chapter.text[start:end] for start, end in chapter.paragraphs]
        shown = dict(paragraph_texts_in_html(chapter.html))
        total += len(texts)
        equal += sum(1 for index, text in enumerate(texts) if shown.get(index) == text)
    return equal, total


def pandoc_input(path: Path, data: bytes) -> tuple[bytes, str]:
    """What pandoc can read: (bytes, reader)."""
    if path.name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        inner = next(name for name in archive.namelist() if name.lower().endswith(".fb2"))
        data = archive.read(inner)
    if path.suffix == ".epub":
        return data, "epub"
    head = data[:200].decode("ascii", errors="ignore")
    match = re.search(r'encoding="([^"]+)"', head)
    encoding = match[1].lower() if match else "utf-8"
    if encoding not in ("utf-8", "utf8"):
        text = data.decode(encoding).replace(match[0], 'encoding="utf-8"', 1)  # type: ignore[index]
        data = text.encode("utf-8")
    return data, "fb2"


def run_pandoc(data: bytes, reader: str) -> tuple[str | None, float, str]:
    with tempfile.NamedTemporaryFile(suffix=f".{reader}") as source:
        source.write(data)
        source.flush()
        started = time.perf_counter()
        out = subprocess.run(
            ["pandoc", "-f", reader, "-t", "plain", "--wrap=none", source.name],
            capture_output=True,
            timeout=600,
        )
        seconds = time.perf_counter() - started
    if out.returncode != 0:
        return None, seconds, out.stderr.decode(errors="replace").strip()[:200]
    return out.stdout.decode(errors="replace"), seconds, ""


def measure(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    started = time.perf_counter()
    book = parse_book(data, image_url=lambda image_id: f"/books/b/images/{image_id}")
    parse_s = time.perf_counter() - started
    ours = parser_text(book)
    theirs, pandoc_s, error = run_pandoc(*pandoc_input(path, data))
    equal, paragraphs = data_p_equality(book)
    ours_grams = grams(ours)
    theirs_grams = grams(theirs) if theirs is not None else Counter()
    return {
        "book": str(path.relative_to(CORPUS)),
        "words": len(WORD.findall(ours)),
        "coverage": overlap(ours_grams, theirs_grams) if theirs is not None else None,
        "precision": overlap(theirs_grams, ours_grams) if theirs is not None else None,
        "data_p_equal": equal,
        "paragraphs": paragraphs,
        "parse_s": parse_s,
        "pandoc_s": pandoc_s,
        "pandoc_error": error,
    }


def run() -> dict[str, Any]:
    if shutil.which("pandoc") is None:
        raise RuntimeError("pandoc is not installed (apt-get install pandoc)")
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout
    return {
        "pandoc": version.splitlines()[0] if version else "pandoc",
        "books": [measure(path) for path in corpus_books()],
    }


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render(results: dict[str, Any], environment: list[str]) -> str:
    books = results["books"]
    lines = [
        "## Ingest fidelity against pandoc (issue 11)",
        "",
        *environment,
        f"- Reference: {results['pandoc']}, `-t plain --wrap=none` (windows-1251 FB2 re-encoded"
        " to UTF-8 first; zipped FB2 unpacked)",
        f"- Text compared as word {N}-gram multisets (lower-cased `\\w+` words): *coverage* ="
        " share of pandoc's 5-grams in the parser's text, *precision* = share of the parser's"
        " 5-grams in pandoc's. The parser's text is its chapters then its footnotes.",
        "- *data-p equal*: paragraphs whose `data-p` element's DOM text (`<br>` as a newline,"
        " note references and ruby annotations skipped) is exactly the paragraph's plain text.",
        "",
        "| book | words | coverage | precision | data-p equal | parse s | pandoc s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for book in books:
        share = book["data_p_equal"] / book["paragraphs"] if book["paragraphs"] else 1.0
        pandoc = f"{book['pandoc_s']:.2f}" + (" (failed)" if book["pandoc_error"] else "")
        lines.append(
            f"| {book['book']} | {book['words']:,} | {_ratio(book['coverage'])} |"
            f" {_ratio(book['precision'])} | {book['data_p_equal']}/{book['paragraphs']}"
            f" ({share:.0%}) | {book['parse_s']:.2f} | {pandoc} |"
        )
    compared = [b for b in books if b["coverage"] is not None and b["precision"] is not None]
    all_equal = all(b["data_p_equal"] == b["paragraphs"] for b in books)
    low = [
        b["book"]
        for b in compared
        if min(b["coverage"], b["precision"]) < 0.99  # type: ignore[type-var]
    ]
    lines += [
        "",
        f"- data-p equality on every book: {'yes' if all_equal else 'NO'}",
        f"- Books under 0.99 either way: {', '.join(low) if low else 'none'}",
    ]
    failed = [b for b in books if b["pandoc_error"]]
    for book in failed:
        lines.append(f"- pandoc failed on {book['book']}: {book['pandoc_error']}")
    return "\n".join(lines)
