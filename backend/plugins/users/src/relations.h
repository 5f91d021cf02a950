// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// IUserRelations for other plugins: who a viewer follows and whose content is hidden
/// from the viewer (blocks either way, mutes). Every signed-in feed, post page, vote and
/// search asks, so the answers are held in memory per viewer (ADR 0015):
/// - bounded (`maxEntries`; when full, expired entries go first, then everything),
/// - current: a change on this node forgets both accounts before its HTTP answer
///   (forget(), read-your-writes); other nodes forget them when users.relation.changed
///   reaches them through the bus's broadcast; a deleted account empties the cache;
/// - with a longest life `ttlMs` as a safety net for a lost broadcast;
/// - a load that began before a forget() is answered but not kept.
/// Metrics: community_users_relations_cache_total{result=hit|miss|eviction|invalidation}.
///
/// Threading: all methods are thread-safe (one mutex; the work under it is a hash lookup).

#include "community/contracts/users.h"

#include <QHash>

#include <chrono>
#include <mutex>

namespace Community::Db { class Database; }
namespace prometheus { class Registry; template <typename T> class Family; class Counter; }

namespace Users {

class UserRelations final : public Community::Contracts::IUserRelations {
public:
    /// maxEntries 0 turns the cache off. `registry` may be null (no metrics).
    UserRelations(Community::Db::Database &db, int maxEntries, int ttlMs, prometheus::Registry *registry);
    Community::Result<Community::Contracts::ViewerRelations> relationsOf(qint64 viewerId) const override;

    /// Drops what is held for these accounts (a relation between them changed).
    void forget(qint64 a, qint64 b);
    /// Drops everything (an account was deleted: it was on unknown others' lists).
    void forgetAll();

private:
    struct Entry {
        Community::Contracts::ViewerRelations relations;
        std::chrono::steady_clock::time_point expires;
    };
    Community::Result<Community::Contracts::ViewerRelations> load(qint64 viewerId) const;
    void count(prometheus::Counter *c) const;

    Community::Db::Database &m_db;
    const int m_maxEntries;
    const std::chrono::milliseconds m_ttl;
    mutable std::mutex m_mutex;
    mutable QHash<qint64, Entry> m_entries;
    quint64 m_generation = 0;   ///< bumped by every forget
    prometheus::Counter *m_hits = nullptr, *m_misses = nullptr, *m_evictions = nullptr, *m_invalidations = nullptr;
};

} // namespace Users
