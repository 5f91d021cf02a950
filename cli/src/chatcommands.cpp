// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatcommands.h"

#include "format.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

#include <iostream>

namespace Community::Ctl {

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

ApiRequest get(const QString &path, const QList<std::pair<QString, QString>> &query)
{
    ApiRequest r;
    r.path = path;
    for (const auto &[k, v] : query) {
        if (!v.isEmpty() && v != QLatin1String("0"))
            r.query.addQueryItem(k, v);
    }
    return r;
}

QString purgePath(const QString &room)
{
    return QStringLiteral("/v1/chat/admin/rooms/%1/purge").arg(room);
}

} // namespace

QString renderChatRooms(const QJsonArray &items)
{
    Table table({QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("NAME"), QStringLiteral("MEMBERS"),
                 QStringLiteral("LAST SEQ"), QStringLiteral("CREATED")});
    for (const QJsonValue &v : items) {
        const QJsonObject r = v.toObject();
        table.addRow({field(r, "id"), field(r, "kind"), oneLine(field(r, "name")), field(r, "memberCount"),
                      field(r, "lastSeq"), field(r, "createdAt")});
    }
    return table.render();
}

QString renderChatMessages(const QJsonArray &items)
{
    Table table({QStringLiteral("SEQ"), QStringLiteral("ID"), QStringLiteral("SENDER"), QStringLiteral("CREATED"),
                 QStringLiteral("DELETED"), QStringLiteral("BODY")});
    for (const QJsonValue &v : items) {
        const QJsonObject m = v.toObject();
        table.addRow({field(m, "seq"), field(m, "id"), field(m, "senderId"), field(m, "createdAt"),
                      m.value(QLatin1String("deleted")).toBool() ? QStringLiteral("yes") : QStringLiteral("no"),
                      oneLine(field(m, "body"))});
    }
    return table.render();
}

void ChatCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *group = app.add_subcommand("chat", "Chat rooms and messages (chat plugin, operator token)");
    group->require_subcommand(1);
    auto *rooms = group->add_subcommand("rooms", "Every room, by id");
    rooms->add_option("--after", o.after, "Rooms with a larger id");
    rooms->add_option("--limit", o.limit, "Rows (1-1000, default 100)")->check(CLI::Range(1, 1000));
    rooms->callback([this, &action] { action = [this] { return this->rooms(); }; });
    auto *messages = group->add_subcommand("messages", "A room's messages, newest page (deleted ones with their text)");
    messages->add_option("--room", o.room, "Room id")->required();
    messages->add_option("--before", o.before, "Messages with a lower sequence number");
    messages->add_option("--limit", o.limit, "Rows (1-1000, default 50)")->check(CLI::Range(1, 1000));
    messages->callback([this, &action] { action = [this] { return this->messages(); }; });
    auto *purge = group->add_subcommand("purge", "Delete a room's messages created before a time");
    purge->add_option("--room", o.room, "Room id")->required();
    purge->add_option("--before", o.before, "ISO 8601 time with offset, e.g. 2026-01-01T00:00:00Z")->required();
    purge->add_flag("--dry-run", o.safety.dryRun, "Only count what would be deleted");
    purge->add_flag("--yes", o.safety.yes, "Do not ask for the room id");
    purge->callback([this, &action] { action = [this] { return this->purge(); }; });
}

int ChatCommands::rooms()
{
    const Options &o = m_options;
    const ApiRequest r = get(QStringLiteral("/v1/chat/admin/rooms"),
                             {{QStringLiteral("after"), q(o.after)}, {QStringLiteral("limit"), QString::number(o.limit)}});
    return printReply(client().send(r), [](const QJsonObject &json) {
        return renderChatRooms(json.value(QLatin1String("items")).toArray());
    });
}

int ChatCommands::messages()
{
    const Options &o = m_options;
    const ApiRequest r = get(QStringLiteral("/v1/chat/admin/rooms/%1/messages").arg(q(o.room)),
                             {{QStringLiteral("before"), q(o.before)}, {QStringLiteral("limit"), QString::number(o.limit)}});
    return printReply(client().send(r), [](const QJsonObject &json) {
        return renderChatMessages(json.value(QLatin1String("items")).toArray());
    });
}

bool ChatCommands::typedConfirmation(qint64 count)
{
    const QString room = q(m_options.room);
    err() << QStringLiteral("This deletes %1 message(s) of room %2 created before %3.\nType the room id to confirm: ")
                 .arg(count).arg(room, q(m_options.before)).toStdString();
    std::string line;
    if (!std::getline(m_session.terminal->in, line) || QString::fromStdString(line).trimmed() != room) {
        err() << declinedLine().toStdString() << '\n';
        return false;
    }
    return true;
}

int ChatCommands::purge()
{
    const Options &o = m_options;
    const Terminal *terminal = m_session.terminal;
    if (!o.safety.dryRun && precheckConfirmation(o.safety.yes, terminal && terminal->interactive) == Confirmation::Refused) {
        err() << refusedLine().toStdString() << '\n';
        return ExitUsage;
    }
    const QString path = purgePath(q(o.room));
    auto [plan, code] = fetchObject(ApiRequest::withJson("POST", path, {{"before", q(o.before)}, {"dryRun", true}}));
    if (!plan)
        return code;
    const qint64 count = plan->value(QLatin1String("messages")).toInteger();
    if (o.safety.dryRun || count == 0) {
        printResult(*plan, QStringLiteral("%1 message(s) of room %2 would be deleted\n").arg(count).arg(q(o.room)));
        return ExitOk;
    }
    if (!o.safety.yes && !typedConfirmation(count))
        return ExitUsage;
    return printReply(client().send(ApiRequest::withJson("POST", path, {{"before", q(o.before)}})),
                      [room = q(o.room)](const QJsonObject &json) {
                          return QStringLiteral("deleted %1 message(s) of room %2\n")
                              .arg(json.value(QLatin1String("messages")).toInteger()).arg(room);
                      });
}

} // namespace Community::Ctl
