// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `chaos faults|inject|clear|stop-all` on /v1/admin/chaos and `drill list|run|status|history`
/// (docs/adr/0019-chaos-faults-and-drills.md). Drills run here, in the client: the fault is
/// bound to a lease this process renews, so a drill that dies leaves nothing behind. Run
/// reports go to $XDG_STATE_HOME/communityctl (current.json while running, drills.jsonl).
/// Exit codes of `drill run`: 0 PASS, 4 FAIL, 5 ABORTED, 6 INVALID (and the usual 2, 3).

#include "commands.h"

#include <string>

namespace Community::Ctl {

enum DrillExit : int { ExitDrillFail = 4, ExitDrillAborted = 5, ExitDrillInvalid = 6 };

class ChaosCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int faults();
    int inject();
    int clear(const QString &id);
    int stopAll();
    int drillList();
    int drillRun(const QString &nameOrFile);
    int drillStatus();
    int drillHistory(int limit);

    /// Where run reports are kept.
    static QString stateDirectory();

private:
    struct Options
    {
        std::string id, kind, route, plugin, node, drill, reportFile;
        double percent = 100, probability = 1;
        int delayMs = 0, jitterMs = 0, status = 503, bytesPerSecond = 1024, ttlSeconds = 60, limit = 20;
        qint64 offsetSeconds = 0;
        qint64 bodyBytes = -1;
        int count = 1;
        bool allNodes = false;
        bool hold = false;
    };
    QJsonObject faultBody() const;
    int holdLease(const QString &leaseId, const QString &faultId);

    Options m_options;
};

} // namespace Community::Ctl
