-- Reported chat messages join the queue (target type 'chat_message', fed by
-- chat.message.reported; decided through chat's IChatModeration contract). Report ids are
-- each producer's own, so a report is known by (source, report_id): 'content' or 'chat'.
ALTER TABLE queue_reports ADD COLUMN source text NOT NULL DEFAULT 'content'
    CHECK (source IN ('content', 'chat'));
ALTER TABLE queue_reports DROP CONSTRAINT queue_reports_pkey;
ALTER TABLE queue_reports ADD PRIMARY KEY (source, report_id);
ALTER TABLE queue_items ADD CONSTRAINT queue_items_target_type
    CHECK (target_type IN ('post', 'comment', 'chat_message'));
