-- Who caused an event: the request it was published in and the authenticated actor
-- (docs/adr/0012-admin-plugin.md). Null for events published outside a request
-- (consumers, timers, tools). Lets the audit log record staff actions from every plugin's
-- existing events without each producer carrying the request through its signatures.
ALTER TABLE outbox ADD COLUMN request_id text;
ALTER TABLE outbox ADD COLUMN actor_id bigint;
ALTER TABLE outbox ADD COLUMN actor_kind text;
