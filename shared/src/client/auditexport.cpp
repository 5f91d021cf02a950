// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/auditexport.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Community::Client {

namespace {

QString at(const QJsonObject &row, const char *a, const char *b = nullptr)
{
    const QJsonValue v = row.value(QLatin1String(a));
    return compactJson(b ? v.toObject().value(QLatin1String(b)) : v);
}

} // namespace

QString compactJson(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isString())
        return v.toString();
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

QByteArray csvField(const QString &text)
{
    // A negative number stays a number; anything else a spreadsheet would evaluate is text.
    const bool negative = text.size() > 1 && text.front() == QLatin1Char('-') && text.at(1).isDigit();
    const bool formula = !text.isEmpty() && !negative && QStringLiteral("=+-@\t\r").contains(text.front());
    QString s = formula ? QLatin1Char('\'') + text : text;
    if (s.contains(QLatin1Char('"')) || s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r')))
        s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s.toUtf8();
}

QByteArray auditCsv(const QList<QJsonObject> &rows)
{
    QByteArray out = "seq,occurredAt,actorKind,actor,action,targetType,targetId,reason,requestId,before,after,hash\r\n";
    for (const QJsonObject &r : rows) {
        const QStringList fields{at(r, "seq"), at(r, "occurredAt"), at(r, "actor", "kind"), at(r, "actor", "username"),
                                 at(r, "action"), at(r, "target", "type"), at(r, "target", "id"), at(r, "reason"),
                                 at(r, "requestId"), at(r, "before"), at(r, "after"), at(r, "hash")};
        QList<QByteArray> encoded;
        for (const QString &f : fields)
            encoded.append(csvField(f));
        out += encoded.join(',') + "\r\n";
    }
    return out;
}

QByteArray auditJson(const QList<QJsonObject> &rows)
{
    QJsonArray items;
    for (const QJsonObject &r : rows)
        items.append(r);
    return QJsonDocument(QJsonObject{{QStringLiteral("items"), items}}).toJson(QJsonDocument::Indented);
}

} // namespace Community::Client
