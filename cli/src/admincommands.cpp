// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's admin commands (users, API keys, auth outbox) on top of the auth
// plugin's /v1/admin routes. The operator token counts as an administrator there.
#include "commands.h"

#include "apiclient.h"
#include "format.h"
#include "views.h"

#include <QJsonArray>
#include <QUrlQuery>

#include <ostream>

namespace Community::Ctl {

namespace {

const QString kUsers = QStringLiteral("/v1/admin/users");
const QString kKeys = QStringLiteral("/v1/admin/api-keys");
const QString kOutbox = QStringLiteral("/v1/admin/auth/outbox");

constexpr int kAllPageSize = 100; // the server's maximum page

QString userPath(const QString &username, const QString &action = {})
{
    QString path = kUsers + QLatin1Char('/') + ApiClient::pathSegment(username);
    if (!action.isEmpty())
        path += QLatin1Char('/') + action;
    return path;
}

QString nameOf(const QJsonObject &user)
{
    return oneLine(user.value(QLatin1String("username")).toString());
}

} // namespace

void Commands::note(const QString &line)
{
    m_err << "communityctl: " << line.toStdString() << '\n';
    m_err.flush();
}

int Commands::printReply(const ApiReply &reply,
                         const std::function<QString(const QJsonObject &)> &table)
{
    if (!reply.ok())
        return fail(reply);
    const auto json = reply.jsonObject();
    if (!json)
        return failNotJson(reply);
    if (m_format == OutputFormat::Json)
        print(QString::fromUtf8(prettyJson(*json)));
    else
        print(table(*json));
    return ExitOk;
}

std::pair<std::optional<QJsonObject>, int> Commands::fetchUser(const QString &username)
{
    const ApiReply reply = m_client.get(userPath(username));
    if (!reply.ok())
        return {std::nullopt, fail(reply)};
    const auto json = reply.jsonObject();
    if (!json || !json->value(QLatin1String("user")).isObject())
        return {std::nullopt, failNotJson(reply)};
    return {json->value(QLatin1String("user")).toObject(), ExitOk};
}

int Commands::destructive(Safety safety, const std::function<Planned()> &makePlan,
                          const std::function<int()> &apply)
{
    const bool interactive = m_terminal && m_terminal->interactive;
    // Refuse before any request: a script without --yes must not even look like it works.
    if (!safety.dryRun && precheckConfirmation(safety.yes, interactive) == Confirmation::Refused) {
        m_err << refusedLine().toStdString() << '\n';
        return ExitUsage;
    }

    const auto [plan, code] = makePlan();
    if (!plan)
        return code;

    if (safety.dryRun) {
        if (m_format == OutputFormat::Json)
            print(QString::fromUtf8(prettyJson(planJson(*plan, true))));
        else
            print(renderPlan(*plan, true));
        return ExitOk;
    }

    if (!safety.yes) {
        // The question goes to stderr so that stdout stays the command's output.
        m_err << renderPlan(*plan, false).toStdString();
        if (confirm(false, *m_terminal, m_err) != Confirmation::Proceed) {
            m_err << declinedLine().toStdString() << '\n';
            return ExitUsage;
        }
    }
    return apply();
}

int Commands::usersCreate(const QString &username, const QString &email,
                          const std::optional<QString> &password, const QString &role)
{
    QJsonObject body{{QStringLiteral("username"), username}, {QStringLiteral("email"), email}};
    if (password)
        body.insert(QStringLiteral("password"), *password);
    if (!role.isEmpty())
        body.insert(QStringLiteral("role"), role);
    const ApiReply reply = m_client.post(kUsers, body);
    const int code = printReply(reply, [](const QJsonObject &json) {
        QString out = renderUser(json.value(QLatin1String("user")).toObject());
        if (json.contains(QLatin1String("password")))
            out += QStringLiteral("password: %1\n")
                       .arg(oneLine(json.value(QLatin1String("password")).toString()));
        return out;
    });
    if (code == ExitOk) {
        const bool generated = reply.jsonObject()->contains(QLatin1String("password"));
        note(generated ? QStringLiteral("the generated password is shown only now; the user must "
                                        "change it at first login")
                       : QStringLiteral("the user must change the password at first login"));
    }
    return code;
}

int Commands::usersList(const UserListOptions &options)
{
    QUrlQuery query;
    if (!options.query.isEmpty())
        query.addQueryItem(QStringLiteral("query"), options.query);
    const int limit = options.limit > 0 ? options.limit : (options.all ? kAllPageSize : 0);
    if (limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(limit));

    QString cursor = options.cursor;
    QJsonArray users;
    QJsonValue nextCursor;
    QJsonObject firstPage;
    for (int page = 0;; ++page) {
        QUrlQuery q = query;
        if (!cursor.isEmpty())
            q.addQueryItem(QStringLiteral("cursor"), cursor);
        const ApiReply reply = m_client.get(kUsers, q);
        if (!reply.ok())
            return fail(reply);
        const auto json = reply.jsonObject();
        if (!json)
            return failNotJson(reply);
        if (page == 0)
            firstPage = *json;
        for (const QJsonValue &u : json->value(QLatin1String("items")).toArray())
            users.append(u);
        nextCursor = json->value(QLatin1String("nextCursor"));
        if (!options.all || !nextCursor.isString() || nextCursor.toString().isEmpty())
            break;
        if (nextCursor.toString() == cursor) { // a server that does not advance: stop, loudly
            m_err << QStringLiteral("communityctl: the server repeated cursor %1; stopping")
                         .arg(oneLine(cursor))
                         .toStdString()
                  << '\n';
            return ExitServerError;
        }
        cursor = nextCursor.toString();
    }

    if (m_format == OutputFormat::Json) {
        // One page: the server's answer as is. --all: the same shape, every page merged.
        print(QString::fromUtf8(prettyJson(
            options.all ? QJsonObject{{QStringLiteral("items"), users},
                                      {QStringLiteral("nextCursor"), QJsonValue()}}
                        : firstPage)));
        return ExitOk;
    }
    print(renderUsers(users));
    if (!options.all && nextCursor.isString())
        note(QStringLiteral("more users: --cursor %1 (or --all)").arg(oneLine(nextCursor.toString())));
    return ExitOk;
}

int Commands::usersShow(const QString &username)
{
    return printReply(m_client.get(userPath(username)), [](const QJsonObject &json) {
        return renderUser(json.value(QLatin1String("user")).toObject());
    });
}

int Commands::usersSetRole(const QString &username, const QString &role, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            auto [user, code] = fetchUser(username);
            return user ? Planned{planSetRole(*user, role), ExitOk} : Planned{std::nullopt, code};
        },
        [&] {
            return printReply(m_client.put(userPath(username, QStringLiteral("role")),
                                           QJsonObject{{QStringLiteral("role"), role}}),
                              [](const QJsonObject &json) {
                                  const QJsonObject u = json.value(QLatin1String("user")).toObject();
                                  return QStringLiteral("%1: role is now %2\n")
                                      .arg(nameOf(u), oneLine(u.value(QLatin1String("role")).toString()));
                              });
        });
}

