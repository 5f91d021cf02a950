// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's event-bus commands (tail, consumers, replay, retry-dead) on top of the
// host's operator routes under /v1/system/events (docs/adr/0005-event-bus.md).
#include "commands.h"

#include "apiclient.h"
#include "eventviews.h"
#include "format.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <ostream>

namespace Community::Ctl {

namespace {

const QString kEvents = QStringLiteral("/v1/system/events");
const QString kConsumers = QStringLiteral("/v1/system/events/consumers");

constexpr int kFollowPage = 1000; // the server's maximum page

QString consumerPath(const QString &consumer, const QString &action)
{
    return kConsumers + QLatin1Char('/') + ApiClient::pathSegment(consumer) + QLatin1Char('/') + action;
}

qint64 idOf(const QJsonValue &event)
{
    return qint64(event.toObject().value(QLatin1String("id")).toDouble());
}

// --follow ends on SIGINT/SIGTERM: the handlers only set this flag; the loop notices it
// between polls (a request in flight finishes first, bounded by --timeout).
volatile std::sig_atomic_t g_interrupted = 0;

void onInterrupt(int)
{
    g_interrupted = 1;
}

/// Installs the handlers for the lifetime of one --follow and restores the previous ones.
class InterruptGuard
{
public:
    InterruptGuard()
    {
        g_interrupted = 0;
        struct sigaction sa = {};
        sa.sa_handler = onInterrupt;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &m_oldInt);
        sigaction(SIGTERM, &sa, &m_oldTerm);
    }
    ~InterruptGuard()
    {
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

    bool interrupted() const { return g_interrupted != 0; }

    /// Sleeps @p interval in short slices; false when interrupted.
    bool pause(std::chrono::milliseconds interval) const
    {
        QDeadlineTimer deadline(interval);
        while (!interrupted() && !deadline.hasExpired())
            QThread::msleep(quint64(std::min<qint64>(50, std::max<qint64>(1, deadline.remainingTime()))));
        return !interrupted();
    }

private:
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

} // namespace

int Commands::eventsTail(const EventTailOptions &options)
{
    QUrlQuery query;
    if (options.after >= 0)
        query.addQueryItem(QStringLiteral("after"), QString::number(options.after));
    if (options.limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(options.limit));
    const auto [json, code] = getObject(kEvents, query);
    if (!json)
        return code;
    const QJsonArray events = json->value(QLatin1String("events")).toArray();

    if (!options.follow) {
        if (m_format == OutputFormat::Json)
            print(QString::fromUtf8(prettyJson(*json)));
        else
            print(renderEvents(events));
        // A full page after an id: there may be more (the newest page has nothing after it).
        if (m_format == OutputFormat::Table && options.after >= 0 && !events.isEmpty()
            && events.size() == (options.limit > 0 ? options.limit : 50))
            note(QStringLiteral("more events may follow: --after %1").arg(idOf(events.last())));
        return ExitOk;
    }

    // An empty outbox: every later event has a larger id than anything before it.
    const qint64 after = events.isEmpty() ? std::max<qint64>(options.after, 0) : idOf(events.last());
    if (m_format == OutputFormat::Json) {
        for (const QJsonValue &e : events)
            print(QString::fromUtf8(eventJsonLine(e.toObject())));
    } else if (!events.isEmpty()) {
        print(renderEvents(events));
    }
    return followEvents(after, !events.isEmpty(), options.pollInterval);
}

int Commands::followEvents(qint64 after, bool headerPrinted, std::chrono::milliseconds interval)
{
    const InterruptGuard guard;
    bool fullPage = false;
    while (fullPage || guard.pause(interval)) {
        if (guard.interrupted())
            break;
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("after"), QString::number(after));
        query.addQueryItem(QStringLiteral("limit"), QString::number(kFollowPage));
        const auto [json, code] = getObject(kEvents, query);
        if (!json)
            return code;
        const QJsonArray events = json->value(QLatin1String("events")).toArray();
        fullPage = events.size() == kFollowPage;
        if (events.isEmpty())
            continue;
        after = idOf(events.last());
        if (m_format == OutputFormat::Json) {
            for (const QJsonValue &e : events)
                print(QString::fromUtf8(eventJsonLine(e.toObject())));
        } else {
            print(renderEvents(events, !headerPrinted));
            headerPrinted = true;
        }
    }
    return ExitOk;
}

int Commands::eventsConsumers()
{
    return printReply(m_client.get(kConsumers), [](const QJsonObject &json) {
        return renderConsumers(json.value(QLatin1String("consumers")).toArray());
    });
}

int Commands::eventsReplay(const QString &consumer, qint64 fromId, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [json, code] = getObject(kConsumers);
            if (!json)
                return {std::nullopt, code};
            for (const QJsonValue &v : json->value(QLatin1String("consumers")).toArray()) {
                if (v.toObject().value(QLatin1String("consumer")).toString() == consumer)
                    return {planReplay(v.toObject(), fromId), ExitOk};
            }
            m_err << QStringLiteral("communityctl: 404 Not Found: no consumer %1").arg(oneLine(consumer)).toStdString()
                  << '\n';
            return {std::nullopt, ExitServerError};
        },
        [&] {
            return printReply(m_client.post(consumerPath(consumer, QStringLiteral("replay")),
                                            QJsonObject{{QStringLiteral("fromId"), double(fromId)}}),
                              [&](const QJsonObject &) {
                                  return QStringLiteral("%1: delivery resumes at event %2\n").arg(oneLine(consumer)).arg(fromId);
                              });
        });
}

int Commands::eventsRetryDead(const QString &consumer)
{
    QStringList targets;
    if (!consumer.isEmpty()) {
        targets << consumer;
    } else {
        const auto [json, code] = getObject(kConsumers);
        if (!json)
            return code;
        for (const QJsonValue &v : json->value(QLatin1String("consumers")).toArray())
            targets << v.toObject().value(QLatin1String("consumer")).toString();
    }

    QJsonArray results;
    qint64 total = 0;
    for (const QString &name : std::as_const(targets)) {
        const ApiReply reply = m_client.post(consumerPath(name, QStringLiteral("retry-dead")), QJsonObject{});
        if (!reply.ok())
            return fail(reply);
        const auto json = reply.jsonObject();
        if (!json)
            return failNotJson(reply);
        total += qint64(json->value(QLatin1String("retried")).toDouble());
        results.append(*json);
    }
    if (m_format == OutputFormat::Json)
        print(QString::fromUtf8(prettyJson(QJsonObject{{QStringLiteral("consumers"), results},
                                                        {QStringLiteral("retried"), double(total)}})));
    else
        print(renderRetried(results));
    return ExitOk;
}

} // namespace Community::Ctl
