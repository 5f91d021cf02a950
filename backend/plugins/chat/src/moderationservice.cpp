// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "moderationservice.h"

#include "attachments.h"

#include "community/contracts/events/chat.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/json.h"

using namespace Community;

namespace Chat {

Result<bool> ModerationService::pin(const Principal &who, qint64 roomId, qint64 messageId, bool pinned)
{
    return m_ctx.db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto room = readableRoom(repo, who, roomId, &me, true);
        if (!room)
            return tl::unexpected(room.error());
        const bool manager = who.hasRole(Role::Admin) || room->kind == RoomKind::Dm
            || (me && int(me->role) >= int(MemberRole::Admin));
        if (!manager)
            return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("not-allowed"),
                                            QStringLiteral("Only the room's owner and admins pin messages.")));
        auto m = repo.message(messageId);
        if (!m || m->roomId != roomId || m->deleted())
            return tl::unexpected(notFound(QStringLiteral("No such message.")));
        const bool changed = pinned ? repo.pin(roomId, messageId, who.userId) : repo.unpin(roomId, messageId);
        if (!changed)
            return false;
        auto r = publishRoomFrame(m_ctx, tx, roomId, {
            {QStringLiteral("kind"), pinned ? QStringLiteral("message.pinned") : QStringLiteral("message.unpinned")},
            {QStringLiteral("messageId"), Json::idString(messageId)}});
        if (!r)
            return tl::unexpected(r.error());
        return true;
    });
}

Result<QList<Message>> ModerationService::pins(const Principal &who, qint64 roomId)
{
    return m_ctx.db->transact<QList<Message>>([&](pqxx::work &tx) -> Result<QList<Message>> {
        ChatRepository repo(tx);
        if (auto room = readableRoom(repo, who, roomId); !room)
            return tl::unexpected(room.error());
        QList<Message> out;
        for (qint64 id : repo.pins(roomId)) {
            if (auto m = repo.message(id))
                out.append(*m);
        }
        repo.loadReactions(out, who.userId);
        repo.loadAttachments(out);
        return out;
    });
}

Result<qint64> ModerationService::report(const Principal &who, qint64 roomId, qint64 messageId, const QString &reason)
{
    return m_ctx.db->transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto room = readableRoom(repo, who, roomId, &me);
        if (!room)
            return tl::unexpected(room.error());
        if (!me)
            return tl::unexpected(notMember());
        auto m = repo.message(messageId);
        if (!m || m->roomId != roomId || m->deleted())
            return tl::unexpected(notFound(QStringLiteral("No such message.")));
        if (m->senderId == who.userId)
            return tl::unexpected(invalidField(QStringLiteral("messageId"), QStringLiteral("is your own message"),
                                               QStringLiteral("self")));
        auto id = repo.report(messageId, who.userId, reason);
        if (!id)
            return tl::unexpected(chatError(ErrorCode::Conflict, QStringLiteral("already-reported"),
                                            QStringLiteral("You have already reported this message.")));
        if (m_ctx.events) {
            Contracts::Events::Chat::MessageReported e{*id, messageId, roomId, m->senderId, who.userId, reason,
                                                        m->body.left(140), room->communityId};
            if (auto r = Events::publishEvent(*m_ctx.events, tx, e); !r)
                return tl::unexpected(r.error());
        }
        return *id;
    });
}

Result<QList<Room>> ModerationService::rooms(qint64 afterId, int limit)
{
    return m_ctx.db->read<QList<Room>>([&](pqxx::nontransaction &tx) -> Result<QList<Room>> {
        return ChatRepository(tx).listRooms(afterId, limit);
    });
}

Result<PurgeResult> ModerationService::purge(qint64 roomId, const QDateTime &before, bool dryRun)
{
    auto purged = m_ctx.db->transact<PurgeResult>([&](pqxx::work &tx) -> Result<PurgeResult> {
        ChatRepository repo(tx);
        if (!repo.lockRoom(roomId))
            return tl::unexpected(noRoom());
        QList<std::pair<qint64, qint64>> deleted;
        const qint64 n = repo.purge(roomId, before, dryRun, &deleted);
        if (auto r = publishPurged(m_ctx, tx, deleted); !r)
            return tl::unexpected(r.error());
        return PurgeResult{n, dryRun};
    });
    if (purged && !dryRun)
        drainReleases(m_ctx);   // the purged messages' attachment references
    return purged;
}

Result<qint64> ModerationService::applyRetention()
{
    const ChatConfig &c = m_ctx.config;
    return m_ctx.db->transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        ChatRepository repo(tx);
        qint64 n = 0;
        QList<std::pair<qint64, qint64>> deleted;
        for (auto [kind, days] : {std::pair{RoomKind::Dm, c.retentionDaysDm}, std::pair{RoomKind::Group, c.retentionDaysGroup},
                                  std::pair{RoomKind::Channel, c.retentionDaysChannel}}) {
            if (days > 0)
                n += repo.purgeKind(kind, days, &deleted);
        }
        if (auto r = publishPurged(m_ctx, tx, deleted); !r)
            return tl::unexpected(r.error());
        return n;
    });
}

Result<void> ModerationService::measureBacklog()
{
    auto buckets = m_ctx.db->read<QList<qint64>>([](pqxx::nontransaction &tx) -> Result<QList<qint64>> {
        return ChatRepository(tx).backlogBuckets();
    });
    if (!buckets)
        return tl::unexpected(buckets.error());
    m_ctx.metrics->backlog(buckets->mid(0, ChatMetrics::kBacklogBuckets), buckets->last());
    return {};
}

} // namespace Chat
