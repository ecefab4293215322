-- Extraction: descriptions (exact spans in a chapter's text) and the book's cast.
ALTER TABLE books DROP CONSTRAINT books_state_check;
ALTER TABLE books ADD CONSTRAINT books_state_check CHECK (state IN (
    'uploading', 'parsing', 'parsed', 'extracting', 'ready', 'failed',
    'extraction_unsupported_language'));
ALTER TABLE books ADD COLUMN detected_language text;
ALTER TABLE books ADD COLUMN chapters_extracted integer NOT NULL DEFAULT 0;

CREATE TABLE descriptions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    book_id       uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter       integer NOT NULL,
    start_offset  integer NOT NULL CHECK (start_offset >= 0),
    end_offset    integer NOT NULL CHECK (end_offset > start_offset),
    type          text NOT NULL
                  CHECK (type IN ('location', 'character', 'atmosphere', 'object', 'action')),
    confidence    real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    priority      real NOT NULL CHECK (priority BETWEEN 0 AND 1),
    text          text NOT NULL,
    summary       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX descriptions_by_position ON descriptions (book_id, chapter, start_offset);

CREATE TABLE cast_members (
    book_id        uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    position       integer NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('character', 'place')),
    name           text NOT NULL,
    aliases        jsonb NOT NULL DEFAULT '[]',
    first_chapter  integer NOT NULL,
    first_offset   integer NOT NULL,
    mentions       integer NOT NULL,
    appearance     jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (book_id, position)
);
