// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Presence: each device of an account reports online or away and refreshes it before
/// `presenceTtlSeconds` runs out; an account is online when any live device is, away when
/// its live devices are all away, offline otherwise (also when its node went silent: its
/// rows expire). Stored in the database, so every daemon answers the same. Blocking:
/// worker threads only.

#include "chatcontext.h"

namespace Chat {

class PresenceService {
public:
    explicit PresenceService(ChatContext &ctx) : m_ctx(ctx) {}

    /// `state` Offline removes the device.
    Community::Result<PresenceState> set(qint64 userId, const QString &device, PresenceState state);
    Community::Result<QHash<qint64, PresenceState>> of(const QList<qint64> &userIds);
    /// Deletes expired devices; how many.
    Community::Result<qint64> expire();
    Community::Result<QHash<PresenceState, qint64>> counts();

private:
    ChatContext &m_ctx;
};

} // namespace Chat
