// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "clamdfixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QThread>

namespace Community::Test {

QByteArray ClamdFixture::eicar()
{
    return QByteArrayLiteral("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
}

ClamdFixture::~ClamdFixture()
{
    stop();
}

QString ClamdFixture::socketPath() const
{
    return m_dir.filePath(QStringLiteral("clamd.sock"));
}

QByteArray ClamdFixture::output()
{
    return m_process ? m_process->readAll() : QByteArray();
}

bool ClamdFixture::start(QString *error, int timeoutMs)
{
    const QString clamd = QStandardPaths::findExecutable(QStringLiteral("clamd"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    if (clamd.isEmpty()) {
        *error = QStringLiteral("clamd not found: packaging/install-deps.sh installs clamav-daemon");
        return false;
    }
    if (!m_dir.isValid() || !QDir(m_dir.path()).mkpath(QStringLiteral("db"))) {
        *error = QStringLiteral("cannot create a temporary folder for clamd");
        return false;
    }
    // One body signature (.ndb: name:target type:offset:hex) on the EICAR string's middle.
    QFile sig(m_dir.filePath(QStringLiteral("db/community-test.ndb")));
    QFile conf(m_dir.filePath(QStringLiteral("clamd.conf")));
    if (!sig.open(QIODevice::WriteOnly)
        || sig.write("Community.Test.EICAR:0:*:" + QByteArray("EICAR-STANDARD-ANTIVIRUS-TEST-FILE").toHex() + '\n') <= 0
        || !conf.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write clamd's files in %1").arg(m_dir.path());
        return false;
    }
    sig.close();
    conf.write(QStringLiteral("LocalSocket %1\n"
                              "Foreground yes\n"
                              "DatabaseDirectory %2\n"
                              "TemporaryDirectory %3\n"
                              "PidFile %3/clamd.pid\n"
                              "StreamMaxLength 2M\n"
                              "MaxThreads 4\n"
                              "LogTime no\n")
                   .arg(socketPath(), m_dir.filePath(QStringLiteral("db")), m_dir.path())
                   .toUtf8());
    conf.close();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(clamd, {QStringLiteral("-c"), conf.fileName()});
    if (!m_process->waitForStarted(10'000)) {
        *error = QStringLiteral("clamd did not start: %1").arg(m_process->errorString());
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            *error = QStringLiteral("clamd exited: %1").arg(QString::fromUtf8(m_process->readAll().right(2000)));
            return false;
        }
        QLocalSocket s;
        s.connectToServer(socketPath());
        if (s.waitForConnected(200)) {
            s.write(QByteArray("zPING", 6));
            QByteArray reply;
            while (!reply.contains('\0') && s.waitForReadyRead(2000))
                reply += s.readAll();
            if (reply.startsWith("PONG"))
                return true;
        }
        QThread::msleep(100);
    }
    *error = QStringLiteral("clamd did not answer PING within %1 ms: %2").arg(timeoutMs).arg(QString::fromUtf8(output().right(2000)));
    return false;
}

void ClamdFixture::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(10'000)) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
    QFile::remove(socketPath());
}

} // namespace Community::Test
