"""Sentence boundaries with exact offsets (razdel, which handles quotes and initials), kept
inside the given paragraphs."""

from __future__ import annotations

from collections.abc import Iterator

from razdel import sentenize


def split_sentences(text: str, paragraphs: list[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """Yield (paragraph index, start, end) for each sentence, offsets into `text`."""
    for index, (p_start, p_end) in enumerate(paragraphs):
        chunk = text[p_start:p_end]
        for sentence in sentenize(chunk):
            start, end = p_start + sentence.start, p_start + sentence.stop
            if text[start:end].strip():
                yield index, start, end
