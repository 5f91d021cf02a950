// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "db/postgressupervisor.h"

#include "community/host/embeddedpostgres.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSupervisor, "community.db.supervisor")

namespace Community::Db {

PostgresSupervisor::PostgresSupervisor(EmbeddedPostgres &server, SupervisorOptions options, QObject *parent)
    : QObject(parent), m_server(server), m_options(options)
{
    m_timer.setInterval(m_options.checkIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &PostgresSupervisor::check);
}

PostgresSupervisor::~PostgresSupervisor()
{
    stop();
}

void PostgresSupervisor::registerMetrics(prometheus::Registry &registry)
{
    try {
        m_restartCounter = &prometheus::BuildCounter()
                                .Name("community_embedded_postgres_restarts_total")
                                .Help("Restarts of the embedded PostgreSQL after it died")
                                .Register(registry)
                                .Add({});
        m_failureCounter = &prometheus::BuildCounter()
                                .Name("community_embedded_postgres_restart_failures_total")
                                .Help("Restart attempts of the embedded PostgreSQL that failed")
                                .Register(registry)
                                .Add({});
        m_upGauge = &prometheus::BuildGauge()
                         .Name("community_embedded_postgres_up")
                         .Help("1 while the embedded PostgreSQL postmaster runs")
                         .Register(registry)
                         .Add({});
        m_upGauge->Set(1);
    } catch (const std::exception &e) {
        qCWarning(lcSupervisor, "registering metrics failed: %s", e.what());
    }
}

void PostgresSupervisor::start()
{
    m_stopped = false;
    m_timer.start();
}

void PostgresSupervisor::stop()
{
    m_stopped = true;
    m_timer.stop();
    if (m_worker) {
        m_worker->join();
        m_worker.reset();
    }
}

void PostgresSupervisor::check()
{
    if (m_worker || m_server.isRunning())
        return;
    m_timer.stop();
    m_downSinceMs = QDateTime::currentMSecsSinceEpoch();
    if (m_upGauge)
        m_upGauge->Set(0);
    qCCritical(lcSupervisor, "embedded PostgreSQL is not running (pid %lld gone); restarting it",
               m_server.recordedPid());
    Q_EMIT serverDown();
    restart();
}

void PostgresSupervisor::restart()
{
    if (m_stopped || m_worker)
        return;
    m_worker = std::make_unique<std::thread>([this] {
        const auto r = m_server.start();
        const bool ok = r.has_value();
        const QString error = ok ? QString() : r.error().message;
        // This object outlives the thread (stop() joins it); a queued call whose context
        // object is gone is dropped by Qt.
        QMetaObject::invokeMethod(this, [this, ok, error] { restartFinished(ok, error); }, Qt::QueuedConnection);
    });
}

void PostgresSupervisor::restartFinished(bool ok, const QString &error)
{
    if (m_worker) {
        m_worker->join();
        m_worker.reset();
    }
    if (m_stopped)
        return;
    if (!ok) {
        ++m_failedAttempts;
        if (m_failureCounter)
            m_failureCounter->Increment();
        const int shift = std::min(m_failedAttempts - 1, 16);
        const int delay = std::min<qint64>(qint64(m_options.backoffBaseMs) << shift, m_options.backoffMaxMs);
        qCCritical(lcSupervisor, "restarting embedded PostgreSQL failed (attempt %d, next in %d ms): %s",
                   m_failedAttempts, delay, qPrintable(error));
        QTimer::singleShot(delay, this, &PostgresSupervisor::restart);
        return;
    }
    const qint64 downMs = QDateTime::currentMSecsSinceEpoch() - m_downSinceMs;
    ++m_restarts;
    m_failedAttempts = 0;
    if (m_restartCounter)
        m_restartCounter->Increment();
    if (m_upGauge)
        m_upGauge->Set(1);
    qCWarning(lcSupervisor, "embedded PostgreSQL is back after %lld ms (restart %d)", downMs, m_restarts);
    Q_EMIT serverRestarted(downMs);
    m_timer.start();
}

} // namespace Community::Db
