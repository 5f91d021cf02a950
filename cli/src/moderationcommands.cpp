// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The operator token counts as an administrator on the admin plugin's routes.
#include "moderationcommands.h"

#include "moderationviews.h"

#include "interrupt.h"

#include "community/client/auditexport.h"

#include <CLI/CLI.hpp>

#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

void ModerationCommands::addTo(CLI::App &app, Action &action)
{
    addAudit(app, action);
    addQueue(app, action);
    addRules(app, action);
}

void ModerationCommands::addRules(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *rules = app.add_subcommand("rules", "Watched-word rules: block refuses a write, flag opens a queue item (admin plugin)");
    rules->require_subcommand(1);
    rules->add_subcommand("list", "Rules in force")->callback([this, &action] { action = [this] { return rulesList(); }; });
    auto *add = rules->add_subcommand("add", "Add a rule");
    add->add_option("pattern", o.pattern, "A word, or an RE2 regular expression with --kind regex")->required();
    add->add_option("--kind", o.ruleKind, "word (default) or regex")->check(CLI::IsMember({"word", "regex"}));
    add->add_option("--action", o.ruleAction, "flag (default) or block")->check(CLI::IsMember({"flag", "block"}));
    add->callback([this, &action] { action = [this] { return rulesAdd(); }; });
    auto *test = rules->add_subcommand("test", "What a text would trigger");
    test->add_option("text", o.text, "The text")->required();
    test->callback([this, &action] { action = [this] { return rulesTest(); }; });
    auto *remove = rules->add_subcommand("remove", "Remove a rule (kept for the audit log)");
    remove->add_option("id", o.id, "Rule id")->required();
    remove->add_flag("--dry-run", o.safety.dryRun, "Only show the rule");
    remove->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    remove->callback([this, &action] { action = [this] { return rulesRemove(m_options.safety); }; });
}

