-- Position sync: each saved position has a version (a client sends the one it last saw, so a
-- position made from an older view cannot silently replace a newer one) and the device that made
-- it; each device's own last place is kept as well ("where was I on each device").
ALTER TABLE reading_positions
    ADD COLUMN version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN device_id   text NOT NULL DEFAULT '',   -- '' is a client that names no device
    ADD COLUMN device_name text,
    ADD COLUMN percentage  real CHECK (percentage BETWEEN 0 AND 100);

CREATE TABLE reading_position_devices (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id     uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    device_id   text NOT NULL,
    device_name text,
    chapter     integer NOT NULL CHECK (chapter >= 0),
    char_offset integer NOT NULL CHECK (char_offset >= 0),
    percentage  real CHECK (percentage BETWEEN 0 AND 100),
    -- The book's position version the device had seen when it made this place: a place made
    -- from an older view never replaces a later one of the same device.
    based_on    integer NOT NULL DEFAULT 0 CHECK (based_on >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, book_id, device_id)
);

-- The positions saved before devices were known belong to the unnamed device.
INSERT INTO reading_position_devices (user_id, book_id, device_id, chapter, char_offset, based_on,
                                      updated_at)
SELECT user_id, book_id, '', chapter, char_offset, 0, updated_at FROM reading_positions;
