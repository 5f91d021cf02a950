// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditformat.h"

#include "community/client/auditexport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <set>

namespace Console {

using Community::Client::compactJson;

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
        if (compactJson(before) != compactJson(after))
            out.append({QStringLiteral("value"), compactJson(before), compactJson(after)});
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
            out.append({key, compactJson(b.value(key)), compactJson(a.value(key))});
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

} // namespace Console
