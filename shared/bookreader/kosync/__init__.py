"""KOReader progress sync: the kosync server protocol KOReader's "Progress sync" plugin speaks
(`protocol`), how it names a document (`document_id`), its EPUB positions (`xpointer`), and
the bridge between its progress and the reader's positions (`sync`). See docs/e-readers.md."""
