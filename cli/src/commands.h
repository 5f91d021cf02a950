// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// communityctl's commands: fetch through ApiClient, print a table or the server's JSON,
/// and map the outcome to the documented exit codes.

#include "adminviews.h"
#include "confirm.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>

namespace Community::Ctl {

class ApiClient;
struct ApiReply;

enum ExitCode : int {
    ExitOk = 0,
    ExitServerError = 1, ///< the server answered with an error status
    ExitUsage = 2,       ///< bad command line (CLI11), unusable option values, or a
                         ///< destructive command not confirmed (no --yes without a terminal,
                         ///< or the operator answered no)
    ExitUnreachable = 3, ///< no answer: refused, timeout, TLS, ...
};

enum class OutputFormat { Table, Json };

struct UserListOptions
{
    QString query;
    int limit = 0;   ///< 0: the server's default (with --all: 100 per page)
    QString cursor;
    bool all = false; ///< follow nextCursor until the end
};

/// `events tail`: the newest events, or those after an id; --follow keeps polling.
struct EventTailOptions
{
    qint64 after = -1;  ///< -1: the newest `limit` events
    int limit = 0;      ///< 0: the server's default (50)
    bool follow = false;
    std::chrono::milliseconds pollInterval{1000}; ///< --follow: pause between polls
};

/// `search reindex`: --wait polls the index status until the replay has caught up.
struct SearchReindexOptions
{
    bool wait = false;
    std::chrono::milliseconds pollInterval{1000};
    std::chrono::milliseconds timeout{600'000};
};

/// How a destructive command runs: --dry-run only shows the plan; --yes skips the question.
struct Safety
{
    bool dryRun = false;
    bool yes = false;
};

class Commands
{
public:
    Commands(ApiClient &client, OutputFormat format, std::ostream &out, std::ostream &err);

    int status();
    int pluginsList();
    int migrateStatus();
    int migrateUp(bool dryRun);

    /// Where confirmations are read from; without one, destructive commands need --yes.
    void setTerminal(const Terminal *terminal) { m_terminal = terminal; }

    // Users (auth plugin, /v1/admin/users).
    int usersCreate(const QString &username, const QString &email,
                    const std::optional<QString> &password, const QString &role);
    int usersList(const UserListOptions &options);
    int usersShow(const QString &username);
    int usersSetRole(const QString &username, const QString &role, Safety safety);
    int usersSuspend(const QString &username, const QString &reason, Safety safety);
    int usersUnsuspend(const QString &username, Safety safety);
    int usersResetPassword(const QString &username, Safety safety);
    int usersDisableTwoFactor(const QString &username, Safety safety);

    // API keys (/v1/admin/api-keys).
    int keysCreate(const QString &name, const QStringList &scopes);
    int keysList();
    int keysRevoke(const QString &id, Safety safety);

    /// Auth outbox events (/v1/admin/auth/outbox): verification and reset tokens.
    int authOutbox(qint64 after, int limit);

    // Event bus (/v1/system/events, operator token). eventcommands.cpp.
    /// The outbox; with `follow`, prints new events until SIGINT/SIGTERM (then exit 0);
    /// `-o json` then prints one JSON object per line.
    int eventsTail(const EventTailOptions &options);
    int eventsConsumers();
    /// Moves the consumer's offset so that delivery resumes at @p fromId (destructive).
    int eventsReplay(const QString &consumer, qint64 fromId, Safety safety);
    /// Makes dead letters due again, of @p consumer or (empty) of every consumer.
    int eventsRetryDead(const QString &consumer);

    // Search (/v1/search/*). searchcommands.cpp.
    /// Top queries, top zero-result queries and click-through over the last @p days
    /// (0: the server's default).
    int searchStats(int days, int limit);
    int searchStatus();
    /// Empties the search index and replays its events (destructive: results are
    /// incomplete until it has caught up).
    int searchReindex(const SearchReindexOptions &options, Safety safety);

private:
    /// The plan of a destructive command, or the exit code that stops it.
    using Planned = std::pair<std::optional<Plan>, int>;
    /// Refuses (non-terminal, no --yes), fetches the plan, prints it for --dry-run,
    /// confirms, then runs @p apply.
    int destructive(Safety safety, const std::function<Planned()> &plan,
                    const std::function<int()> &apply);
    /// GET /v1/admin/users/{username} -> the "user" object, or the exit code.
    std::pair<std::optional<QJsonObject>, int> fetchUser(const QString &username);
    /// GET @p path: the body as a JSON object, or (error printed) the exit code.
    std::pair<std::optional<QJsonObject>, int> getObject(const QString &path, const QUrlQuery &query = {});
    /// Prints the server's JSON (-o json) or @p table, after checking the reply.
    int printReply(const ApiReply &reply, const std::function<QString(const QJsonObject &)> &table);
    void note(const QString &line);

    /// Prints the one-line error for a failed reply and returns its exit code.
    int fail(const ApiReply &reply);
    int failNotJson(const ApiReply &reply);
    void print(const QString &text);
    int followEvents(qint64 after, bool headerPrinted, std::chrono::milliseconds interval);

    ApiClient &m_client;
    OutputFormat m_format;
    std::ostream &m_out;
    std::ostream &m_err;
    const Terminal *m_terminal = nullptr;
};

} // namespace Community::Ctl
