-- Full-text search: every passage (a paragraph, or a piece of a very long one) folded and
-- stemmed with its chapter's language, under a GIN index. Written at parse time; books parsed
-- before this migration are indexed on their first search (search_books says which books are
-- indexed and by which version of the folding rules).
CREATE TABLE search_passages (
    book_id      uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter      integer NOT NULL,
    start_offset integer NOT NULL CHECK (start_offset >= 0),
    end_offset   integer NOT NULL CHECK (end_offset > start_offset),
    config       text NOT NULL CHECK (config IN ('russian', 'english', 'simple')),
    tsv          tsvector NOT NULL,  -- of the folded passage, with `config`
    PRIMARY KEY (book_id, chapter, start_offset)
);
CREATE INDEX search_passages_tsv ON search_passages USING gin (tsv);

-- The passages' text as the book has it (snippets are cut from it), apart from the index: a
-- query that matches thousands of passages reads only the narrow rows above, a page its few texts.
CREATE TABLE search_passage_texts (
    book_id      uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter      integer NOT NULL,
    start_offset integer NOT NULL,
    body         text NOT NULL,
    PRIMARY KEY (book_id, chapter, start_offset)
);

CREATE TABLE search_books (
    book_id    uuid PRIMARY KEY REFERENCES books (id) ON DELETE CASCADE,
    version    integer NOT NULL,
    indexed_at timestamptz NOT NULL DEFAULT now()
);
