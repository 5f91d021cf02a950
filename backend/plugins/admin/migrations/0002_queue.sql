-- The review queue (docs/adr/0012-admin-plugin.md): one item per reported target, fed by
-- content.report.created / .resolved events (no read of content's schema). search_path
-- is `admin`.

-- status: open | resolved. One open item per target; a target reported again after its
-- item was resolved opens a new item.
CREATE TABLE queue_items (
    id                bigserial PRIMARY KEY,
    kind              text NOT NULL DEFAULT 'report',
    target_type       text NOT NULL,
    target_id         bigint NOT NULL,
    community_id      bigint NOT NULL,
    status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    priority          integer NOT NULL DEFAULT 0,
    assignee_id       bigint,
    claim_holder_id   bigint,
    claim_holder_name text,
    claim_expires_at  timestamptz,
    decision_id       bigint,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz
);
CREATE UNIQUE INDEX queue_items_open_target ON queue_items (target_type, target_id) WHERE status = 'open';
CREATE INDEX queue_items_page ON queue_items (status, priority DESC, id DESC);

-- Reports as the queue knows them. outcome: null while open; actioned | dismissed |
-- closed (resolved outside the queue). Past outcomes give a reporter's accuracy.
CREATE TABLE queue_reports (
    report_id    bigint PRIMARY KEY,
    item_id      bigint NOT NULL REFERENCES queue_items (id),
    reporter_id  bigint NOT NULL,
    reporter_role text NOT NULL DEFAULT 'user',
    reason       text NOT NULL,
    outcome      text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_reports_item ON queue_reports (item_id);
CREATE INDEX queue_reports_reporter ON queue_reports (reporter_id) WHERE outcome IS NOT NULL;

CREATE TABLE queue_notes (
    id          bigserial PRIMARY KEY,
    item_id     bigint NOT NULL REFERENCES queue_items (id),
    author_id   bigint NOT NULL,
    author_name text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_notes_item ON queue_notes (item_id, id);

CREATE TABLE decisions (
    id            bigserial PRIMARY KEY,
    item_id       bigint NOT NULL REFERENCES queue_items (id),
    moderator_id  bigint NOT NULL,
    moderator_name text NOT NULL,
    actions       jsonb NOT NULL,
    reason        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Penalties given to accounts. kind: warn | suspend | ban. ends_at null: no end.
-- lifted_at set when it ended (by time or by a moderator).
CREATE TABLE penalties (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('warn', 'suspend', 'ban')),
    reason       text NOT NULL,
    decision_id  bigint REFERENCES decisions (id),
    created_by   bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    ends_at      timestamptz,
    lifted_at    timestamptz
);
CREATE INDEX penalties_due ON penalties (ends_at) WHERE lifted_at IS NULL AND ends_at IS NOT NULL;
CREATE INDEX penalties_user ON penalties (user_id, id);
