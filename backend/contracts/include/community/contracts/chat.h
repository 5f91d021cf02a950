// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the chat plugin provides.
///
/// IChatAudience: who may need to hear of a plain message (the notifications plugin turns
/// it into one inbox item per room): the room's kind and size, and per member the read
/// marker and whether the account is online — from chat's own tables, so that nobody else
/// reads chat's schema. Blocking: worker threads, outside your own transaction.
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

/// A chat message and the members who did not write it, as the notifications plugin needs them.
struct ChatMessageAudience {
    struct Member {
        qint64 userId = 0;
        qint64 lastReadSeq = 0;   ///< the member has read the room up to this sequence
        bool online = false;      ///< a live device reports "online" (chat presence)
    };
    qint64 messageId = 0;
    qint64 roomId = 0;
    QString roomKind;             ///< "dm", "group" or "channel"
    QString roomName;             ///< empty for DMs
    int memberCount = 0;
    qint64 seq = 0;               ///< the message's sequence in its room
    qint64 senderId = 0;
    qint64 threadRootId = 0;      ///< 0: not a thread reply
    bool deleted = false;
    QList<qint64> mentioned;      ///< members the message mentions (they hear of it as a mention)
    /// Every member but the sender; empty when the room has more than `maxMembers`.
    QList<Member> members;
};

class IChatAudience {
public:
    static constexpr const char *interfaceId() { return "community.chat.Audience/1"; }
    virtual ~IChatAudience() = default;

    /// NotFound when there is no such message (purged).
    virtual Result<ChatMessageAudience> audienceOf(qint64 messageId, int maxMembers) const = 0;
};

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
