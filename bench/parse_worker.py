"""Run in a fresh process by bench/parse.py: parse one book a few times, print JSON with the
median time and the process's peak memory, so each book's footprint is measured alone."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from bookreader.books import parse_book


def main(path: str, repeats: int) -> None:
    data = Path(path).read_bytes()
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        book = parse_book(data, image_url=lambda image_id: f"/books/x/images/{image_id}")
        seconds.append(time.perf_counter() - started)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "bytes": len(data),
                "median_s": statistics.median(seconds),
                "chapters": len(book.chapters),
                "words": book.word_count,
                "peak_rss_mb": peak_kb / 1024,
                "baseline_rss_mb": baseline_kb / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
