// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatcontext.h"

#include "community/contracts/events/chat.h"
#include "community/eventbus.h"
#include "community/json.h"
#include "community/realtime.h"

#include <QMap>

using namespace Community;

namespace Chat {

Error chatError(ErrorCode code, const QString &slug, const QString &message)
{
    Error e = Error::make(code, message);
    e.type = slug;
    return e;
}

Error notMember()
{
    return chatError(ErrorCode::Forbidden, QStringLiteral("not-a-member"), QStringLiteral("You are not a member of this room."));
}

Error noRoom()
{
    return notFound(QStringLiteral("No such room."));
}

QString roomTopic(qint64 roomId)
{
    return QStringLiteral("room:%1").arg(roomId);
}

Result<Room> readableRoom(ChatRepository &repo, const Principal &who, qint64 roomId, std::optional<Member> *member,
                          bool lock)
{
    std::optional<Room> room;
    std::optional<Member> m;
    if (lock) {
        // The membership is read after the lock: the lock's snapshot may predate a change.
        room = repo.lockRoom(roomId);
        if (room)
            m = repo.member(roomId, who.userId);
    } else if (auto both = repo.roomWithMember(roomId, who.userId)) {
        room = both->first;
        m = both->second;
    }
    if (!room)
        return tl::unexpected(noRoom());
    if (!m && !who.hasRole(Role::Admin))
        return tl::unexpected(notMember());
    if (member)
        *member = m;
    return *room;
}

Result<bool> changeMembership(const ChatContext &ctx, pqxx::transaction_base &tx, ChatRepository &repo, qint64 roomId,
                      qint64 userId, bool join, MemberRole role)
{
    const bool changed = join ? repo.addMember(roomId, userId, role) : repo.removeMember(roomId, userId);
    if (!changed)
        return false;
    if (ctx.events) {
        namespace E = Contracts::Events::Chat;
        auto published = Events::publishEvent(*ctx.events, tx, E::MembershipChanged{roomId, userId, join});
        if (!published)
            return tl::unexpected(published.error());
    }
    // A member who leaves gets the frame too: it is published before the cache forgets.
    auto r = publishRoomFrame(ctx, tx, roomId, QJsonObject{
        {QStringLiteral("kind"), join ? QStringLiteral("member.joined") : QStringLiteral("member.left")},
        {QStringLiteral("userId"), Json::idString(userId)},
    });
    if (!r)
        return tl::unexpected(r.error());
    return true;
}

Result<void> publishRoomFrame(const ChatContext &ctx, pqxx::transaction_base &tx, qint64 roomId, const QJsonObject &frame)
{
    if (!ctx.hub)
        return {};
    auto r = ctx.hub->publish(tx, roomTopic(roomId), frame);
    if (!r)
        return tl::unexpected(r.error());
    ctx.metrics->frame();
    return {};
}

Result<void> publishDeleted(const ChatContext &ctx, pqxx::transaction_base &tx, const Message &m)
{
    if (ctx.events)
        if (auto r = Events::publishEvent(*ctx.events, tx, Contracts::Events::Chat::MessagesDeleted{m.roomId, {m.id}}); !r)
            return tl::unexpected(r.error());
    return publishRoomFrame(ctx, tx, m.roomId, {{QStringLiteral("kind"), QStringLiteral("message.deleted")},
                                                {QStringLiteral("messageId"), Json::idString(m.id)},
                                                {QStringLiteral("seq"), m.seq}});
}

Result<void> publishPurged(const ChatContext &ctx, pqxx::transaction_base &tx, const QList<std::pair<qint64, qint64>> &deleted)
{
    if (!ctx.events)
        return {};
    QMap<qint64, QList<qint64>> byRoom;
    for (const auto &[room, id] : deleted)
        byRoom[room].append(id);
    for (auto it = byRoom.cbegin(); it != byRoom.cend(); ++it) {
        for (qsizetype at = 0; at < it.value().size(); at += 1000) {
            const Contracts::Events::Chat::MessagesDeleted e{it.key(), it.value().mid(at, 1000)};
            if (auto r = Events::publishEvent(*ctx.events, tx, e); !r)
                return tl::unexpected(r.error());
        }
    }
    return {};
}

void deliverTyping(const ChatContext &ctx, qint64 roomId, qint64 userId)
{
    if (!ctx.hub)
        return;
    const QJsonObject frame{{QStringLiteral("kind"), QStringLiteral("typing")},
                            {QStringLiteral("roomId"), Json::idString(roomId)},
                            {QStringLiteral("userId"), Json::idString(userId)}};
    for (qint64 member : ctx.cache->membersOf(roomId)) {
        if (member != userId)
            ctx.hub->publishEphemeral(QStringLiteral("chat:%1").arg(member), frame);
    }
}

} // namespace Chat
