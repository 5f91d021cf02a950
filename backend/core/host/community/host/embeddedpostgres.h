// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A private PostgreSQL cluster under the daemon's data directory, used when no database
/// URL is configured. The cluster lives in <dataDir>/postgres/data, listens on a unix
/// socket only (no TCP) and trusts the local `community` role; the socket directory is
/// 0700 so only the daemon's user (and root) can connect.
/// When the daemon runs as root, PostgreSQL runs as an unprivileged system user
/// (`postgres` by default) through runuser. start()/stop() block (QProcess waits): call
/// them once at startup/shutdown, never on an event loop that serves requests.
/// Threading: not thread-safe; one owner.

#include "community/result.h"

#include <QString>
#include <QStringList>

#include <string>

namespace Community::Db {

struct EmbeddedPostgresConfig {
    QString dataDir;            ///< the daemon's data dir; the cluster goes in <dataDir>/postgres
    QString binDir;             ///< optional; else /usr/lib/postgresql/<newest>/bin, then
                                ///< `pg_config --bindir`, then PATH
    int startTimeoutMs = 30000;
    int port = 5432;            ///< only names the socket file; there is no TCP listener
    QString runAsUser;          ///< when root; empty: "postgres", then "nobody"
};

class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(EmbeddedPostgresConfig config);
    /// Stops the server if this object started it and stop() was not called.
    ~EmbeddedPostgres();
    EmbeddedPostgres(const EmbeddedPostgres &) = delete;
    EmbeddedPostgres &operator=(const EmbeddedPostgres &) = delete;

    /// initdb when there is no cluster yet, starts it (reusing one that already runs),
    /// waits until it accepts connections and creates database "community" if missing.
    /// A server that crashed (its postmaster.pid names a process that is gone, a zombie or
    /// not our postmaster) is never reused: its orphaned backends are killed and waited for,
    /// a pid file that would make PostgreSQL refuse to start is removed, and the server is
    /// started again (PostgreSQL runs its crash recovery). Also how a supervisor restarts it.
    /// Errors: Config (binaries missing: says what was searched; unusable directories),
    /// Unavailable (server failed to start: includes the tail of the server log).
    Result<void> start();
    /// pg_ctl stop -m fast. Idempotent.
    Result<void> stop();

    /// host=<socketdir> port=<port> user=community dbname=community
    std::string connectionString() const;
    /// Same, for another database of the cluster.
    std::string connectionString(const QString &dbname) const;
    /// The postmaster of our cluster is alive: postmaster.pid names a live process (not a
    /// zombie) whose working directory is our cluster (reads the pid file and /proc; cheap).
    bool isRunning() const;
    /// The pid recorded in postmaster.pid, 0 when there is none.
    qint64 recordedPid() const;

    QString clusterDir() const;   ///< <dataDir>/postgres/data
    QString socketDir() const;    ///< <dataDir>/postgres/run, or /tmp/communityd-pg-<hash>
    QString logFile() const;      ///< <dataDir>/postgres/postgres.log
    QString binDir() const { return m_binDir; }  ///< resolved by start()

    /// Finds the directory holding initdb and pg_ctl; `searched` lists where it looked.
    static Result<QString> findBinDir(const QString &configured, QStringList *searched = nullptr);

private:
    struct Run {
        int exitCode = -1;
        QString output;
        bool started = false;
    };
    Run run(const QString &program, const QStringList &args, int timeoutMs) const;
    Result<void> prepareDirectories();
    Result<void> initdb();
    Result<void> ensureDatabase(int timeoutMs);
    Result<void> launch();
    Result<void> clearCrashedServer(qint64 deadPid);
    QList<qint64> processesInCluster() const;
    QString logTail() const;

    EmbeddedPostgresConfig m_config;
    QString m_pgDir;
    QString m_socketDir;
    QString m_binDir;
    QString m_runAs;       // non-empty when we are root
    bool m_startedByUs = false;
};

} // namespace Community::Db
