-- Resumable uploads (tus 1.0, docs/adr/0029). One row per upload being received: the
-- partial data is <storageDir>/tus/<id>.part, `upload_offset` bytes of `length`. The row
-- is locked (FOR UPDATE) while a PATCH appends, so two PATCHes of one upload never
-- interleave. When the last byte has arrived the file goes through the normal upload
-- pipeline and `file_id` names the result; the row stays until it expires so that a HEAD
-- can still tell the client which file its upload became. Rows past `expires_at` and
-- their partial data are removed by the plugin's periodic sweep.
CREATE TABLE tus_uploads (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id       bigint NOT NULL,
    purpose        text NOT NULL CHECK (purpose IN ('avatar', 'post_image', 'attachment')),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    length         bigint NOT NULL CHECK (length > 0),
    upload_offset  bigint NOT NULL DEFAULT 0 CHECK (upload_offset BETWEEN 0 AND length),
    completed_at   timestamptz,
    file_id        bigint REFERENCES files (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);
CREATE INDEX tus_uploads_owner ON tus_uploads (owner_id);
CREATE INDEX tus_uploads_expires ON tus_uploads (expires_at);
