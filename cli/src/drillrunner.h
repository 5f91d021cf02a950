// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Runs a drill against a node through its API (docs/adr/0019): steady state (INVALID if it
/// does not hold, nothing injected) → inject under a session lease and sample → abort on a
/// condition or on request → always remove the fault → measure recovery → reconcile the
/// ledger → verdict PASS / FAIL / ABORTED / INVALID with the numbers, the failing check and
/// its phase. The fault is bound to a lease renewed while the drill runs: a runner that
/// dies leaves nothing behind for longer than the lease. Blocking; one thread.

#include "drill.h"
#include "drillload.h"

#include <QDateTime>
#include <QJsonObject>

#include <atomic>
#include <functional>

namespace Community::Client { class BlockingClient; }

namespace Community::Ctl::Drills {

struct CheckResult {
    Check check;
    QString phase;
    std::optional<double> value;   ///< nullopt: no data in the window (holds)
    bool ok = true;
};

struct Report {
    QString drill;
    QString runId;
    QString verdict = QStringLiteral("INVALID");   ///< PASS, FAIL, ABORTED, INVALID
    QString phase;             ///< where the verdict was decided
    QString failedCheck;       ///< the check that decided it, if any
    QString note;              ///< e.g. why it was aborted, what could not be done
    QList<CheckResult> checks;
    LoadCounts steady, injected;
    Reconciliation ledger;
    double recoverySeconds = -1;
    double faultHits = 0;
    QString faultId;
    QDateTime startedAt, finishedAt;

    QJsonObject toJson() const;
};

struct Progress {
    QString phase;
    double elapsedSeconds = 0;
    LoadCounts counts;
    QString detail;
};

class DrillRunner {
public:
    /// `admin` carries the operator token or an administrator's; `loadTimeout` bounds each
    /// load request (beyond it the request counts as hung).
    DrillRunner(Client::BlockingClient &admin, std::chrono::milliseconds loadTimeout);

    void onProgress(std::function<void(const Progress &)> callback) { m_progress = std::move(callback); }
    /// Thread-safe (a signal handler may set it through abortFlag()).
    void requestAbort() { m_abort = true; }
    std::atomic_bool &abortFlag() { return m_abort; }

    Report run(const Drill &drill);

private:
    bool sample(MetricsSample &out);
    /// The first metrics check of `checks` failing over the window, recorded in the report.
    std::optional<CheckResult> evaluate(const QList<Check> &checks, const QString &phase, const MetricsSample &from,
                                        const MetricsSample &to, Report &report, bool record);
    bool steadyState(const Drill &drill, LoadGenerator &load, Report &report);
    bool inject(const Drill &drill, Report &report, QString &leaseId);
    void injectAndSample(const Drill &drill, LoadGenerator &load, Report &report, const QString &leaseId);
    void removeFault(Report &report, const QString &leaseId);
    void recover(const Drill &drill, Report &report);
    void reconcile(const Drill &drill, LoadGenerator &load, Report &report);
    void progress(const QString &phase, double elapsed, const LoadCounts &counts, const QString &detail = {});
    Report &finish(Report &report, const QString &verdict, const QString &phase, const QString &check = {});

    Client::BlockingClient &m_admin;
    std::chrono::milliseconds m_loadTimeout;
    std::function<void(const Progress &)> m_progress;
    std::atomic_bool m_abort{false};
};

} // namespace Community::Ctl::Drills
