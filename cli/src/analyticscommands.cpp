// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's analytics commands on top of the analytics plugin's routes (docs/analytics.md):
//   analytics report NAME   GET /v1/analytics/reports/{name}   --from --to --tz --limit, -o table|json|csv
//   analytics live          GET /v1/analytics/live
//   analytics rebuild       POST /v1/analytics/rebuild
//   analytics maintain      POST /v1/analytics/maintenance
#include "analyticscommands.h"

#include "format.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

#include <cmath>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

const std::vector<std::string> kReports{"active-users", "signups", "activity", "top-content", "search", "moderation", "retention"};

QString cell(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("-");
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == std::floor(d) && std::abs(d) < 1e15 ? QString::number(qint64(d)) : QString::number(d, 'f', 3);
    }
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue &x : v.toArray())
            parts << cell(x);
        return parts.join(QLatin1Char(' '));
    }
    return oneLine(v.toString());
}

/// An array of objects as a table, the columns in the first object's key order.
QString objectsTable(const QJsonArray &rows)
{
    if (rows.isEmpty())
        return QStringLiteral("none\n");
    const QStringList keys = rows.first().toObject().keys();
    QStringList headers;
    for (const QString &k : keys)
        headers << k.toUpper();
    Table t(headers);
    for (const QJsonValue &v : rows) {
        QStringList cells;
        for (const QString &k : keys)
            cells << cell(v.toObject().value(k));
        t.addRow(cells);
    }
    return t.render();
}

QString renderReport(const QJsonObject &r)
{
    QString out = QStringLiteral("%1  %2 .. %3  (%4)\n\n").arg(cell(r.value("report")), cell(r.value("from")), cell(r.value("to")),
                                                             cell(r.value("tz")));
    const QJsonObject totals = r.value(QLatin1String("totals")).toObject();
    const QJsonObject previous = r.value(QLatin1String("previous")).toObject().value(QLatin1String("totals")).toObject();
    const QJsonObject change = r.value(QLatin1String("change")).toObject();
    Table summary({QStringLiteral("TOTAL"), QStringLiteral("VALUE"), QStringLiteral("PREVIOUS"), QStringLiteral("CHANGE")});
    for (auto it = totals.begin(); it != totals.end(); ++it) {
        const QJsonValue c = change.value(it.key());
        summary.addRow({it.key(), cell(it.value()), cell(previous.value(it.key())),
                        c.isDouble() ? QString::number(c.toDouble() * 100.0, 'f', 1) + QLatin1Char('%') : QStringLiteral("-")});
    }
    out += summary.render();
    for (auto it = r.begin(); it != r.end(); ++it) {
        if (!it.value().isArray())
            continue;
        out += QStringLiteral("\n%1\n").arg(it.key()) + objectsTable(it.value().toArray());
    }
    return out;
}

QString renderLive(const QJsonObject &l)
{
    Table t;
    t.addRow({QStringLiteral("active users (5 min):"), cell(l.value("activeUsers"))});
    t.addRow({QStringLiteral("anonymous visitors (5 min):"), cell(l.value("visitors"))});
    t.addRow({QStringLiteral("events per minute:"), cell(l.value("eventsPerMinute"))});
    t.addRow({QStringLiteral("at:"), cell(l.value("at"))});
    return t.render();
}

QString renderObject(const QJsonObject &o)
{
    Table t;
    for (auto it = o.begin(); it != o.end(); ++it)
        t.addRow({it.key() + QLatin1Char(':'), cell(it.value())});
    return t.render();
}

} // namespace

void AnalyticsCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *analytics = app.add_subcommand("analytics", "Analytics: reports, live figures, rollup rebuild");
    analytics->require_subcommand(1);
    auto *report = analytics->add_subcommand("report", "A report for a range of days (-o csv for a spreadsheet)");
    report->add_option("name", o.name, "Report")->required()->check(CLI::IsMember(kReports));
    report->add_option("--from", o.from, "First day, YYYY-MM-DD (default: 29 days before --to)");
    report->add_option("--to", o.to, "Last day, inclusive (default: today in --tz)");
    report->add_option("--tz", o.tz, "IANA time zone the days are counted in (default UTC)");
    report->add_option("--limit", o.limit, "Entries per ranked list (1-100)")->check(CLI::Range(1, 100));
    report->callback([this, &action] {
        action = [this] {
            const Options &p = m_options;
            return this->report(QString::fromStdString(p.name), {QString::fromStdString(p.from), QString::fromStdString(p.to),
                                                                 QString::fromStdString(p.tz), p.limit});
        };
    });
    analytics->add_subcommand("live", "Active users now and events per minute")->callback([this, &action] {
        action = [this] { return live(); };
    });
    auto *rebuild = analytics->add_subcommand("rebuild", "Recompute every rollup and replay the server facts");
    rebuild->add_flag("--dry-run", o.safety.dryRun, "Only show what would happen");
    rebuild->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    rebuild->callback([this, &action] { action = [this] { return this->rebuild(m_options.safety); }; });
    analytics->add_subcommand("maintain", "Create the coming days' partitions, drop those past retention")->callback([this, &action] {
        action = [this] { return maintain(); };
    });
}

int AnalyticsCommands::report(const QString &name, const Endpoints::AnalyticsRange &range)
{
    if (m_session.format != OutputFormat::Csv)
        return printReply(client().send(Endpoints::analyticsReport(name, range)), renderReport);
    const ApiReply reply = client().send(Endpoints::analyticsReport(name, range, true));
    if (!reply.ok())
        return fail(reply);
    m_session.out << reply.body.toStdString();
    return ExitOk;
}

int AnalyticsCommands::live()
{
    return printReply(client().send(Endpoints::analyticsLive()), renderLive);
}

int AnalyticsCommands::rebuild(Safety safety)
{
    return destructive(
        safety,
        [] {
            Plan plan;
            plan.action = QStringLiteral("analytics rebuild");
            plan.description = QStringLiteral("empty every analytics rollup, recompute it from the raw client events and replay the "
                                              "server facts; reports are incomplete until the consumer analytics.facts has caught up");
            return Planned{plan, ExitOk};
        },
        [this] { return printReply(client().send(Endpoints::analyticsRebuild()), renderObject); });
}

int AnalyticsCommands::maintain()
{
    return printReply(client().send(Endpoints::analyticsMaintenance()), renderObject);
}

} // namespace Community::Ctl
