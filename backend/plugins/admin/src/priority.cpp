// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "priority.h"

#include <algorithm>

namespace Admin {

int reasonSeverity(const QString &reason)
{
    if (reason == QLatin1String("illegal"))
        return 40;
    if (reason == QLatin1String("harassment"))
        return 25;
    if (reason == QLatin1String("spam"))
        return 15;
    return 5;
}

int priorityScore(const QList<ReportSignal> &reports)
{
    int score = 0, severity = 0;
    for (const ReportSignal &r : reports) {
        score += 10;
        severity = std::max(severity, reasonSeverity(r.reason));
        if (r.reporterRole == QLatin1String("moderator") || r.reporterRole == QLatin1String("admin"))
            score += 15;
        score += 3 * std::clamp(r.upheld - r.dismissed, -3, 3);
    }
    return score + severity;
}

} // namespace Admin
