// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "relations.h"

#include "community/database.h"

#include <prometheus/counter.h>
#include <prometheus/registry.h>

using Community::Result;
using Community::Contracts::ViewerRelations;

namespace Users {

UserRelations::UserRelations(Community::Db::Database &db, int maxEntries, int ttlMs, prometheus::Registry *registry)
    : m_db(db), m_maxEntries(maxEntries), m_ttl(ttlMs)
{
    if (!registry)
        return;
    auto &family = prometheus::BuildCounter()
                       .Name("community_users_relations_cache_total")
                       .Help("Viewer relation cache lookups and removals by result")
                       .Register(*registry);
    m_hits = &family.Add({{"result", "hit"}});
    m_misses = &family.Add({{"result", "miss"}});
    m_evictions = &family.Add({{"result", "eviction"}});
    m_invalidations = &family.Add({{"result", "invalidation"}});
}

void UserRelations::count(prometheus::Counter *c) const
{
    if (c)
        c->Increment();
}

Result<ViewerRelations> UserRelations::relationsOf(qint64 viewerId) const
{
    if (m_maxEntries <= 0)
        return load(viewerId);
    quint64 generation = 0;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.constFind(viewerId);
        if (it != m_entries.cend() && it->expires > std::chrono::steady_clock::now()) {
            count(m_hits);
            return it->relations;
        }
        generation = m_generation;
    }
    count(m_misses);
    auto loaded = load(viewerId);
    if (!loaded)
        return loaded;
    std::lock_guard lock(m_mutex);
    if (generation != m_generation)
        return loaded;   // something was forgotten meanwhile: this answer may predate it
    const auto now = std::chrono::steady_clock::now();
    if (m_entries.size() >= m_maxEntries) {
        const auto before = m_entries.size();
        m_entries.removeIf([now](const auto &e) { return e.value().expires <= now; });
        if (m_entries.size() >= m_maxEntries)
            m_entries.clear();
        if (m_evictions)
            m_evictions->Increment(double(before - m_entries.size()));
    }
    m_entries.insert(viewerId, Entry{*loaded, now + m_ttl});
    return loaded;
}

void UserRelations::forget(qint64 a, qint64 b)
{
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_entries.remove(a);
    m_entries.remove(b);
    count(m_invalidations);
}

void UserRelations::forgetAll()
{
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_entries.clear();
    count(m_invalidations);
}

Result<ViewerRelations> UserRelations::load(qint64 viewerId) const
{
    return m_db.read<ViewerRelations>([viewerId](pqxx::nontransaction &tx) -> Result<ViewerRelations> {
        // kind 0: followed; kind 1: hidden (blocked by or blocking the viewer, or muted);
        // kind 2: blocking the viewer (they refuse the viewer's comments, votes, mentions).
        // Prepared: it runs on every cache miss, and planning it cost more than running it.
        tx.conn().prepare("users_relations_of",
                          "SELECT 0, followee_id FROM users.follows WHERE follower_id = $1 "
                          "UNION ALL SELECT 1, blocked_id FROM users.blocks WHERE blocker_id = $1 "
                          "UNION ALL SELECT 1, blocker_id FROM users.blocks WHERE blocked_id = $1 "
                          "UNION ALL SELECT 1, muted_id FROM users.mutes WHERE muter_id = $1 "
                          "UNION ALL SELECT 2, blocker_id FROM users.blocks WHERE blocked_id = $1 "
                          "ORDER BY 1, 2");
        const auto rows = tx.exec_prepared("users_relations_of", viewerId);
        ViewerRelations out;
        for (const auto &row : rows) {
            const qint64 id = row[1].as<qint64>();
            const int kind = row[0].as<int>();
            QList<qint64> &list = kind == 0 ? out.following : kind == 1 ? out.hidden : out.blockedBy;
            if (list.isEmpty() || list.back() != id)
                list.append(id);
        }
        return out;
    });
}

} // namespace Users
