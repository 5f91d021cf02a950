// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chaoscommands.h"

#include "drill.h"
#include "drillrunner.h"
#include "format.h"
#include "interrupt.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <QCoreApplication>

#include <csignal>
#include <unistd.h>
#include <iostream>

namespace Community::Ctl {

namespace {

QString selectorText(const QJsonObject &s)
{
    QStringList parts;
    for (const char *k : {"route", "plugin", "node"}) {
        const QString v = s.value(QLatin1String(k)).toString();
        if (!v.isEmpty())
            parts << QStringLiteral("%1=%2").arg(QLatin1String(k), v);
    }
    if (s.value(QStringLiteral("percent")).toDouble(100) < 100)
        parts << QStringLiteral("users=%1%").arg(s.value(QStringLiteral("percent")).toDouble());
    return parts.isEmpty() ? QStringLiteral("all") : parts.join(QLatin1Char(' '));
}

QString faultsTable(const QJsonObject &o)
{
    Table t({QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("SELECTOR"), QStringLiteral("P"),
             QStringLiteral("EXPIRES"), QStringLiteral("LEASE"), QStringLiteral("HITS")});
    for (const QJsonValue &v : o.value(QStringLiteral("faults")).toArray()) {
        const QJsonObject f = v.toObject();
        t.addRow({f.value(QStringLiteral("id")).toString(), f.value(QStringLiteral("kind")).toString(),
                  oneLine(selectorText(f.value(QStringLiteral("selector")).toObject())),
                  QString::number(f.value(QStringLiteral("probability")).toDouble()),
                  f.value(QStringLiteral("expiresAt")).toString(),
                  f.value(QStringLiteral("lease")).isString() ? QStringLiteral("yes") : QStringLiteral("no"),
                  QString::number(f.value(QStringLiteral("hits")).toInt())});
    }
    const QString head = QStringLiteral("chaos %1 on node %2\n")
                             .arg(o.value(QStringLiteral("enabled")).toBool() ? QStringLiteral("enabled") : QStringLiteral("disabled"),
                                  o.value(QStringLiteral("node")).toString());
    return head + (t.isEmpty() ? QStringLiteral("no active faults\n") : t.render());
}

QString verdictTable(const Drills::Report &r)
{
    Table checks({QStringLiteral("PHASE"), QStringLiteral("CHECK"), QStringLiteral("VALUE"), QStringLiteral("RESULT")});
    for (const Drills::CheckResult &c : r.checks)
        checks.addRow({c.phase, c.check.name(), c.value ? QString::number(*c.value, 'g', 4) : QStringLiteral("no data"),
                       c.ok ? QStringLiteral("ok") : QStringLiteral("FAILED")});
    Table numbers;
    numbers.addRow({QStringLiteral("verdict:"), r.verdict});
    numbers.addRow({QStringLiteral("decided in:"), r.phase + (r.failedCheck.isEmpty() ? QString() : QStringLiteral(" (") + r.failedCheck + QLatin1Char(')'))});
    if (!r.note.isEmpty())
        numbers.addRow({QStringLiteral("note:"), oneLine(r.note)});
    numbers.addRow({QStringLiteral("under fault:"), QStringLiteral("%1 requests, %2 5xx, %3 hung, %4 acknowledged writes, %5 fault hits")
                                                        .arg(r.injected.requests).arg(r.injected.errors).arg(r.injected.hung)
                                                        .arg(r.injected.acknowledged).arg(r.faultHits)});
    numbers.addRow({QStringLiteral("ledger:"), QStringLiteral("%1 checked, %2 lost, %3 duplicates").arg(r.ledger.checked).arg(r.ledger.lost).arg(r.ledger.duplicates)});
    numbers.addRow({QStringLiteral("recovery:"), r.recoverySeconds < 0 ? QStringLiteral("not measured") : QStringLiteral("%1 s").arg(r.recoverySeconds, 0, 'f', 2)});
    return checks.render() + QLatin1Char('\n') + numbers.render();
}

int exitFor(const QString &verdict)
{
    if (verdict == QLatin1String("PASS"))
        return ExitOk;
    if (verdict == QLatin1String("FAIL"))
        return ExitDrillFail;
    return verdict == QLatin1String("ABORTED") ? ExitDrillAborted : ExitDrillInvalid;
}

bool writeFile(const QString &path, const QByteArray &data, bool append)
{
    QFile f(path);
    if (!f.open(append ? QIODevice::Append : (QIODevice::WriteOnly | QIODevice::Truncate)))
        return false;
    return f.write(data) == data.size();
}

} // namespace

QString ChaosCommands::stateDirectory()
{
    QString base = qEnvironmentVariable("XDG_STATE_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/state");
    const QString dir = base + QStringLiteral("/communityctl");
    QDir().mkpath(dir);
    return dir;
}

void ChaosCommands::addTo(CLI::App &app, Action &action)
{
    auto *chaos = app.add_subcommand("chaos", "Injected faults on the node (chaos.enabled, admin)");
    chaos->require_subcommand(1);
    chaos->add_subcommand("faults", "List the active faults")->callback([&] { action = [this] { return faults(); }; });
    auto *inj = chaos->add_subcommand("inject", "Inject a fault with a time limit (--hold: until Ctrl-C, with a lease)");
    inj->add_option("kind", m_options.kind, "http.delay, http.abort, http.reset, http.throttle, http.truncate, db.latency, db.refuse, "
                                            "db.drop, db.serialization, db.hold, event.delay, event.duplicate, event.pause, ws.drop, ws.delay, "
                                            "outbound.timeout, outbound.error, outbound.latency, clock.offset")->required();
    inj->add_option("--route", m_options.route, "Route pattern, or a prefix ending in * (outbound.*: smtp, push, sms, s3)");
    inj->add_option("--plugin", m_options.plugin, "Route owner (HTTP) or consumer name prefix (events)");
    inj->add_option("--percent", m_options.percent, "Share of users, 0..100");
    inj->add_option("--node", m_options.node, "Node name (default: every node that receives it)");
    inj->add_option("--probability", m_options.probability, "Per request or delivery, 0..1");
    inj->add_option("--delay-ms", m_options.delayMs, "Delay (http.delay, db.latency, event.delay, ws.delay, outbound.*)");
    inj->add_option("--offset-seconds", m_options.offsetSeconds, "clock.offset: seconds ahead (negative: behind)");
    inj->add_option("--jitter-ms", m_options.jitterMs, "± jitter");
    inj->add_option("--status", m_options.status, "http.abort status");
    inj->add_option("--bytes-per-second", m_options.bytesPerSecond, "http.throttle rate");
    inj->add_option("--count", m_options.count, "db.hold: connections held");
    inj->add_option("--body-bytes", m_options.bodyBytes, "http.reset, http.truncate: body bytes sent before the cut (default: half)");
    inj->add_option("--ttl", m_options.ttlSeconds, "Time limit in seconds (the fault clears itself after)");
    inj->add_flag("--hold", m_options.hold, "Keep the fault while this command runs (dead-man switch)");
    inj->add_flag("--all-nodes", m_options.allNodes, "Set it on every daemon of the database (over the event bus)");
    inj->callback([&] { action = [this] { return inject(); }; });
    auto *clr = chaos->add_subcommand("clear", "Clear one fault");
    clr->add_option("id", m_options.id, "Fault id")->required();
    clr->callback([&] { action = [this] { return clear(QString::fromStdString(m_options.id)); }; });
    auto *stop = chaos->add_subcommand("stop-all", "Clear every fault on the node at once");
    stop->add_flag("--all-nodes", m_options.allNodes, "On every daemon of the database");
    stop->callback([&] { action = [this] { return stopAll(); }; });

    auto *drill = app.add_subcommand("drill", "Chaos drills that end in a verdict");
    drill->require_subcommand(1);
    drill->add_subcommand("list", "The shipped drills")->callback([&] { action = [this] { return drillList(); }; });
    auto *run = drill->add_subcommand("run", "Run a drill (a shipped name or a JSON file); exit 0 PASS, 4 FAIL, 5 ABORTED, 6 INVALID");
    run->add_option("drill", m_options.drill, "Name or file")->required();
    run->add_option("--report", m_options.reportFile, "Also write the JSON report to this file");
    run->callback([&] { action = [this] { return drillRun(QString::fromStdString(m_options.drill)); }; });
    drill->add_subcommand("status", "The running (or last) drill")->callback([&] { action = [this] { return drillStatus(); }; });
    auto *hist = drill->add_subcommand("history", "Past drill runs");
    hist->add_option("--limit", m_options.limit, "How many (newest first)");
    hist->callback([&] { action = [this] { return drillHistory(m_options.limit); }; });
}

int ChaosCommands::faults()
{
    return printReply(client().get(QStringLiteral("/v1/admin/chaos/faults")), faultsTable);
}

QJsonObject ChaosCommands::faultBody() const
{
    QJsonObject sel{{QStringLiteral("percent"), m_options.percent}};
    if (!m_options.route.empty())
        sel.insert(QStringLiteral("route"), QString::fromStdString(m_options.route));
    if (!m_options.plugin.empty())
        sel.insert(QStringLiteral("plugin"), QString::fromStdString(m_options.plugin));
    if (!m_options.node.empty())
        sel.insert(QStringLiteral("node"), QString::fromStdString(m_options.node));
    QJsonObject body{{QStringLiteral("kind"), QString::fromStdString(m_options.kind)}, {QStringLiteral("selector"), sel},
                       {QStringLiteral("probability"), m_options.probability}, {QStringLiteral("delayMs"), m_options.delayMs},
                       {QStringLiteral("jitterMs"), m_options.jitterMs}, {QStringLiteral("status"), m_options.status},
                       {QStringLiteral("bytesPerSecond"), m_options.bytesPerSecond},
                       {QStringLiteral("count"), m_options.count},
                       {QStringLiteral("offsetSeconds"), double(m_options.offsetSeconds)},
                       {QStringLiteral("ttlSeconds"), m_options.ttlSeconds},
                       {QStringLiteral("allNodes"), m_options.allNodes}};
    if (m_options.bodyBytes >= 0)
        body.insert(QStringLiteral("bodyBytes"), double(m_options.bodyBytes));
    return body;
}

int ChaosCommands::inject()
{
    QJsonObject body = faultBody();
    QString leaseId;
    if (m_options.hold) {
        const auto [lease, code] = fetchObject(ApiRequest::withJson("POST", QStringLiteral("/v1/admin/chaos/leases"), {{QStringLiteral("ttlSeconds"), 5}}));
        if (!lease)
            return code;
        leaseId = lease->value(QStringLiteral("id")).toString();
        body.insert(QStringLiteral("lease"), leaseId);
    }
    const ApiReply reply = client().post(QStringLiteral("/v1/admin/chaos/faults"), body);
    const int code = printReply(reply, [](const QJsonObject &f) {
        return QStringLiteral("injected %1 (%2), expires %3\n").arg(f.value(QStringLiteral("id")).toString(),
                                                                  f.value(QStringLiteral("kind")).toString(),
                                                                  f.value(QStringLiteral("expiresAt")).toString());
    });
    if (code != ExitOk || !m_options.hold)
        return code;
    return holdLease(leaseId, reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString());
}

// Renews the lease every second until interrupted or the fault is gone, then ends it.
int ChaosCommands::holdLease(const QString &leaseId, const QString &faultId)
{
    const InterruptGuard interrupts;
    note(QStringLiteral("holding %1; Ctrl-C clears it").arg(faultId));
    while (interrupts.pause(std::chrono::seconds(1))) {
        if (!client().post(QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(leaseId), {}).ok()) {
            note(QStringLiteral("the lease is gone (the fault expired or was cleared)"));
            return ExitOk;
        }
    }
    client().del(QStringLiteral("/v1/admin/chaos/leases/") + leaseId);
    note(QStringLiteral("cleared %1").arg(faultId));
    return ExitOk;
}

int ChaosCommands::clear(const QString &id)
{
    const ApiReply r = client().del(QStringLiteral("/v1/admin/chaos/faults/") + BlockingClient::pathSegment(id));
    if (!r.ok())
        return fail(r);
    print(QStringLiteral("cleared %1\n").arg(id));
    return ExitOk;
}

int ChaosCommands::stopAll()
{
    const QJsonObject body{{QStringLiteral("allNodes"), m_options.allNodes}};
    return printReply(client().post(QStringLiteral("/v1/admin/chaos/stop-all"), body), [](const QJsonObject &o) {
        return QStringLiteral("stopped: %1 fault(s) cleared\n").arg(o.value(QStringLiteral("cleared")).toInt());
    });
}

int ChaosCommands::drillList()
{
    QJsonArray arr;
    Table t({QStringLiteral("NAME"), QStringLiteral("FAULT"), QStringLiteral("LOAD"), QStringLiteral("DESCRIPTION")});
    for (const Drills::Drill &d : Drills::builtinDrills()) {
        t.addRow({d.name, d.fault.value(QStringLiteral("kind")).toString(), d.load.kind, oneLine(d.description)});
        arr.append(QJsonObject{{QStringLiteral("name"), d.name}, {QStringLiteral("fault"), d.fault},
                               {QStringLiteral("description"), d.description}});
    }
    printResult(arr, t.render());
    return ExitOk;
}

int ChaosCommands::drillRun(const QString &nameOrFile)
{
    std::optional<Drills::Drill> drill;
    for (const Drills::Drill &d : Drills::builtinDrills()) {
        if (d.name == nameOrFile)
            drill = d;
    }
    if (!drill) {
        QFile f(nameOrFile);
        if (!f.open(QIODevice::ReadOnly))
            return note(QStringLiteral("no shipped drill or file named %1 (see `drill list`)").arg(nameOrFile)), ExitUsage;
        auto parsed = Drills::parseDrill(f.readAll());
        if (!parsed) {
            const FieldError fe = parsed.error().fields.value(0);
            return note(QStringLiteral("%1: %2 %3").arg(nameOrFile, fe.field, fe.message)), ExitUsage;
        }
        drill = *parsed;
    }
    Drills::DrillRunner runner(client(), std::chrono::seconds(10));
    const QString current = stateDirectory() + QStringLiteral("/current.json");
    const bool live = &err() == &std::cerr && isatty(STDERR_FILENO) == 1;
    runner.onProgress([&](const Drills::Progress &p) {
        const QString line = QStringLiteral("%1 %2  %3s  %4 req  %5 5xx  %6 acked  %7")
                                 .arg(drill->name, p.phase).arg(p.elapsedSeconds, 0, 'f', 1).arg(p.counts.requests)
                                 .arg(p.counts.errors).arg(p.counts.acknowledged).arg(oneLine(p.detail));
        err() << (live ? "\r\033[K" : "") << line.toStdString() << (live ? "" : "\n") << std::flush;
        writeFile(current, QJsonDocument(QJsonObject{{QStringLiteral("drill"), drill->name}, {QStringLiteral("phase"), p.phase},
                                                     {QStringLiteral("pid"), qint64(QCoreApplication::applicationPid())},
                                                     {QStringLiteral("elapsedSeconds"), p.elapsedSeconds},
                                                     {QStringLiteral("requests"), double(p.counts.requests)}}).toJson(QJsonDocument::Compact),
                  false);
    });
    Drills::Report report;
    {
        const InterruptGuard interrupts(&runner.abortFlag());
        report = runner.run(*drill);
    }
    if (live)
        err() << "\n";
    const QByteArray json = QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact);
    writeFile(current, json, false);
    writeFile(stateDirectory() + QStringLiteral("/drills.jsonl"), json + '\n', true);
    if (!m_options.reportFile.empty())
        writeFile(QString::fromStdString(m_options.reportFile), json + '\n', false);
    printResult(report.toJson(), verdictTable(report));
    return exitFor(report.verdict);
}

