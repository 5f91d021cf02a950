// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The watched-word rules in force, compiled, held in memory so that checking a text never
/// blocks; reloaded by refresh() after every rule change on this node and on the plugin's
/// timer (changes made on other nodes). Enforcement at write time needs a gate in content
/// (ADR 0012: not done yet); today matches open queue items after the write (RulesService).
/// Threading: words() from any thread; refresh() on workers. The snapshot is swapped under
/// a mutex.

#include "watchedwords.h"

#include "community/result.h"

#include <memory>
#include <mutex>

namespace Community::Db { class Database; }

namespace Admin {

class ContentPolicy {
public:
    explicit ContentPolicy(Community::Db::Database &db) : m_db(db) {}

    /// The current watched words (empty before the first refresh).
    std::shared_ptr<const WatchedWords> words() const;
    Community::Result<void> refresh();

private:
    Community::Db::Database &m_db;
    mutable std::mutex m_mutex;
    std::shared_ptr<const WatchedWords> m_words = std::make_shared<WatchedWords>(QList<WatchRule>{});
};

} // namespace Admin
