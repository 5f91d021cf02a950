// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A queue item's priority score from its open reports (docs/adr/0012-admin-plugin.md):
///   10 per open report
/// + the most severe reason (illegal 40, harassment 25, spam 15, off-topic / other 5)
/// + 15 per report from a moderator or admin
/// + per reporter, 3 × (upheld − dismissed past reports), each clamped to −3..3 reports.
/// Pure; safe on any thread.

#include <QList>
#include <QString>

namespace Admin {

struct ReportSignal {
    QString reason;
    QString reporterRole;   ///< user, moderator, admin
    int upheld = 0;         ///< the reporter's past reports that led to an action
    int dismissed = 0;      ///< ... that were dismissed
};

int reasonSeverity(const QString &reason);
int priorityScore(const QList<ReportSignal> &reports);

} // namespace Admin
