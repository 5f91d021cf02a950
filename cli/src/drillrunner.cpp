// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "drillrunner.h"

#include "community/client/blockingclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QThread>

namespace Community::Ctl::Drills {

using Client::ApiReply;

namespace {

constexpr int kLeaseSeconds = 5;     // the dead-man switch: renewed every second
constexpr int kSampleMs = 500;

QJsonObject countsJson(const LoadCounts &c)
{
    return QJsonObject{{QStringLiteral("requests"), double(c.requests)}, {QStringLiteral("errors5xx"), double(c.errors)},
                       {QStringLiteral("hung"), double(c.hung)}, {QStringLiteral("acknowledgedWrites"), double(c.acknowledged)}};
}

LoadCounts minus(const LoadCounts &a, const LoadCounts &b)
{
    return LoadCounts{a.requests - b.requests, a.errors - b.errors, a.hung - b.hung, a.acknowledged - b.acknowledged};
}

bool isLedgerCheck(const Check &c)
{
    return c.metric == QLatin1String("lost") || c.metric == QLatin1String("duplicates")
           || c.metric == QLatin1String("undelivered");
}

} // namespace

QJsonObject Report::toJson() const
{
    QJsonArray arr;
    for (const CheckResult &r : checks)
        arr.append(QJsonObject{{QStringLiteral("check"), r.check.name()}, {QStringLiteral("phase"), r.phase},
                               {QStringLiteral("value"), r.value ? QJsonValue(*r.value) : QJsonValue()},
                               {QStringLiteral("max"), r.check.max}, {QStringLiteral("ok"), r.ok}});
    return QJsonObject{
        {QStringLiteral("drill"), drill}, {QStringLiteral("runId"), runId}, {QStringLiteral("verdict"), verdict},
        {QStringLiteral("phase"), phase}, {QStringLiteral("failedCheck"), failedCheck}, {QStringLiteral("note"), note},
        {QStringLiteral("checks"), arr}, {QStringLiteral("steady"), countsJson(steady)},
        {QStringLiteral("underFault"), countsJson(injected)},
        {QStringLiteral("ledger"), QJsonObject{{QStringLiteral("checked"), double(ledger.checked)},
                                               {QStringLiteral("lost"), double(ledger.lost)},
                                               {QStringLiteral("duplicates"), double(ledger.duplicates)},
                                               {QStringLiteral("undelivered"), double(ledger.undelivered)}}},
        {QStringLiteral("recoverySeconds"), recoverySeconds < 0 ? QJsonValue() : QJsonValue(recoverySeconds)},
        {QStringLiteral("faultHits"), faultHits}, {QStringLiteral("faultId"), faultId},
        {QStringLiteral("startedAt"), startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finishedAt"), finishedAt.toString(Qt::ISODateWithMs)}};
}

DrillRunner::DrillRunner(Client::BlockingClient &admin, std::chrono::milliseconds loadTimeout)
    : m_admin(admin), m_loadTimeout(loadTimeout)
{
}

void DrillRunner::progress(const QString &phase, double elapsed, const LoadCounts &counts, const QString &detail)
{
    if (m_progress)
        m_progress(Progress{phase, elapsed, counts, detail});
}

Report &DrillRunner::finish(Report &report, const QString &verdict, const QString &phase, const QString &check)
{
    // The first decision stands (an abort is not overwritten by a later failing check).
    if (report.phase.isEmpty()) {
        report.verdict = verdict;
        report.phase = phase;
        report.failedCheck = check;
    }
    return report;
}

bool DrillRunner::sample(MetricsSample &out)
{
    const ApiReply r = m_admin.get(QStringLiteral("/metrics"));
    if (!r.ok())
        return false;
    out = MetricsSample::parse(r.body);
    return true;
}

std::optional<CheckResult> DrillRunner::evaluate(const QList<Check> &checks, const QString &phase, const MetricsSample &from,
                                                 const MetricsSample &to, Report &report, bool record)
{
    std::optional<CheckResult> failed;
    for (const Check &c : checks) {
        if (isLedgerCheck(c) || c.metric == QLatin1String("hung"))
            continue;
        CheckResult r{c, phase, windowValue(c, from, to), true};
        r.ok = !r.value || *r.value <= c.max;
        if (record)
            report.checks.append(r);
        if (!r.ok && !failed)
            failed = r;
    }
    return failed;
}

Report DrillRunner::run(const Drill &drill)
{
    Report report;
    report.drill = drill.name;
    report.startedAt = QDateTime::currentDateTimeUtc();
    report.runId = report.startedAt.toString(QStringLiteral("yyyyMMddhhmmss"))
                   + QString::number(QRandomGenerator::global()->bounded(1000, 9999));
    LoadGenerator load(m_admin.baseUrl(), m_loadTimeout);
    progress(QStringLiteral("prepare"), 0, {});
    if (const QString err = load.prepare(report.runId); !err.isEmpty()) {
        report.note = err;
        finish(report, QStringLiteral("INVALID"), QStringLiteral("prepare"));
    } else if (steadyState(drill, load, report)) {
        QString lease;
        if (inject(drill, report, lease)) {
            injectAndSample(drill, load, report, lease);
            removeFault(report, lease);   // always, whatever happened while injecting
            recover(drill, report);
            load.stop();
            reconcile(drill, load, report);
        }
    }
    load.stop();
    finish(report, QStringLiteral("PASS"), QStringLiteral("done"));
    report.finishedAt = QDateTime::currentDateTimeUtc();
    progress(QStringLiteral("verdict"), report.startedAt.msecsTo(report.finishedAt) / 1000.0, report.injected, report.verdict);
    return report;
}

bool DrillRunner::steadyState(const Drill &drill, LoadGenerator &load, Report &report)
{
    MetricsSample before, after;
    if (!sample(before)) {
        report.note = QStringLiteral("cannot read /metrics");
        return finish(report, QStringLiteral("INVALID"), QStringLiteral("steady-state")), false;
    }
    load.start(drill.load);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < drill.load.steadySeconds * 1000 && !m_abort) {
        QThread::msleep(kSampleMs);
        progress(QStringLiteral("steady-state"), t.elapsed() / 1000.0, load.counts());
    }
    report.steady = load.counts();
    if (m_abort || !sample(after)) {
        report.note = m_abort ? QStringLiteral("aborted on request") : QStringLiteral("cannot read /metrics");
        return finish(report, m_abort ? QStringLiteral("ABORTED") : QStringLiteral("INVALID"), QStringLiteral("steady-state")), false;
    }
    if (auto failed = evaluate(drill.hypothesis, QStringLiteral("steady-state"), before, after, report, true)) {
        report.note = QStringLiteral("the steady state does not hold: nothing was injected");
        return finish(report, QStringLiteral("INVALID"), QStringLiteral("steady-state"), failed->check.name()), false;
    }
    return true;
}

bool DrillRunner::inject(const Drill &drill, Report &report, QString &leaseId)
{
    const ApiReply lease = m_admin.post(QStringLiteral("/v1/admin/chaos/leases"), {{QStringLiteral("ttlSeconds"), kLeaseSeconds}});
    leaseId = lease.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString();
    QJsonObject fault = drill.fault;
    fault.insert(QStringLiteral("lease"), leaseId);
    // The time limit outlasts the injection window; the lease and the runner end it sooner.
    fault.insert(QStringLiteral("ttlSeconds"), drill.load.durationSeconds + 30);
    const ApiReply r = leaseId.isEmpty() ? lease : m_admin.post(QStringLiteral("/v1/admin/chaos/faults"), fault);
    report.faultId = r.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString();
    if (r.status != 201 || report.faultId.isEmpty()) {
        report.note = QStringLiteral("inject refused: %1 %2").arg(r.status).arg(QString::fromUtf8(r.body.left(300)));
        return finish(report, QStringLiteral("INVALID"), QStringLiteral("inject")), false;
    }
    return true;
}

void DrillRunner::injectAndSample(const Drill &drill, LoadGenerator &load, Report &report, const QString &leaseId)
{
    MetricsSample start, now;
    sample(start);
    const LoadCounts atStart = load.counts();
    QElapsedTimer t, renewed;
    t.start();
    renewed.start();
    while (t.elapsed() < drill.load.durationSeconds * 1000) {
        QThread::msleep(kSampleMs);
        if (renewed.elapsed() >= 1000) {
            renewed.restart();
            if (!m_admin.post(QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(leaseId), {}).ok()) {
                report.note = QStringLiteral("the lease lapsed: the fault was cleared by the node");
                finish(report, QStringLiteral("ABORTED"), QStringLiteral("inject"));
                break;
            }
        }
        if (m_abort) {
            report.note = QStringLiteral("aborted on request");
            finish(report, QStringLiteral("ABORTED"), QStringLiteral("inject"));
            break;
        }
        if (sample(now)) {
            if (auto failed = evaluate(drill.abortWhen, QStringLiteral("inject"), start, now, report, false)) {
                report.checks.append(*failed);
                report.note = QStringLiteral("abort condition met");
                finish(report, QStringLiteral("ABORTED"), QStringLiteral("inject"), failed->check.name());
                break;
            }
        }
        progress(QStringLiteral("inject"), t.elapsed() / 1000.0, minus(load.counts(), atStart));
    }
    report.injected = minus(load.counts(), atStart);
    if (!sample(now))
        return;
    const QString kind = drill.fault.value(QStringLiteral("kind")).toString();
    report.faultHits = now.faultHits.value(kind) - start.faultHits.value(kind);
    if (auto failed = evaluate(drill.hypothesis, QStringLiteral("inject"), start, now, report, true))
        finish(report, QStringLiteral("FAIL"), QStringLiteral("inject"), failed->check.name());
    for (const Check &c : drill.hypothesis) {
        if (c.metric != QLatin1String("hung"))
            continue;
        const CheckResult r{c, QStringLiteral("inject"), double(report.injected.hung), report.injected.hung <= c.max};
        report.checks.append(r);
        if (!r.ok)
            finish(report, QStringLiteral("FAIL"), QStringLiteral("inject"), c.name());
    }
}

void DrillRunner::removeFault(Report &report, const QString &leaseId)
{
    const ApiReply cleared = m_admin.del(QStringLiteral("/v1/admin/chaos/faults/") + report.faultId);
    m_admin.del(QStringLiteral("/v1/admin/chaos/leases/") + leaseId);
    progress(QStringLiteral("remove-fault"), 0, report.injected,
             cleared.status == 204 ? QStringLiteral("removed") : QStringLiteral("already gone"));
}

void DrillRunner::recover(const Drill &drill, Report &report)
{
    QElapsedTimer t;
    t.start();
    MetricsSample prev, now;
    sample(prev);
    while (true) {
        QThread::msleep(250);
        if (!sample(now)) {
            if (t.elapsed() > drill.recoveryBudgetSeconds * 1000) {
                report.note = QStringLiteral("the node's metrics are unreachable");
                finish(report, QStringLiteral("FAIL"), QStringLiteral("recovery"), QStringLiteral("metrics readable"));
                return;
            }
            continue;
        }
        const auto failed = evaluate(drill.recovery, QStringLiteral("recovery"), prev, now, report, false);
        if (!failed) {
            report.recoverySeconds = t.elapsed() / 1000.0;
            return;
        }
        if (t.elapsed() > drill.recoveryBudgetSeconds * 1000) {
            report.checks.append(*failed);
            finish(report, QStringLiteral("FAIL"), QStringLiteral("recovery"), failed->check.name());
            return;
        }
        progress(QStringLiteral("recovery"), t.elapsed() / 1000.0, report.injected, failed->check.name());
        prev = now;
    }
}

void DrillRunner::reconcile(const Drill &drill, LoadGenerator &load, Report &report)
{
    progress(QStringLiteral("reconcile"), 0, load.counts());
    report.ledger = load.reconcile();
    if (!report.ledger.error.isEmpty()) {
        report.note += (report.note.isEmpty() ? QString() : QStringLiteral("; ")) + report.ledger.error;
        finish(report, QStringLiteral("FAIL"), QStringLiteral("reconcile"), QStringLiteral("ledger readable"));
        return;
    }
    for (const Check &c : drill.hypothesis) {
        if (!isLedgerCheck(c))
            continue;
        const double v = c.metric == QLatin1String("lost")         ? report.ledger.lost
                         : c.metric == QLatin1String("duplicates") ? report.ledger.duplicates
                                                                   : report.ledger.undelivered;
        report.checks.append(CheckResult{c, QStringLiteral("reconcile"), v, v <= c.max});
        if (v > c.max)
            finish(report, QStringLiteral("FAIL"), QStringLiteral("reconcile"), c.name());
    }
}

} // namespace Community::Ctl::Drills
