// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "moderationviews.h"

#include "format.h"
#include "views.h"

namespace Community::Ctl {

namespace {

QString text(const QJsonObject &o, const char *key)
{
    return cellText(o.value(QLatin1String(key)));
}

QString target(const QJsonObject &o)
{
    const QJsonObject t = o.value(QLatin1String("target")).toObject();
    return text(t, "type") + QLatin1Char(':') + text(t, "id");
}

QString actionsText(const QJsonArray &actions)
{
    QStringList parts;
    for (const QJsonValue &v : actions) {
        const QJsonObject a = v.toObject();
        parts << (a.contains(QLatin1String("days")) ? QStringLiteral("%1 %2 days").arg(text(a, "type"), text(a, "days"))
                                                    : text(a, "type"));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

namespace {

QString auditActor(const QJsonObject &row)
{
    const QJsonObject actor = row.value(QLatin1String("actor")).toObject();
    return text(actor, "username").isEmpty() || text(actor, "username") == QLatin1String("-") ? text(actor, "kind")
                                                                                              : text(actor, "username");
}

} // namespace

QString renderAuditRows(const QJsonArray &rows)
{
    Table table({QStringLiteral("SEQ"), QStringLiteral("TIME"), QStringLiteral("ACTOR"), QStringLiteral("ACTION"),
                 QStringLiteral("TARGET"), QStringLiteral("REASON"), QStringLiteral("REQUEST")});
    for (const QJsonValue &v : rows) {
        const QJsonObject r = v.toObject();
        table.addRow({text(r, "seq"), text(r, "occurredAt"), auditActor(r), text(r, "action"), target(r),
                      oneLine(text(r, "reason")), text(r, "requestId")});
    }
    return table.render();
}

QString renderAuditLine(const QJsonObject &row)
{
    return QStringList{text(row, "seq"), text(row, "occurredAt"), auditActor(row), text(row, "action"), target(row),
                       oneLine(text(row, "reason"))}
               .join(QLatin1String("  "))
        + QLatin1Char('\n');
}

QString renderAuditVerify(const QJsonObject &result)
{
    if (result.value(QLatin1String("ok")).toBool())
        return QStringLiteral("audit chain ok: %1 rows\n").arg(text(result, "checked"));
    return QStringLiteral("audit chain BROKEN at row %1: %2 (%3 rows checked)\n")
        .arg(text(result, "brokenSeq"), text(result, "problem"), text(result, "checked"));
}

QString renderQueueItems(const QJsonArray &items)
{
    Table table({QStringLiteral("ID"), QStringLiteral("PRIORITY"), QStringLiteral("TARGET"), QStringLiteral("REPORTS"),
                 QStringLiteral("REASONS"), QStringLiteral("STATUS"), QStringLiteral("CLAIMED BY")});
    for (const QJsonValue &v : items) {
        const QJsonObject i = v.toObject();
        QStringList reasons;
        for (const QJsonValue &r : i.value(QLatin1String("reasons")).toArray())
            reasons << r.toString();
        table.addRow({text(i, "id"), text(i, "priority"), target(i), text(i, "openReports"), reasons.join(QLatin1Char(',')),
                      text(i, "status"), text(i.value(QLatin1String("claim")).toObject(), "holder")});
    }
    return table.render();
}

QString renderQueueItem(const QJsonObject &item)
{
    Table table({QStringLiteral("FIELD"), QStringLiteral("VALUE")});
    table.addRow({QStringLiteral("id"), text(item, "id")});
    table.addRow({QStringLiteral("target"), target(item)});
    table.addRow({QStringLiteral("status"), text(item, "status")});
    table.addRow({QStringLiteral("priority"), text(item, "priority")});
    table.addRow({QStringLiteral("claimed by"), text(item.value(QLatin1String("claim")).toObject(), "holder")});
    QString out = table.render();
    Table reports({QStringLiteral("REPORT"), QStringLiteral("REPORTER"), QStringLiteral("REASON"), QStringLiteral("OUTCOME")});
    for (const QJsonValue &v : item.value(QLatin1String("reports")).toArray()) {
        const QJsonObject r = v.toObject();
        reports.addRow({text(r, "id"), text(r, "reporterId"), text(r, "reason"), text(r, "outcome")});
    }
    out += QLatin1Char('\n') + reports.render();
    for (const QJsonValue &v : item.value(QLatin1String("notes")).toArray()) {
        const QJsonObject n = v.toObject();
        out += QStringLiteral("note by %1: %2\n").arg(text(n.value(QLatin1String("author")).toObject(), "username"),
                                                      oneLine(text(n, "body")));
    }
    return out;
}

Plan planDecision(const QJsonObject &item, const QJsonArray &actions, const QString &reason)
{
    Plan plan;
    plan.action = QStringLiteral("act");
    plan.current = item;
    plan.change = QJsonObject{{QStringLiteral("actions"), actions}, {QStringLiteral("reason"), reason},
                              {QStringLiteral("status"), QJsonObject{{QStringLiteral("from"), item.value(QLatin1String("status"))},
                                                                    {QStringLiteral("to"), QStringLiteral("resolved")}}}};
    plan.description = QStringLiteral("decide queue item %1 (%2, %3 open reports): %4, reason \"%5\"")
                           .arg(text(item, "id"), target(item), text(item, "openReports"), actionsText(actions), oneLine(reason));
    return plan;
}

} // namespace Community::Ctl
