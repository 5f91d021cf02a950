-- SPDX-License-Identifier: Apache-2.0
-- Self-service registrations of the last day per client address and network (/24, /64),
-- for the daily registration caps (plugins.auth.registration.*). Rows older than a day
-- are deleted by the next registration.
CREATE TABLE registrations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address    text NOT NULL,
    network    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registrations_network_idx ON registrations (network, created_at);
CREATE INDEX registrations_address_idx ON registrations (address, created_at);
CREATE INDEX registrations_created_idx ON registrations (created_at);
