-- Books and their parsed content. A book belongs to one user; every query filters by it.
CREATE TABLE books (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state            text NOT NULL DEFAULT 'uploading'
                     CHECK (state IN ('uploading', 'parsing', 'parsed', 'extracting', 'ready', 'failed')),
    progress         real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    error_code       text,
    error_message    text,
    error_details    jsonb,
    filename         text NOT NULL,
    object_key       text NOT NULL,
    declared_size    bigint,
    size             bigint,
    sha256           text,
    format           text CHECK (format IN ('epub', 'fb2')),
    title            text,
    authors          jsonb NOT NULL DEFAULT '[]',
    language         text,
    metadata         jsonb NOT NULL DEFAULT '{}',
    toc              jsonb NOT NULL DEFAULT '[]',
    cover_image_id   text,
    has_cover_thumb  boolean NOT NULL DEFAULT false,
    chapter_count    integer NOT NULL DEFAULT 0,
    word_count       integer NOT NULL DEFAULT 0,
    reading_minutes  integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    parsed_at        timestamptz
);
CREATE INDEX books_by_user ON books (user_id, created_at DESC);
-- The same file twice is one book (the partial index lets failed copies be retried).
CREATE UNIQUE INDEX books_unique_file ON books (user_id, sha256) WHERE sha256 IS NOT NULL AND state <> 'failed';

CREATE TABLE chapters (
    book_id     uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    index       integer NOT NULL,
    title       text NOT NULL,
    level       integer NOT NULL DEFAULT 0,
    linear      boolean NOT NULL DEFAULT true,
    html        text NOT NULL,
    text        text NOT NULL,
    paragraphs  jsonb NOT NULL,
    word_count  integer NOT NULL,
    PRIMARY KEY (book_id, index)
);

CREATE TABLE footnotes (
    book_id  uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    id       text NOT NULL,
    title    text NOT NULL DEFAULT '',
    html     text NOT NULL,
    text     text NOT NULL,
    PRIMARY KEY (book_id, id)
);

CREATE TABLE book_images (
    book_id     uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    id          text NOT NULL,
    media_type  text NOT NULL,
    size        integer NOT NULL,
    object_key  text NOT NULL,
    PRIMARY KEY (book_id, id)
);
