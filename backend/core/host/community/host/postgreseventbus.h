// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The PostgreSQL implementation of the event bus (host only; plugins see EventBus).
/// See community/eventbus.h for the delivery guarantees and docs/adr/0005-event-bus.md.

#include "community/eventbus.h"
#include "community/host/migrator.h"

namespace prometheus { class Registry; }

namespace Community::Db { class Database; }
namespace Community::Chaos { class FaultRegistry; }

namespace Community::Events {

struct EventBusConfig {
    int maxAttempts = 5;          ///< failures before an event is dead for a consumer
    int backoffBaseMs = 1000;     ///< first retry delay; doubles per attempt
    int backoffMaxMs = 300'000;
    int batchSize = 100;
    int pollIntervalMs = 500;     ///< safety-net poll (NOTIFY is only a hint)
    int notifyCoalesceMs = 10;    ///< at most one NOTIFY per window per process
    /// Outbox retention: events older than this that every consumer offset has passed
    /// (and that no failed delivery still refers to) are deleted. 0 keeps events forever.
    int retentionHours = 0;     ///< 0 = keep every event (projections rebuild by replay)
    int retentionIntervalMs = 600'000;  ///< how often each process prunes (first run at start)
    int retentionBatch = 500;           ///< rows per DELETE transaction
};

class PostgresEventBus final : public EventBus {
public:
    /// `registry` may be null; it must outlive the bus. `db` provides the connection
    /// string (the bus opens its own LISTEN/NOTIFY and dispatcher connections) and the
    /// pool for the operator tools.
    PostgresEventBus(Db::Database &db, EventBusConfig config = {}, prometheus::Registry *registry = nullptr);
    ~PostgresEventBus() override;

    /// The core's migration set ("events", from :/migrations/events).
    static Result<MigrationSet> migrations();

    Result<qint64> publish(pqxx::transaction_base &tx, const QString &type, const QString &aggregate,
                           const QJsonObject &payload) override;
    void subscribe(const QString &consumer, const QStringList &types, Handler handler) override;
    void subscribeBatch(const QString &consumer, const QStringList &types, BatchHandler handler) override;
    Result<void> start() override;
    void stop() override;
    void wake() override;
    Result<QList<Event>> tail(qint64 afterId, int limit) override;
    Result<QList<ConsumerStatus>> consumers() override;
    Result<void> replay(const QString &consumer, qint64 fromId) override;
    Result<qint64> retryDead(const QString &consumer) override;

    /// The highest id below which every outbox id is final (committed or never will be);
    /// consumers only read up to it. For tests and diagnostics.
    qint64 horizon() const;

    void subscribeBroadcast(const QStringList &types, Handler handler) override;

    /// Delivery faults (chaos: delay, duplicate, pause a consumer); null = none. Before start().
    void setFaults(Chaos::FaultRegistry *faults);

    struct Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace Community::Events
