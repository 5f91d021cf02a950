// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Tables for `communityctl audit ...`, `queue ...`, `rules ...` and `penalties` (the admin plugin).

#include "adminviews.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Community::Ctl {

QString renderAuditRows(const QJsonArray &rows);
/// One row on one line (`audit tail`): seq, time, actor, action, target, reason.
QString renderAuditLine(const QJsonObject &row);
/// "audit chain ok: N rows" or "audit chain BROKEN at row S: problem (N rows checked)".
QString renderAuditVerify(const QJsonObject &result);
QString renderQueueItems(const QJsonArray &items);
QString renderQueueItem(const QJsonObject &item);
/// The plan of `queue act`: the item as it is and the actions about to be taken.
Plan planDecision(const QJsonObject &item, const QJsonArray &actions, const QString &reason);
/// "decision 12 (undoable until ...)" above a decided item.
QString renderDecisionLine(const QJsonObject &answer);
/// The per-item answer of a bulk decision (or its dry run): ID, STATUS, DECISION,
/// UNDOABLE UNTIL, PROBLEM, then "N ok, M failed".
QString renderBulkResults(const QJsonObject &answer);
/// The plan of `queue act --items`: the server's dry run of the selection.
Plan planBulkDecision(const QJsonObject &preview, const QStringList &ids, const QJsonArray &actions, const QString &reason);
/// The plan of `queue undo`: the server's dry run (the item as it is now).
Plan planUndo(const QJsonObject &preview, const QString &reason);
/// "decision 12 undone: item 4 open again, 1 penalty lifted, 2 reporters told".
QString renderUndo(const QJsonObject &answer);
QString renderPenalties(const QJsonArray &items);
QString renderWatchRules(const QJsonArray &items);
/// "block (rules 3, 5)" or "nothing".
QString renderRuleTest(const QJsonObject &result);

} // namespace Community::Ctl
