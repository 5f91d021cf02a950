// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "roomservice.h"

#include "communityaccess.h"

#include "community/contracts/auth.h"
#include "community/database.h"

using namespace Community;

namespace Chat {

namespace {

Error roomFull()
{
    return chatError(ErrorCode::Conflict, QStringLiteral("room-full"), QStringLiteral("The room has reached its member limit."));
}

Error notAllowed(const QString &message)
{
    return chatError(ErrorCode::Forbidden, QStringLiteral("not-allowed"), message);
}

/// Owners and admins manage a group or channel; site admins may too.
Result<void> requireManager(const Principal &who, const Room &room, const std::optional<Member> &me)
{
    if (room.kind == RoomKind::Dm)
        return tl::unexpected(notAllowed(QStringLiteral("A direct conversation has no settings or members to manage.")));
    if (who.hasRole(Role::Admin) || (me && int(me->role) >= int(MemberRole::Admin)))
        return {};
    return tl::unexpected(notAllowed(QStringLiteral("Only the room's owner and admins may do this.")));
}

/// The room, locked, when `who` may manage it (requireManager); `me` gets the membership.
Result<Room> managedRoom(ChatRepository &repo, const Principal &who, qint64 roomId, std::optional<Member> *me)
{
    auto room = readableRoom(repo, who, roomId, me, true);
    if (!room)
        return room;
    if (auto r = requireManager(who, *room, *me); !r)
        return tl::unexpected(r.error());
    return room;
}

} // namespace

Result<void> RoomService::checkAccounts(const QList<qint64> &ids) const
{
    if (ids.isEmpty())
        return {};
    auto found = m_ctx.directory->findByIds(ids);
    if (!found)
        return tl::unexpected(found.error());
    QSet<qint64> active;
    for (const auto &u : *found) {
        if (u.state == Contracts::AccountState::Active)
            active.insert(u.id);
    }
    for (int i = 0; i < ids.size(); ++i) {
        if (!active.contains(ids[i]))
            return tl::unexpected(invalidField(QStringLiteral("members[%1]").arg(i), QStringLiteral("no such account"),
                                               QStringLiteral("not_found")));
    }
    return {};
}

Result<void> RoomService::checkChannelMembers(const Principal &who, qint64 communityId, const QList<qint64> &invited) const
{
    // Site admins open channels anywhere; everyone else in their own communities.
    if (!who.hasRole(Role::Admin)) {
        if (auto r = requireCommunityMember(m_ctx, communityId, who.userId, QStringLiteral("communityId")); !r)
            return r;
    }
    for (qsizetype i = 0; i < invited.size(); ++i) {
        if (auto r = requireCommunityMember(m_ctx, communityId, invited[i], QStringLiteral("members[%1]").arg(i)); !r)
            return r;
    }
    return {};
}

Result<RoomDetails> RoomService::create(const Principal &who, const NewRoom &spec)
{
    QList<qint64> invited;
    for (qint64 id : spec.members) {
        if (id != who.userId && !invited.contains(id))
            invited.append(id);
    }
    if (auto r = checkAccounts(invited); !r)
        return tl::unexpected(r.error());
    if (spec.kind == RoomKind::Channel) {
        if (auto r = checkChannelMembers(who, spec.communityId, invited); !r)
            return tl::unexpected(r.error());
    }
    const int cap = spec.kind == RoomKind::Channel ? m_ctx.config.channelMemberLimit : m_ctx.config.groupMemberLimit;
    Room room{0, spec.kind, spec.name, spec.topic, spec.communityId};
    room.memberLimit = spec.memberLimit ? spec.memberLimit : cap;
    room.createdBy = who.userId;
    if (room.memberLimit > cap)
        return tl::unexpected(invalidField(QStringLiteral("memberLimit"), QStringLiteral("at most %1").arg(cap),
                                           QStringLiteral("out_of_range")));
    if (invited.size() + 1 > room.memberLimit)
        return tl::unexpected(invalidField(QStringLiteral("members"), QStringLiteral("more than the member limit"),
                                           QStringLiteral("too_many")));
    auto created = m_ctx.db->transact<RoomDetails>([&](pqxx::work &tx) -> Result<RoomDetails> {
        ChatRepository repo(tx);
        const qint64 id = repo.createRoom(room);
        if (auto r = changeMembership(m_ctx, tx, repo, id, who.userId, true, MemberRole::Owner); !r)
            return tl::unexpected(r.error());
        for (qint64 u : invited) {
            if (auto r = changeMembership(m_ctx, tx, repo, id, u, true); !r)
                return tl::unexpected(r.error());
        }
        return RoomDetails{*repo.room(id), repo.member(id, who.userId)};
    });
    if (created) {
        m_ctx.cache->set(created->room.id, who.userId, true);
        for (qint64 u : invited)
            m_ctx.cache->set(created->room.id, u, true);
    }
    return created;
}

Result<RoomDetails> RoomService::room(const Principal &who, qint64 roomId)
{
    return m_ctx.db->transact<RoomDetails>([&](pqxx::work &tx) -> Result<RoomDetails> {
        ChatRepository repo(tx);
        RoomDetails d;
        auto room = readableRoom(repo, who, roomId, &d.me);
        if (!room)
            return tl::unexpected(room.error());
        d.room = *room;
        return d;
    });
}

Result<QList<RoomView>> RoomService::roomsOf(qint64 userId)
{
    return m_ctx.db->read<QList<RoomView>>([&](pqxx::nontransaction &tx) -> Result<QList<RoomView>> {
        return ChatRepository(tx).roomsOf(userId);
    });
}

Result<RoomDetails> RoomService::update(const Principal &who, qint64 roomId, const std::optional<QString> &name,
                                        const std::optional<QString> &topic)
{
    return m_ctx.db->transact<RoomDetails>([&](pqxx::work &tx) -> Result<RoomDetails> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto room = managedRoom(repo, who, roomId, &me);
        if (!room)
            return tl::unexpected(room.error());
        repo.updateRoom(roomId, name, topic);
        RoomDetails d{*repo.room(roomId), me};
        auto r = publishRoomFrame(m_ctx, tx, roomId, QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("room.updated")},
            {QStringLiteral("name"), d.room.name},
            {QStringLiteral("topic"), d.room.topic},
        });
        if (!r)
            return tl::unexpected(r.error());
        return d;
    });
}

