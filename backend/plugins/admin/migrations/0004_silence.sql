-- Silences (ADR 0024): a penalty that refuses the account's posts, comments and edits
-- until it ends; enforced in memory by the write policy admin adds to content's gate.
ALTER TABLE penalties DROP CONSTRAINT penalties_kind_check;
ALTER TABLE penalties ADD CONSTRAINT penalties_kind_check CHECK (kind IN ('warn', 'silence', 'suspend', 'ban'));
CREATE INDEX penalties_silences ON penalties (user_id) WHERE kind = 'silence' AND lifted_at IS NULL;
