-- References other plugins hold on a file (IFileAccess: chat's attachments). A file with
-- a reference is not deleted by its owner (409 file-in-use), so its blob keeps its
-- refcount and garbage collection leaves it alone; the holder releases it when the
-- message is deleted or purged. `holder` is the holder's own opaque key.
CREATE TABLE file_refs (
    file_id     bigint NOT NULL REFERENCES files (id),
    holder      text NOT NULL CHECK (length(holder) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, holder)
);
