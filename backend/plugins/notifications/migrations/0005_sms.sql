-- A phone number per user for SMS, usable once verified by a code sent to it. The code is
-- stored hashed, expires, and allows a few attempts.
CREATE TABLE phones (
    user_id          bigint PRIMARY KEY,
    number           text NOT NULL CHECK (number ~ '^\+[1-9][0-9]{7,14}$'),
    verified_at      timestamptz,
    code_hash        text,
    code_expires_at  timestamptz,
    code_attempts    integer NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
