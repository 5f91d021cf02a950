// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "presenceservice.h"

#include "community/database.h"

using namespace Community;

namespace Chat {

Result<PresenceState> PresenceService::set(qint64 userId, const QString &device, PresenceState state)
{
    return m_ctx.db->transact<PresenceState>([&](pqxx::work &tx) -> Result<PresenceState> {
        ChatRepository repo(tx);
        if (state == PresenceState::Offline)
            repo.clearPresence(userId, device);
        else
            repo.setPresence(userId, device, state, m_ctx.config.presenceTtlSeconds);
        return repo.presence({userId}).value(userId, PresenceState::Offline);
    });
}

Result<QHash<qint64, PresenceState>> PresenceService::of(const QList<qint64> &userIds)
{
    return m_ctx.db->read<QHash<qint64, PresenceState>>([&](pqxx::nontransaction &tx) -> Result<QHash<qint64, PresenceState>> {
        return ChatRepository(tx).presence(userIds);
    });
}

Result<qint64> PresenceService::expire()
{
    return m_ctx.db->transact<qint64>([](pqxx::work &tx) -> Result<qint64> { return ChatRepository(tx).expirePresence(); });
}

Result<QHash<PresenceState, qint64>> PresenceService::counts()
{
    return m_ctx.db->read<QHash<PresenceState, qint64>>([](pqxx::nontransaction &tx) -> Result<QHash<PresenceState, qint64>> {
        return ChatRepository(tx).presenceCounts();
    });
}

} // namespace Chat
