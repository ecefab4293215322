-- False for a chapter the book's markup says is not the story (endnotes, contents, index,
-- copyright page): still readable, but nothing is extracted or illustrated from it.
ALTER TABLE chapters ADD COLUMN story boolean NOT NULL DEFAULT true;
