// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Loopback servers written in Python that record what they receive as JSON files: by
// default the real SMTP server tests/tools/smtp-sink.py (Debian's python3-aiosmtpd; each
// message parsed by Python's email package), or another script of tests/tools that prints
// "PORT <n>" (the SMS provider).

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

namespace Notifications::Test {

class SmtpSink {
public:
    explicit SmtpSink(QString script = QStringLiteral("smtp-sink.py")) : m_script(std::move(script)) {}
    ~SmtpSink() { stop(); }

    /// Starts the server (extra arguments: --starttls, --tls, --auth, --tempfail, --reject).
    bool start(const QStringList &extra = {})
    {
        m_process.setProgram(QStringLiteral("/usr/bin/python3"));
        m_process.setArguments(QStringList{QStringLiteral(SOURCE_DIR "/tests/tools/") + m_script, m_dir.path()} + extra);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10'000 && m_port == 0) {
            m_process.waitForReadyRead(200);
            const QByteArray line = m_process.readLine().trimmed();
            if (line.startsWith("PORT "))
                m_port = line.mid(5).toInt();
        }
        return m_port > 0;
    }
    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    int port() const { return m_port; }
    /// Where the server writes what it received (and reads control files such as the SMS
    /// provider's "forward").
    QString dir() const { return m_dir.path(); }
    QString url() const { return QStringLiteral("smtp://127.0.0.1:%1").arg(m_port); }

    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> out;
        const QDir dir(m_dir.path());
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile f(dir.filePath(name));
            if (f.open(QIODevice::ReadOnly))
                out.append(QJsonDocument::fromJson(f.readAll()).object());
        }
        return out;
    }
    /// Messages to `address`.
    QList<QJsonObject> messagesTo(const QString &address) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages())
            if (m.value(QStringLiteral("rcptTo")).toArray().contains(QJsonValue(address)))
                out.append(m);
        return out;
    }
    /// Waits until at least `n` messages arrived.
    bool waitCount(int n, int timeoutMs = 15'000) const
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (messages().size() >= n)
                return true;
            QThread::msleep(50);
        }
        return false;
    }

private:
    QString m_script;
    QProcess m_process;
    QTemporaryDir m_dir;
    int m_port = 0;
};

} // namespace Notifications::Test
