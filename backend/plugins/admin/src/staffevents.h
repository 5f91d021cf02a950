// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Which events of other plugins are staff actions, and the audit row each becomes. The
/// producers do not know the audit log exists: they publish their usual typed events
/// (contracts/events/auth.h, content.h) and the bus stamps the request id and actor
/// (RequestContext). Pure functions; safe on any thread.

#include "auditchain.h"

#include "community/eventbus.h"

#include <QStringList>

#include <optional>

namespace Admin {

/// The event types the audit consumer subscribes to.
QStringList staffEventTypes();

/// The audit row for `event` (seq, hashes and actorName left empty), or nullopt when the
/// event is not a staff action (an author restoring their own post, a malformed payload).
std::optional<AuditEntry> staffActionFromEvent(const Community::Events::Event &event);

} // namespace Admin
