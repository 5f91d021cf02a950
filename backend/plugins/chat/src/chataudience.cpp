// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chataudience.h"

#include "community/database.h"

using namespace Community;
using Community::Contracts::ChatMessageAudience;

namespace Chat {

Result<ChatMessageAudience> ChatAudience::audienceOf(qint64 messageId, int maxMembers) const
{
    return m_ctx.db->read<ChatMessageAudience>([&](pqxx::nontransaction &tx) -> Result<ChatMessageAudience> {
        ChatRepository repo(tx);
        const auto m = repo.message(messageId);
        if (!m)
            return tl::unexpected(notFound(QStringLiteral("No such chat message.")));
        const auto room = repo.room(m->roomId);
        if (!room)
            return tl::unexpected(noRoom());
        ChatMessageAudience a;
        a.messageId = m->id;
        a.roomId = room->id;
        a.roomKind = kindName(room->kind);
        a.roomName = room->name;
        a.memberCount = room->memberCount;
        a.seq = m->seq;
        a.senderId = m->senderId;
        a.threadRootId = m->threadRootId;
        a.deleted = m->deleted();
        a.mentioned = m->mentions;
        if (room->memberCount > maxMembers)
            return a;
        QList<qint64> ids;
        for (const Member &member : repo.members(room->id))
            if (member.userId != m->senderId) {
                a.members.append({member.userId, member.lastReadSeq, false});
                ids.append(member.userId);
            }
        const QHash<qint64, PresenceState> presence = repo.presence(ids);
        for (ChatMessageAudience::Member &member : a.members)
            member.online = presence.value(member.userId, PresenceState::Offline) == PresenceState::Online;
        return a;
    });
}

} // namespace Chat
