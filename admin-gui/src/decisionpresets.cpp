// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "decisionpresets.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace Console {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Console::DecisionPresets", text);
}
} // namespace

QStringList decisionActionTypes()
{
    return {QStringLiteral("dismiss"), QStringLiteral("hide"), QStringLiteral("remove"), QStringLiteral("restore"),
            QStringLiteral("warn"), QStringLiteral("suspend"), QStringLiteral("ban")};
}

QString actionTitle(const QString &type)
{
    if (type == QLatin1String("dismiss")) return tr("Dismiss the reports");
    if (type == QLatin1String("hide")) return tr("Hide");
    if (type == QLatin1String("remove")) return tr("Remove");
    if (type == QLatin1String("restore")) return tr("Restore");
    if (type == QLatin1String("warn")) return tr("Warn the author");
    if (type == QLatin1String("suspend")) return tr("Suspend the author");
    if (type == QLatin1String("ban")) return tr("Ban the author");
    return type;
}

QList<DecisionPreset> decisionPresets()
{
    const QString hide = QStringLiteral("hide"), remove = QStringLiteral("remove");
    return {
        {tr("Spam: remove"), {{remove}}, tr("Spam or advertising.")},
        {tr("Hide + silence (1-day suspension)"), {{hide}, {QStringLiteral("suspend"), 1}},
         tr("Hidden while the author cools off.")},
        {tr("Harassment: remove + warn"), {{remove}, {QStringLiteral("warn")}}, tr("Harassment of another member.")},
        {tr("Repeated harassment: remove + 7 days"), {{remove}, {QStringLiteral("suspend"), 7}},
         tr("Repeated harassment after a warning.")},
        {tr("Illegal content: remove + ban"), {{remove}, {QStringLiteral("ban")}}, tr("Illegal content.")},
        {tr("Off-topic: hide"), {{hide}}, tr("Off-topic for this community.")},
        {tr("Not a violation: dismiss"), {{QStringLiteral("dismiss")}}, tr("Reviewed: no rule was broken.")},
        {tr("Restore"), {{QStringLiteral("restore")}}, tr("Restored after review.")},
        {tr("Warn only"), {{QStringLiteral("warn")}}, tr("Please keep to the community rules.")},
    };
}

QJsonArray actionsJson(const QList<DecisionAction> &actions)
{
    QJsonArray out;
    for (const DecisionAction &a : actions) {
        QJsonObject o{{QStringLiteral("type"), a.type}};
        if (a.type == QLatin1String("suspend"))
            o.insert(QStringLiteral("days"), a.days);
        out.append(o);
    }
    return out;
}

QString describeActions(const QList<DecisionAction> &actions)
{
    QStringList parts;
    for (const DecisionAction &a : actions)
        parts << (a.type == QLatin1String("suspend") ? QStringLiteral("suspend %1 d").arg(a.days) : a.type);
    return parts.join(QStringLiteral(" + "));
}

QString validateDecision(const QList<DecisionAction> &actions, const QString &reason)
{
    if (actions.isEmpty())
        return tr("Choose at least one action.");
    if (actions.size() > 8)
        return tr("At most eight actions.");
    for (const DecisionAction &a : actions) {
        if (a.type == QLatin1String("dismiss") && actions.size() > 1)
            return tr("Dismiss goes alone.");
        if (a.type == QLatin1String("suspend") && (a.days < 1 || a.days > 3650))
            return tr("A suspension lasts 1 to 3650 days.");
    }
    if (reason.trimmed().isEmpty())
        return tr("Give a reason.");
    return {};
}

} // namespace Console
