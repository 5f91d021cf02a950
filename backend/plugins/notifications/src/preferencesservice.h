// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Reading and changing a user's notification preferences and muted threads. Blocking:
/// worker threads only. Errors are values.

#include "preferences.h"
#include "preferencesrepository.h"

namespace Community::Db { class Database; }

namespace Notifications {

class PreferencesService {
public:
    explicit PreferencesService(Community::Db::Database &db) : m_db(db) {}

    Community::Result<Preferences> get(qint64 userId);
    /// Applies a validated patch atomically; returns the result.
    Community::Result<Preferences> update(qint64 userId, const PreferencesPatch &patch);
    /// Mutes or unmutes a thread or a chat room for the user (idempotent).
    Community::Result<void> setMuted(PreferencesRepository::Mute what, qint64 userId, qint64 id, bool muted);

private:
    Community::Db::Database &m_db;
};

} // namespace Notifications
