// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The event bus: a transactional outbox in PostgreSQL (schema `events`) and a dispatcher
/// that delivers each event at least once to every subscribed consumer, strictly in outbox
/// id order per consumer, with per-consumer offsets, retries with exponential backoff and
/// a dead-letter state. Several processes on one database share the work: each consumer is
/// claimed by one process at a time (SELECT ... FOR UPDATE SKIP LOCKED on its offset row).
/// Events older than the retention that every consumer has passed are pruned periodically.
/// See docs/adr/0005-event-bus.md.
///
/// `EventBus` is the interface plugins use (so NATS JetStream can replace the PostgreSQL
/// implementation later); `PostgresEventBus` is the implementation.
///
/// Threading: publish() is thread-safe and blocking (it runs a statement in the caller's
/// transaction: worker threads only). subscribe() only before start(). Handlers run on the
/// bus's own consumer threads (one per consumer), never on an event-loop thread; they must
/// be idempotent and must not throw (an exception is caught and counted as a failure).

#include "community/migrator.h"
#include "community/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace pqxx { class transaction_base; }
namespace prometheus { class Registry; }

namespace Community::Db { class Database; }

namespace Community::Events {

struct Event {
    qint64 id = 0;
    QString type;        ///< "content.post.created"
    QString aggregate;   ///< "post:42"
    QJsonObject payload;
    QDateTime createdAt;
};

using Handler = std::function<Result<void>(const Event &)>;

struct ConsumerStatus {
    QString consumer;
    qint64 lastId = 0;
    qint64 lag = 0;        ///< max outbox id - lastId
    qint64 dead = 0;       ///< dead letters
    qint64 retrying = 0;   ///< failed deliveries waiting for their next attempt
    QDateTime updatedAt;
};

class EventBus {
public:
    virtual ~EventBus() = default;

    /// Inserts the event into the outbox inside the caller's transaction: nothing is
    /// published if that transaction rolls back. Returns the event id.
    virtual Result<qint64> publish(pqxx::transaction_base &tx, const QString &type, const QString &aggregate,
                                   const QJsonObject &payload) = 0;
    /// Registers a consumer (a durable name: its offset is stored) for the given event
    /// types. Before start() only.
    virtual void subscribe(const QString &consumer, const QStringList &types, Handler handler) = 0;
    virtual Result<void> start() = 0;
    /// Stops the dispatcher threads (waits for the handlers that are running).
    virtual void stop() = 0;
    /// Wakes this process's consumers at once (e.g. after an operator action).
    virtual void wake() = 0;

    // Operator tools (blocking: worker threads only).
    virtual Result<QList<Event>> tail(qint64 afterId, int limit) = 0;
    virtual Result<QList<ConsumerStatus>> consumers() = 0;
    /// Sets the consumer's offset so that delivery resumes at `fromId`; clears its
    /// delivery records from that id on. NotFound for an unknown consumer.
    virtual Result<void> replay(const QString &consumer, qint64 fromId) = 0;
    /// Dead letters of the consumer become due again; returns how many.
    virtual Result<qint64> retryDead(const QString &consumer) = 0;
};

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

    struct Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace Community::Events
