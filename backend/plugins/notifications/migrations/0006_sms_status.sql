-- SPDX-License-Identifier: Apache-2.0
-- SMS status callbacks (ADR 0028): the provider's message id and the furthest status its
-- signed callbacks reported (queued < sending < sent < delivered/undelivered/failed < read);
-- a callback never moves it back. A callback for a row whose send timed out after the
-- request went out (dead: "outcome unknown") proves the provider took it: the row is sent.
ALTER TABLE deliveries ADD COLUMN provider_id text;
ALTER TABLE deliveries ADD COLUMN provider_status text;
ALTER TABLE deliveries ADD COLUMN provider_status_at timestamptz;
