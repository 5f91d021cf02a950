// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "decisionpresets.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace Console {

// Free functions: the context is spelled out in each call (lupdate reads it there).

QStringList decisionActionTypes()
{
    return {QStringLiteral("dismiss"), QStringLiteral("hide"), QStringLiteral("remove"), QStringLiteral("restore"),
            QStringLiteral("warn"), QStringLiteral("suspend"), QStringLiteral("ban")};
}

QString actionTitle(const QString &type)
{
    if (type == QLatin1String("dismiss")) return QCoreApplication::translate("Console::DecisionPresets", "Dismiss the reports");
    if (type == QLatin1String("hide")) return QCoreApplication::translate("Console::DecisionPresets", "Hide");
    if (type == QLatin1String("remove")) return QCoreApplication::translate("Console::DecisionPresets", "Remove");
    if (type == QLatin1String("restore")) return QCoreApplication::translate("Console::DecisionPresets", "Restore");
    if (type == QLatin1String("warn")) return QCoreApplication::translate("Console::DecisionPresets", "Warn the author");
    if (type == QLatin1String("suspend")) return QCoreApplication::translate("Console::DecisionPresets", "Suspend the author");
    if (type == QLatin1String("ban")) return QCoreApplication::translate("Console::DecisionPresets", "Ban the author");
    return type;
}

QList<DecisionPreset> decisionPresets()
{
    const QString hide = QStringLiteral("hide"), remove = QStringLiteral("remove");
    return {
        {QCoreApplication::translate("Console::DecisionPresets", "Spam: remove"), {{remove}}, QCoreApplication::translate("Console::DecisionPresets", "Spam or advertising.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Hide + silence (1-day suspension)"), {{hide}, {QStringLiteral("suspend"), 1}},
         QCoreApplication::translate("Console::DecisionPresets", "Hidden while the author cools off.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Harassment: remove + warn"), {{remove}, {QStringLiteral("warn")}}, QCoreApplication::translate("Console::DecisionPresets", "Harassment of another member.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Repeated harassment: remove + 7 days"), {{remove}, {QStringLiteral("suspend"), 7}},
         QCoreApplication::translate("Console::DecisionPresets", "Repeated harassment after a warning.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Illegal content: remove + ban"), {{remove}, {QStringLiteral("ban")}}, QCoreApplication::translate("Console::DecisionPresets", "Illegal content.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Off-topic: hide"), {{hide}}, QCoreApplication::translate("Console::DecisionPresets", "Off-topic for this community.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Not a violation: dismiss"), {{QStringLiteral("dismiss")}}, QCoreApplication::translate("Console::DecisionPresets", "Reviewed: no rule was broken.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Restore"), {{QStringLiteral("restore")}}, QCoreApplication::translate("Console::DecisionPresets", "Restored after review.")},
        {QCoreApplication::translate("Console::DecisionPresets", "Warn only"), {{QStringLiteral("warn")}}, QCoreApplication::translate("Console::DecisionPresets", "Please keep to the community rules.")},
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
        return QCoreApplication::translate("Console::DecisionPresets", "Choose at least one action.");
    if (actions.size() > 8)
        return QCoreApplication::translate("Console::DecisionPresets", "At most eight actions.");
    for (const DecisionAction &a : actions) {
        if (a.type == QLatin1String("dismiss") && actions.size() > 1)
            return QCoreApplication::translate("Console::DecisionPresets", "Dismiss goes alone.");
        if (a.type == QLatin1String("suspend") && (a.days < 1 || a.days > 3650))
            return QCoreApplication::translate("Console::DecisionPresets", "A suspension lasts 1 to 3650 days.");
    }
    if (reason.trimmed().isEmpty())
        return QCoreApplication::translate("Console::DecisionPresets", "Give a reason.");
    return {};
}

} // namespace Console
