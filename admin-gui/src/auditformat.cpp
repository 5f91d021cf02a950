// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <set>

namespace Console {

namespace {

QString compact(const QJsonValue &v)
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
    QString s = text;
    if (s.contains(QLatin1Char('"')) || s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r')))
        s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s.toUtf8();
}

QString at(const QJsonObject &row, const char *a, const char *b = nullptr)
{
    const QJsonValue v = row.value(QLatin1String(a));
    return compact(b ? v.toObject().value(QLatin1String(b)) : v);
}

} // namespace

QList<FieldChange> auditDiff(const QJsonValue &before, const QJsonValue &after)
{
    QList<FieldChange> out;
    // A creation (no before) or a removal (no after) of an object: field by field too.
    auto absent = [](const QJsonValue &v) { return v.isNull() || v.isUndefined(); };
    if (before.isObject() && absent(after))
        return auditDiff(before, QJsonObject());
    if (after.isObject() && absent(before))
        return auditDiff(QJsonObject(), after);
    if (!before.isObject() || !after.isObject()) {
        if (compact(before) != compact(after))
            out.append({QStringLiteral("value"), compact(before), compact(after)});
        return out;
    }
    const QJsonObject b = before.toObject(), a = after.toObject();
    std::set<QString> keys;
    for (auto it = b.begin(); it != b.end(); ++it)
        keys.insert(it.key());
    for (auto it = a.begin(); it != a.end(); ++it)
        keys.insert(it.key());
    for (const QString &key : keys) {
        if (b.value(key) != a.value(key))
            out.append({key, compact(b.value(key)), compact(a.value(key))});
    }
    return out;
}

QString auditDiffHtml(const QJsonObject &row)
{
    const QList<FieldChange> changes = auditDiff(row.value(QStringLiteral("before")), row.value(QStringLiteral("after")));
    if (changes.isEmpty())
        return QStringLiteral("<p><i>%1</i></p>").arg(QCoreApplication::translate("Console::AuditFormat", "No recorded change of state."));
    QString html = QStringLiteral("<table border='1' cellspacing='0' cellpadding='4'><tr><th>%1</th><th>%2</th><th>%3</th></tr>")
                       .arg(QCoreApplication::translate("Console::AuditFormat", "Field"),
                            QCoreApplication::translate("Console::AuditFormat", "Before"),
                            QCoreApplication::translate("Console::AuditFormat", "After"));
    for (const FieldChange &c : changes)
        html += QStringLiteral("<tr><td><b>%1</b></td><td style='color:#b00020'>%2</td><td style='color:#1b7f3b'>%3</td></tr>")
                    .arg(c.field.toHtmlEscaped(), c.before.toHtmlEscaped(), c.after.toHtmlEscaped());
    return html + QStringLiteral("</table>");
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

} // namespace Console
