-- Web push subscriptions (RFC 8030 endpoint, RFC 8291 keys) per user. An endpoint belongs
-- to one browser profile: subscribing it again moves it to the new user with new keys.
-- A push service answering 404/410 removes the row.
CREATE TABLE push_subscriptions (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL,
    endpoint    text NOT NULL UNIQUE,
    p256dh      text NOT NULL,
    auth        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
