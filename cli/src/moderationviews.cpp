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

QString renderDecisionLine(const QJsonObject &answer)
{
    const QJsonValue until = answer.value(QLatin1String("undoableUntil"));
    return QStringLiteral("decision %1 (%2)\n")
        .arg(text(answer, "decisionId"),
             until.isString() ? QStringLiteral("undoable until ") + until.toString() : QStringLiteral("cannot be undone"));
}

QString renderBulkResults(const QJsonObject &answer)
{
    Table table({QStringLiteral("ITEM"), QStringLiteral("STATUS"), QStringLiteral("DECISION"), QStringLiteral("UNDOABLE UNTIL"),
                 QStringLiteral("PROBLEM")});
    for (const QJsonValue &v : answer.value(QLatin1String("results")).toArray()) {
        const QJsonObject r = v.toObject();
        const QJsonObject problem = r.value(QLatin1String("problem")).toObject();
        const QString why = problem.isEmpty() ? QString()
                                              : QStringLiteral("%1 %2: %3").arg(text(problem, "status"),
                                                                                text(problem, "type").section(QLatin1Char('/'), -1),
                                                                                oneLine(text(problem, "detail")));
        table.addRow({text(r, "id"), text(r, "status"), text(r, "decisionId"), text(r, "undoableUntil"), why});
    }
    return table.render() + QStringLiteral("%1 ok, %2 failed%3\n")
                                .arg(text(answer, "succeeded"), text(answer, "failed"),
                                     answer.value(QLatin1String("dryRun")).toBool() ? QStringLiteral(" (dry run)") : QString());
}

Plan planBulkDecision(const QJsonObject &preview, const QStringList &ids, const QJsonArray &actions, const QString &reason)
{
    Plan plan;
    plan.action = QStringLiteral("act");
    plan.current = preview;
    plan.change = QJsonObject{{QStringLiteral("items"), QJsonArray::fromStringList(ids)},
                              {QStringLiteral("actions"), actions},
                              {QStringLiteral("reason"), reason}};
    plan.description = QStringLiteral("decide %1 queue items (%2 ready, %3 refused): %4, reason \"%5\"")
                           .arg(ids.size())
                           .arg(text(preview, "succeeded"), text(preview, "failed"), actionsText(actions), oneLine(reason));
    return plan;
}

Plan planUndo(const QJsonObject &preview, const QString &reason)
{
    const QJsonObject item = preview.value(QLatin1String("item")).toObject();
    Plan plan;
    plan.action = QStringLiteral("undo");
    plan.current = item;
    plan.change = QJsonObject{{QStringLiteral("decisionId"), preview.value(QLatin1String("decisionId"))},
                              {QStringLiteral("reason"), reason}};
    plan.description = QStringLiteral("undo decision %1 on queue item %2 (%3), reason \"%4\"")
                           .arg(text(preview, "decisionId"), text(item, "id"), target(item), oneLine(reason));
    return plan;
}

QString renderUndo(const QJsonObject &answer)
{
    const QJsonObject item = answer.value(QLatin1String("item")).toObject();
    return QStringLiteral("decision %1 undone: item %2 %3, %4 penalties lifted, %5 reporters told\n")
        .arg(text(answer, "decisionId"), text(item, "id"), text(item, "status"))
        .arg(answer.value(QLatin1String("liftedPenalties")).toArray().size())
        .arg(answer.value(QLatin1String("reportersCorrected")).toInt());
}

QString renderPenalties(const QJsonArray &items)
{
    Table table({QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("ACTIVE"), QStringLiteral("CREATED"),
                 QStringLiteral("ENDS"), QStringLiteral("LIFTED"), QStringLiteral("REASON")});
    for (const QJsonValue &v : items) {
        const QJsonObject p = v.toObject();
        table.addRow({text(p, "id"), text(p, "kind"), p.value(QLatin1String("active")).toBool() ? QStringLiteral("yes") : QStringLiteral("no"),
                      text(p, "createdAt"), text(p, "endsAt"), text(p, "liftedAt"), oneLine(text(p, "reason"))});
    }
    return table.render();
}

QString renderWatchRules(const QJsonArray &items)
{
    Table table({QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("ACTION"), QStringLiteral("PATTERN"),
                 QStringLiteral("CREATED")});
    for (const QJsonValue &v : items) {
        const QJsonObject r = v.toObject();
        table.addRow({text(r, "id"), text(r, "kind"), text(r, "action"), oneLine(text(r, "pattern")), text(r, "createdAt")});
    }
    return table.render();
}

QString renderRuleTest(const QJsonObject &result)
{
    if (!result.value(QLatin1String("action")).isString())
        return QStringLiteral("nothing\n");
    const QString action = text(result, "action");
    QStringList ids;
    for (const QJsonValue &v : result.value(QLatin1String("rules")).toArray())
        ids << (v.isObject() ? text(v.toObject(), "id") : v.toString());
    return QStringLiteral("%1 (rules %2)\n").arg(action, ids.join(QLatin1String(", ")));
}

} // namespace Community::Ctl
