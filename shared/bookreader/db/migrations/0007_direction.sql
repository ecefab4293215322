-- Writing direction of a book and of each chapter (Hebrew, Arabic, … read right to left).
ALTER TABLE books ADD COLUMN direction text NOT NULL DEFAULT 'ltr' CHECK (direction IN ('ltr', 'rtl'));
ALTER TABLE chapters ADD COLUMN direction text NOT NULL DEFAULT 'ltr' CHECK (direction IN ('ltr', 'rtl'));