int ChaosCommands::drillStatus()
{
    QFile f(stateDirectory() + QStringLiteral("/current.json"));
    if (!f.open(QIODevice::ReadOnly))
        return print(QStringLiteral("no drill has run from here\n")), ExitOk;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    const bool running = !o.contains(QStringLiteral("verdict"));
    Table t;
    t.addRow({QStringLiteral("drill:"), o.value(QStringLiteral("drill")).toString()});
    t.addRow({QStringLiteral("state:"), running ? QStringLiteral("running (%1, %2 s)").arg(o.value(QStringLiteral("phase")).toString())
                                                      .arg(o.value(QStringLiteral("elapsedSeconds")).toDouble(), 0, 'f', 1)
                                                : o.value(QStringLiteral("verdict")).toString()});
    if (!running)
        t.addRow({QStringLiteral("decided in:"), o.value(QStringLiteral("phase")).toString() + QLatin1Char(' ')
                                                     + o.value(QStringLiteral("failedCheck")).toString()});
    printResult(o, t.render());
    return ExitOk;
}

int ChaosCommands::drillHistory(int limit)
{
    QFile f(stateDirectory() + QStringLiteral("/drills.jsonl"));
    QList<QJsonObject> runs;
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (!line.trimmed().isEmpty())
                runs.prepend(QJsonDocument::fromJson(line).object());
        }
    }
    runs = runs.mid(0, std::max(1, limit));
    QJsonArray arr;
    Table t({QStringLiteral("STARTED"), QStringLiteral("DRILL"), QStringLiteral("VERDICT"), QStringLiteral("PHASE"),
             QStringLiteral("FAILED CHECK"), QStringLiteral("RECOVERY")});
    for (const QJsonObject &r : runs) {
        arr.append(r);
        const QJsonValue rec = r.value(QStringLiteral("recoverySeconds"));
        t.addRow({r.value(QStringLiteral("startedAt")).toString(), r.value(QStringLiteral("drill")).toString(),
                  r.value(QStringLiteral("verdict")).toString(), r.value(QStringLiteral("phase")).toString(),
                  r.value(QStringLiteral("failedCheck")).toString(),
                  rec.isDouble() ? QStringLiteral("%1 s").arg(rec.toDouble(), 0, 'f', 2) : QStringLiteral("-")});
    }
    printResult(arr, t.render());
    return ExitOk;
}

} // namespace Community::Ctl
