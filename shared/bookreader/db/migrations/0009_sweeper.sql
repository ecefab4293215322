-- The stuck-work sweeper: a stuck book is re-driven once (recorded here) before it is failed.
ALTER TABLE books ADD COLUMN redriven_at timestamptz;

-- What the sweeper has done since the deployment began, one counter per kind (monotonic, for
-- the metrics endpoint), and when it last ran.
CREATE TABLE sweeper_totals (
    name        text PRIMARY KEY,
    total       bigint NOT NULL DEFAULT 0 CHECK (total >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
