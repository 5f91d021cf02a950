// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Runs the real communityd binary for cross-process tests: port 0 on loopback, a fresh
/// test database (TestDb) unless embedded PostgreSQL is asked for, a temporary data dir.
/// HTTP helpers for tests: httpclient.h.

#include "httpclient.h"
#include "testdb.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace Community::Test {

class DaemonProcess {
public:
    struct Options {
        QStringList extraArgs;
        QStringList pluginDirs;          ///< default: an empty folder (no service plugins)
        bool embeddedPostgres = false;   ///< true: let the daemon run its own cluster
        QString dataDir;                 ///< default: a temporary folder
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        int startTimeoutMs = 60'000;
    };

    DaemonProcess();
    ~DaemonProcess();

    bool start(const Options &options);
    bool start() { return start(Options{}); }
    /// Starts the same daemon again after it stopped or was killed: same arguments, data
    /// directory and database (the test database is kept). Its URL may change.
    bool restart();
    /// SIGTERM and wait; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 30'000);
    void kill();

    QUrl baseUrl() const { return m_baseUrl; }
    QUrl url(const QString &path) const;
    QString operatorToken() const { return m_token; }
    QString dataDir() const { return m_dataDir; }
    QString errorString() const { return m_error; }
    /// Everything the daemon printed so far (stdout and stderr).
    QByteArray output();
    /// The first-start admin's one-time password from the daemon's output, waiting up to
    /// @p timeoutMs for the line; empty if it does not come.
    QString initialAdminPassword(int timeoutMs = 10'000);
    QProcess *process() { return m_process.get(); }
    TestDb *database() { return m_db.get(); }

    HttpResult get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult operatorRequest(const QByteArray &method, const QString &path, const QByteArray &body = {});

private:
    bool launch();

    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<TestDb> m_db;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QUrl m_baseUrl;
    QString m_token;
    QString m_dataDir;
    QString m_error;
    QByteArray m_output;
    QStringList m_args;
    QProcessEnvironment m_env;
    int m_startTimeoutMs = 60'000;
};

} // namespace Community::Test
