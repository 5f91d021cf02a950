// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the chat plugin provides.
///
/// IChatModeration: what the admin plugin's review queue does to a reported chat message
/// (queue target type "chat_message") and its reports, without reading chat's schema. The
/// shapes are content's (ModerationTarget, ResolvedReport): for a message, `postId` is its
/// room and `communityId` the room's community (0 outside channels). Every call acts as
/// `who` (a site moderator or admin: the queue's deciders) and publishes chat's usual room
/// frames in chat's own transaction. Blocking: worker threads, outside your own transaction.

#include "community/contracts/content.h"

namespace Community::Contracts {

inline constexpr const char *kChatMessageTarget = "chat_message";

class IChatModeration {
public:
    static constexpr const char *interfaceId() { return "community.chat.Moderation/1"; }
    virtual ~IChatModeration() = default;

    /// NotFound when there is no such message.
    virtual Result<ModerationTarget> message(qint64 messageId) const = 0;
    /// Soft-deletes (`removed`) or restores the message; a no-op when it is already so.
    /// Forbidden unless `who` is a site moderator or admin.
    virtual Result<ModerationTarget> setMessageRemoved(const Principal &who, qint64 messageId, bool removed) = 0;
    /// Resolves every open report on the message with `resolution` ("resolved" or
    /// "dismissed"); returns the reports it closed.
    virtual Result<QList<ResolvedReport>> resolveMessageReports(const Principal &who, qint64 messageId,
                                                                const QString &resolution) = 0;
};

} // namespace Community::Contracts
