-- SPDX-License-Identifier: Apache-2.0
-- Accounts, sessions, tokens and keys of the auth plugin (schema auth).

CREATE TABLE users (
    id bigserial PRIMARY KEY,
    username text NOT NULL,
    email text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
    state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'disabled')),
    suspended_reason text,
    email_verified_at timestamptz,
    must_change_password boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_special ON users (id) WHERE role <> 'user' OR state <> 'active' OR must_change_password;

CREATE TABLE sessions (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    user_agent text,
    ip text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- One row per refresh token ever issued; a session is the token family.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES sessions ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE signing_keys (
    kid text PRIMARY KEY,
    secret bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    retired_at timestamptz
);

CREATE TABLE api_keys (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    secret_hash bytea NOT NULL,
    scopes text[] NOT NULL DEFAULT '{}',
    created_by bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);

-- Email verification ('verify') and password reset ('reset') tokens, stored hashed.
CREATE TABLE email_tokens (
    token_hash bytea PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('verify', 'reset')),
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    type text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Failed logins by "login:<lower-case login>" and by "ip:<address>".
CREATE TABLE login_failures (
    key text PRIMARY KEY,
    failures integer NOT NULL,
    window_start timestamptz NOT NULL,
    locked_until timestamptz
);

-- Used by the 2FA and OAuth modules.
CREATE TABLE totp (
    user_id bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    secret bytea NOT NULL,
    enabled_at timestamptz,
    created_at timestamptz DEFAULT now()
);
CREATE TABLE recovery_codes (
    user_id bigint REFERENCES users ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE oauth_identities (
    provider text,
    subject text,
    user_id bigint REFERENCES users ON DELETE CASCADE,
    email text,
    created_at timestamptz DEFAULT now(),
    PRIMARY KEY (provider, subject)
);
CREATE TABLE oauth_states (
    state text PRIMARY KEY,
    provider text NOT NULL,
    code_verifier text NOT NULL,
    redirect_uri text,
    link_user_id bigint,
    expires_at timestamptz NOT NULL
);
CREATE TABLE mfa_challenges (
    token_hash text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    user_agent text,
    ip text,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
