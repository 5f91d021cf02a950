-- Attachments: files of the files plugin (IFileAccess) a message points at, in order,
-- with the description they had when sent (shown without asking files). The message holds
-- a reference on each file under the holder key 'chat:<sender_id>:<client_id>' (taken
-- before the message is written, so the file cannot be deleted in between).
CREATE TABLE attachments (
    message_id  bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position    smallint NOT NULL CHECK (position >= 0),
    file_id     bigint NOT NULL,
    name        text NOT NULL,
    media_type  text NOT NULL,
    size        bigint NOT NULL CHECK (size >= 0),
    PRIMARY KEY (message_id, position),
    UNIQUE (message_id, file_id)
);
CREATE INDEX attachments_file ON attachments (file_id);

-- References to give back to the files plugin: queued in the transaction that soft-deletes
-- or deletes (purge, retention, a room's deletion) a message with attachments, by the
-- triggers below whatever statement did it, and drained after commit and by the sweep
-- (at least once; releasing is idempotent). A restore takes its references again and
-- drops what is still queued for it.
CREATE TABLE attachment_releases (
    id          bigserial PRIMARY KEY,
    file_id     bigint NOT NULL,
    holder      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_releases_holder ON attachment_releases (holder);

CREATE FUNCTION queue_attachment_releases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO chat.attachment_releases (file_id, holder)
    SELECT a.file_id, 'chat:' || OLD.sender_id || ':' || OLD.client_id
      FROM chat.attachments a WHERE a.message_id = OLD.id;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

-- BEFORE DELETE: the attachments rows (ON DELETE CASCADE) are still there to read.
CREATE TRIGGER messages_release_on_delete BEFORE DELETE ON messages
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION queue_attachment_releases();
CREATE TRIGGER messages_release_on_soft_delete AFTER UPDATE OF deleted_at ON messages
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
    EXECUTE FUNCTION queue_attachment_releases();
