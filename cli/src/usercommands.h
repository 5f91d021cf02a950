// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `users create|list|show|set-role|suspend|unsuspend|reset-password|disable-2fa` on the
/// auth plugin's /v1/admin/users. The operator token counts as an administrator there.

#include "commands.h"

#include <string>

namespace Community::Ctl {

struct UserListOptions
{
    QString query;
    int limit = 0;   ///< 0: the server's default (with --all: 100 per page)
    QString cursor;
    bool all = false; ///< follow nextCursor until the end
};

class UserCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int create(const QString &username, const QString &email,
               const std::optional<QString> &password, const QString &role);
    int list(const UserListOptions &options);
    int show(const QString &username);
    int setRole(const QString &username, const QString &role, Safety safety);
    int suspend(const QString &username, const QString &reason, Safety safety);
    int unsuspend(const QString &username, Safety safety);
    int resetPassword(const QString &username, Safety safety);
    int disableTwoFactor(const QString &username, Safety safety);

private:
    /// What the subcommands collect; only the fields of the chosen one matter.
    struct Options
    {
        std::string username;
        std::string email;
        std::string role;
        bool passwordStdin = false;
        std::string reason;
        std::string query;
        int limit = 0;
        std::string cursor;
        bool all = false;
        Safety safety;
    };

    void addCreate(CLI::App &users, Action &action);
    void addList(CLI::App &users, Action &action);
    void addChanges(CLI::App &users, Action &action);
    /// `create --password-stdin`: the first line of stdin, or the usage error's exit code.
    int createFromOptions();
    /// GET the account: its "user" object, or the exit code.
    Fetched fetchUser(const QString &username);
    /// A destructive change of one account, planned from its current state.
    int change(const QString &username, Safety safety,
               const std::function<Plan(const QJsonObject &user)> &plan,
               const ApiRequest &request,
               const std::function<QString(const QJsonObject &)> &table);

    Options m_options;
};

} // namespace Community::Ctl
