// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The realtime transport on PostgreSQL: durable frames in schema `realtime`, every frame
/// (durable or not) as a `realtime.frame` event in the outbox, received on every node
/// through the bus's broadcast subscription (coalesced NOTIFY hint + poll, ADR 0005).
/// Ephemeral frames published outside a transaction go to the other nodes as a NOTIFY on
/// channel `realtime_ephemeral` (payload {node, topic, data}), heard on a LISTEN connection
/// of the transport's own; one too large for a NOTIFY payload goes through the outbox,
/// marked with its origin so that the sending node skips it.
/// Threading: append() and since() block (workers); broadcast() never blocks (the NOTIFY
/// runs on a worker); the sink runs on the bus's thread or the listener's.

#include "community/host/migrator.h"
#include "community/host/realtimehub.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace Community::Events { class PostgresEventBus; }

namespace Community::Realtime {

class PostgresTransport final : public Transport {
public:
    PostgresTransport(Events::PostgresEventBus &bus, Db::Database &db);

    /// The core's migration set ("realtime", from :/migrations/realtime).
    static Result<MigrationSet> migrations();

    Result<qint64> append(pqxx::transaction_base &tx, const QString &topic, bool durable,
                          const QJsonObject &data) override;
    Result<ReplayRead> since(const QString &topic, qint64 since, int cap, int maxAgeSeconds) override;
    Result<qint64> prune(int maxAgeSeconds) override;
    void broadcast(const Frame &frame) override;
    void onFrame(std::function<void(const Frame &)> sink) override;

    ~PostgresTransport() override;

private:
    void listen();
    void received(const std::string &payload) const;

    Events::PostgresEventBus &m_bus;
    Db::Database &m_db;
    QString m_node;   ///< this process, to skip its own broadcasts
    std::function<void(const Frame &)> m_sink;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
    std::thread m_listener;
};

} // namespace Community::Realtime
