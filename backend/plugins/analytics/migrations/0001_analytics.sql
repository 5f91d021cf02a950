-- Analytics: raw events partitioned by day (partitions are created ahead and dropped by
-- retention by the plugin, not here), the keys that make ingestion idempotent, and the
-- rollups every report reads. Raw IPs are never stored: ip_hash is a daily-salted hash
-- and the salts themselves are deleted after two days.

CREATE TABLE events (
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    type          text NOT NULL,
    source        text NOT NULL CHECK (source IN ('client', 'server')),
    user_id       bigint,
    ip_hash       text,
    target_id     bigint,
    community_id  bigint,
    dim           text,
    num           bigint,
    weight        real NOT NULL DEFAULT 1,
    key           text NOT NULL
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_user ON events (user_id) WHERE user_id IS NOT NULL;
-- BRIN: nearly free to keep on an append-only table; the live figures read the last minutes.
CREATE INDEX events_received ON events USING brin (received_at);

-- Client ids ('c:<scope>:<id>', pruned after the dedup window) and bus event ids
-- ('b:<id>', kept: a replay must not count a fact twice).
CREATE TABLE seen (
    key  text PRIMARY KEY,
    at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seen_at ON seen (at);

-- Rollups, maintained by every ingested batch (no rescans per report). A count is the
-- sum over `shard`: concurrent batches add to different shards of the same (hour, metric,
-- dim), so they do not queue behind each other's row locks on the hot rows.
CREATE TABLE hourly (
    hour    timestamptz NOT NULL,
    metric  text NOT NULL,
    dim     text NOT NULL DEFAULT '',
    shard   smallint NOT NULL DEFAULT 0,
    value   double precision NOT NULL,
    PRIMARY KEY (metric, hour, dim, shard)
);
CREATE TABLE daily (
    day     date NOT NULL,
    metric  text NOT NULL,
    dim     text NOT NULL DEFAULT '',
    shard   smallint NOT NULL DEFAULT 0,
    value   double precision NOT NULL,
    PRIMARY KEY (metric, day, dim, shard)
);
-- Who was active in which UTC hour: active users for any range and whole-hour time zone.
CREATE TABLE active_hours (
    hour     timestamptz NOT NULL,
    user_id  bigint NOT NULL,
    PRIMARY KEY (hour, user_id)
);
CREATE INDEX active_hours_user ON active_hours (user_id);

-- Signups for retention cohorts; reports for moderation response times.
CREATE TABLE accounts (
    user_id       bigint PRIMARY KEY,
    signed_up_at  timestamptz NOT NULL
);
CREATE TABLE reports (
    report_id     bigint PRIMARY KEY,
    opened_at     timestamptz,
    community_id  bigint,
    resolved_at   timestamptz,
    moderator_id  bigint,
    resolution    text
);

CREATE TABLE optouts (
    user_id  bigint PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE salts (
    day   date PRIMARY KEY,
    salt  bytea NOT NULL
);
-- Deleted accounts keep their place in aggregate figures under a negative pseudonym.
CREATE SEQUENCE pseudonyms;
