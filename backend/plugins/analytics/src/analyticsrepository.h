// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL of the analytics schema besides raw events: rollups (hourly, daily, active hours),
/// signups, report lifecycles, opt-outs, daily IP salts, pseudonyms for deleted accounts.
/// SQL only; the caller's transaction.

#include "rollup.h"

#include <QByteArray>
#include <QDate>

namespace pqxx { class transaction_base; }

namespace Analytics {

inline constexpr int kRollupShards = 8;

class AnalyticsRepository {
public:
    explicit AnalyticsRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Adds a batch's delta to `shard` (0..kRollupShards-1) of the counts: one upsert per
    /// table, rows in key order. With `counters`, the new (hour, user) pairs also update the
    /// distinct-user counters of the report zones (a rebuild recomputes those at the end).
    void addRollups(const RollupDelta &delta, int shard = 0, bool counters = true);
    /// Empties every rollup and projection table (a rebuild starts here).
    void clearRollups();
    /// The report zones' counters from scratch, from active_hours and accounts.
    void rebuildCounters();
    /// Makes the report zones `zones`: counters of a new zone are built from active_hours,
    /// those of a zone no longer listed are dropped. Returns the zones added.
    QStringList syncZones(const QStringList &zones);

    void addAccount(qint64 userId, const QDateTime &signedUpAt, int shard = 0);
    void reportOpened(qint64 reportId, qint64 communityId, const QDateTime &at);
    void reportResolved(qint64 reportId, qint64 moderatorId, const QString &resolution, const QDateTime &at);
    /// The account's rollup rows and signup move to one fresh negative pseudonym.
    void pseudonymise(qint64 userId);

    bool optedOut(qint64 userId);
    void setOptOut(qint64 userId, bool out);

    /// Today's salt for IP hashes (created on first use); salts older than yesterday are deleted.
    QByteArray saltFor(QDate day);
    void pruneSalts(QDate today);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Analytics