Result<QList<Member>> RoomService::members(const Principal &who, qint64 roomId)
{
    return m_ctx.db->transact<QList<Member>>([&](pqxx::work &tx) -> Result<QList<Member>> {
        ChatRepository repo(tx);
        if (auto room = readableRoom(repo, who, roomId); !room)
            return tl::unexpected(room.error());
        return repo.members(roomId);
    });
}

Result<bool> RoomService::invite(const Principal &who, qint64 roomId, qint64 userId)
{
    if (auto r = checkAccounts({userId}); !r)
        return tl::unexpected(invalidField(QStringLiteral("userId"), QStringLiteral("no such account"),
                                           QStringLiteral("not_found")));
    auto peeked = peekRoom(m_ctx, roomId);
    if (!peeked)
        return tl::unexpected(peeked.error());
    if (*peeked && (*peeked)->kind == RoomKind::Channel) {
        if (auto r = requireCommunityMember(m_ctx, (*peeked)->communityId, userId, QStringLiteral("userId")); !r)
            return tl::unexpected(r.error());
    }
    auto added = m_ctx.db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto room = managedRoom(repo, who, roomId, &me);
        if (!room)
            return tl::unexpected(room.error());
        if (repo.member(roomId, userId))
            return false;
        if (room->memberCount >= room->memberLimit)
            return tl::unexpected(roomFull());
        return changeMembership(m_ctx, tx, repo, roomId, userId, true);
    });
    if (added && *added)
        m_ctx.cache->set(roomId, userId, true);
    return added;
}

Result<bool> RoomService::remove(const Principal &who, qint64 roomId, qint64 userId)
{
    auto removed = m_ctx.db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto room = readableRoom(repo, who, roomId, &me, true);
        if (!room)
            return tl::unexpected(room.error());
        if (room->kind == RoomKind::Dm)
            return tl::unexpected(notAllowed(QStringLiteral("Nobody leaves a direct conversation; block the account instead.")));
        const auto target = repo.member(roomId, userId);
        if (!target)
            return false;
        if (userId == who.userId) {
            if (target->role == MemberRole::Owner && room->memberCount > 1)
                return tl::unexpected(chatError(ErrorCode::Conflict, QStringLiteral("owner-must-transfer"),
                                                QStringLiteral("Make another member owner before you leave.")));
        } else if (!who.hasRole(Role::Admin) && (!me || int(me->role) <= int(target->role)
                                                  || int(me->role) < int(MemberRole::Admin))) {
            return tl::unexpected(notAllowed(QStringLiteral("You may only remove members below your own role.")));
        }
        return changeMembership(m_ctx, tx, repo, roomId, userId, false);
    });
    if (removed && *removed)
        m_ctx.cache->set(roomId, userId, false);
    return removed;
}

Result<void> RoomService::setRole(const Principal &who, qint64 roomId, qint64 userId, MemberRole role)
{
    return m_ctx.db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        if (auto room = managedRoom(repo, who, roomId, &me); !room)
            return tl::unexpected(room.error());
        if (!who.hasRole(Role::Admin) && (!me || me->role != MemberRole::Owner))
            return tl::unexpected(notAllowed(QStringLiteral("Only the owner changes roles.")));
        if (!repo.member(roomId, userId))
            return tl::unexpected(notFound(QStringLiteral("No such member.")));
        if (role == MemberRole::Owner && me && me->userId != userId)
            repo.setRole(roomId, who.userId, MemberRole::Admin);   // ownership moves, one owner
        repo.setRole(roomId, userId, role);
        return publishRoomFrame(m_ctx, tx, roomId, QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("member.role")},
            {QStringLiteral("userId"), QString::number(userId)},
            {QStringLiteral("role"), memberRoleName(role)},
        });
    });
}

Result<bool> RoomService::join(const Principal &who, qint64 roomId)
{
    auto peeked = peekRoom(m_ctx, roomId);
    if (!peeked)
        return tl::unexpected(peeked.error());
    // A channel's community may have lost the member since: checked again at every join.
    if (*peeked && (*peeked)->kind == RoomKind::Channel) {
        if (auto r = requireCommunityMember(m_ctx, (*peeked)->communityId, who.userId); !r)
            return tl::unexpected(r.error());
    }
    auto joined = m_ctx.db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        ChatRepository repo(tx);
        auto room = repo.lockRoom(roomId);
        if (!room || room->kind != RoomKind::Channel) {
            if (room && repo.member(roomId, who.userId))
                return false;
            return tl::unexpected(noRoom());
        }
        if (repo.member(roomId, who.userId))
            return false;
        if (room->memberCount >= room->memberLimit)
            return tl::unexpected(roomFull());
        return changeMembership(m_ctx, tx, repo, roomId, who.userId, true);
    });
    if (joined && *joined)
        m_ctx.cache->set(roomId, who.userId, true);
    return joined;
}

} // namespace Chat
