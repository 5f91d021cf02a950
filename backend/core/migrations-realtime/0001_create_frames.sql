-- The realtime hub's durable frames (docs/adr/0010-realtime-hub.md). search_path is the
-- `realtime` schema.

-- One row per durable topic: its last sequence. Publishers of one topic take this row's
-- lock in their transaction, so sequences follow commit order and have no holes.
CREATE TABLE topics (
    topic     text PRIMARY KEY,
    last_seq  bigint NOT NULL
);

-- The frames a reconnecting client may ask for again; pruned past the replay age.
CREATE TABLE frames (
    topic       text NOT NULL,
    seq         bigint NOT NULL,
    data        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, seq)
);
CREATE INDEX frames_created_at ON frames (created_at);
