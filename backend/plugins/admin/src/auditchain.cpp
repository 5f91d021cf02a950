// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditchain.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace Admin {

QString genesisHash()
{
    return QString(kHashHexLength, QLatin1Char('0'));
}

QByteArray canonical(const AuditEntry &e)
{
    const QJsonObject o{
        {QStringLiteral("seq"), QString::number(e.seq)},
        {QStringLiteral("occurredAt"), QString::number(e.occurredAt.toMSecsSinceEpoch())},
        {QStringLiteral("actorId"), QString::number(e.actorId)},
        {QStringLiteral("actorName"), e.actorName},
        {QStringLiteral("actorKind"), e.actorKind},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("targetType"), e.targetType},
        {QStringLiteral("targetId"), e.targetId},
        {QStringLiteral("reason"), e.reason},
        {QStringLiteral("requestId"), e.requestId},
        {QStringLiteral("before"), e.before},
        {QStringLiteral("after"), e.after},
        {QStringLiteral("source"), e.source},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString chainHash(const QString &prevHash, const AuditEntry &e)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(prevHash.toLatin1());
    h.addData(QByteArrayView("\n"));
    h.addData(canonical(e));
    return QString::fromLatin1(h.result().toHex());
}

QString compactJson(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    // Scalars: wrap and unwrap so that strings get JSON quoting.
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace Admin
