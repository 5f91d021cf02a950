// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "decisionpresets.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace Console {

// lupdate reads the literal context of QCoreApplication::translate.
#define PRESET_TR(text) QCoreApplication::translate("Console::DecisionPresets", text)

QStringList decisionActionTypes()
{
    return {QStringLiteral("dismiss"), QStringLiteral("hide"), QStringLiteral("remove"), QStringLiteral("restore"),
            QStringLiteral("warn"), QStringLiteral("suspend"), QStringLiteral("ban")};
}

QString actionTitle(const QString &type)
{
    if (type == QLatin1String("dismiss")) return PRESET_TR("Dismiss the reports");
    if (type == QLatin1String("hide")) return PRESET_TR("Hide");
    if (type == QLatin1String("remove")) return PRESET_TR("Remove");
    if (type == QLatin1String("restore")) return PRESET_TR("Restore");
    if (type == QLatin1String("warn")) return PRESET_TR("Warn the author");
    if (type == QLatin1String("suspend")) return PRESET_TR("Suspend the author");
    if (type == QLatin1String("ban")) return PRESET_TR("Ban the author");
    return type;
}

QList<DecisionPreset> decisionPresets()
{
    const QString hide = QStringLiteral("hide"), remove = QStringLiteral("remove");
    return {
        {PRESET_TR("Spam: remove"), {{remove}}, PRESET_TR("Spam or advertising.")},
        {PRESET_TR("Hide + silence (1-day suspension)"), {{hide}, {QStringLiteral("suspend"), 1}},
         PRESET_TR("Hidden while the author cools off.")},
        {PRESET_TR("Harassment: remove + warn"), {{remove}, {QStringLiteral("warn")}}, PRESET_TR("Harassment of another member.")},
        {PRESET_TR("Repeated harassment: remove + 7 days"), {{remove}, {QStringLiteral("suspend"), 7}},
         PRESET_TR("Repeated harassment after a warning.")},
        {PRESET_TR("Illegal content: remove + ban"), {{remove}, {QStringLiteral("ban")}}, PRESET_TR("Illegal content.")},
        {PRESET_TR("Off-topic: hide"), {{hide}}, PRESET_TR("Off-topic for this community.")},
        {PRESET_TR("Not a violation: dismiss"), {{QStringLiteral("dismiss")}}, PRESET_TR("Reviewed: no rule was broken.")},
        {PRESET_TR("Restore"), {{QStringLiteral("restore")}}, PRESET_TR("Restored after review.")},
        {PRESET_TR("Warn only"), {{QStringLiteral("warn")}}, PRESET_TR("Please keep to the community rules.")},
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
        return PRESET_TR("Choose at least one action.");
    if (actions.size() > 8)
        return PRESET_TR("At most eight actions.");
    for (const DecisionAction &a : actions) {
        if (a.type == QLatin1String("dismiss") && actions.size() > 1)
            return PRESET_TR("Dismiss goes alone.");
        if (a.type == QLatin1String("suspend") && (a.days < 1 || a.days > 3650))
            return PRESET_TR("A suspension lasts 1 to 3650 days.");
    }
    if (reason.trimmed().isEmpty())
        return PRESET_TR("Give a reason.");
    return {};
}

} // namespace Console
