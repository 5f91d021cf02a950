// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The operator token counts as an administrator on the notifications plugin's routes.
#include "notificationcommands.h"

#include "format.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QThread>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString field(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isNull() || v.isUndefined() ? QStringLiteral("-") : v.isDouble() ? QString::number(v.toInteger()) : v.toString();
}

} // namespace

QString renderDeliveries(const QJsonArray &items)
{
    Table table({QStringLiteral("ID"), QStringLiteral("USER"), QStringLiteral("CHANNEL"), QStringLiteral("KIND"),
                 QStringLiteral("STATUS"), QStringLiteral("ATTEMPTS"), QStringLiteral("DUE"), QStringLiteral("LAST ERROR")});
    for (const QJsonValue &v : items) {
        const QJsonObject d = v.toObject();
        table.addRow({field(d, "id"), field(d, "userId"), field(d, "channel"), field(d, "kind"), field(d, "status"),
                      field(d, "attempts"), field(d, "dueAt"), oneLine(field(d, "lastError"))});
    }
    return table.render();
}

QString renderAnnouncements(const QJsonArray &items)
{
    Table table({QStringLiteral("ID"), QStringLiteral("CREATED"), QStringLiteral("TITLE"), QStringLiteral("RECIPIENTS"),
                 QStringLiteral("DONE")});
    for (const QJsonValue &v : items) {
        const QJsonObject a = v.toObject();
        table.addRow({field(a, "id"), field(a, "createdAt"), oneLine(field(a, "title")), field(a, "recipients"),
                      a.value(QLatin1String("done")).toBool() ? field(a, "doneAt") : QStringLiteral("no")});
    }
    return table.render();
}

void NotificationCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *group = app.add_subcommand("notifications", "Delivery outbox of email, push and SMS (notifications plugin)");
    group->require_subcommand(1);
    auto *list = group->add_subcommand("deliveries", "Deliveries, newest first");
    list->add_flag("--failed", o.failed, "Only dead ones and ones retrying after an error");
    list->add_option("--status", o.status, "pending, sending, sent or dead");
    list->add_option("--channel", o.channel, "email, push or sms");
    list->add_option("--user", o.user, "User id");
    list->add_option("--limit", o.limit, "Rows (1-500, default 50)")->check(CLI::Range(1, 500));
    list->callback([this, &action] { action = [this] { return deliveries(); }; });
    auto *retry = group->add_subcommand("retry", "Make a dead delivery due now with a fresh attempt budget");
    retry->add_option("id", o.id, "Delivery id")->required();
    retry->callback([this, &action] { action = [this] { return this->retry(q(m_options.id)); }; });
    auto *test = group->add_subcommand("send-test", "Send a test message to a user now");
    test->add_option("--user", o.user, "User id or username")->required();
    test->add_option("--channel", o.channel, "email")->required()->check(CLI::IsMember({"email", "push", "sms"}));
    test->callback([this, &action] { action = [this] { return sendTest(q(m_options.user), q(m_options.channel)); }; });
    auto *announce = group->add_subcommand("announce", "Send a system announcement to every active account");
    announce->add_option("--title", o.title, "Title (the inbox line and the mail subject)")->required();
    announce->add_option("--body", o.body, "Text (markdown)")->required();
    announce->add_option("--url", o.url, "A link to open (absolute http or https URL)");
    announce->add_flag("--wait", o.wait, "Wait until every account has it, then print the count");
    announce->add_option("--timeout", o.waitSeconds, "Seconds to wait with --wait (default 300)")->check(CLI::Range(1, 86400));
    announce->add_flag("--dry-run", o.safety.dryRun, "Show what would be sent; nothing is sent");
    announce->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    announce->callback([this, &action] { action = [this] { return this->announce(); }; });
    auto *announced = group->add_subcommand("announcements", "Announcements, newest first, with their progress");
    announced->add_option("--limit", o.limit, "Rows (1-100, default 20)")->check(CLI::Range(1, 100));
    announced->callback([this, &action] { action = [this] { return listAnnouncements(); }; });
}

int NotificationCommands::deliveries()
{
    const Options &o = m_options;
    const Endpoints::DeliveryQuery query{o.failed ? QStringLiteral("failed") : q(o.status), q(o.channel), q(o.user), o.limit, {}};
    return printReply(client().send(Endpoints::notificationDeliveries(query)), [](const QJsonObject &json) {
        return renderDeliveries(json.value(QLatin1String("items")).toArray());
    });
}

int NotificationCommands::retry(const QString &id)
{
    return printReply(client().send(Endpoints::retryNotificationDelivery(id)),
                      [id](const QJsonObject &) { return QStringLiteral("delivery %1 is due again\n").arg(id); });
}

int NotificationCommands::sendTest(const QString &user, const QString &channel)
{
    return printReply(client().send(Endpoints::sendTestNotification(user, channel)), [user, channel](const QJsonObject &) {
        return QStringLiteral("test %1 sent to %2\n").arg(channel, user);
    });
}

int NotificationCommands::announce()
{
    const Options &o = m_options;
    const QString title = q(o.title), body = q(o.body), url = q(o.url);
    auto plan = [&]() -> Planned {
        Plan p;
        p.action = QStringLiteral("announce");
        p.description = QStringLiteral("announce \"%1\" to every active account").arg(oneLine(title));
        p.change = QJsonObject{{QStringLiteral("title"), title}, {QStringLiteral("body"), body}};
        if (!url.isEmpty())
            p.change.insert(QStringLiteral("url"), url);
        return {p, ExitOk};
    };
    return destructive(o.safety, plan, [&]() -> int {
        const auto [created, code] = fetchObject(Endpoints::publishAnnouncement(title, body, url));
        if (!created)
            return code;
        const QString id = created->value(QLatin1String("id")).toString();
        if (!o.wait) {
            printResult(*created, QStringLiteral("announcement %1 is being sent\n").arg(id));
            return ExitOk;
        }
        // Poll its progress until the fan-out is done (every page of accounts).
        QDeadlineTimer deadline(std::chrono::seconds(o.waitSeconds));
        for (;;) {
            const auto [list, listCode] = fetchObject(Endpoints::announcements(100));
            if (!list)
                return listCode;
            for (const QJsonValue &v : list->value(QLatin1String("items")).toArray()) {
                const QJsonObject a = v.toObject();
                if (a.value(QLatin1String("id")).toString() != id || !a.value(QLatin1String("done")).toBool())
                    continue;
                printResult(a, QStringLiteral("announcement %1 sent to %2 accounts\n").arg(id).arg(a.value(QLatin1String("recipients")).toInteger()));
                return ExitOk;
            }
            if (deadline.hasExpired()) {
                note(QStringLiteral("announcement %1 still being sent after %2 s").arg(id).arg(o.waitSeconds));
                return ExitServerError;
            }
            QThread::msleep(500);
        }
    });
}

int NotificationCommands::listAnnouncements()
{
    return printReply(client().send(Endpoints::announcements(m_options.limit)), [](const QJsonObject &json) {
        return renderAnnouncements(json.value(QLatin1String("items")).toArray());
    });
}

} // namespace Community::Ctl
