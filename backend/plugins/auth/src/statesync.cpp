// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "statesync.h"

#include "accountrepository.h"
#include "authconfig.h"
#include "authlog.h"
#include "authstate.h"
#include "keyrepository.h"
#include "sessionrepository.h"

#include "community/database.h"


using namespace Community;

namespace Auth {

Result<void> StateSync::reload()
{
    const quint64 startedAt = m_state.version();
    StateSnapshot snap;
    auto r = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        KeyRepository keys(tx);
        const SigningKeys signing = keys.activeSigningKeys();
        snap = StateSnapshot{};
        snap.keys = signing.keys;
        snap.activeKid = signing.newestKid;
        // Access tokens of a revoked session stay valid until they expire: remember it that long.
        snap.revokedSessions = SessionRepository(tx).recentlyRevoked(m_config.accessTokenTtlSeconds + 60);
        for (const auto &[id, flags] : AccountRepository(tx).flagged())
            snap.users.insert(id, flags);
        snap.apiKeys = keys.activeApiKeys();
        return {};
    });
    if (!r)
        return r;
    m_state.apply(std::move(snap), startedAt);
    return {};
}

void StateSync::flushUsage()
{
    const auto usage = m_state.takeKeyUsage();
    const auto seen = m_state.takeSessionActivity(m_config.sessionActivityMs);
    if (usage.isEmpty() && seen.isEmpty())
        return;
    auto r = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        KeyRepository keys(tx);
        for (const auto &[id, ms] : usage)
            keys.recordApiKeyUse(id, ms);
        if (!seen.isEmpty())
            SessionRepository(tx).seenAt(seen);
        return {};
    });
    if (!r)
        qCWarning(lcAuth) << "recording API key and session use failed:" << r.error().logDetail;
}

} // namespace Auth
