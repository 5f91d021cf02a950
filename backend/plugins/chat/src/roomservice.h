// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Rooms and their members: group rooms (owner/admin/member, invite, remove, leave,
/// rename, topic, member limit) and public channels (joined by anyone signed in; the
/// community's own membership is not checked yet). DMs are made by the first message
/// (MessageService). Every change runs in one transaction with its events and room
/// frames; the membership cache follows after commit. Blocking: worker threads only.

#include "chatcontext.h"

#include <QList>

namespace Chat {

struct NewRoom {
    RoomKind kind = RoomKind::Group;
    QString name;
    QString topic;
    qint64 communityId = 0;     ///< channels
    QList<qint64> members;      ///< groups: invited at creation
    int memberLimit = 0;        ///< 0: the configured limit
};

struct RoomDetails {
    Room room;
    std::optional<Member> me;
};

class RoomService {
public:
    explicit RoomService(ChatContext &ctx) : m_ctx(ctx) {}

    Community::Result<RoomDetails> create(const Community::Principal &who, const NewRoom &spec);
    Community::Result<RoomDetails> room(const Community::Principal &who, qint64 roomId);
    Community::Result<QList<RoomView>> roomsOf(qint64 userId);
    Community::Result<RoomDetails> update(const Community::Principal &who, qint64 roomId,
                                          const std::optional<QString> &name, const std::optional<QString> &topic);
    Community::Result<QList<Member>> members(const Community::Principal &who, qint64 roomId);
    /// Owner or admin adds an account to a group. True when it was not a member yet.
    Community::Result<bool> invite(const Community::Principal &who, qint64 roomId, qint64 userId);
    /// Leave (userId = who) or remove someone (owner/admin over lower roles).
    Community::Result<bool> remove(const Community::Principal &who, qint64 roomId, qint64 userId);
    /// Owner only: member <-> admin.
    Community::Result<void> setRole(const Community::Principal &who, qint64 roomId, qint64 userId, MemberRole role);
    /// Members of the channel's community join it (403 not-a-community-member otherwise).
    Community::Result<bool> join(const Community::Principal &who, qint64 roomId);

private:
    Community::Result<void> checkAccounts(const QList<qint64> &ids) const;
    /// The creator (unless a site admin) and every invitee belong to the channel's community.
    Community::Result<void> checkChannelMembers(const Community::Principal &who, qint64 communityId,
                                                const QList<qint64> &invited) const;
    ChatContext &m_ctx;
};

} // namespace Chat
