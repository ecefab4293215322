"""Illustrated EPUB export: peak memory and time of writing a novel with many pictures.

The book is parsed once in a process of its own and its chapters kept on disk one file each
(as the database keeps them); a fresh process then builds the EPUB the way the export function
does — chapters loaded one at a time, each picture loaded, converted to JPEG and written, the
ZIP going to a spooled temporary file that is streamed to a disk store — and reports its peak
RSS. The pictures are synthetic noise (1024×1536 WebP, made when loaded), which JPEG cannot
shrink: the worst case for the file's size.

    python -m bench.export [--book PATH] [--pictures 200]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import RESULTS, machine, write_section

# The shared corpus sits beside the repository; BENCH_CORPUS points elsewhere (a git worktree).
CORPUS = Path(
    os.environ.get("BENCH_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
DEFAULT_BOOK = CORPUS / "bench" / "tolstoy-anna-karenina.fb2"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(book: Path, folder: Path) -> None:
    """Parse the book and keep each chapter in a file of its own."""
    from bookreader.books import parse_book

    parsed = parse_book(book.read_bytes(), image_url=lambda image_id: f"/books/b/images/{image_id}")
    for chapter in parsed.chapters:
        (folder / f"chapter-{chapter.index}.json").write_text(chapter.model_dump_json())
    meta = {
        "metadata": parsed.metadata.model_dump(mode="json"),
        "direction": parsed.direction,
        "toc": [entry.model_dump(mode="json") for entry in parsed.toc],
        "chapters": len(parsed.chapters),
        "footnotes": [note.model_dump(mode="json") for note in parsed.footnotes],
        "characters": sum(len(chapter.text) for chapter in parsed.chapters),
    }
    (folder / "book.json").write_text(json.dumps(meta, ensure_ascii=False))


def build(folder: Path, pictures: int) -> dict[str, float]:
    """Build the EPUB as the export function does; its numbers."""
    from PIL import Image

    from bookreader.books.model import BookMetadata, Chapter, Footnote, TocEntry
    from bookreader.exports.epub import EpubSource, Illustration, write_epub
    from bookreader.exports.pipeline import SPOOL_BYTES
    from bookreader.storage.disk import DiskStore

    baseline = _rss_mb()
    meta = json.loads((folder / "book.json").read_text())

    def load_chapter(index: int) -> Chapter:
        return Chapter.model_validate_json((folder / f"chapter-{index}.json").read_text())

    def noise_picture(seed: int) -> bytes:
        image = Image.frombytes("RGB", (1024, 1536), os.urandom(1024 * 1536 * 3))
        out = io.BytesIO()
        image.save(out, "WEBP", quality=85)
        return out.getvalue()

    # Passages spread evenly over the book: the middle paragraph of every k-th chapter, and
    # more than one per chapter when there are more pictures than chapters.
    illustrations = []
    count = meta["chapters"]
    for n in range(pictures):
        chapter = load_chapter(n * count // pictures)
        if not chapter.paragraphs:
            continue
        start, end = chapter.paragraphs[(n * 7919) % len(chapter.paragraphs)]
        illustrations.append(
            Illustration(
                id=f"00000000-0000-4000-8000-{n:012d}",
                chapter=chapter.index,
                start=start,
                end=end,
                passage=chapter.text[start:end][:400],
                load=lambda n=n: noise_picture(n),
            )
        )
    source = EpubSource(
        identifier="urn:uuid:00000000-0000-4000-8000-00000000b00c",
        metadata=BookMetadata.model_validate(meta["metadata"]),
        direction=meta["direction"],
        toc=[TocEntry.model_validate(entry) for entry in meta["toc"]],
        chapter_count=count,
        load_chapter=load_chapter,
        footnotes=[Footnote.model_validate(note) for note in meta["footnotes"]],
        load_image=lambda image_id: None,
        illustrations=illustrations,
    )
    store = DiskStore(folder / "store", "bench", "http://127.0.0.1", notify=False)
    store.ensure_bucket("books")
    started = time.perf_counter()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as file:
        written = write_epub(source, file)
        size = file.tell()
        file.seek(0)
        store.put_stream("books", "export.epub", file, "application/epub+zip")  # type: ignore[arg-type]
    return {
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(_rss_mb(), 1),
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": size,
        "illustrations": written.illustrations,
        "chapters": written.chapters,
        "characters": meta["characters"],
    }


def _child(*args: str) -> str:
    command = [sys.executable, "-m", "bench.export", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--book", type=Path, default=DEFAULT_BOOK)
    parser.add_argument("--pictures", type=int, default=200)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.book, args.prepare)
        return 0
    if args.build:
        print(json.dumps(build(args.build, args.pictures)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        _child("--book", str(args.book), "--prepare", folder)
        runs = [
            json.loads(_child("--build", folder, "--pictures", str(pictures)))
            for pictures in (0, args.pictures)
        ]
    write_section("export", _report(args.book, runs))
    print(_report(args.book, runs))
    return 0


def _report(book: Path, runs: list[dict]) -> str:
    env = machine()
    pages = runs[0]["characters"] / 1800  # a printed page holds about 1,800 characters
    rows = "\n".join(
        f"| {run['illustrations']} | {run['baseline_mb']} | {run['peak_mb']} |"
        f" {round(run['peak_mb'] - run['baseline_mb'], 1)} | {run['bytes'] / 1e6:.1f} |"
        f" {run['seconds']} |"
        for run in runs
    )
    return f"""## Illustrated EPUB export (issue 18, `make bench-export`)

- Machine: {env["cpus"]} CPUs ({env["cpu_model"]}), {env["platform"]}
- Python: {env["python"]}
- Date: {env["date"]}, commit {env["commit"]}
- Book: {book.name}, {runs[0]["chapters"]} chapters, {runs[0]["characters"]:,} characters
  (about {pages:,.0f} printed pages); pictures: synthetic noise 1024×1536 WebP, converted to JPEG
- Each build in a fresh process, as the export function runs: chapters read one at a time, the
  ZIP written to a spooled temporary file (in memory up to 8 MB, then on disk) and streamed to
  a disk store. Peak = the process's maximum RSS; baseline = its RSS after imports.

| Illustrations | Baseline RSS (MB) | Peak RSS (MB) | Peak − baseline (MB) | EPUB (MB) | Build (s) |
|---|---|---|---|---|---|
{rows}

Goal: a 1,000-page book with 200 pictures in well under 1 GB — memory holds one chapter and
one picture at a time, whatever the book's length or the number of pictures.
"""


if __name__ == "__main__":
    raise SystemExit(main())
