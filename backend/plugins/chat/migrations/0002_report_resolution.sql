-- A report is open until the admin plugin's review queue decides it (IChatModeration:
-- resolveMessageReports): resolution is 'resolved' or 'dismissed', with who and when.
ALTER TABLE reports ADD COLUMN resolution  text CHECK (resolution IN ('resolved', 'dismissed'));
ALTER TABLE reports ADD COLUMN resolved_by bigint;
ALTER TABLE reports ADD COLUMN resolved_at timestamptz;
CREATE INDEX reports_open ON reports (message_id) WHERE resolution IS NULL;
