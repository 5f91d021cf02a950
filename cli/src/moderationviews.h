// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Tables for `communityctl audit ...` and `queue ...` (the admin plugin).

#include "adminviews.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

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

} // namespace Community::Ctl
