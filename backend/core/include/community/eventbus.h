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
/// implementation later); `PostgresEventBus` (community/host/postgreseventbus.h, host
/// only) is the implementation. Plugins publish typed events (contracts/events/) through
/// publishEvent() below.
///
/// Threading: publish() is thread-safe and blocking (it runs a statement in the caller's
/// transaction: worker threads only). subscribe() only before start(). Handlers run on the
/// bus's own consumer threads (one per consumer), never on an event-loop thread; they must
/// be idempotent and must not throw (an exception is caught and counted as a failure).

#include "community/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace pqxx { class transaction_base; }

namespace Community::Events {

struct Event {
    qint64 id = 0;
    QString type;        ///< "content.post.created"
    QString aggregate;   ///< "post:42"
    QJsonObject payload;
    QDateTime createdAt;
    /// Who caused it: the request it was published in ("" outside a request) and the
    /// authenticated caller (actorKind "user", "api_key" or "operator"; actorId 0 when
    /// none). Stamped by the bus from the worker's RequestContext (requestcontext.h).
    QString requestId;
    qint64 actorId = 0;
    QString actorKind;
};

using Handler = std::function<Result<void>(const Event &)>;
/// Several consecutive events of one consumer (in id order, none of them failed before),
/// e.g. stored in one transaction. All or nothing: an error means none of them counts as
/// handled (the handler's writes must roll back together); the bus then hands the same
/// events over one at a time, so that only a failing one is retried and dead-lettered.
using BatchHandler = std::function<Result<void>(const QList<Event> &)>;

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
    /// Same, with the events that are ready taken several at a time (at most the bus's
    /// batch size). Same guarantees: at least once, in id order, offsets after the handler.
    virtual void subscribeBatch(const QString &consumer, const QStringList &types, BatchHandler handler) = 0;
    /// Delivery to every process (not durable, no offset): `handler` sees, in this
    /// process, each event of `types` that becomes final after start(), in id order, on
    /// the bus's one broadcast thread. For work every node must do itself (per-node
    /// caches, the realtime hub's fan-out). A failing handler is logged, not retried; keep
    /// it short. Before start() only.
    virtual void subscribeBroadcast(const QStringList &types, Handler handler) = 0;
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

/// Publishes a typed event (a struct from contracts/events/ with `typeName()`,
/// `aggregate()` and `toJson()`) in the caller's transaction.
template<typename E>
Result<qint64> publishEvent(EventBus &bus, pqxx::transaction_base &tx, const E &event)
{
    return bus.publish(tx, event.typeName(), event.aggregate(), event.toJson());
}

} // namespace Community::Events
