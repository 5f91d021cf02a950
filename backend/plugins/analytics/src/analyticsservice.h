// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Analytics rules and transactions: ingesting client batches (opt-out, IP hashing with a
/// daily salt, dedup, rollups in the same transaction), projecting bus facts idempotently,
/// account deletion, partition maintenance, rebuild by replay, live figures.
/// Threading: every method blocks (database): worker threads only.

#include "analyticsconfig.h"
#include "eventschema.h"
#include "eventstore.h"

#include "community/eventbus.h"

#include <QJsonObject>
#include <QMutex>

#include <pqxx/pqxx>

namespace Community::Db { class Database; }

namespace Analytics {

inline constexpr const char *kFactsConsumer = "analytics.facts";

struct Sender {
    qint64 userId = 0;       ///< 0: anonymous
    QString address;         ///< client address; hashed, never stored
    bool doNotTrack = false; ///< DNT: 1 or Sec-GPC: 1
};

struct IngestResult {
    int received = 0, accepted = 0, duplicates = 0, sampledOut = 0, clamped = 0;
    bool optedOut = false;
};

class AnalyticsService {
public:
    AnalyticsService(Community::Db::Database &db, IEventStore &store, AnalyticsConfig config,
                     Community::Events::EventBus *bus = nullptr);

    const AnalyticsConfig &config() const { return m_config; }

    /// Stores a validated batch: nothing for an opted-out user or a do-not-track request.
    Community::Result<IngestResult> ingest(const Sender &sender, ParsedBatch batch, const QDateTime &now);
    /// One event of the bus consumer: idempotent (bus ids are dedup keys).
    Community::Result<void> applyFact(const Community::Events::Event &event);
    /// Several events in one transaction (the bus's batch consumer, ADR 0033 §1); all or
    /// nothing.
    Community::Result<void> applyFacts(const QList<Community::Events::Event> &events);

    /// Partitions from the oldest kept day (at first: as far back as client times reach)
    /// to today + partitionsAhead, gaps filled; days past the retention dropped; old dedup
    /// keys and salts forgotten. Raw rows of older days are not stored (rollups are).
    Community::Result<QJsonObject> maintain(QDate today);
    /// Rollups from scratch: recomputed from the raw client events, server facts replayed
    /// through the bus (without a bus the caller redelivers them to applyFact()).
    Community::Result<QJsonObject> rebuild();

    /// Makes the configured report zones the counted ones (at start): a new zone's counters
    /// are built from active_hours while batches wait. Returns the zones added.
    Community::Result<QStringList> syncReportZones();

    Community::Result<void> setOptOut(qint64 userId, bool optOut);
    Community::Result<bool> optedOut(qint64 userId);
    Community::Result<QJsonObject> live();

private:
    QList<RawEvent> store(pqxx::transaction_base &tx, const QList<RawEvent> &events);
    QString ipHash(pqxx::transaction_base &tx, const QString &address, QDate day);
    QDate rawFrom() const;

    Community::Db::Database &m_db;
    IEventStore &m_store;
    AnalyticsConfig m_config;
    Community::Events::EventBus *m_bus;
    mutable QMutex m_mutex;
    QDate m_saltDay;
    QByteArray m_salt;
    QDate m_oldestPartition;
};

} // namespace Analytics
