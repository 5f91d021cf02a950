// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Typed calls over BlockingClient for the routes in endpoints.h: structs where they add
/// meaning, QJsonObject/QJsonArray where the server's JSON is the useful shape.
/// Async callers decode ApiClient replies with the same functions (objectOf, fromJson).
/// Threading and failure: those of BlockingClient; errors come back as ApiError.

#include "community/client/blockingclient.h"
#include "community/client/endpoints.h"

#include <QJsonArray>
#include <QStringList>

namespace Community::Client {

/// The reply's JSON object; its ApiError when it failed or the body is not an object.
ApiResult<QJsonObject> objectOf(const ApiReply &reply);

struct PluginDependency
{
    QString id;
    QString minVersion;
    bool optional = false;
};

struct PluginInfo
{
    QString id;
    QString version;
    QString state; ///< "running", "failed", ...
    QList<PluginDependency> dependencies;

    static PluginInfo fromJson(const QJsonObject &json);
};

/// GET /v1/system/info.
struct SystemInfo
{
    QString version;
    QString node;
    QString startedAt;
    qint64 uptimeSeconds = 0;
    QString databaseMode;
    QStringList services;
    QList<PluginInfo> plugins;
    QJsonObject raw;

    static SystemInfo fromJson(const QJsonObject &json);
};

/// GET /readyz: 200 and 503 are both answers.
struct Readiness
{
    bool ready = false;
    QStringList reasons;
    QJsonObject checks;
    QJsonObject raw;
};

/// A cursor-paged list ("items", "nextCursor").
struct Page
{
    QList<QJsonObject> items;
    QString nextCursor; ///< empty at the end

    static Page fromJson(const QJsonObject &json);
};

/// GET /v1/search/status.
struct SearchIndexStatus
{
    QString consumer;
    qint64 lastId = 0; ///< the index consumer's offset
    qint64 lag = 0;
    qint64 dead = 0;
    qint64 documents = 0; ///< all kinds together
    QJsonObject raw;

    static SearchIndexStatus fromJson(const QJsonObject &json);
};

class CommunityApi
{
public:
    explicit CommunityApi(BlockingClient &client) : m_client(client) {}

    ApiResult<QJsonObject> health();
    ApiResult<Readiness> readiness();
    ApiResult<SystemInfo> systemInfo();
    ApiResult<QList<PluginInfo>> plugins();
    ApiResult<QJsonObject> migrations();
    ApiResult<QJsonObject> migrate(bool dryRun);

    ApiResult<Page> users(const Endpoints::UserQuery &query);
    ApiResult<QJsonObject> user(const QString &username); ///< the "user" object
    ApiResult<QJsonArray> apiKeys();

    ApiResult<QJsonArray> events(qint64 after = -1, int limit = 0);
    ApiResult<QJsonArray> eventConsumers();

    ApiResult<QJsonObject> searchStats(int days = 0, int limit = 0);
    ApiResult<SearchIndexStatus> searchStatus();
    /// Starts a rebuild; the event id the index has to reach.
    ApiResult<qint64> searchReindex();

    /// Any route that answers with a JSON object.
    ApiResult<QJsonObject> object(const ApiRequest &request);

private:
    ApiResult<QJsonArray> array(const ApiRequest &request, const QString &member);

    BlockingClient &m_client;
};

} // namespace Community::Client
