-- Chat rooms a user does not want to hear about: plain messages in them notify nobody who
-- muted the room (mentions still do: they name the user). Room ids are chat's, copied.
CREATE TABLE room_mutes (
    user_id     bigint NOT NULL,
    room_id     bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, room_id)
);

-- System announcements: written by an admin, fanned out to every active account in
-- batches (one transaction per batch, never the whole directory at once). `cursor` is the
-- last account id handled; `done_at` is set when the directory has no account after it.
CREATE TABLE announcements (
    id          bigserial PRIMARY KEY,
    title       text NOT NULL,
    body        text NOT NULL,
    url         text,
    created_by  bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    cursor      bigint NOT NULL DEFAULT 0,
    recipients  integer NOT NULL DEFAULT 0,
    done_at     timestamptz
);
CREATE INDEX announcements_pending ON announcements (id) WHERE done_at IS NULL;
