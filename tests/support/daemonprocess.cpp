// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "daemonprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <sys/stat.h>

namespace Community::Test {

DaemonProcess::DaemonProcess() = default;

DaemonProcess::~DaemonProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        stop(15'000);
}

QUrl DaemonProcess::url(const QString &path) const
{
    QUrl u = m_baseUrl;
    const int q = path.indexOf(QLatin1Char('?'));
    u.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        u.setQuery(path.mid(q + 1));
    return u;
}

QByteArray DaemonProcess::output()
{
    if (m_process)
        m_output += m_process->readAll();
    return m_output;
}

QString DaemonProcess::initialAdminPassword(int timeoutMs)
{
    static const QRegularExpression re(QStringLiteral("initial admin: admin / (\\S+)"));
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const auto m = re.match(QString::fromUtf8(output()));
        if (m.hasMatch())
            return m.captured(1);
        if (deadline.hasExpired())
            return {};
        QTest::qWait(50);
    }
}

bool DaemonProcess::start(const Options &options)
{
    m_tmp = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/cpd-XXXXXX"));
    // The embedded cluster runs as an unprivileged user when we are root: let it in.
    ::chmod(m_tmp->path().toLocal8Bit().constData(), 0755);
    m_dataDir = options.dataDir.isEmpty() ? m_tmp->filePath(QStringLiteral("data")) : options.dataDir;
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), m_dataDir};
    QStringList pluginDirs = options.pluginDirs;
    if (pluginDirs.isEmpty()) {
        const QString empty = m_tmp->filePath(QStringLiteral("no-plugins"));
        QDir().mkpath(empty);
        pluginDirs << empty;
    }
    for (const QString &dir : std::as_const(pluginDirs))
        args << QStringLiteral("--plugin-dir") << dir;
    args << options.extraArgs;

    QProcessEnvironment env = options.env;
    env.insert(QStringLiteral("QT_NO_GLIB"), QStringLiteral("1"));
    if (!options.embeddedPostgres) {
        m_db = std::make_unique<TestDb>();
        env.insert(QStringLiteral("COMMUNITY_DATABASE__URL"), QString::fromStdString(m_db->conninfo()));
    }
    m_args = args;
    m_env = env;
    m_startTimeoutMs = options.startTimeoutMs;
    return launch();
}

bool DaemonProcess::restart()
{
    if (m_args.isEmpty() || (m_process && m_process->state() != QProcess::NotRunning)) {
        m_error = QStringLiteral("restart(): the daemon was never started or still runs");
        return false;
    }
    output();  // keep what the previous process printed
    m_output += "\n--- restarted ---\n";
    m_baseUrl.clear();
    return launch();
}

bool DaemonProcess::launch()
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setProcessEnvironment(m_env);
    m_process->start(QStringLiteral(COMMUNITY_BIN_DIR "/communityd"), m_args);
    if (!m_process->waitForStarted(10'000)) {
        m_error = QStringLiteral("communityd did not start: ") + m_process->errorString();
        return false;
    }
    static const QRegularExpression re(QStringLiteral("communityd listening on (http://[^\\s]+)"));
    const qsizetype from = m_output.size();  // a restart looks only at its own lines
    QDeadlineTimer deadline(m_startTimeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning) {
            output();
            m_error = QStringLiteral("communityd exited with %1:\n%2").arg(m_process->exitCode()).arg(QString::fromUtf8(m_output));
            return false;
        }
        m_process->waitForReadyRead(100);
        const auto match = re.match(QString::fromUtf8(output().mid(from)));
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            QFile f(QDir(m_dataDir).filePath(QStringLiteral("operator.token")));
            if (f.open(QIODevice::ReadOnly))
                m_token = QString::fromLatin1(f.readAll()).trimmed();
            return true;
        }
    }
    m_error = QStringLiteral("communityd did not listen in time:\n") + QString::fromUtf8(output());
    return false;
}

int DaemonProcess::stop(int timeoutMs)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return m_process ? m_process->exitCode() : -1;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    output();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void DaemonProcess::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

HttpResult DaemonProcess::get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return httpRequest(url(path), "GET", {}, headers);
}

HttpResult DaemonProcess::operatorRequest(const QByteArray &method, const QString &path, const QByteArray &body)
{
    return httpRequest(url(path), method, body, {{"Authorization", "Bearer " + m_token.toLatin1()}});
}

} // namespace Community::Test
