-- SPDX-License-Identifier: Apache-2.0
-- A mail handed over to the notifications mailer (IAuthMailOutbox, ADR 0028): the mailer
-- stored it in its own delivery outbox, and the token is removed from the payload here.
ALTER TABLE outbox ADD COLUMN handed_over_at timestamptz;
CREATE INDEX outbox_pending ON outbox (id) WHERE handed_over_at IS NULL;
