-- KOReader progress sync (issue 18). KOReader names a document by the partial MD5 of its file
-- (`kosync.document_id`), or by the MD5 of its file name; the first is kept for every book's
-- original file (NULL: not yet computed, filled on first use for books older than this).
ALTER TABLE books ADD COLUMN partial_md5 text CHECK (partial_md5 ~ '^[0-9a-f]{32}$');
CREATE INDEX books_by_partial_md5 ON books (user_id, partial_md5) WHERE partial_md5 IS NOT NULL;

-- For each paragraph of a chapter, its element in the original file as a KOReader XPointer (a
-- JSON array of strings, one per paragraph); NULL for books parsed before.
ALTER TABLE chapters ADD COLUMN sources jsonb;

-- What KOReader last pushed for a document, as it sent it (the reference server keeps any
-- document's progress, known to us or not); a push for one of the reader's books also moves
-- the book's position (reading_positions).
CREATE TABLE kosync_progress (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document    text NOT NULL CHECK (document ~ '^[A-Za-z0-9_-]{1,64}$'),
    progress    text NOT NULL,
    percentage  double precision NOT NULL CHECK (percentage BETWEEN 0 AND 1),
    device      text NOT NULL,
    device_id   text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, document)
);
