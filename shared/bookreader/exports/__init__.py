"""Exports: a reader's book as a file to take elsewhere — an EPUB 3 built from the parsed book,
with the reader's ready illustrations placed after their passages."""