int Commands::usersSuspend(const QString &username, const QString &reason, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            auto [user, code] = fetchUser(username);
            return user ? Planned{planSuspend(*user, reason), ExitOk} : Planned{std::nullopt, code};
        },
        [&] {
            QJsonObject body;
            if (!reason.isEmpty())
                body.insert(QStringLiteral("reason"), reason);
            return printReply(m_client.post(userPath(username, QStringLiteral("suspend")), body),
                              [](const QJsonObject &json) {
                                  const QJsonObject u = json.value(QLatin1String("user")).toObject();
                                  QString line = QStringLiteral("%1: %2").arg(
                                      nameOf(u), oneLine(u.value(QLatin1String("state")).toString()));
                                  if (u.contains(QLatin1String("suspendedReason")))
                                      line += QStringLiteral(" (reason: %1)")
                                                  .arg(oneLine(u.value(QLatin1String("suspendedReason")).toString()));
                                  return line + QLatin1Char('\n');
                              });
        });
}

int Commands::usersUnsuspend(const QString &username, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            auto [user, code] = fetchUser(username);
            return user ? Planned{planUnsuspend(*user), ExitOk} : Planned{std::nullopt, code};
        },
        [&] {
            return printReply(m_client.post(userPath(username, QStringLiteral("unsuspend")), {}),
                              [](const QJsonObject &json) {
                                  const QJsonObject u = json.value(QLatin1String("user")).toObject();
                                  return QStringLiteral("%1: %2\n").arg(
                                      nameOf(u), oneLine(u.value(QLatin1String("state")).toString()));
                              });
        });
}

