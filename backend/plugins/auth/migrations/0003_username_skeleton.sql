-- SPDX-License-Identifier: Apache-2.0
-- Usernames compared by their confusable skeleton (ADR 0009, issue 10): "аdmin" with a
-- Cyrillic а, "admın" with a dotless ı and "admin" are one name. The skeleton is Unicode
-- TS #39's, computed by ICU in the plugin (PostgreSQL has no such function): new rows get it
-- on insert; rows from before this migration get it when the plugin starts
-- (AccountService::backfillUsernames, which also stores their name in NFKC). Until then, and
-- for an old row whose name clashes with another's, it is NULL, which the unique index allows.
ALTER TABLE users ADD COLUMN username_skeleton text;
CREATE UNIQUE INDEX users_username_skeleton ON users (username_skeleton);
