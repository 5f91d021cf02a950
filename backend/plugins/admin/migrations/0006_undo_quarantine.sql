-- Undo window and quarantine (docs/adr/0036-bulk-undo-quarantine.md). search_path is `admin`.
-- A decision remembers the target's state before and after it, so that an undo puts the
-- content back as it found it; an undone decision keeps its row (undone_at, undone_by,
-- undo_reason) and its item is open again. `interim`: a quarantine, which hides the target
-- and leaves the item open until a final decision.
ALTER TABLE decisions ADD COLUMN state_before text;
ALTER TABLE decisions ADD COLUMN state_after  text;
ALTER TABLE decisions ADD COLUMN interim      boolean NOT NULL DEFAULT false;
ALTER TABLE decisions ADD COLUMN undone_at    timestamptz;
ALTER TABLE decisions ADD COLUMN undone_by    bigint;
ALTER TABLE decisions ADD COLUMN undo_reason  text;
CREATE INDEX decisions_item ON decisions (item_id, id);

-- The quarantine in force on an open item (the interim decision that hid its target).
ALTER TABLE queue_items ADD COLUMN quarantine_decision_id bigint REFERENCES decisions (id);
