// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationjson.h"

#include "community/json.h"

#include <QJsonArray>

namespace Notifications {

using Community::Json::idString;
using Community::Json::iso;

QJsonObject notificationJson(const Notification &n)
{
    QJsonArray actors;
    for (qsizetype i = 0; i < n.actorIds.size(); ++i)
        actors.append(QJsonObject{{QStringLiteral("id"), idString(n.actorIds[i])},
                                  {QStringLiteral("username"), n.actorNames.value(i)}});
    return QJsonObject{
        {QStringLiteral("id"), idString(n.id)},
        {QStringLiteral("kind"), n.kind},
        {QStringLiteral("subject"), n.subject},
        {QStringLiteral("actors"), actors},
        {QStringLiteral("actorCount"), n.actorCount},
        {QStringLiteral("eventCount"), n.eventCount},
        {QStringLiteral("read"), bool(n.readAt)},
        {QStringLiteral("readAt"), n.readAt ? QJsonValue(iso(*n.readAt)) : QJsonValue()},
        {QStringLiteral("createdAt"), iso(n.createdAt)},
        {QStringLiteral("updatedAt"), iso(n.updatedAt)},
    };
}

QJsonObject unreadJson(const QHash<QString, qint64> &byKind)
{
    QJsonObject kinds;
    qint64 total = 0;
    for (const QString &k : allKinds()) {
        kinds.insert(k, byKind.value(k));
        total += byKind.value(k);
    }
    return QJsonObject{{QStringLiteral("total"), total}, {QStringLiteral("byKind"), kinds}};
}

} // namespace Notifications
