-- A character's other names, each once as the book says it (a Russian one in the nominative):
-- the cast page's "also called", where the aliases hold every inflected form.
ALTER TABLE cast_members ADD COLUMN names jsonb NOT NULL DEFAULT '[]';