void ModerationCommands::addAudit(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *audit = app.add_subcommand("audit", "Audit log of staff actions (admin plugin)");
    audit->require_subcommand(1);
    auto *list = audit->add_subcommand("list", "List audit rows, newest first");
    addAuditFilters(list);
    list->add_option("--limit", o.limit, "Rows (1-500, default 50)")->check(CLI::Range(1, 500));
    list->callback([this, &action] { action = [this] { return auditList(); }; });
    auto *tail = audit->add_subcommand("tail", "The latest rows, oldest first; -f follows new ones until interrupted");
    addAuditFilters(tail);
    tail->add_option("-n,--lines", o.lines, "Rows to show first (0-500, default 10)")->check(CLI::Range(0, 500));
    tail->add_flag("-f,--follow", o.follow, "Keep printing rows as staff act (Ctrl-C stops)");
    tail->add_option("--interval", o.intervalMs, "Poll interval in ms with --follow (200-60000, default 1000)")
        ->check(CLI::Range(200, 60000));
    tail->callback([this, &action] { action = [this] { return auditTail(); }; });
    auto *exp = audit->add_subcommand("export", "Every matching row, newest first, as CSV or JSON");
    addAuditFilters(exp);
    exp->add_option("--format", o.exportFormat, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
    exp->add_option("--file", o.file, "Write here (replaced only once the export is complete); default stdout");
    exp->callback([this, &action] { action = [this] { return auditExport(); }; });
    audit->add_subcommand("verify", "Recompute the hash chain; exit 1 when a row was altered or removed")
        ->callback([this, &action] { action = [this] { return auditVerify(); }; });
}

void ModerationCommands::addAuditFilters(CLI::App *command)
{
    Options &o = m_options;
    command->add_option("--actor", o.actor, "Actor user id");
    command->add_option("--action", o.action, "Action code, or a prefix ending in '.' (user.)");
    command->add_option("--target-type", o.targetType, "post, comment, user, report, queue_item");
    command->add_option("--target-id", o.targetId, "Target id");
    command->add_option("--since", o.since, "From this ISO 8601 time");
    command->add_option("--until", o.until, "Before this ISO 8601 time");
}

Endpoints::AuditQuery ModerationCommands::auditQuery(int limit, const QString &cursor) const
{
    const Options &o = m_options;
    return {q(o.actor), q(o.action), q(o.targetType), q(o.targetId), q(o.since), q(o.until), limit, cursor};
}

void ModerationCommands::addQueue(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *queue = app.add_subcommand("queue", "Review queue (admin plugin)");
    queue->require_subcommand(1);
    auto *list = queue->add_subcommand("list", "Items by priority");
    list->add_option("--status", o.status, "open (default) or resolved");
    list->add_option("--type", o.targetType, "post or comment");
    list->add_option("--reason", o.reason, "Only items with a report for this reason");
    list->add_option("--limit", o.limit, "Items (1-100, default 25)")->check(CLI::Range(1, 100));
    list->callback([this, &action] { action = [this] { return queueList(); }; });
    auto *show = queue->add_subcommand("show", "One item with its reports and notes");
    show->add_option("id", o.id, "Item id")->required();
    show->callback([this, &action] { action = [this] { return queueShow(q(m_options.id)); }; });
    auto *claim = queue->add_subcommand("claim", "Claim an item for a few minutes");
    claim->add_option("id", o.id, "Item id")->required();
    claim->add_flag("--takeover", o.takeover, "Take the claim over from its holder");
    claim->callback([this, &action] { action = [this] { return queueClaim(q(m_options.id), m_options.takeover); }; });
    auto *act = queue->add_subcommand("act", "Decide an item (or --items a,b,c): one or more actions, every open report resolved");
    act->add_option("id", o.id, "Item id");
    act->add_option("--items", o.items, "Decide these items (comma-separated ids, at most 100), each on its own")
        ->excludes(act->get_option("id"));
    act->add_option("--action", o.actions, "dismiss, remove, hide, restore, warn, silence:DAYS, suspend:DAYS, ban or "
                                           "quarantine (repeatable)")
        ->required()
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    act->add_option("--reason", o.why, "Why (shown in the audit log)")->required();
    act->add_flag("--dry-run", o.safety.dryRun, "Only show what would happen (fetches the item)");
    act->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    // `users penalties`: the users group is registered before this one (ctlapp.cpp).
    auto *penalties = app.get_subcommand("users")->add_subcommand("penalties", "A user's warnings, silences, suspensions "
                                                                                "and bans, newest first (admin plugin)");
    penalties->add_option("user", o.id, "User id")->required();
    penalties->callback([this, &action] { action = [this] { return this->penalties(); }; });
    act->callback([this, &action] {
        action = [this]() -> int {
            const auto actions = parseActions(m_options.actions);
            if (!actions) {
                note(QStringLiteral("--action: use dismiss, remove, hide, restore, warn, silence:DAYS, suspend:DAYS, ban or quarantine"));
                return ExitUsage;
            }
            if (m_options.id.empty() == m_options.items.empty()) {
                note(QStringLiteral("queue act: name one item id or --items a,b,c"));
                return ExitUsage;
            }
            if (!m_options.items.empty()) {
                const QStringList ids = q(m_options.items).split(QLatin1Char(','), Qt::SkipEmptyParts);
                return queueActMany(ids, *actions, q(m_options.why), m_options.safety);
            }
            return queueAct(q(m_options.id), *actions, q(m_options.why), m_options.safety);
        };
    });
    auto *undo = queue->add_subcommand("undo", "Take a decision back inside the undo window (its moderator or an admin)");
    undo->add_option("decision", o.id, "Decision id (as `queue act` printed it)")->required();
    undo->add_option("--reason", o.why, "Why (shown in the audit log)")->required();
    undo->add_flag("--dry-run", o.safety.dryRun, "Only check that it can be undone (writes nothing)");
    undo->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    undo->callback([this, &action] {
        action = [this] { return queueUndo(q(m_options.id), q(m_options.why), m_options.safety); };
    });
}

std::optional<QJsonArray> ModerationCommands::parseActions(const std::vector<std::string> &specs)
{
    static const QStringList plain{QStringLiteral("dismiss"), QStringLiteral("remove"), QStringLiteral("hide"),
                                   QStringLiteral("restore"), QStringLiteral("warn"), QStringLiteral("ban"),
                                   QStringLiteral("quarantine")};
    QJsonArray out;
    for (const std::string &spec : specs) {
        const QString s = q(spec);
        if (plain.contains(s)) {
            out.append(QJsonObject{{QStringLiteral("type"), s}});
            continue;
        }
        // silence:DAYS, suspend:DAYS
        const QString kind = s.section(QLatin1Char(':'), 0, 0);
        bool ok = false;
        const int days = s.section(QLatin1Char(':'), 1).toInt(&ok);
        if ((kind != QLatin1String("silence") && kind != QLatin1String("suspend")) || !ok || days <= 0)
            return std::nullopt;
        out.append(QJsonObject{{QStringLiteral("type"), kind}, {QStringLiteral("days"), days}});
    }
    return out;
}

int ModerationCommands::auditList()
{
    return printReply(client().send(Endpoints::auditLog(auditQuery(m_options.limit, {}))), [](const QJsonObject &json) {
        return renderAuditRows(json.value(QLatin1String("items")).toArray());
    });
}

int ModerationCommands::auditTail()
{
    const Options &o = m_options;
    InterruptGuard guard;
    qint64 lastSeq = -1;   // the newest row printed; -1 before the first poll
    do {
        // Newest first, page by page, down to the last row printed (or `lines` rows at first).
        QList<QJsonObject> fresh;
        QString cursor;
        for (bool more = true; more;) {
            const auto [page, code] = fetchObject(Endpoints::auditLog(auditQuery(lastSeq < 0 ? std::max(o.lines, 1) : 100, cursor)));
            if (!page)
                return code;
            more = false;
            for (const QJsonValue &v : page->value(QLatin1String("items")).toArray()) {
                const QJsonObject row = v.toObject();
                if (row.value(QLatin1String("seq")).toString().toLongLong() <= lastSeq)
                    break;
                fresh.append(row);
                more = true;
            }
            cursor = page->value(QLatin1String("nextCursor")).toString();
            more = more && lastSeq >= 0 && !cursor.isEmpty();
        }
        const qint64 newest = fresh.isEmpty() ? -1 : fresh.first().value(QLatin1String("seq")).toString().toLongLong();
        if (lastSeq < 0)
            fresh = fresh.mid(0, o.lines);
        lastSeq = std::max<qint64>({lastSeq, newest, 0});
        std::reverse(fresh.begin(), fresh.end());
        for (const QJsonObject &row : std::as_const(fresh)) {
            print(jsonOutput() ? QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact)) + QLatin1Char('\n')
                               : renderAuditLine(row));
        }
        m_session.out.flush();
    } while (o.follow && guard.pause(std::chrono::milliseconds(o.intervalMs)));
    return ExitOk;
}

