// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for preferences and per-thread mutes (schema notifications), nothing else. Inside
/// the caller's transaction; blocking.

#include "preferences.h"

namespace pqxx { class transaction_base; }

namespace Notifications {

class PreferencesRepository {
public:
    explicit PreferencesRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// The stored preferences, or the defaults.
    Preferences load(qint64 userId);
    /// Locks the user's row (creating it) for a read-modify-write.
    Preferences loadForUpdate(qint64 userId);
    void save(qint64 userId, const Preferences &p);
    /// True when the mute is new / was there.
    bool muteThread(qint64 userId, qint64 postId);
    bool unmuteThread(qint64 userId, qint64 postId);
    bool threadMuted(qint64 userId, qint64 postId);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Notifications
