// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What every communityctl command group shares: exit codes, output format, the session
/// (client, streams, terminal) and the helpers that fetch through the client, print a
/// table or the server's JSON, and map the outcome to the documented exit codes.
/// Each group (statuscommands.h, usercommands.h, ...) registers its own subcommands.

#include "adminviews.h"
#include "confirm.h"

#include "community/client/blockingclient.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <utility>

namespace CLI {
class App;
}

namespace Community::Ctl {

using Client::ApiReply;
using Client::ApiRequest;
using Client::BlockingClient;

enum ExitCode : int {
    ExitOk = 0,
    ExitServerError = 1, ///< the server answered with an error status
    ExitUsage = 2,       ///< bad command line (CLI11), unusable option values, or a
                         ///< destructive command not confirmed (no --yes without a terminal,
                         ///< or the operator answered no)
    ExitUnreachable = 3, ///< no answer: refused, timeout, TLS, ...
};

/// Csv: commands with a CSV form (analytics report) print it; the others print their table.
enum class OutputFormat { Table, Json, Csv };

/// How a destructive command runs: --dry-run only shows the plan; --yes skips the question.
struct Safety
{
    bool dryRun = false;
    bool yes = false;
};

/// Filled in by runCtl once the command line is parsed; the groups read it when they run.
struct Session
{
    std::ostream &out;
    std::ostream &err;
    const Terminal *terminal = nullptr; ///< without one, destructive commands need --yes
    OutputFormat format = OutputFormat::Table;
    std::unique_ptr<BlockingClient> client;
    bool outIsTerminal = false;   ///< `out` is a terminal (live views redraw in place)
    /// Set by commands that need no server (context, completion): no client is made.
    bool local = false;
    /// What the command acts on, named in every confirmation: "context prod (https://...)".
    QString target;
};

/// The chosen command, set by its CLI11 callback and run after parsing.
using Action = std::function<int()>;

class CommandGroup
{
public:
    explicit CommandGroup(Session &session) : m_session(session) {}
    virtual ~CommandGroup() = default;
    CommandGroup(const CommandGroup &) = delete;
    CommandGroup &operator=(const CommandGroup &) = delete;

    /// Adds this group's subcommands to @p app; the one chosen stores itself in @p action.
    virtual void addTo(CLI::App &app, Action &action) = 0;

protected:
    /// The plan of a destructive command, or the exit code that stops it.
    using Planned = std::pair<std::optional<Plan>, int>;
    using Fetched = std::pair<std::optional<QJsonObject>, int>;

    BlockingClient &client() { return *m_session.client; }
    bool jsonOutput() const { return m_session.format == OutputFormat::Json; }
    std::ostream &err() { return m_session.err; }

    void print(const QString &text);
    /// -o json: @p json pretty-printed; otherwise @p table.
    void printResult(const QJsonValue &json, const QString &table);
    /// "communityctl: <line>" on stderr.
    void note(const QString &line);

    /// Prints the one-line error for a failed reply and returns its exit code.
    int fail(const ApiReply &reply);
    int failNotJson(const ApiReply &reply);
    /// A message already in its final form ("404 Not Found: ...") and ExitServerError.
    int failWith(const QString &message);
    /// Sends @p request: the body as a JSON object, or (error printed) the exit code.
    Fetched fetchObject(const ApiRequest &request);
    /// Prints the server's JSON (-o json) or @p table, after checking the reply.
    int printReply(const ApiReply &reply, const std::function<QString(const QJsonObject &)> &table);
    /// Refuses (non-terminal, no --yes), fetches the plan, prints it for --dry-run,
    /// confirms, then runs @p apply.
    int destructive(Safety safety, const std::function<Planned()> &plan,
                    const std::function<int()> &apply);

    Session &m_session;
};

} // namespace Community::Ctl
