"""Run in a fresh process by bench/extract.py: extract one whole book (descriptions of every
chapter, then the cast) and print JSON with the time, size and the process's peak memory."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bookreader.books import parse_book
from bookreader.nlp.language import book_language, primary_subtag
from bookreader.nlp.model import DESCRIPTION_TYPES


def main(path: str) -> None:
    from bookreader.nlp.cast import build_cast
    from bookreader.nlp.extractor import extract_chapter

    book = parse_book(Path(path).read_bytes(), image_url=lambda image_id: image_id)
    chapters = [(chapter.index, chapter.text, chapter.paragraphs) for chapter in book.chapters]
    characters = sum(len(text) for _, text, _ in chapters)
    started = time.perf_counter()
    language = primary_subtag(book_language([c[:2] for c in chapters], book.metadata.language))
    first_chapter_s = None
    found = []
    for index, text, paragraphs in chapters:
        found.extend(extract_chapter(index, text, paragraphs, language))
        if first_chapter_s is None and text.strip():
            first_chapter_s = time.perf_counter() - started  # includes loading the models
    descriptions_s = time.perf_counter() - started
    cast = build_cast([(index, text) for index, text, _ in chapters], language, found)
    total_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "characters": characters,
                "chapters": len(chapters),
                "language": language,
                "descriptions": len(found),
                "types": {
                    kind: sum(1 for d in found if d.type == kind) for kind in DESCRIPTION_TYPES
                },
                "cast": len(cast),
                "first_chapter_s": first_chapter_s,
                "descriptions_s": descriptions_s,
                "total_s": total_s,
                "s_per_500k": total_s / characters * 500_000,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
