// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's search commands on top of the search plugin's routes (docs/search.md):
//   search stats     GET /v1/search/stats     top queries, zero-result queries, CTR
//   search status    GET /v1/search/status    index consumer offset/lag, document counts
//   search reindex   POST /v1/search/reindex  empty the index and replay its events
#include "searchcommands.h"

#include "format.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QThread>

#include <cmath>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

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
    summary.addRow({QStringLiteral("mean click position (0 = first):"), text(s, "meanClickPosition")});
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
    const QJsonObject rooms = s.value(QLatin1String("rooms")).toObject();
    if (!rooms.isEmpty())
        t.addRow({QStringLiteral("room index:"), QStringLiteral("%1 messages, offset %2, lag %3")
                                                     .arg(text(rooms, "messages"), text(rooms, "lastId"), text(rooms, "lag"))});
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

void SearchCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *search = app.add_subcommand("search", "Search index: analytics, status, rebuild");
    search->require_subcommand(1);
    auto *stats = search->add_subcommand("stats", "Top queries, top zero-result queries and click-through rate");
    stats->add_option("--days", o.days, "Window in days, ending now (default 7)")->check(CLI::Range(1, 3650));
    stats->add_option("--limit", o.limit, "Entries per top list (1-100, default 20)")->check(CLI::Range(1, 100));
    stats->callback([this, &action] { action = [this] { return this->stats(m_options.days, m_options.limit); }; });
    search->add_subcommand("status", "Index consumer offset and lag, document counts")->callback([this, &action] {
        action = [this] { return status(); };
    });
    auto *reindex = search->add_subcommand("reindex", "Empty the search index and rebuild it by replaying events");
    reindex->add_flag("--wait", o.wait, "Wait until the rebuild has caught up (polls search status)");
    reindex->add_option("--wait-timeout", o.timeoutSeconds, "With --wait: give up after this many seconds (default 600)")
        ->check(CLI::PositiveNumber);
    reindex->add_flag("--dry-run", o.safety.dryRun, "Only show what would change (fetches the current state)");
    reindex->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    reindex->callback([this, &action] {
        action = [this] {
            SearchReindexOptions options;
            options.wait = m_options.wait;
            options.timeout = std::chrono::milliseconds(std::llround(m_options.timeoutSeconds * 1000.0));
            return this->reindex(options, m_options.safety);
        };
    });
}

int SearchCommands::stats(int days, int limit)
{
    return printReply(client().send(Endpoints::searchStats(days, limit)), renderStats);
}

int SearchCommands::status()
{
    return printReply(client().send(Endpoints::searchStatus()), renderStatus);
}

CommandGroup::Planned SearchCommands::reindexPlan()
{
    const auto [status, code] = fetchObject(Endpoints::searchStatus());
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
}

int SearchCommands::reindex(const SearchReindexOptions &options, Safety safety)
{
    return destructive(
        safety, [this] { return reindexPlan(); },
        [&]() -> int {
            const auto [started, code] = fetchObject(Endpoints::searchReindex());
            if (!started)
                return code;
            const qint64 target = number(*started, "targetEventId");
            const qint64 roomsTarget = number(started->value(QLatin1String("rooms")).toObject(), "targetEventId");
            if (!options.wait) {
                printResult(*started, QStringLiteral("reindex started: replaying events 1..%1 (see `communityctl search status`)\n")
                                   .arg(target));
                return ExitOk;
            }
            return waitForReindex(target, roomsTarget, options);
        });
}

int SearchCommands::waitForReindex(qint64 target, qint64 roomsTarget, const SearchReindexOptions &options)
{
    // Poll both consumers' offsets (site index, rooms' index) until each passes the outbox
    // head of the start.
    QDeadlineTimer deadline(options.timeout);
    QJsonObject status;
    for (;;) {
        const auto [s, code] = fetchObject(Endpoints::searchStatus());
        if (!s)
            return code;
        status = *s;
        if (number(status, "lastId") >= target
            && number(status.value(QLatin1String("rooms")).toObject(), "lastId") >= roomsTarget)
            break;
        if (deadline.hasExpired()) {
            err() << QStringLiteral("communityctl: reindex still running after %1 s: at event %2 of %3")
                         .arg(options.timeout.count() / 1000)
                         .arg(number(status, "lastId"))
                         .arg(target)
                         .toStdString()
                  << '\n';
            return ExitServerError;
        }
        QThread::msleep(quint64(options.pollInterval.count()));
    }
    printResult(QJsonObject{{QStringLiteral("targetEventId"), double(target)}, {QStringLiteral("status"), status}},
         QStringLiteral("reindexed: %1 documents from events 1..%2\n").arg(documentCount(status)).arg(target));
    return ExitOk;
}

} // namespace Community::Ctl
