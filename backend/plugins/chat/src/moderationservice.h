// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Pins, reports and the operators' view: pin/unpin (room owner and admins), report a
/// message (members; chat.message.reported feeds the moderation queue), list rooms and
/// their messages, purge a room's messages before a time, and the retention sweep per
/// room kind. Blocking: worker threads only.

#include "chatcontext.h"

namespace Chat {

struct PurgeResult {
    qint64 messages = 0;
    bool dryRun = false;
};

class ModerationService {
public:
    explicit ModerationService(ChatContext &ctx) : m_ctx(ctx) {}

    Community::Result<bool> pin(const Community::Principal &who, qint64 roomId, qint64 messageId, bool pinned);
    Community::Result<QList<Message>> pins(const Community::Principal &who, qint64 roomId);
    /// The new report's id. 409 already-reported when this member reported it before.
    Community::Result<qint64> report(const Community::Principal &who, qint64 roomId, qint64 messageId,
                                     const QString &reason);

    Community::Result<QList<Room>> rooms(qint64 afterId, int limit);
    Community::Result<PurgeResult> purge(qint64 roomId, const QDateTime &before, bool dryRun);
    /// Deletes what the retention settings no longer keep; how many messages.
    Community::Result<qint64> applyRetention();
    /// Measures every room's unread backlog into the metrics (ChatMetrics::backlog).
    Community::Result<void> measureBacklog();

private:
    ChatContext &m_ctx;
};

} // namespace Chat
