-- Profiles, follows, blocks and mutes. Account identity, role and state belong to auth;
-- `username` and `state` here are copies kept current from IUserDirectory (for search
-- and listings), never read from auth's schema.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE profiles (
    user_id          bigint PRIMARY KEY,
    username         text NOT NULL,
    display_name     text NOT NULL,
    bio              text NOT NULL DEFAULT '',
    avatar_url       text,
    locale           text,
    time_zone        text,
    settings         jsonb NOT NULL DEFAULT '{}'::jsonb,
    state            text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'disabled')),
    followers_count  bigint NOT NULL DEFAULT 0 CHECK (followers_count >= 0),
    following_count  bigint NOT NULL DEFAULT 0 CHECK (following_count >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Prefix search (LIKE 'q%') on the lower-cased names, and trigram search for typos.
CREATE INDEX profiles_username_prefix ON profiles (lower(username) text_pattern_ops);
CREATE INDEX profiles_display_name_prefix ON profiles (lower(display_name) text_pattern_ops);
CREATE INDEX profiles_username_trgm ON profiles USING gin (lower(username) public.gin_trgm_ops);
CREATE INDEX profiles_display_name_trgm ON profiles USING gin (lower(display_name) public.gin_trgm_ops);

-- One row per directed relation; `id` breaks ties between rows created in the same
-- microsecond so that cursor pagination has a total order.
CREATE TABLE follows (
    id           bigserial UNIQUE,
    follower_id  bigint NOT NULL REFERENCES profiles (user_id) ON DELETE CASCADE,
    followee_id  bigint NOT NULL REFERENCES profiles (user_id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee_recent ON follows (followee_id, created_at DESC, id DESC);
CREATE INDEX follows_follower_recent ON follows (follower_id, created_at DESC, id DESC);

CREATE TABLE blocks (
    id          bigserial UNIQUE,
    blocker_id  bigint NOT NULL REFERENCES profiles (user_id) ON DELETE CASCADE,
    blocked_id  bigint NOT NULL REFERENCES profiles (user_id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocker_recent ON blocks (blocker_id, created_at DESC, id DESC);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

CREATE TABLE mutes (
    id          bigserial UNIQUE,
    muter_id    bigint NOT NULL REFERENCES profiles (user_id) ON DELETE CASCADE,
    muted_id    bigint NOT NULL REFERENCES profiles (user_id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (muter_id, muted_id),
    CHECK (muter_id <> muted_id)
);
CREATE INDEX mutes_muter_recent ON mutes (muter_id, created_at DESC, id DESC);
