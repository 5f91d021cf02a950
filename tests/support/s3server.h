// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A real S3-compatible server on loopback for the files tests: tests/tools/s3-server.mjs
/// (npm `s3rver` behind a Signature V4 check of its own), with one bucket, keeping objects
/// as files in a temporary folder. The credentials it accepts are accessKeyId() /
/// secretAccessKey(). Test code inspects what the server holds through its folder
/// (independent of the daemon's S3 client); setStatus() makes every answer an S3 error.

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

namespace Community::Test {

class S3Server {
public:
    explicit S3Server(QString bucket = QStringLiteral("community")) : m_bucket(std::move(bucket)) {}
    ~S3Server() { stop(); }

    /// Starts the server (again, on a new port, after stop(); the objects stay).
    bool start();
    void stop();
    bool isRunning() const { return m_process.state() == QProcess::Running; }

    int port() const { return m_port; }
    QString bucket() const { return m_bucket; }
    static QString accessKeyId() { return QStringLiteral("S3RVER"); }
    static QString secretAccessKey() { return QStringLiteral("S3RVER"); }
    /// http://127.0.0.1:<port> (path-style) or http://s3.localhost:<port> (virtual-host
    /// style: <bucket>.s3.localhost, which curl resolves to loopback itself).
    QString endpoint(bool pathStyle = true) const;
    /// `--set` options for a daemon whose files plugin stores in this server.
    QStringList daemonSets(bool pathStyle = true, const QString &secret = secretAccessKey()) const;

    /// Keys of the objects in the bucket (from the server's folder), sorted.
    QStringList objectKeys() const;
    /// The stored bytes of `key`, or empty.
    QByteArray object(const QString &key) const;
    bool removeObject(const QString &key) const;
    /// Every answer becomes `status` with an S3 error body (0: normal service again).
    void setStatus(int status) const;
    /// TCP connections the server has accepted since it started.
    int connectionCount() const;

    static QString blobKey(const QByteArray &sha256)
    {
        return QStringLiteral("blobs/%1/%2/%3").arg(QLatin1String(sha256.left(2)), QLatin1String(sha256.mid(2, 2)),
                                                    QLatin1String(sha256));
    }

private:
    QString m_bucket;
    QTemporaryDir m_dir;
    QTemporaryDir m_control;
    QProcess m_process;
    int m_port = 0;
};

} // namespace Community::Test
