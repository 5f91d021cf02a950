// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usercommands.h"

#include "format.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

#include <istream>
#include <vector>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

constexpr int kAllPageSize = 100; // the server's maximum page

const std::vector<std::string> kRoles{"user", "moderator", "admin"};

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString nameOf(const QJsonObject &user)
{
    return oneLine(user.value(QLatin1String("username")).toString());
}

QJsonObject userOf(const QJsonObject &json)
{
    return json.value(QLatin1String("user")).toObject();
}

/// The first line of stdin without its line break (a password piped in).
std::optional<QString> readSecretLine(std::istream &in)
{
    std::string line;
    if (!std::getline(in, line))
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

/// A username argument and --dry-run/--yes on a destructive subcommand.
CLI::App *addChange(CLI::App &users, const char *name, const char *description,
                    std::string &username, Safety &safety)
{
    auto *sub = users.add_subcommand(name, description);
    sub->add_option("username", username, "Username")->required();
    sub->add_flag("--dry-run", safety.dryRun, "Only show what would change (fetches the current state)");
    sub->add_flag("-y,--yes", safety.yes, "Do not ask for confirmation");
    return sub;
}

} // namespace

void UserCommands::addTo(CLI::App &app, Action &action)
{
    auto *users = app.add_subcommand("users", "User accounts (auth plugin)");
    users->require_subcommand(1);
    addCreate(*users, action);
    addList(*users, action);
    addChanges(*users, action);
}

void UserCommands::addCreate(CLI::App &users, Action &action)
{
    Options &o = m_options;
    auto *create = users.add_subcommand("create", "Create an account (must change its password at first login)");
    create->add_option("username", o.username, "Username")->required();
    create->add_option("--email", o.email, "Email address")->required();
    create->add_flag("--password-stdin", o.passwordStdin,
                     "Read the initial password from the first line of stdin (default: generated and printed once)");
    create->add_option("--role", o.role, "Role (default user)")->check(CLI::IsMember(kRoles));
    create->callback([this, &action] { action = [this] { return createFromOptions(); }; });
}

void UserCommands::addList(CLI::App &users, Action &action)
{
    Options &o = m_options;
    auto *list = users.add_subcommand("list", "List accounts by id");
    list->add_option("--query", o.query, "Prefix of username or email (case-insensitive)");
    list->add_option("--limit", o.limit, "Users per page (1-100)")->check(CLI::Range(1, 100));
    list->add_option("--cursor", o.cursor, "Continue after this cursor (from a previous page)");
    list->add_flag("--all", o.all, "Follow the cursors and list every match");
    list->callback([this, &action] {
        action = [this] {
            return this->list(UserListOptions{q(m_options.query), m_options.limit,
                                              q(m_options.cursor), m_options.all});
        };
    });

    auto *show = users.add_subcommand("show", "Show one account");
    show->add_option("username", o.username, "Username")->required();
    show->callback([this, &action] { action = [this] { return this->show(q(m_options.username)); }; });
}

void UserCommands::addChanges(CLI::App &users, Action &action)
{
    Options &o = m_options;
    auto *setRole = addChange(users, "set-role", "Change the role of an account", o.username, o.safety);
    setRole->add_option("role", o.role, "user, moderator or admin")->required()->check(CLI::IsMember(kRoles));
    setRole->callback([this, &action] {
        action = [this] { return this->setRole(q(m_options.username), q(m_options.role), m_options.safety); };
    });

    auto *suspend = addChange(users, "suspend", "Suspend an account (it can no longer sign in)", o.username, o.safety);
    suspend->add_option("--reason", o.reason, "Why (stored with the account)");
    suspend->callback([this, &action] {
        action = [this] { return this->suspend(q(m_options.username), q(m_options.reason), m_options.safety); };
    });

    addChange(users, "unsuspend", "Make a suspended account active again", o.username, o.safety)
        ->callback([this, &action] {
            action = [this] { return unsuspend(q(m_options.username), m_options.safety); };
        });
    addChange(users, "reset-password", "Set a new random password (printed once), revoke all sessions",
              o.username, o.safety)
        ->callback([this, &action] {
            action = [this] { return resetPassword(q(m_options.username), m_options.safety); };
        });
    addChange(users, "disable-2fa", "Remove two-factor authentication of an account", o.username, o.safety)
        ->callback([this, &action] {
            action = [this] { return disableTwoFactor(q(m_options.username), m_options.safety); };
        });
}

int UserCommands::createFromOptions()
{
    // Read a piped password before any request, so that a bad pipe is a usage error.
    std::optional<QString> password;
    if (m_options.passwordStdin) {
        if (m_session.terminal)
            password = readSecretLine(m_session.terminal->in);
        if (!password || password->isEmpty()) {
            err() << "communityctl: --password-stdin: no password on stdin\n";
            return ExitUsage;
        }
    }
    return create(q(m_options.username), q(m_options.email), password, q(m_options.role));
}

