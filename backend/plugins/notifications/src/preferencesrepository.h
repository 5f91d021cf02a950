// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for preferences, per-thread and per-room mutes (schema notifications), nothing else. Inside
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
    /// Stores `language` as the user's when they have no preferences row yet (nothing
    /// otherwise): a new account's language from its registration request.
    void adoptLanguage(qint64 userId, const QString &language);
    /// What a user can mute: a thread (a post's replies and mentions) or a chat room (its
    /// plain messages).
    enum class Mute { Thread, Room };
    /// Mutes or unmutes; true when that changed something.
    bool setMute(Mute what, qint64 userId, qint64 id, bool muted);
    bool muted(Mute what, qint64 userId, qint64 id);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Notifications
