// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// communityctl's commands: fetch through ApiClient, print a table or the server's JSON,
/// and map the outcome to the documented exit codes.

#include <iosfwd>

class QString;

namespace Community::Ctl {

class ApiClient;
struct ApiReply;

enum ExitCode : int {
    ExitOk = 0,
    ExitServerError = 1, ///< the server answered with an error status
    ExitUsage = 2,       ///< bad command line (CLI11) or unusable option values
    ExitUnreachable = 3, ///< no answer: refused, timeout, TLS, ...
};

enum class OutputFormat { Table, Json };

class Commands
{
public:
    Commands(ApiClient &client, OutputFormat format, std::ostream &out, std::ostream &err);

    int status();
    int pluginsList();
    int migrateStatus();
    int migrateUp(bool dryRun);

private:
    /// Prints the one-line error for a failed reply and returns its exit code.
    int fail(const ApiReply &reply);
    int failNotJson(const ApiReply &reply);
    void print(const QString &text);

    ApiClient &m_client;
    OutputFormat m_format;
    std::ostream &m_out;
    std::ostream &m_err;
};

} // namespace Community::Ctl
