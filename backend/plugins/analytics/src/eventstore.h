// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Where raw analytics events live. PostgreSQL (daily range partitions, PostgresEventStore)
/// today; the interface is what a column store (ClickHouse) would implement to take the
/// raw events later — rollups and reports never read raw events, except to rebuild.
/// Threading: called on worker threads with the caller's transaction.

#include "rawevent.h"

#include <QDate>
#include <QList>

#include <functional>

namespace pqxx { class transaction_base; }

namespace Analytics {

struct LiveFigures {
    qint64 activeUsers = 0;     ///< signed-in users with an event in the last 5 minutes
    qint64 visitors = 0;        ///< distinct anonymous address hashes in the last 5 minutes
    qint64 eventsLastMinute = 0;
};

class IEventStore {
public:
    virtual ~IEventStore() = default;

    /// Records the dedup keys and returns the events not seen before, in order; of those,
    /// stores the raw rows of the ones on or after `rawFrom` (older days were dropped by
    /// retention: a replayed old fact still counts in the rollups, its raw row is gone).
    virtual QList<RawEvent> insertNew(pqxx::transaction_base &tx, const QList<RawEvent> &events, QDate rawFrom) = 0;
    /// Creates the daily partitions for [first, last] that do not exist yet.
    virtual void ensurePartitions(pqxx::transaction_base &tx, QDate first, QDate last) = 0;
    /// Drops whole days before `day`; returns the days dropped.
    virtual QList<QDate> dropPartitionsBefore(pqxx::transaction_base &tx, QDate day) = 0;
    virtual QList<QDate> partitions(pqxx::transaction_base &tx) = 0;
    /// Forgets client dedup keys older than `hours`.
    virtual void pruneKeys(pqxx::transaction_base &tx, int hours) = 0;
    /// The account's events lose their user id.
    virtual void anonymiseUser(pqxx::transaction_base &tx, qint64 userId) = 0;
    /// Removes every server fact and its bus keys (before a replay rebuilds them).
    virtual void deleteServerFacts(pqxx::transaction_base &tx) = 0;
    /// Every stored client event, in chunks of at most `chunk`, in no particular order:
    /// what a rebuild of the rollups reads (one pass, no index needed).
    virtual void scanClient(pqxx::transaction_base &tx, int chunk,
                            const std::function<void(const QList<RawEvent> &)> &sink) = 0;
    virtual LiveFigures live(pqxx::transaction_base &tx) = 0;
};

} // namespace Analytics
