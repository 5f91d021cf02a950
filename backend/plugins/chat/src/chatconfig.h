// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The chat plugin's configuration (plugins.chat): limits, windows, page sizes, the
/// reaction set and retention. Read once in initialize(); immutable after.

#include "community/result.h"

#include <QJsonObject>
#include <QSet>
#include <QString>

namespace Chat {

struct ChatConfig {
    int maxMessageLength = 4000;        ///< code points of a message body
    int maxMentions = 20;               ///< @names per message
    int editWindowSeconds = 900;        ///< how long after sending a message may be edited
    int groupMemberLimit = 256;         ///< largest group (a room may ask for less)
    int channelMemberLimit = 10'000;
    double userMessagesPerSecond = 5;   ///< per sender, burst userBurst (per node)
    int userBurst = 20;
    double roomMessagesPerSecond = 50;  ///< per room, burst roomBurst (per node)
    int roomBurst = 200;
    int floodWindowSeconds = 30;        ///< the same text again within this is refused
    int defaultPageSize = 50;
    int maxPageSize = 200;
    int typingIntervalMs = 2000;        ///< one typing frame per member and room per interval
    int presenceTtlSeconds = 60;        ///< a device not refreshed for this long is offline
    int sweepIntervalMs = 60'000;       ///< retention and presence expiry period (0 = off)
    QSet<QString> reactions;            ///< the emoji a reaction may be
    int maxAttachments = 10;            ///< files per message
    int attachmentLinkSeconds = 300;    ///< how long a download link handed to a member is valid
    /// A file reference chat holds without a message for it (the daemon died between
    /// taking it and committing the message) is released once it is this old and the
    /// sweep looks (at most every orphanSweepMinutes; 0 = every sweep).
    int orphanReferenceSeconds = 3600;
    int orphanSweepMinutes = 60;
    /// Days messages are kept per room kind (0 = forever).
    int retentionDaysDm = 0;
    int retentionDaysGroup = 0;
    int retentionDaysChannel = 0;
};

/// The default reaction set.
QSet<QString> defaultReactions();

/// Reads plugins.chat; unknown keys and bad values are Config errors naming their path.
Community::Result<ChatConfig> readChatConfig(const QJsonObject &object, const QString &path);

} // namespace Chat
