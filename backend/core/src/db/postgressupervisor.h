// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Keeps the embedded PostgreSQL cluster the daemon started (or adopted) alive: a timer on
// the owner's thread checks the postmaster every `checkIntervalMs`; when it is gone, a
// background thread runs EmbeddedPostgres::start() again (crash recovery included: stale
// pid file, orphaned backends) and failed attempts are retried with exponential backoff.
// The connection pool and the event listener reconnect by themselves once the server
// accepts connections again. Threading: lives on one thread (the daemon's main thread);
// the EmbeddedPostgres is touched only by the restart thread while one runs.

#include <QObject>
#include <QTimer>

#include <memory>
#include <thread>

namespace prometheus { class Counter; class Gauge; class Registry; }

namespace Community::Db {

class EmbeddedPostgres;

struct SupervisorOptions {
    int checkIntervalMs = 200;
    int backoffBaseMs = 250;    ///< wait after the first failed restart; doubles each time
    int backoffMaxMs = 10'000;
};

class PostgresSupervisor : public QObject {
    Q_OBJECT
public:
    PostgresSupervisor(EmbeddedPostgres &server, SupervisorOptions options, QObject *parent = nullptr);
    /// Waits for a restart in progress (it cannot be cancelled).
    ~PostgresSupervisor() override;

    void registerMetrics(prometheus::Registry &registry);
    void start();
    /// Stops watching and waits for a restart in progress; call before stopping the server.
    void stop();

    int restarts() const { return m_restarts; }
    bool restarting() const { return m_worker != nullptr; }

Q_SIGNALS:
    void serverDown();
    void serverRestarted(qint64 downMs);

private:
    void check();
    void restart();
    void restartFinished(bool ok, const QString &error);

    EmbeddedPostgres &m_server;
    SupervisorOptions m_options;
    QTimer m_timer;
    std::unique_ptr<std::thread> m_worker;
    qint64 m_downSinceMs = 0;
    int m_failedAttempts = 0;
    int m_restarts = 0;
    bool m_stopped = false;
    prometheus::Counter *m_restartCounter = nullptr;
    prometheus::Counter *m_failureCounter = nullptr;
    prometheus::Gauge *m_upGauge = nullptr;
};

} // namespace Community::Db
