-- Illustrations: one row per requested picture, a cache shared across users, quota overrides.
CREATE TABLE images (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id         uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    description_id  uuid NOT NULL REFERENCES descriptions (id) ON DELETE CASCADE,
    style           text NOT NULL,
    provider        text NOT NULL,  -- the chain's first choice, or the provider asked for
    state           text NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'running', 'ready', 'failed')),
    error_code      text,
    error_message   text,
    prompt          jsonb,          -- the final ImagePrompt, shown to the reader
    seed            bigint,
    width           integer,
    height          integer,
    bytes           integer,
    object_key      text,
    thumbnail_key   text,
    made_by         text,           -- the provider that actually drew it
    cache_key       text,
    generation      integer NOT NULL DEFAULT 0 CHECK (generation >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- Idempotency is this constraint: concurrent requests insert once, the rest find the row.
    CONSTRAINT images_one_per_generation UNIQUE (description_id, style, provider, generation)
);
CREATE INDEX images_by_book ON images (book_id, created_at DESC);
CREATE INDEX images_by_user ON images (user_id, created_at DESC);

-- Generated objects by sha256(book file sha256, final prompt, style, provider, seed): the same
-- picture for the same book content is drawn once, whoever asks.
CREATE TABLE image_cache (
    cache_key      text PRIMARY KEY,
    object_key     text NOT NULL,
    thumbnail_key  text NOT NULL,
    width          integer NOT NULL,
    height         integer NOT NULL,
    bytes          integer NOT NULL,
    made_by        text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- An admin's override of a user's daily image quota (absent → the configured default).
CREATE TABLE image_quotas (
    user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    daily_limit  integer NOT NULL CHECK (daily_limit >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