int ModerationCommands::auditExport()
{
    constexpr int kMaxRows = 1'000'000;
    QList<QJsonObject> rows;
    QString cursor;
    do {
        const auto [page, code] = fetchObject(Endpoints::auditLog(auditQuery(500, cursor)));
        if (!page)
            return code;
        for (const QJsonValue &v : page->value(QLatin1String("items")).toArray())
            rows.append(v.toObject());
        cursor = page->value(QLatin1String("nextCursor")).toString();
    } while (!cursor.isEmpty() && rows.size() < kMaxRows);
    if (!cursor.isEmpty())
        return failWith(QStringLiteral("more than %1 rows match: narrow the export with --since/--until").arg(kMaxRows));
    const QByteArray data = m_options.exportFormat == "json" ? Client::auditJson(rows) : Client::auditCsv(rows);
    if (m_options.file.empty()) {
        m_session.out.write(data.constData(), data.size());
        return ExitOk;
    }
    // Written beside the target and renamed over it once complete: a failed export
    // leaves neither a partial file nor a temporary one.
    QSaveFile file(q(m_options.file));
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return failWith(QStringLiteral("cannot write %1: %2").arg(q(m_options.file), file.errorString()));
    note(QStringLiteral("%1 rows exported to %2").arg(rows.size()).arg(q(m_options.file)));
    return ExitOk;
}

int ModerationCommands::auditVerify()
{
    const auto [json, code] = fetchObject(Endpoints::auditVerify());
    if (!json)
        return code;
    printResult(*json, renderAuditVerify(*json));
    return json->value(QLatin1String("ok")).toBool() ? int(ExitOk) : int(ExitServerError);
}

int ModerationCommands::queueList()
{
    const Endpoints::QueueQuery query{q(m_options.status), q(m_options.targetType), q(m_options.reason), m_options.limit, {}};
    return printReply(client().send(Endpoints::queueItems(query)), [](const QJsonObject &json) {
        return renderQueueItems(json.value(QLatin1String("items")).toArray());
    });
}

int ModerationCommands::queueShow(const QString &id)
{
    return printReply(client().send(Endpoints::queueItem(id)), renderQueueItem);
}

int ModerationCommands::queueClaim(const QString &id, bool takeover)
{
    return printReply(client().send(Endpoints::claimQueueItem(id, takeover)), renderQueueItem);
}

