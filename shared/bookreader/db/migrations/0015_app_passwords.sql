-- App passwords (issue 18): per-device secrets for e-reader apps (OPDS, KOReader sync), never
-- the account password. The secret itself is never stored: `verifier` is the scrypt hash (the
-- scheme of users.password_hash) of the MD5 hex digest of the secret, because KOReader's sync
-- client sends only that digest (`x-auth-key`); HTTP Basic clients send the secret and the
-- server takes its MD5 first. `key_hint` (16 hex characters of a SHA-256 of that digest) picks
-- the one row to check, so a request costs one scrypt however many devices the user has.
CREATE TABLE app_passwords (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    scopes        text[] NOT NULL
                  CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['opds', 'kosync']::text[]),
    key_hint      text NOT NULL CHECK (key_hint ~ '^[0-9a-f]{16}$'),
    verifier      text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX app_passwords_user_idx ON app_passwords (user_id, key_hint);
