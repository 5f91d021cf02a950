// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commands.h"

#include "apiclient.h"
#include "format.h"
#include "views.h"

#include <QJsonArray>

#include <ostream>

namespace Community::Ctl {

namespace {

const QString kHealth = QStringLiteral("/healthz");
const QString kReady = QStringLiteral("/readyz");
const QString kInfo = QStringLiteral("/v1/system/info");
const QString kMigrations = QStringLiteral("/v1/system/migrations");

} // namespace

Commands::Commands(ApiClient &client, OutputFormat format, std::ostream &out, std::ostream &err)
    : m_client(client)
    , m_format(format)
    , m_out(out)
    , m_err(err)
{
}

void Commands::print(const QString &text)
{
    m_out << text.toStdString();
    m_out.flush();
}

int Commands::fail(const ApiReply &reply)
{
    if (reply.outcome == ApiReply::Outcome::Unreachable) {
        m_err << unreachableLine(m_client.baseUrl().toDisplayString(), reply.transportError)
                     .toStdString()
              << '\n';
        return ExitUnreachable;
    }
    m_err << errorLine(reply.status, reply.body, reply.reasonPhrase).toStdString() << '\n';
    return ExitServerError;
}

int Commands::failNotJson(const ApiReply &reply)
{
    m_err << QStringLiteral("communityctl: %1 %2: response from %3 is not a JSON object")
                 .arg(reply.status)
                 .arg(reply.reasonPhrase.isEmpty() ? reasonPhraseFor(reply.status)
                                                   : oneLine(reply.reasonPhrase),
                      reply.url.path())
                 .toStdString()
          << '\n';
    return ExitServerError;
}

std::pair<std::optional<QJsonObject>, int> Commands::getObject(const QString &path, const QUrlQuery &query)
{
    const ApiReply reply = m_client.get(path, query);
    if (!reply.ok())
        return {std::nullopt, fail(reply)};
    const auto json = reply.jsonObject();
    if (!json)
        return {std::nullopt, failNotJson(reply)};
    return {*json, ExitOk};
}

int Commands::status()
{
    StatusSnapshot snapshot;
    snapshot.server = m_client.baseUrl().toDisplayString();

    const ApiReply health = m_client.get(kHealth);
    if (!health.ok())
        return fail(health);
    snapshot.health = health.jsonObject().value_or(QJsonObject{});

    // 503 from /readyz is an answer ("not ready, because ..."), not a failure of the command.
    const ApiReply ready = m_client.get(kReady);
    if (!ready.ok() && !(ready.outcome == ApiReply::Outcome::HttpError && ready.status == 503))
        return fail(ready);
    snapshot.ready = ready.ok();
    snapshot.readiness = ready.jsonObject().value_or(QJsonObject{});

    const ApiReply info = m_client.get(kInfo);
    if (!info.ok())
        return fail(info);
    const auto infoJson = info.jsonObject();
    if (!infoJson)
        return failNotJson(info);
    snapshot.info = *infoJson;

    if (m_format == OutputFormat::Json)
        print(QString::fromUtf8(prettyJson(statusJson(snapshot))));
    else
        print(renderStatus(snapshot));
    return ExitOk;
}

int Commands::pluginsList()
{
    const auto [json, code] = getObject(kInfo);
    if (!json)
        return code;
    const QJsonArray plugins = json->value(QLatin1String("plugins")).toArray();
    if (m_format == OutputFormat::Json)
        print(QString::fromUtf8(prettyJson(plugins)));
    else
        print(renderPlugins(plugins));
    return ExitOk;
}

int Commands::migrateStatus()
{
    const auto [json, code] = getObject(kMigrations);
    if (!json)
        return code;
    if (m_format == OutputFormat::Json)
        print(QString::fromUtf8(prettyJson(*json)));
    else
        print(renderMigrations(json->value(QLatin1String("migrations")).toArray()));
    return ExitOk;
}

int Commands::migrateUp(bool dryRun)
{
    const ApiReply reply =
        m_client.post(kMigrations, QJsonObject{{QStringLiteral("dryRun"), dryRun}});
    if (!reply.ok())
        return fail(reply);
    const auto json = reply.jsonObject();
    if (!json)
        return failNotJson(reply);
    if (m_format == OutputFormat::Json)
        print(QString::fromUtf8(prettyJson(*json)));
    else
        print(renderMigrateUp(*json));
    return ExitOk;
}

} // namespace Community::Ctl
