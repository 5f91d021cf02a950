// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The realtime transport on PostgreSQL: durable frames in schema `realtime`, every frame
/// (durable or not) as a `realtime.frame` event in the outbox, received on every node
/// through the bus's broadcast subscription (coalesced NOTIFY hint + poll, ADR 0005).
/// Threading: append() and since() block (workers); the sink runs on the bus's thread.

#include "community/host/migrator.h"
#include "community/host/realtimehub.h"

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
    void onFrame(std::function<void(const Frame &)> sink) override;

private:
    Events::PostgresEventBus &m_bus;
    Db::Database &m_db;
};

} // namespace Community::Realtime
