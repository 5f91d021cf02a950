-- SPDX-License-Identifier: Apache-2.0
-- What the 2FA and OAuth modules need beyond 0001 (schema auth).

-- TOTP replay protection: the last accepted time step; codes at or before it are refused.
ALTER TABLE totp ADD COLUMN last_used_step bigint;

-- Accounts created by an OAuth login have no password, and no email unless the provider
-- verified one.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

-- API keys created with the operator token have no creating user.
ALTER TABLE api_keys ALTER COLUMN created_by DROP NOT NULL;

CREATE INDEX oauth_identities_user ON oauth_identities (user_id);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
CREATE INDEX mfa_challenges_user ON mfa_challenges (user_id) WHERE used_at IS NULL;