int ModerationCommands::queueAct(const QString &id, const QJsonArray &actions, const QString &reason, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [item, code] = fetchObject(Endpoints::queueItem(id));
            if (!item)
                return {std::nullopt, code};
            return {planDecision(*item, actions, reason), ExitOk};
        },
        [&] {
            return printReply(client().send(Endpoints::decideQueueItem(id, actions, reason)), [](const QJsonObject &json) {
                return renderDecisionLine(json) + renderQueueItem(json.value(QLatin1String("item")).toObject());
            });
        });
}

int ModerationCommands::queueActMany(const QStringList &ids, const QJsonArray &actions, const QString &reason, Safety safety)
{
    // The plan is the server's own dry run: every item checked, nothing written.
    std::optional<QJsonObject> preview;
    const int exit = destructive(
        safety,
        [&]() -> Planned {
            auto [checked, code] = fetchObject(Endpoints::decideQueueItems(ids, actions, reason, true));
            if (!checked)
                return {std::nullopt, code};
            preview = checked;
            if (!jsonOutput() && safety.dryRun)
                print(renderBulkResults(*checked));
            else if (!jsonOutput())
                err() << renderBulkResults(*checked).toStdString();
            return {planBulkDecision(*checked, ids, actions, reason), ExitOk};
        },
        [&]() -> int {
            const auto [answer, code] = fetchObject(Endpoints::decideQueueItems(ids, actions, reason, false));
            if (!answer)
                return code;
            printResult(*answer, renderBulkResults(*answer));
            return answer->value(QLatin1String("failed")).toInt() > 0 ? int(ExitServerError) : int(ExitOk);
        });
    if (safety.dryRun && exit == ExitOk && preview && preview->value(QLatin1String("failed")).toInt() > 0)
        return ExitServerError;
    return exit;
}

int ModerationCommands::queueUndo(const QString &decisionId, const QString &reason, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [checked, code] = fetchObject(Endpoints::undoDecision(decisionId, reason, true));
            if (!checked)
                return {std::nullopt, code};
            return {planUndo(*checked, reason), ExitOk};
        },
        [&] {
            return printReply(client().send(Endpoints::undoDecision(decisionId, reason, false)), [](const QJsonObject &json) {
                return renderUndo(json) + renderQueueItem(json.value(QLatin1String("item")).toObject());
            });
        });
}

int ModerationCommands::rulesList()
{
    return printReply(client().send(Endpoints::watchRules()), [](const QJsonObject &json) {
        return renderWatchRules(json.value(QLatin1String("items")).toArray());
    });
}

int ModerationCommands::rulesAdd()
{
    const Options &o = m_options;
    return printReply(client().send(Endpoints::addWatchRule(q(o.ruleKind), q(o.pattern), q(o.ruleAction))),
                      [](const QJsonObject &rule) { return renderWatchRules(QJsonArray{rule}); });
}

int ModerationCommands::rulesTest()
{
    return printReply(client().send(Endpoints::testWatchRules(q(m_options.text))), renderRuleTest);
}

int ModerationCommands::rulesRemove(Safety safety)
{
    const QString id = q(m_options.id);
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [list, code] = fetchObject(Endpoints::watchRules());
            if (!list)
                return {std::nullopt, code};
            for (const QJsonValue &v : list->value(QLatin1String("items")).toArray()) {
                if (v.toObject().value(QLatin1String("id")).toString() != id)
                    continue;
                Plan plan;
                plan.action = QStringLiteral("remove");
                plan.current = v.toObject();
                plan.description = QStringLiteral("remove watched-word rule %1 (%2 %3 \"%4\")")
                                       .arg(id, v[QLatin1String("action")].toString(), v[QLatin1String("kind")].toString(),
                                            v[QLatin1String("pattern")].toString());
                return {plan, ExitOk};
            }
            return {std::nullopt, failWith(QStringLiteral("404 Not Found: no rule %1 in force").arg(id))};
        },
        [&] {
            const ApiReply reply = client().send(Endpoints::removeWatchRule(id));
            if (!reply.ok())
                return fail(reply);
            print(QStringLiteral("rule %1 removed\n").arg(id));
            return int(ExitOk);
        });
}

int ModerationCommands::penalties()
{
    return printReply(client().send(Endpoints::penalties(q(m_options.id))), [](const QJsonObject &json) {
        return renderPenalties(json.value(QLatin1String("items")).toArray());
    });
}

} // namespace Community::Ctl
