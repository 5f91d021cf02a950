// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's search commands on top of the search plugin's routes (docs/search.md):
//   search stats     GET /v1/search/stats     top queries, zero-result queries, CTR
//   search status    GET /v1/search/status    index consumer offset/lag, document counts
//   search reindex   POST /v1/search/reindex  empty the index and replay its events
#include "commands.h"

#include "apiclient.h"
#include "format.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QThread>

#include <cmath>
#include <ostream>

namespace Community::Ctl {

namespace {

const QString kStats = QStringLiteral("/v1/search/stats");
const QString kStatus = QStringLiteral("/v1/search/status");
const QString kReindex = QStringLiteral("/v1/search/reindex");

qint64 number(const QJsonObject &o, const char *key)
{
    return qint64(o.value(QLatin1String(key)).toDouble());
}

QString text(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == std::floor(d) ? QString::number(qint64(d)) : QString::number(d, 'f', 2);
    }
    return v.isString() ? oneLine(v.toString()) : QStringLiteral("-");
}

QString percent(double ratio)
{
    return QString::number(ratio * 100.0, 'f', 1) + QLatin1Char('%');
}

QString renderStats(const QJsonObject &s)
{
    QString out;
    Table summary;
    summary.addRow({QStringLiteral("window:"), QStringLiteral("%1 days (%2 .. %3)").arg(text(s, "days"), text(s, "from"), text(s, "to"))});
    summary.addRow({QStringLiteral("searches:"), text(s, "searches")});
    summary.addRow({QStringLiteral("zero results:"), QStringLiteral("%1 (%2)").arg(text(s, "zeroResultSearches"),
                                                                                   percent(s.value(QLatin1String("zeroResultRate")).toDouble()))});
    summary.addRow({QStringLiteral("clicked:"), QStringLiteral("%1 searches, %2 clicks").arg(text(s, "clickedSearches"), text(s, "clicks"))});
    summary.addRow({QStringLiteral("CTR:"), percent(s.value(QLatin1String("ctr")).toDouble())});
    summary.addRow({QStringLiteral("mean click position:"), text(s, "meanClickPosition")});
    out += summary.render();

    out += QStringLiteral("\ntop queries\n");
    const QJsonArray top = s.value(QLatin1String("topQueries")).toArray();
    if (top.isEmpty()) {
        out += QStringLiteral("none\n");
    } else {
        Table t({QStringLiteral("QUERY"), QStringLiteral("SEARCHES"), QStringLiteral("AVG RESULTS"), QStringLiteral("CLICKED"),
                 QStringLiteral("CTR")});
        for (const QJsonValue &v : top) {
            const QJsonObject q = v.toObject();
            t.addRow({text(q, "query"), text(q, "count"), text(q, "avgResults"), text(q, "clicked"),
                      percent(q.value(QLatin1String("ctr")).toDouble())});
        }
        out += t.render();
    }

    out += QStringLiteral("\ntop zero-result queries\n");
    const QJsonArray zero = s.value(QLatin1String("topZeroResultQueries")).toArray();
    if (zero.isEmpty()) {
        out += QStringLiteral("none\n");
    } else {
        Table t({QStringLiteral("QUERY"), QStringLiteral("SEARCHES"), QStringLiteral("LAST SEEN")});
        for (const QJsonValue &v : zero) {
            const QJsonObject q = v.toObject();
            t.addRow({text(q, "query"), text(q, "count"), text(q, "lastSeen")});
        }
        out += t.render();
    }
    return out;
}

QString renderStatus(const QJsonObject &s)
{
    Table t;
    t.addRow({QStringLiteral("consumer:"), text(s, "consumer")});
    t.addRow({QStringLiteral("offset:"), text(s, "lastId")});
    t.addRow({QStringLiteral("lag:"), text(s, "lag")});
    t.addRow({QStringLiteral("dead letters:"), text(s, "dead")});
    const QJsonObject docs = s.value(QLatin1String("documents")).toObject();
    for (auto it = docs.begin(); it != docs.end(); ++it) {
        const QJsonObject d = it.value().toObject();
        t.addRow({oneLine(it.key()) + QLatin1Char(':'),
                  QStringLiteral("%1 searchable of %2").arg(text(d, "searchable"), text(d, "total"))});
    }
    t.addRow({QStringLiteral("suggestions:"), text(s, "suggestions")});
    t.addRow({QStringLiteral("vocabulary:"), text(s, "vocabulary")});
    return t.render();
}

qint64 documentCount(const QJsonObject &status)
{
    qint64 n = 0;
    const QJsonObject docs = status.value(QLatin1String("documents")).toObject();
    for (auto it = docs.begin(); it != docs.end(); ++it)
        n += number(it.value().toObject(), "total");
    return n;
}

} // namespace

