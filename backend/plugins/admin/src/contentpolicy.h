// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the admin plugin enforces when content is written (ADR 0024): the watched-word
/// rules in force, compiled, and the accounts under a silence. Held in memory so that a
/// check never blocks. It is the IWritePolicy admin adds to content's write gate:
/// a silenced author is refused (403 `silenced`, with the end), and a text matching a
/// `block` rule is refused (400 `watched-word`, a field error per field); `flag` rules
/// still open a queue item after the write (RulesService).
/// Kept current by refresh() (start, after every rule change on this node, on the
/// plugin's sweep timer) and by silenced()/unsilenced() from the penalty events every
/// node receives. A silence past its end no longer refuses, even before the sweep lifts it.
/// Threading: check()/words() from any thread; refresh() on workers; state swapped under
/// a mutex.

#include "watchedwords.h"

#include "community/contracts/writegate.h"
#include "community/result.h"

#include <QDateTime>
#include <QHash>

#include <memory>
#include <mutex>

namespace Community::Db { class Database; }

namespace Admin {

class ContentPolicy final : public Community::Contracts::IWritePolicy {
public:
    explicit ContentPolicy(Community::Db::Database &db) : m_db(db) {}

    /// The current watched words (empty before the first refresh).
    std::shared_ptr<const WatchedWords> words() const;
    /// Reloads the rules and the active silences.
    Community::Result<void> refresh();
    /// A silence given (`until` invalid: no end) or lifted, as the penalty events say.
    void silenced(qint64 userId, const QDateTime &until);
    void unsilenced(qint64 userId);

    std::optional<Community::Error> check(const Community::Contracts::WriteAttempt &attempt) const override;

private:
    std::optional<Community::Error> silenceOf(qint64 userId) const;

    Community::Db::Database &m_db;
    mutable std::mutex m_mutex;
    std::shared_ptr<const WatchedWords> m_words = std::make_shared<WatchedWords>(QList<WatchRule>{});
    QHash<qint64, QDateTime> m_silences;   ///< account → end (invalid: none)
};

} // namespace Admin
