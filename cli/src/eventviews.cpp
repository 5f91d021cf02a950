// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "eventviews.h"

#include "format.h"
#include "views.h"

#include <QJsonDocument>

namespace Community::Ctl {

namespace {

constexpr int kPayloadColumns = 80;

QString field(const QJsonObject &object, const char *key)
{
    return cellText(object.value(QLatin1String(key)));
}

qint64 number(const QJsonObject &object, const char *key)
{
    return qint64(object.value(QLatin1String(key)).toDouble());
}

QString payloadCell(const QJsonValue &payload)
{
    if (!payload.isObject())
        return QStringLiteral("-");
    QString text = oneLine(QString::fromUtf8(QJsonDocument(payload.toObject()).toJson(QJsonDocument::Compact)));
    if (displayWidth(text) > kPayloadColumns) {
        while (displayWidth(text) > kPayloadColumns - 3)
            text.chop(1);
        text += QLatin1String("...");
    }
    return text;
}

} // namespace

QString renderEvents(const QJsonArray &events, bool header)
{
    if (events.isEmpty() && header)
        return QStringLiteral("no events\n");
    Table table(header ? QStringList{QStringLiteral("ID"), QStringLiteral("CREATED"), QStringLiteral("TYPE"),
                                     QStringLiteral("AGGREGATE"), QStringLiteral("PAYLOAD")}
                       : QStringList{});
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        table.addRow({field(e, "id"), field(e, "createdAt"), field(e, "type"), field(e, "aggregate"),
                      payloadCell(e.value(QLatin1String("payload")))});
    }
    return table.render();
}

QByteArray eventJsonLine(const QJsonObject &event)
{
    return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

QString renderConsumers(const QJsonArray &consumers)
{
    if (consumers.isEmpty())
        return QStringLiteral("no consumers\n");
    Table table({QStringLiteral("CONSUMER"), QStringLiteral("OFFSET"), QStringLiteral("LAG"), QStringLiteral("DEAD"),
                 QStringLiteral("RETRYING"), QStringLiteral("UPDATED")});
    for (const QJsonValue &v : consumers) {
        const QJsonObject c = v.toObject();
        table.addRow({field(c, "consumer"), field(c, "lastId"), field(c, "lag"), field(c, "dead"),
                      field(c, "retrying"), field(c, "updatedAt")});
    }
    return table.render();
}

QString renderRetried(const QJsonArray &results)
{
    if (results.isEmpty())
        return QStringLiteral("no consumers\n");
    Table table({QStringLiteral("CONSUMER"), QStringLiteral("RETRIED")});
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        table.addRow({field(r, "consumer"), field(r, "retried")});
    }
    return table.render();
}

Plan planReplay(const QJsonObject &consumer, qint64 fromId)
{
    const qint64 current = number(consumer, "lastId");
    const qint64 target = fromId - 1;
    Plan plan;
    plan.action = QStringLiteral("replay");
    plan.current = consumer;
    plan.change = QJsonObject{{QStringLiteral("lastId"), QJsonObject{{QStringLiteral("from"), double(current)},
                                                                    {QStringLiteral("to"), double(target)}}}};
    plan.description = QStringLiteral("replay consumer %1 from event %2: offset %3 -> %4")
                           .arg(field(consumer, "consumer"))
                           .arg(fromId)
                           .arg(current)
                           .arg(target);
    if (target < current)
        plan.description += QStringLiteral(" (re-delivers its events among ids %1..%2)").arg(fromId).arg(current);
    else if (target > current)
        plan.description += QStringLiteral(" (SKIPS its undelivered events among ids %1..%2)").arg(current + 1).arg(target);
    else
        plan.description += QStringLiteral(" (no change: the offset is already there)");
    if (number(consumer, "dead") + number(consumer, "retrying") > 0)
        plan.description += QStringLiteral("; its dead letters and pending retries from event %1 on are cleared").arg(fromId);
    return plan;
}

} // namespace Community::Ctl