int Commands::searchStats(int days, int limit)
{
    QUrlQuery query;
    if (days > 0)
        query.addQueryItem(QStringLiteral("days"), QString::number(days));
    if (limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    return printReply(m_client.get(kStats, query), renderStats);
}

int Commands::searchStatus()
{
    return printReply(m_client.get(kStatus), renderStatus);
}

int Commands::searchReindex(const SearchReindexOptions &options, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [status, code] = getObject(kStatus);
            if (!status)
                return {std::nullopt, code};
            const qint64 head = number(*status, "lastId") + number(*status, "lag");
            Plan plan;
            plan.action = QStringLiteral("reindex");
            plan.current = *status;
            plan.change = QJsonObject{{QStringLiteral("documents"), QJsonObject{{QStringLiteral("from"), double(documentCount(*status))},
                                                                                {QStringLiteral("to"), 0}}},
                                      {QStringLiteral("replay"), QJsonObject{{QStringLiteral("fromId"), 1},
                                                                             {QStringLiteral("toId"), double(head)}}}};
            plan.description = QStringLiteral("empty the search index (%1 documents) and rebuild it from events 1..%2; "
                                              "results are incomplete until it has caught up")
                                   .arg(documentCount(*status))
                                   .arg(head);
            return {plan, ExitOk};
        },
        [&]() -> int {
            const ApiReply reply = m_client.post(kReindex, QJsonObject{});
            if (!reply.ok())
                return fail(reply);
            const auto started = reply.jsonObject();
            if (!started)
                return failNotJson(reply);
            const qint64 target = number(*started, "targetEventId");
            if (!options.wait) {
                if (m_format == OutputFormat::Json)
                    print(QString::fromUtf8(prettyJson(*started)));
                else
                    print(QStringLiteral("reindex started: replaying events 1..%1 (see `communityctl search status`)\n").arg(target));
                return ExitOk;
            }
            // Poll the consumer's offset until it passes the outbox head of the start.
            QDeadlineTimer deadline(options.timeout);
            QJsonObject status;
            for (;;) {
                const auto [s, code] = getObject(kStatus);
                if (!s)
                    return code;
                status = *s;
                if (number(status, "lastId") >= target)
                    break;
                if (deadline.hasExpired()) {
                    m_err << QStringLiteral("communityctl: reindex still running after %1 s: at event %2 of %3")
                                 .arg(options.timeout.count() / 1000)
                                 .arg(number(status, "lastId"))
                                 .arg(target)
                                 .toStdString()
                          << '\n';
                    return ExitServerError;
                }
                QThread::msleep(quint64(options.pollInterval.count()));
            }
            if (m_format == OutputFormat::Json)
                print(QString::fromUtf8(prettyJson(QJsonObject{{QStringLiteral("targetEventId"), double(target)},
                                                               {QStringLiteral("status"), status}})));
            else
                print(QStringLiteral("reindexed: %1 documents from events 1..%2\n").arg(documentCount(status)).arg(target));
            return ExitOk;
        });
}

} // namespace Community::Ctl
