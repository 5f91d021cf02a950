-- Files the scanning hook (plugins.files.scan, action "quarantine") found infected: kept,
-- never served (404 to users, 403 file-quarantined to admins), listed for operators with
-- the scanner's verdict. The row goes with its file.
CREATE TABLE quarantine (
    file_id     bigint PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
    signature   text NOT NULL CHECK (length(signature) BETWEEN 1 AND 200),
    scanner     text NOT NULL CHECK (scanner IN ('command', 'clamd')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
