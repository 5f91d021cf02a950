-- The runtime layer of the configuration (docs/adr/0032-runtime-settings.md). search_path
-- is the `settings` schema. One row per key set through the settings API; read by the
-- host before the plugins initialise, between the file and the environment. `value` is
-- the compact JSON text of the value. Secrets are never stored here.
CREATE TABLE runtime (
    key         text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
    value       text NOT NULL CHECK (length(value) <= 65536),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT ''
);
