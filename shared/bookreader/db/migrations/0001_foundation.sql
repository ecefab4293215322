-- Idempotency keys: an event handler records its key in the same transaction as its work,
-- so a redelivered event finds the key and does nothing twice.
CREATE TABLE idempotency_keys (
    key         text PRIMARY KEY,
    scope       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
