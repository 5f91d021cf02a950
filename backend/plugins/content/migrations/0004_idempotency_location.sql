-- SPDX-License-Identifier: Apache-2.0
-- SPDX-FileCopyrightText: Community Platform authors
-- A replayed Idempotency-Key answer repeats the first one whole: status, body and its
-- Location header (issue 10). Keys stored before this have none.
ALTER TABLE content.idempotency_keys ADD COLUMN location text;
