// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "queuemoderation.h"

#include "attachments.h"
#include "chatjson.h"

#include "community/contracts/events/chat.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/json.h"

using namespace Community;
using Community::Contracts::ModerationTarget;
using Community::Contracts::ResolvedReport;

namespace Chat {

namespace {

ModerationTarget targetOf(const Message &m, const Room &room)
{
    ModerationTarget t;
    t.type = QString::fromLatin1(Contracts::kChatMessageTarget);
    t.id = m.id;
    t.authorId = m.senderId;
    t.communityId = room.communityId;
    t.postId = room.id;
    t.state = m.deleted() ? QStringLiteral("removed") : QStringLiteral("visible");
    t.excerpt = m.body.left(140);
    return t;
}

Error mayNot()
{
    return forbidden(QStringLiteral("Only site moderators and admins decide reported chat messages."));
}

} // namespace

Result<ModerationTarget> QueueModeration::message(qint64 messageId) const
{
    return m_ctx.db->read<ModerationTarget>([&](pqxx::nontransaction &tx) -> Result<ModerationTarget> {
        ChatRepository repo(tx);
        const auto m = repo.message(messageId);
        if (!m)
            return tl::unexpected(notFound(QStringLiteral("No such chat message.")));
        return targetOf(*m, *repo.room(m->roomId));
    });
}

Result<ModerationTarget> QueueModeration::setMessageRemoved(const Principal &who, qint64 messageId, bool removed)
{
    if (!who.hasRole(Role::Moderator))
        return tl::unexpected(mayNot());
    std::optional<Message> restored;
    auto out = m_ctx.db->transact<ModerationTarget>([&](pqxx::work &tx) -> Result<ModerationTarget> {
        restored.reset();
        ChatRepository repo(tx);
        const auto found = repo.message(messageId);
        if (!found)
            return tl::unexpected(notFound(QStringLiteral("No such chat message.")));
        const Room room = *repo.lockRoom(found->roomId);
        if (removed && !found->deleted()) {
            repo.softDelete(messageId);
            if (auto r = publishDeleted(m_ctx, tx, *found); !r)
                return tl::unexpected(r.error());
        } else if (!removed && found->deleted()) {
            repo.restore(messageId);
            repo.cancelReleases(attachmentHolder(found->senderId, found->clientId));
            QList<Message> one{*repo.message(messageId)};
            repo.loadAttachments(one);
            restored = one[0];
            if (m_ctx.events) {
                const Message &m = one[0];
                const Contracts::Events::Chat::MessageRevised e{m.id, m.roomId, m.senderId, m.body, m.createdAt, true};
                if (auto r = Events::publishEvent(*m_ctx.events, tx, e); !r)
                    return tl::unexpected(r.error());
            }
            auto r = publishRoomFrame(m_ctx, tx, room.id, {{QStringLiteral("kind"), QStringLiteral("message.restored")},
                                                            {QStringLiteral("message"), messageJson(one[0])}});
            if (!r)
                return tl::unexpected(r.error());
        }
        return targetOf(*repo.message(messageId), room);
    });
    if (out && removed)
        drainReleases(m_ctx);
    if (out && restored)
        reacquireAttachments(m_ctx, *restored);
    return out;
}

Result<QList<ResolvedReport>> QueueModeration::resolveMessageReports(const Principal &who, qint64 messageId,
                                                                     const QString &resolution)
{
    if (!who.hasRole(Role::Moderator))
        return tl::unexpected(mayNot());
    if (resolution != QLatin1String("resolved") && resolution != QLatin1String("dismissed"))
        return tl::unexpected(Error::make(ErrorCode::InvalidArgument, QStringLiteral("resolution: resolved or dismissed")));
    return m_ctx.db->transact<QList<ResolvedReport>>([&](pqxx::work &tx) -> Result<QList<ResolvedReport>> {
        QList<ResolvedReport> out;
        for (const auto &[reportId, reporterId] : ChatRepository(tx).resolveReports(messageId, resolution, who.userId))
            out.append(ResolvedReport{reportId, reporterId});
        return out;
    });
}

} // namespace Chat
