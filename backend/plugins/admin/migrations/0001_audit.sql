-- The admin plugin's schema (docs/adr/0012-admin-plugin.md). search_path is `admin`.

-- The audit log: one row for every staff action, append-only and hash-chained. `hash` is
-- SHA-256 over the previous row's hash and the row's canonical JSON (auditchain.h); the
-- first row's previous hash is 64 zeros. `head` holds the last seq and hash: appenders
-- lock it, so rows are chained in one order, and a removed tail row is detected.
CREATE TABLE audit_log (
    seq              bigint PRIMARY KEY,
    occurred_at      timestamptz NOT NULL,
    actor_id         bigint,
    actor_name       text NOT NULL DEFAULT '',
    actor_kind       text NOT NULL,
    action           text NOT NULL,
    target_type      text NOT NULL,
    target_id        text NOT NULL,
    reason           text NOT NULL DEFAULT '',
    request_id       text NOT NULL DEFAULT '',
    before           text NOT NULL DEFAULT 'null',
    after            text NOT NULL DEFAULT 'null',
    source           text NOT NULL,
    source_event_id  bigint UNIQUE,
    prev_hash        text NOT NULL,
    hash             text NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, seq);

CREATE TABLE audit_head (
    one       boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_seq  bigint NOT NULL DEFAULT 0,
    last_hash text NOT NULL DEFAULT repeat('0', 64)
);
INSERT INTO audit_head DEFAULT VALUES;

-- Append-only: the daemon never updates or deletes a row. Someone with enough rights can
-- still disable this trigger; the hash chain is what makes that visible.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin.audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
