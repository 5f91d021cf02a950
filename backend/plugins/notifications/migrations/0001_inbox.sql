-- The inbox: one row per notification, collapsed per (recipient, kind, group) while unread
-- ("Mina and 2 others replied to your post" is one row updated in place). `position`
-- orders the inbox and moves a row to the top when it is updated; it is the list cursor.
-- `sources` keeps the key of every source event already projected per recipient, so a
-- replayed or redelivered event never notifies twice (even after the row was deleted).
CREATE SEQUENCE item_positions;

CREATE TABLE items (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL,
    kind         text NOT NULL,
    group_key    text NOT NULL,
    thread_id    bigint,
    subject      jsonb NOT NULL DEFAULT '{}'::jsonb,
    actor_ids    bigint[] NOT NULL DEFAULT '{}',
    actor_names  text[] NOT NULL DEFAULT '{}',
    actor_count  integer NOT NULL DEFAULT 0 CHECK (actor_count >= 0),
    event_count  integer NOT NULL DEFAULT 1 CHECK (event_count >= 1),
    position     bigint NOT NULL DEFAULT nextval('item_positions'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    read_at      timestamptz
);
CREATE UNIQUE INDEX items_open_group ON items (user_id, kind, group_key) WHERE read_at IS NULL;
CREATE INDEX items_inbox ON items (user_id, position DESC);
CREATE INDEX items_unread ON items (user_id, kind) WHERE read_at IS NULL;

-- Distinct actors of a collapsed row (the count is exact; the row shows the newest few).
CREATE TABLE item_actors (
    item_id   bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    actor_id  bigint NOT NULL,
    name      text NOT NULL,
    seen      bigint NOT NULL,
    PRIMARY KEY (item_id, actor_id)
);

CREATE TABLE sources (
    source_key  text NOT NULL,
    user_id     bigint NOT NULL,
    item_id     bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, source_key)
);
