// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The operator token counts as an administrator on the notifications plugin's routes.
#include "notificationcommands.h"

#include "format.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

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

} // namespace Community::Ctl
