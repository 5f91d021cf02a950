// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "s3server.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

namespace Community::Test {

namespace {
const QString kSuffix = QStringLiteral("._S3rver_object");
}

bool S3Server::start()
{
    const QString source = qEnvironmentVariable("COMMUNITY_SOURCE_DIR");
    m_process.setWorkingDirectory(source + QStringLiteral("/tests/tools"));
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its
    // legacy provider: without it every truncated listing is a 500.
    m_process.start(QStringLiteral("node"), {QStringLiteral("--openssl-legacy-provider"), QStringLiteral("s3-server.mjs"),
                                             m_dir.path(), m_bucket, m_control.path()});
    if (!m_process.waitForStarted(5000))
        return false;
    m_port = 0;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 15'000 && m_port == 0 && m_process.state() == QProcess::Running) {
        if (!m_process.canReadLine())
            m_process.waitForReadyRead(200);
        if (m_process.canReadLine())
            m_port = QJsonDocument::fromJson(m_process.readLine()).object().value(QStringLiteral("port")).toInt();
    }
    return m_port > 0;
}

void S3Server::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

QString S3Server::endpoint(bool pathStyle) const
{
    return pathStyle ? QStringLiteral("http://127.0.0.1:%1").arg(m_port) : QStringLiteral("http://s3.localhost:%1").arg(m_port);
}

QStringList S3Server::daemonSets(bool pathStyle, const QString &secret) const
{
    return {QStringLiteral("plugins.files.storage=s3"),
            QStringLiteral("plugins.files.s3.endpoint=") + endpoint(pathStyle),
            QStringLiteral("plugins.files.s3.region=us-east-1"),
            QStringLiteral("plugins.files.s3.bucket=") + m_bucket,
            QStringLiteral("plugins.files.s3.accessKeyId=") + accessKeyId(),
            QStringLiteral("plugins.files.s3.secretAccessKey=") + secret,
            QStringLiteral("plugins.files.s3.pathStyle=") + (pathStyle ? QStringLiteral("true") : QStringLiteral("false")),
            QStringLiteral("plugins.files.s3.timeoutMs=3000")};
}

QStringList S3Server::objectKeys() const
{
    const QString root = m_dir.path() + QLatin1Char('/') + m_bucket + QLatin1Char('/');
    QStringList keys;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(kSuffix))
            keys.append(path.mid(root.size()).chopped(kSuffix.size()));
    }
    keys.sort();
    return keys;
}

QByteArray S3Server::object(const QString &key) const
{
    QFile f(m_dir.path() + QLatin1Char('/') + m_bucket + QLatin1Char('/') + key + kSuffix);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool S3Server::removeObject(const QString &key) const
{
    const QString base = m_dir.path() + QLatin1Char('/') + m_bucket + QLatin1Char('/') + key;
    QFile::remove(base + QStringLiteral("._S3rver_metadata.json"));
    QFile::remove(base + kSuffix + QStringLiteral(".md5"));
    return QFile::remove(base + kSuffix);
}

int S3Server::connectionCount() const
{
    QFile f(m_control.filePath(QStringLiteral("connections")));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toInt() : 0;
}

void S3Server::setStatus(int status) const
{
    QFile f(m_control.path() + QStringLiteral("/status"));
    if (status == 0) {
        f.remove();
        return;
    }
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QByteArray::number(status));
}

} // namespace Community::Test
