// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commands.h"

#include "format.h"

#include <ostream>

namespace Community::Ctl {

void CommandGroup::print(const QString &text)
{
    m_session.out << text.toStdString();
    m_session.out.flush();
}

void CommandGroup::printResult(const QJsonValue &json, const QString &table)
{
    print(jsonOutput() ? QString::fromUtf8(prettyJson(json)) : table);
}

void CommandGroup::note(const QString &line)
{
    err() << "communityctl: " << line.toStdString() << '\n';
    err().flush();
}

int CommandGroup::fail(const ApiReply &reply)
{
    if (reply.outcome == ApiReply::Outcome::Unreachable) {
        err() << unreachableLine(client().baseUrl().toDisplayString(), reply.transportError)
                     .toStdString()
              << '\n';
        return ExitUnreachable;
    }
    err() << errorLine(reply.status, reply.body, reply.reasonPhrase).toStdString() << '\n';
    return ExitServerError;
}

int CommandGroup::failNotJson(const ApiReply &reply)
{
    err() << QStringLiteral("communityctl: %1 %2: response from %3 is not a JSON object")
                 .arg(reply.status)
                 .arg(reply.reasonPhrase.isEmpty() ? reasonPhraseFor(reply.status)
                                                   : oneLine(reply.reasonPhrase),
                      reply.url.path())
                 .toStdString()
          << '\n';
    return ExitServerError;
}

int CommandGroup::failWith(const QString &message)
{
    err() << "communityctl: " << message.toStdString() << '\n';
    return ExitServerError;
}

CommandGroup::Fetched CommandGroup::fetchObject(const ApiRequest &request)
{
    const ApiReply reply = client().send(request);
    if (!reply.ok())
        return {std::nullopt, fail(reply)};
    const auto json = reply.jsonObject();
    if (!json)
        return {std::nullopt, failNotJson(reply)};
    return {*json, ExitOk};
}

int CommandGroup::printReply(const ApiReply &reply,
                             const std::function<QString(const QJsonObject &)> &table)
{
    if (!reply.ok())
        return fail(reply);
    const auto json = reply.jsonObject();
    if (!json)
        return failNotJson(reply);
    printResult(*json, jsonOutput() ? QString() : table(*json));
    return ExitOk;
}

int CommandGroup::destructive(Safety safety, const std::function<Planned()> &makePlan,
                              const std::function<int()> &apply)
{
    const Terminal *terminal = m_session.terminal;
    const bool interactive = terminal && terminal->interactive;
    // Refuse before any request: a script without --yes must not even look like it works.
    if (!safety.dryRun && precheckConfirmation(safety.yes, interactive) == Confirmation::Refused) {
        err() << refusedLine().toStdString() << '\n';
        return ExitUsage;
    }

    const auto [plan, code] = makePlan();
    if (!plan)
        return code;

    if (safety.dryRun) {
        printResult(planJson(*plan, true), renderPlan(*plan, true));
        return ExitOk;
    }

    if (!safety.yes) {
        // The question goes to stderr so that stdout stays the command's output.
        err() << renderPlan(*plan, false).toStdString();
        if (!m_session.target.isEmpty())
            err() << "Target: " << m_session.target.toStdString() << '\n';
        if (confirm(false, *terminal, err()) != Confirmation::Proceed) {
            err() << declinedLine().toStdString() << '\n';
            return ExitUsage;
        }
    }
    return apply();
}

} // namespace Community::Ctl
