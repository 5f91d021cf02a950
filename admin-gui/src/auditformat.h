// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The audit log's rows (/v1/admin/audit items) as the console shows them: a before/after
/// difference per field. Export (CSV, JSON) is shared with communityctl:
/// community/client/auditexport.h. Pure functions (unit-tested).

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Console {

struct FieldChange {
    QString field;
    QString before;   ///< compact JSON of the value; "" when absent
    QString after;
};

/// Fields that differ between `before` and `after` (objects compared key by key; other
/// values as one field named "value"), sorted by field.
QList<FieldChange> auditDiff(const QJsonValue &before, const QJsonValue &after);
/// The before/after difference as an HTML table (values escaped).
QString auditDiffHtml(const QJsonObject &row);

} // namespace Console
