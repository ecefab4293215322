-- Bookmarks and highlights: offsets into a chapter's plain text, with the quoted text and a
-- little context around it, so they can be found again when a re-parse moves the offsets.
-- One that cannot be found again is kept, `detached`, never dropped.
CREATE TABLE bookmarks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id     uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter     integer NOT NULL CHECK (chapter >= 0),
    char_offset integer NOT NULL CHECK (char_offset >= 0),
    label       text NOT NULL DEFAULT '',
    exact       text NOT NULL,
    prefix      text NOT NULL DEFAULT '',
    suffix      text NOT NULL DEFAULT '',
    detached    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookmarks_by_position ON bookmarks (book_id, user_id, chapter, char_offset);

CREATE TABLE highlights (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id      uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter      integer NOT NULL CHECK (chapter >= 0),
    start_offset integer NOT NULL CHECK (start_offset >= 0),
    end_offset   integer NOT NULL CHECK (end_offset > start_offset),
    exact        text NOT NULL,
    prefix       text NOT NULL DEFAULT '',
    suffix       text NOT NULL DEFAULT '',
    color        text NOT NULL CHECK (color IN ('yellow', 'green', 'blue', 'pink', 'purple')),
    note         text NOT NULL DEFAULT '',  -- Markdown, stored as the reader wrote it
    detached     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX highlights_by_position ON highlights (book_id, user_id, chapter, start_offset);

-- A passage the reader chose to illustrate ("Illustrate this passage"), not one extraction
-- found: a re-run of extraction keeps it instead of dropping it as not found again.
ALTER TABLE descriptions ADD COLUMN chosen_by_reader boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX descriptions_one_per_chosen_span ON descriptions (book_id, chapter,
    start_offset, end_offset) WHERE chosen_by_reader;
