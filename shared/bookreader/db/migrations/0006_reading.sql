-- Where each reader is in each book, and how they want their books illustrated.
CREATE TABLE reading_positions (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id     uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter     integer NOT NULL CHECK (chapter >= 0),
    char_offset integer NOT NULL DEFAULT 0 CHECK (char_offset >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, book_id)
);

-- Absent row → the defaults: automatic illustration off.
CREATE TABLE illustration_settings (
    user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    auto_illustrate boolean NOT NULL DEFAULT false,
    chapters_ahead  integer NOT NULL DEFAULT 2 CHECK (chapters_ahead BETWEEN 0 AND 10),
    per_chapter     integer NOT NULL DEFAULT 2 CHECK (per_chapter BETWEEN 1 AND 10),
    style           text,           -- the reader's default style; NULL → the genre's default
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Automatic illustration looks for a chapter's best descriptions without an image.
CREATE INDEX images_by_description ON images (description_id);

-- Descriptions automatic illustration has already taken up for a reader: each once, so an
-- image the reader deleted is not drawn again on the next page turn.
CREATE TABLE auto_illustrated (
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    description_id uuid NOT NULL REFERENCES descriptions (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, description_id)
);
