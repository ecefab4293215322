-- Exports: a reader's book built as a file (an EPUB with their illustrations). One row per
-- (book, content key): the same book version, pictures and options are built once and served
-- from the store until the book or its pictures change (then the key differs).
CREATE TABLE exports (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id        uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    format         text NOT NULL CHECK (format IN ('epub')),
    illustrations  text NOT NULL CHECK (illustrations IN ('ready', 'none')),
    style          text,
    picture_ids    jsonb NOT NULL DEFAULT '[]',  -- the illustrations it was asked with
    content_key    text NOT NULL,
    state          text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'ready', 'failed')),
    progress       real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    error_code     text,
    error_message  text,
    object_key     text,
    bytes          bigint,
    pictures       integer,  -- illustrations placed in the file
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exports_one_per_content UNIQUE (book_id, content_key)
);
CREATE INDEX exports_by_user ON exports (user_id, created_at DESC);
