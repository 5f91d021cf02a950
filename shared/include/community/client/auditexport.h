// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The audit log's rows (/v1/admin/audit items) as files: CSV (RFC 4180, UTF-8, CRLF) and
/// JSON. One format for `communityctl audit export` and the console's export, so the two
/// cannot drift. A cell a spreadsheet would run as a formula (=, +, -, @ first: reasons are
/// moderators' free text) is written as text with a leading apostrophe. Pure functions.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Community::Client {

/// One CSV field: quoted when it holds a comma, quote or line break; formulas defused.
QByteArray csvField(const QString &text);
/// A JSON value as one cell: strings as they are, objects and arrays compact, null empty.
QString compactJson(const QJsonValue &value);
/// seq,occurredAt,actorKind,actor,action,targetType,targetId,reason,requestId,before,after,hash
QByteArray auditCsv(const QList<QJsonObject> &rows);
/// {"items": [...]} pretty-printed.
QByteArray auditJson(const QList<QJsonObject> &rows);

} // namespace Community::Client
