-- Watched-word rules (docs/adr/0012-admin-plugin.md). kind: word | regex (RE2);
-- action: block (the write is refused) | flag (written, and a queue item opened).
-- Removed rules are kept (removed_at) so that audit rows keep pointing at them.
CREATE TABLE watch_rules (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('word', 'regex')),
    pattern     text NOT NULL,
    action      text NOT NULL CHECK (action IN ('block', 'flag')),
    created_by  bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    removed_at  timestamptz
);
