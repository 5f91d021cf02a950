-- The core's event bus (docs/adr/0005-event-bus.md). search_path is the `events` schema.

-- The transactional outbox. `txid` is the publishing transaction; publish() assigns it
-- before taking the id from the sequence, which the dispatcher's gap rule relies on.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    txid        xid8 NOT NULL,
    type        text NOT NULL,
    aggregate   text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_type_id ON outbox (type, id);

-- One row per durable consumer: its offset. Locked FOR UPDATE SKIP LOCKED by the process
-- that dispatches it, so one process at a time delivers a consumer's events.
CREATE TABLE consumers (
    consumer    text PRIMARY KEY,
    last_id     bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Failed deliveries: retry schedule and dead letters.
CREATE TABLE deliveries (
    consumer         text NOT NULL REFERENCES consumers (consumer) ON DELETE CASCADE,
    event_id         bigint NOT NULL,
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    dead             boolean NOT NULL DEFAULT false,
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX deliveries_dead ON deliveries (consumer) WHERE dead;
