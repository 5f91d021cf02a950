// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The operator token counts as an administrator on the auth plugin's /v1/admin routes.
#include "admincommands.h"

#include "format.h"
#include "views.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

constexpr int kOutboxPage = 50; // the server's default page

QString idText(const QJsonValue &id)
{
    return id.isDouble() ? QString::number(qint64(id.toDouble())) : id.toString();
}

} // namespace

void AdminCommands::addTo(CLI::App &app, Action &action)
{
    addKeys(app, action);

    auto *auth = app.add_subcommand("auth", "Auth plugin operations");
    auth->require_subcommand(1);
    auto *outbox = auth->add_subcommand(
        "outbox", "Email verification and password reset events, with their tokens");
    outbox->add_option("--after", m_options.after, "Only events with a larger id")->check(CLI::NonNegativeNumber);
    outbox->add_option("--limit", m_options.limit, "Events to show (1-500, default 50)")->check(CLI::Range(1, 500));
    outbox->callback([this, &action] {
        action = [this] { return authOutbox(m_options.after, m_options.limit); };
    });
}

void AdminCommands::addKeys(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *keys = app.add_subcommand("keys", "API keys (auth plugin)");
    keys->require_subcommand(1);
    auto *create = keys->add_subcommand("create", "Create an API key (the key is printed once)");
    create->add_option("name", o.keyName, "Name of the key")->required();
    create->add_option("--scope", o.scopes, "Scope the key grants (repeatable; admin for /v1/admin)")
        ->required()
        ->expected(1)
        ->allow_extra_args(false) // "--scope a name": one value per --scope
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    create->callback([this, &action] {
        action = [this] {
            QStringList scopes;
            for (const std::string &s : m_options.scopes)
                scopes << QString::fromStdString(s);
            return keysCreate(QString::fromStdString(m_options.keyName), scopes);
        };
    });
    keys->add_subcommand("list", "List API keys (never their secrets)")->callback([this, &action] {
        action = [this] { return keysList(); };
    });
    auto *revoke = keys->add_subcommand("revoke", "Revoke an API key (takes effect at once)");
    revoke->add_option("id", o.keyId, "Key id (see keys list)")->required();
    revoke->add_flag("--dry-run", o.safety.dryRun, "Only show what would change (fetches the current state)");
    revoke->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    revoke->callback([this, &action] {
        action = [this] { return keysRevoke(QString::fromStdString(m_options.keyId), m_options.safety); };
    });
}

int AdminCommands::keysCreate(const QString &name, const QStringList &scopes)
{
    const int code = printReply(client().send(Endpoints::createApiKey(name, scopes)), renderCreatedKey);
    if (code == ExitOk)
        note(QStringLiteral("store the key now: it is not shown again"));
    return code;
}

int AdminCommands::keysList()
{
    return printReply(client().send(Endpoints::apiKeys()), [](const QJsonObject &json) {
        return renderApiKeys(json.value(QLatin1String("items")).toArray());
    });
}

CommandGroup::Fetched AdminCommands::findKey(const QString &id)
{
    const auto [json, code] = fetchObject(Endpoints::apiKeys());
    if (!json)
        return {std::nullopt, code};
    for (const QJsonValue &v : json->value(QLatin1String("items")).toArray()) {
        const QJsonObject key = v.toObject();
        if (idText(key.value(QLatin1String("id"))) != id)
            continue;
        if (key.value(QLatin1String("revoked")).toBool())
            return {std::nullopt, failWith(QStringLiteral("API key %1 is already revoked").arg(oneLine(id)))};
        return {key, ExitOk};
    }
    return {std::nullopt, failWith(QStringLiteral("404 Not Found: no API key with id %1").arg(oneLine(id)))};
}

int AdminCommands::keysRevoke(const QString &id, Safety safety)
{
    QJsonObject current;
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [key, code] = findKey(id);
            if (!key)
                return {std::nullopt, code};
            current = *key;
            return {planRevokeKey(current), ExitOk};
        },
        [&] {
            const ApiReply reply = client().send(Endpoints::revokeApiKey(id));
            if (!reply.ok())
                return fail(reply);
            // 204 has no body: report the key as it is now.
            current.insert(QStringLiteral("revoked"), true);
            printResult(current, QStringLiteral("revoked API key %1 (%2)\n")
                              .arg(oneLine(id), oneLine(current.value(QLatin1String("name")).toString())));
            return int(ExitOk);
        });
}

int AdminCommands::authOutbox(qint64 after, int limit)
{
    const ApiReply reply = client().send(Endpoints::authOutbox(after, limit));
    const int code = printReply(reply, [](const QJsonObject &json) {
        return renderOutbox(json.value(QLatin1String("items")).toArray());
    });
    if (code == ExitOk && !jsonOutput()) {
        const QJsonObject json = *reply.jsonObject();
        const qsizetype n = json.value(QLatin1String("items")).toArray().size();
        if (n > 0 && n == (limit > 0 ? limit : kOutboxPage))
            note(QStringLiteral("more events may follow: --after %1")
                     .arg(cellText(json.value(QLatin1String("nextAfter")))));
    }
    return code;
}

} // namespace Community::Ctl
