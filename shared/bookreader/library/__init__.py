"""A user's library: books, uploads, ingestion of uploaded files, and reading them back."""
