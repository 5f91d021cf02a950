-- The delivery outbox: one row per notification x channel x target, written in the
-- transaction that stored the notification, claimed by the delivery worker with
-- FOR UPDATE SKIP LOCKED under a lease (a row whose lease ran out - the daemon died while
-- sending - is taken again), retried with backoff, dead after N attempts. `message_id`
-- is fixed when the row is written, so a message sent twice after a crash carries the
-- same Message-ID (at-least-once, deduplicable). `content` is the notification as it was
-- (what the email says); digest rows wait for the user's digest time.
CREATE TABLE deliveries (
    id            bigserial PRIMARY KEY,
    user_id       bigint NOT NULL,
    item_id       bigint,
    source_key    text NOT NULL,
    channel       text NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
    target        text NOT NULL DEFAULT '',
    kind          text NOT NULL,
    content       jsonb NOT NULL,
    digest        boolean NOT NULL DEFAULT false,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts      integer NOT NULL DEFAULT 0,
    due_at        timestamptz NOT NULL DEFAULT now(),
    locked_until  timestamptz,
    last_error    text,
    message_id    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    UNIQUE (user_id, source_key, channel, target)
);
CREATE INDEX deliveries_due ON deliveries (channel, due_at) WHERE status IN ('pending', 'sending');
CREATE INDEX deliveries_recent ON deliveries (id DESC);

-- Keys the plugin signs with (the unsubscribe links), the same on every node.
CREATE TABLE keys (
    name    text PRIMARY KEY,
    secret  bytea NOT NULL
);

ALTER TABLE preferences ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ko'));
