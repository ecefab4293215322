-- A character's sex as the book writes it (the verbs that agree with the name), for pictures
-- of names the morphology does not know (Кити); null for places and when the book does not say.
ALTER TABLE cast_members ADD COLUMN gender text CHECK (gender IN ('masc', 'femn'));
