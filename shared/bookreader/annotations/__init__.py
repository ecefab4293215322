"""Bookmarks, highlights and notes: anchored in a chapter's plain text, re-anchored after a
re-parse, exported as Markdown, JSON or Readwise's CSV."""
