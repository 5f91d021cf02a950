-- Content-addressed blobs and the files that reference them. A blob is stored once per
-- content (sha256); `refcount` counts the files rows naming it and changes in the same
-- transaction as they do; a blob whose count fell to zero is removed by `files gc` once
-- `unreferenced_since` is older than the grace period.
CREATE TABLE blobs (
    sha256              text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size                bigint NOT NULL CHECK (size >= 0),
    media_type          text NOT NULL,
    refcount            integer NOT NULL DEFAULT 0 CHECK (refcount >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    unreferenced_since  timestamptz
);
CREATE INDEX blobs_unreferenced ON blobs (unreferenced_since) WHERE refcount = 0;

CREATE TABLE files (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    bigint NOT NULL,
    sha256      text NOT NULL REFERENCES blobs (sha256),
    purpose     text NOT NULL CHECK (purpose IN ('avatar', 'post_image', 'attachment')),
    name        text NOT NULL,
    media_type  text NOT NULL,
    size        bigint NOT NULL CHECK (size >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_owner ON files (owner_id);
CREATE INDEX files_sha256 ON files (sha256);
