-- The chapters each of a character's garments is said in: a picture draws a garment near them
-- (a dressing gown of one morning is not what a man wears at a ball).
ALTER TABLE cast_members ADD COLUMN worn_in jsonb NOT NULL DEFAULT '{}';
