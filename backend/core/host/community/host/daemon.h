// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The communityd host: configuration, embedded or external PostgreSQL, plugins,
/// migrations, the HTTP server and its pipeline, system routes, and orderly shutdown.
/// Threading: main thread only. Startup order (ScyllaDB style, each step paired with
/// its teardown): config → plugins (discover, resolve, load, initialize) → database →
/// migrations → plugins start → listen. Shutdown is the exact reverse, with the HTTP
/// listener closed first and in-flight requests drained within shutdown.drainTimeoutMs;
/// requests partly received by then are read and answered, and whatever is still arriving
/// when the budget is nearly spent is answered 503 with Connection: close.

#include "community/result.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace Community {

struct DaemonOptions {
    QString configFile;
    QString dataDir;            ///< overrides config "dataDir"
    QString listen;             ///< "host:port", overrides config "http.listen"
    QStringList services;       ///< overrides config "services"
    QStringList pluginDirs;     ///< overrides config "pluginDirs"
    QStringList sets;           ///< --set key.path=value
    bool noMigrate = false;
};

class Daemon : public QObject {
    Q_OBJECT
public:
    explicit Daemon(DaemonOptions options, QObject *parent = nullptr);
    ~Daemon() override;

    /// Reads and validates the whole configuration, including every plugin's subtree
    /// (plugins are loaded and initialised, which does no I/O), then stops there.
    Result<void> checkConfig();

    /// Full startup. On failure everything already started is unwound.
    Result<void> start();

    /// Begins the orderly shutdown; emits stopped() when done.
    void shutdown();

    quint16 port() const;

Q_SIGNALS:
    void stopped();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Community
