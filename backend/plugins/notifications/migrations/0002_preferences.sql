-- Preferences: only what a user changed is stored (`overrides`: {"kind": {"channel": bool}});
-- the defaults live in code (preferences.cpp) so that they can improve for everyone.
-- Quiet hours are minutes after local midnight in `time_zone` (start > end spans midnight).
CREATE TABLE preferences (
    user_id          bigint PRIMARY KEY,
    overrides        jsonb NOT NULL DEFAULT '{}'::jsonb,
    time_zone        text NOT NULL DEFAULT 'UTC',
    quiet_start      smallint CHECK (quiet_start BETWEEN 0 AND 1439),
    quiet_end        smallint CHECK (quiet_end BETWEEN 0 AND 1439),
    email_frequency  text NOT NULL DEFAULT 'instant' CHECK (email_frequency IN ('instant', 'daily', 'weekly', 'never')),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- Threads (posts) a user does not want to hear about: replies and mentions in them are dropped.
CREATE TABLE thread_mutes (
    user_id     bigint NOT NULL,
    post_id     bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, post_id)
);
