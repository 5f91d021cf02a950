-- Chat: rooms, members, messages, edits, reactions, per-user settings. Accounts and
-- communities belong to other plugins; their ids are copied here, never joined.

-- kind: dm (one per pair: dm_low < dm_high), group (invite only), channel (public in a
-- community). last_seq is the room's message sequence; a sender locks the room row and
-- takes last_seq + 1, so sequences follow commit order with no holes.
CREATE TABLE rooms (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('dm', 'group', 'channel')),
    name          text NOT NULL DEFAULT '',
    topic         text NOT NULL DEFAULT '',
    community_id  bigint,
    dm_low        bigint,
    dm_high       bigint,
    member_limit  integer NOT NULL CHECK (member_limit > 0),
    member_count  integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    last_seq      bigint NOT NULL DEFAULT 0,
    created_by    bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'dm') = (dm_low IS NOT NULL AND dm_high IS NOT NULL AND dm_low < dm_high)),
    CHECK ((kind = 'channel') = (community_id IS NOT NULL))
);
CREATE UNIQUE INDEX rooms_dm_pair ON rooms (dm_low, dm_high) WHERE kind = 'dm';
CREATE INDEX rooms_community ON rooms (community_id) WHERE kind = 'channel';

-- role: member < admin < owner. last_read_seq drives unread and mention counts.
CREATE TABLE members (
    room_id        bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id        bigint NOT NULL,
    role           text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin', 'owner')),
    last_read_seq  bigint NOT NULL DEFAULT 0,
    joined_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX members_user ON members (user_id, room_id);

-- client_id is the sender's own message id: a retry with the same one returns the
-- original row. thread_root_id: a reply in the thread of that root message.
CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    room_id         bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq             bigint NOT NULL,
    sender_id       bigint NOT NULL,
    client_id       text NOT NULL,
    body            text NOT NULL,
    html            text NOT NULL,
    mentions        bigint[] NOT NULL DEFAULT '{}',
    thread_root_id  bigint REFERENCES messages (id) ON DELETE CASCADE,
    reply_count     integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    edited_at       timestamptz,
    deleted_at      timestamptz,
    UNIQUE (room_id, seq),
    UNIQUE (sender_id, client_id)
);
CREATE INDEX messages_thread ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL;
CREATE INDEX messages_mentions ON messages USING gin (mentions);
CREATE INDEX messages_room_created ON messages (room_id, created_at);

-- The text a message had before each edit (moderators and admins read it).
CREATE TABLE message_edits (
    id          bigserial PRIMARY KEY,
    message_id  bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    body        text NOT NULL,
    edited_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_edits_message ON message_edits (message_id, id);

CREATE TABLE reactions (
    message_id  bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL,
    emoji       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, user_id, emoji)
);

-- hide_receipts: reciprocal opt-out of read receipts.
CREATE TABLE settings (
    user_id        bigint PRIMARY KEY,
    hide_receipts  boolean NOT NULL DEFAULT false
);

-- A member's read marker inside a thread (its replies' room sequences).
CREATE TABLE thread_reads (
    root_id        bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id        bigint NOT NULL,
    last_read_seq  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (root_id, user_id)
);

CREATE TABLE pins (
    room_id     bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    message_id  bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    pinned_by   bigint NOT NULL,
    pinned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, message_id)
);

-- One row per device of an account; a device that stops refreshing expires. Every node
-- reads the same rows, so presence agrees across daemons.
CREATE TABLE presence (
    user_id     bigint NOT NULL,
    device      text NOT NULL,
    state       text NOT NULL CHECK (state IN ('online', 'away')),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, device)
);
CREATE INDEX presence_expiry ON presence (expires_at);

-- Reports of a message; the admin plugin's queue learns of them through
-- chat.message.reported.
CREATE TABLE reports (
    id           bigserial PRIMARY KEY,
    message_id   bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    reporter_id  bigint NOT NULL,
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (message_id, reporter_id)
);
