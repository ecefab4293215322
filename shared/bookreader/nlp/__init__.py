"""Finding the passages of a book that paint a picture, offline (spaCy, pymorphy3, natasha).

- `model`: what extraction produces (descriptions, visual summaries, the cast).
- `extractor`: `extract_chapter` — exact spans with type, confidence, summary and priority.
- `cast`: `build_cast` — the book's characters and places, aliases merged.
- `language`: `detect_language`.
- `evaluate`: the gold-set evaluation (`make eval-extract`).
"""
