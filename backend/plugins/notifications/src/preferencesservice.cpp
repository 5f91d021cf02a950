// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "preferencesservice.h"

#include "preferencesrepository.h"

#include "community/database.h"

using namespace Community;

namespace Notifications {

Result<Preferences> PreferencesService::get(qint64 userId)
{
    return m_db.read<Preferences>([&](pqxx::nontransaction &tx) -> Result<Preferences> {
        return PreferencesRepository(tx).load(userId);
    });
}

Result<Preferences> PreferencesService::update(qint64 userId, const PreferencesPatch &patch)
{
    return m_db.transact<Preferences>([&](pqxx::work &tx) -> Result<Preferences> {
        PreferencesRepository repo(tx);
        Preferences p = repo.loadForUpdate(userId);
        applyPatch(p, patch);
        repo.save(userId, p);
        return p;
    });
}

Result<void> PreferencesService::setMuted(PreferencesRepository::Mute what, qint64 userId, qint64 id, bool muted)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        PreferencesRepository(tx).setMute(what, userId, id, muted);
        return {};
    });
}

} // namespace Notifications
