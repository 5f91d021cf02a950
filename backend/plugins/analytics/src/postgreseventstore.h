// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// IEventStore on PostgreSQL: analytics.events partitioned by day (events_YYYYMMDD),
/// dedup keys in analytics.seen, multi-row inserts through unnest() (one statement per
/// batch and table). SQL only.

#include "eventstore.h"

namespace Analytics {

class PostgresEventStore final : public IEventStore {
public:
    QList<RawEvent> insertNew(pqxx::transaction_base &tx, const QList<RawEvent> &events, QDate rawFrom) override;
    void ensurePartitions(pqxx::transaction_base &tx, QDate first, QDate last) override;
    QList<QDate> dropPartitionsBefore(pqxx::transaction_base &tx, QDate day) override;
    QList<QDate> partitions(pqxx::transaction_base &tx) override;
    void pruneKeys(pqxx::transaction_base &tx, int hours) override;
    void anonymiseUser(pqxx::transaction_base &tx, qint64 userId) override;
    void deleteServerFacts(pqxx::transaction_base &tx) override;
    void scanClient(pqxx::transaction_base &tx, int chunk,
                    const std::function<void(const QList<RawEvent> &)> &sink) override;
    LiveFigures live(pqxx::transaction_base &tx) override;
};

} // namespace Analytics
