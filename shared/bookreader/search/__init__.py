"""Full-text search in the reader's books: text folding, the per-passage index written at parse
time, and the query that answers hits with plain-text offsets and marked snippets."""
