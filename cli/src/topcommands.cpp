// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "topcommands.h"

#include "format.h"
#include "interrupt.h"

#include "community/client/realtimeclient.h"

#include <CLI/CLI.hpp>

#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <ostream>

namespace Community::Ctl {

using Client::RealtimeClient;

namespace {

const QString kTopic = QStringLiteral("admin:metrics");

QString number(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}

} // namespace

QString renderTop(const QJsonObject &frame, const QString &target, const QDateTime &at)
{
    const QJsonObject pool = frame.value(QLatin1String("dbPool")).toObject();
    QString s = QStringLiteral("communityd top — %1 — %2\n").arg(target, at.toString(QStringLiteral("HH:mm:ss")));
    s += QStringLiteral("requests %1/s   4xx %2/s   5xx %3/s   websockets %4   pool %5/%6 in use, %7 waiting   worker queue %8\n\n")
             .arg(number(frame.value(QLatin1String("requestsPerSecond")).toDouble()),
                  number(frame.value(QLatin1String("clientErrorsPerSecond")).toDouble()),
                  number(frame.value(QLatin1String("serverErrorsPerSecond")).toDouble()))
             .arg(frame.value(QLatin1String("wsConnections")).toInteger())
             .arg(pool.value(QLatin1String("inUse")).toInteger())
             .arg(pool.value(QLatin1String("size")).toInteger())
             .arg(pool.value(QLatin1String("waiting")).toInteger())
             .arg(frame.value(QLatin1String("workerQueue")).toInteger());

    // Busiest areas first.
    const QJsonObject areas = frame.value(QLatin1String("byArea")).toObject();
    QStringList names = areas.keys();
    std::sort(names.begin(), names.end(), [&](const QString &a, const QString &b) {
        const double ra = areas.value(a).toObject().value(QLatin1String("requestsPerSecond")).toDouble();
        const double rb = areas.value(b).toObject().value(QLatin1String("requestsPerSecond")).toDouble();
        return ra != rb ? ra > rb : a < b;
    });
    Table byArea({QStringLiteral("AREA"), QStringLiteral("REQ/S"), QStringLiteral("4XX/S"), QStringLiteral("5XX/S"),
                  QStringLiteral("P50 MS"), QStringLiteral("P99 MS")});
    for (const QString &name : names) {
        const QJsonObject a = areas.value(name).toObject();
        byArea.addRow({oneLine(name), number(a.value(QLatin1String("requestsPerSecond")).toDouble()),
                       number(a.value(QLatin1String("clientErrorsPerSecond")).toDouble()),
                       number(a.value(QLatin1String("serverErrorsPerSecond")).toDouble()),
                       number(a.value(QLatin1String("p50Ms")).toDouble()), number(a.value(QLatin1String("p99Ms")).toDouble())});
    }
    s += names.isEmpty() ? QStringLiteral("(no requests in this interval)\n") : byArea.render();

    const QJsonObject lag = frame.value(QLatin1String("eventLag")).toObject();
    if (!lag.isEmpty()) {
        Table consumers({QStringLiteral("CONSUMER"), QStringLiteral("LAG")});
        for (auto it = lag.begin(); it != lag.end(); ++it)
            consumers.addRow({oneLine(it.key()), QString::number(it.value().toInteger())});
        s += QLatin1Char('\n') + consumers.render();
    }
    return s;
}

void TopCommands::addTo(CLI::App &app, Action &action)
{
    auto *top = app.add_subcommand("top", "Live requests, latency, errors, connections, pool and event lag (admin:metrics)");
    top->add_option("-n,--count", m_count, "Stop after this many frames (0: until Ctrl-C)")
        ->check(CLI::NonNegativeNumber);
    top->add_option("--wait", m_waitSeconds, "Give up when no frame arrives for this many seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    top->callback([this, &action] { action = [this] { return this->top(); }; });
}

int TopCommands::top()
{
    const InterruptGuard guard;
    RealtimeClient rt(client().baseUrl(), client().async().token());
    QEventLoop loop;
    int frames = 0;
    int code = ExitOk;
    const QString target = m_session.target.isEmpty() ? client().baseUrl().toDisplayString() : m_session.target;
    QTimer silence;   // no frame for --wait seconds: say so and stop
    silence.setSingleShot(true);
    silence.setInterval(int(m_waitSeconds * 1000));
    QObject::connect(&silence, &QTimer::timeout, &loop, [&] {
        note(QStringLiteral("no metrics from %1 for %2 s").arg(target, number(m_waitSeconds, 0)));
        code = ExitUnreachable;
        loop.quit();
    });
    QObject::connect(&rt, &RealtimeClient::event, &loop, [&](const QString &topic, const QJsonObject &data) {
        if (topic != kTopic)
            return;
        silence.start();
        const QString screen = renderTop(data, target, QDateTime::currentDateTime());
        if (m_session.outIsTerminal)
            m_session.out << "\033[H\033[2J";   // redraw in place
        else if (frames > 0)
            m_session.out << '\n';
        m_session.out << screen.toStdString() << std::flush;
        if (m_count > 0 && ++frames >= m_count)
            loop.quit();
        else if (m_count == 0)
            ++frames;
    });
    QObject::connect(&rt, &RealtimeClient::errorFrame, &loop, [&](const QString &errorCode, const QString &message) {
        note(QStringLiteral("%1: %2").arg(errorCode, message));
        code = ExitServerError;
        loop.quit();
    });
    QObject::connect(&rt, &RealtimeClient::unsubscribed, &loop, [&](const QString &, const QString &reason) {
        note(QStringLiteral("the server ended the metrics stream: %1").arg(reason));
        code = ExitServerError;
        loop.quit();
    });
    QObject::connect(&rt, &RealtimeClient::disconnected, &loop, [&](int closeCode, const QString &reason) {
        if (closeCode == 4001 || closeCode == 4003) {   // the token is no good: reconnecting will not help
            note(QStringLiteral("the server closed the socket: %1").arg(reason));
            code = ExitServerError;
            loop.quit();
        }
    });
    QTimer interrupt;
    QObject::connect(&interrupt, &QTimer::timeout, &loop, [&] {
        if (guard.interrupted())
            loop.quit();
    });
    interrupt.start(100);
    silence.start();
    rt.subscribe(kTopic);
    rt.open();
    loop.exec();
    rt.close();
    return code;
}

} // namespace Community::Ctl
