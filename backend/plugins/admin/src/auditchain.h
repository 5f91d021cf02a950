// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The audit log's row and its hash chain (docs/adr/0012-admin-plugin.md): a row's hash is
/// hex(SHA-256(prevHash || "\n" || canonical(row))), where canonical() is the compact JSON
/// of every recorded field with sorted keys (QJsonObject keeps keys sorted), times as
/// milliseconds since the epoch and ids as decimal strings. The first row's prevHash is
/// 64 zeros. Pure values and functions; safe on any thread.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace Admin {

struct AuditEntry {
    qint64 seq = 0;
    QDateTime occurredAt;     ///< millisecond precision (what is stored is what is hashed)
    qint64 actorId = 0;       ///< 0: none (operator token, system)
    QString actorName;
    QString actorKind;        ///< user, api_key, operator, system
    QString action;           ///< from the glossary (auditglossary.h)
    QString targetType;
    QString targetId;
    QString reason;
    QString requestId;
    QString before = QStringLiteral("null");   ///< compact JSON
    QString after = QStringLiteral("null");    ///< compact JSON
    QString source;           ///< "admin" or "event:<id>"
    QString prevHash;
    QString hash;
};

inline constexpr int kHashHexLength = 64;
/// The previous hash of the first row.
QString genesisHash();
/// The canonical bytes of `e` (every field but prevHash and hash).
QByteArray canonical(const AuditEntry &e);
/// hex(SHA-256(prevHash + "\n" + canonical(e))).
QString chainHash(const QString &prevHash, const AuditEntry &e);
/// Compact JSON text of a value, for before/after.
QString compactJson(const QJsonValue &v);

} // namespace Admin