int UserCommands::create(const QString &username, const QString &email,
                         const std::optional<QString> &password, const QString &role)
{
    const ApiReply reply = client().send(Endpoints::createUser(username, email, password, role));
    const int code = printReply(reply, [](const QJsonObject &json) {
        QString out = renderUser(userOf(json));
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

int UserCommands::list(const UserListOptions &options)
{
    Endpoints::UserQuery query{options.query,
                               options.limit > 0 ? options.limit : (options.all ? kAllPageSize : 0),
                               options.cursor};
    QJsonArray users;
    QJsonValue nextCursor;
    QJsonObject firstPage;
    for (int page = 0;; ++page) {
        const auto [json, code] = fetchObject(Endpoints::adminUsers(query));
        if (!json)
            return code;
        if (page == 0)
            firstPage = *json;
        for (const QJsonValue &u : json->value(QLatin1String("items")).toArray())
            users.append(u);
        nextCursor = json->value(QLatin1String("nextCursor"));
        if (!options.all || !nextCursor.isString() || nextCursor.toString().isEmpty())
            break;
        if (nextCursor.toString() == query.cursor) // a server that does not advance: stop, loudly
            return failWith(QStringLiteral("the server repeated cursor %1; stopping").arg(oneLine(query.cursor)));
        query.cursor = nextCursor.toString();
    }

    if (jsonOutput()) {
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

int UserCommands::show(const QString &username)
{
    return printReply(client().send(Endpoints::adminUser(username)),
                      [](const QJsonObject &json) { return renderUser(userOf(json)); });
}

CommandGroup::Fetched UserCommands::fetchUser(const QString &username)
{
    const ApiReply reply = client().send(Endpoints::adminUser(username));
    if (!reply.ok())
        return {std::nullopt, fail(reply)};
    const auto json = reply.jsonObject();
    if (!json || !json->value(QLatin1String("user")).isObject())
        return {std::nullopt, failNotJson(reply)};
    return {userOf(*json), ExitOk};
}

int UserCommands::change(const QString &username, Safety safety,
                         const std::function<Plan(const QJsonObject &user)> &plan,
                         const ApiRequest &request,
                         const std::function<QString(const QJsonObject &)> &table)
{
    return destructive(
        safety,
        [&]() -> Planned {
            auto [user, code] = fetchUser(username);
            return user ? Planned{plan(*user), ExitOk} : Planned{std::nullopt, code};
        },
        [&] { return printReply(client().send(request), table); });
}

int UserCommands::setRole(const QString &username, const QString &role, Safety safety)
{
    return change(
        username, safety, [&](const QJsonObject &user) { return planSetRole(user, role); },
        Endpoints::setUserRole(username, role), [](const QJsonObject &json) {
            const QJsonObject u = userOf(json);
            return QStringLiteral("%1: role is now %2\n")
                .arg(nameOf(u), oneLine(u.value(QLatin1String("role")).toString()));
        });
}

int UserCommands::suspend(const QString &username, const QString &reason, Safety safety)
{
    return change(
        username, safety, [&](const QJsonObject &user) { return planSuspend(user, reason); },
        Endpoints::suspendUser(username, reason), [](const QJsonObject &json) {
            const QJsonObject u = userOf(json);
            QString line = QStringLiteral("%1: %2").arg(nameOf(u), oneLine(u.value(QLatin1String("state")).toString()));
            if (u.contains(QLatin1String("suspendedReason")))
                line += QStringLiteral(" (reason: %1)")
                            .arg(oneLine(u.value(QLatin1String("suspendedReason")).toString()));
            return line + QLatin1Char('\n');
        });
}

int UserCommands::unsuspend(const QString &username, Safety safety)
{
    return change(username, safety, planUnsuspend, Endpoints::unsuspendUser(username),
                  [](const QJsonObject &json) {
                      const QJsonObject u = userOf(json);
                      return QStringLiteral("%1: %2\n").arg(nameOf(u), oneLine(u.value(QLatin1String("state")).toString()));
                  });
}

int UserCommands::resetPassword(const QString &username, Safety safety)
{
    const int code = change(username, safety, planResetPassword, Endpoints::resetUserPassword(username),
                            [](const QJsonObject &json) {
                                return QStringLiteral("new password for %1: %2\n")
                                    .arg(nameOf(userOf(json)),
                                         oneLine(json.value(QLatin1String("password")).toString()));
                            });
    if (code == ExitOk && !safety.dryRun)
        note(QStringLiteral("the password is shown only now; the user's sessions were "
                            "revoked and it must be changed at next login"));
    return code;
}

int UserCommands::disableTwoFactor(const QString &username, Safety safety)
{
    return change(username, safety, planDisableTwoFactor, Endpoints::disableUserTwoFactor(username),
                  [](const QJsonObject &json) {
                      const QString name = nameOf(userOf(json));
                      return json.value(QLatin1String("disabled")).toBool()
                          ? QStringLiteral("%1: two-factor authentication disabled\n").arg(name)
                          : QStringLiteral("%1: two-factor authentication was not enabled\n").arg(name);
                  });
}

} // namespace Community::Ctl