int Commands::usersResetPassword(const QString &username, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            auto [user, code] = fetchUser(username);
            return user ? Planned{planResetPassword(*user), ExitOk} : Planned{std::nullopt, code};
        },
        [&] {
            const int code = printReply(
                m_client.post(userPath(username, QStringLiteral("reset-password")), {}),
                [](const QJsonObject &json) {
                    const QJsonObject u = json.value(QLatin1String("user")).toObject();
                    return QStringLiteral("new password for %1: %2\n")
                        .arg(nameOf(u), oneLine(json.value(QLatin1String("password")).toString()));
                });
            if (code == ExitOk)
                note(QStringLiteral("the password is shown only now; the user's sessions were "
                                    "revoked and it must be changed at next login"));
            return code;
        });
}

int Commands::usersDisableTwoFactor(const QString &username, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            auto [user, code] = fetchUser(username);
            return user ? Planned{planDisableTwoFactor(*user), ExitOk} : Planned{std::nullopt, code};
        },
        [&] {
            return printReply(
                m_client.post(userPath(username, QStringLiteral("disable-2fa")), {}),
                [](const QJsonObject &json) {
                    const QJsonObject u = json.value(QLatin1String("user")).toObject();
                    return json.value(QLatin1String("disabled")).toBool()
                        ? QStringLiteral("%1: two-factor authentication disabled\n").arg(nameOf(u))
                        : QStringLiteral("%1: two-factor authentication was not enabled\n").arg(nameOf(u));
                });
        });
}

int Commands::keysCreate(const QString &name, const QStringList &scopes)
{
    const ApiReply reply = m_client.post(
        kKeys, QJsonObject{{QStringLiteral("name"), name},
                           {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}});
    const int code = printReply(reply, [](const QJsonObject &json) { return renderCreatedKey(json); });
    if (code == ExitOk)
        note(QStringLiteral("store the key now: it is not shown again"));
    return code;
}

int Commands::keysList()
{
    return printReply(m_client.get(kKeys), [](const QJsonObject &json) {
        return renderApiKeys(json.value(QLatin1String("items")).toArray());
    });
}

int Commands::keysRevoke(const QString &id, Safety safety)
{
    QJsonObject current;
    return destructive(
        safety,
        [&]() -> Planned {
            const ApiReply reply = m_client.get(kKeys);
            if (!reply.ok())
                return {std::nullopt, fail(reply)};
            const auto json = reply.jsonObject();
            if (!json)
                return {std::nullopt, failNotJson(reply)};
            for (const QJsonValue &v : json->value(QLatin1String("items")).toArray()) {
                const QJsonObject key = v.toObject();
                const QJsonValue keyId = key.value(QLatin1String("id"));
                const QString keyText = keyId.isDouble() ? QString::number(qint64(keyId.toDouble()))
                                                         : keyId.toString();
                if (keyText != id)
                    continue;
                if (key.value(QLatin1String("revoked")).toBool()) {
                    m_err << QStringLiteral("communityctl: API key %1 is already revoked")
                                 .arg(oneLine(id))
                                 .toStdString()
                          << '\n';
                    return {std::nullopt, ExitServerError};
                }
                current = key;
                return {planRevokeKey(key), ExitOk};
            }
            m_err << QStringLiteral("communityctl: 404 Not Found: no API key with id %1")
                         .arg(oneLine(id))
                         .toStdString()
                  << '\n';
            return {std::nullopt, ExitServerError};
        },
        [&] {
            const ApiReply reply = m_client.del(kKeys + QLatin1Char('/') + ApiClient::pathSegment(id));
            if (!reply.ok())
                return fail(reply);
            // 204 has no body: report the key as it is now.
            current.insert(QStringLiteral("revoked"), true);
            if (m_format == OutputFormat::Json)
                print(QString::fromUtf8(prettyJson(current)));
            else
                print(QStringLiteral("revoked API key %1 (%2)\n")
                          .arg(oneLine(id), oneLine(current.value(QLatin1String("name")).toString())));
            return int(ExitOk);
        });
}

int Commands::authOutbox(qint64 after, int limit)
{
    QUrlQuery query;
    if (after > 0)
        query.addQueryItem(QStringLiteral("after"), QString::number(after));
    if (limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    const ApiReply reply = m_client.get(kOutbox, query);
    const int code = printReply(reply, [](const QJsonObject &json) {
        return renderOutbox(json.value(QLatin1String("items")).toArray());
    });
    if (code == ExitOk && m_format == OutputFormat::Table) {
        const QJsonObject json = *reply.jsonObject();
        const qsizetype n = json.value(QLatin1String("items")).toArray().size();
        if (n > 0 && n == (limit > 0 ? limit : 50))
            note(QStringLiteral("more events may follow: --after %1")
                     .arg(cellText(json.value(QLatin1String("nextAfter")))));
    }
    return code;
}

} // namespace Community::Ctl
