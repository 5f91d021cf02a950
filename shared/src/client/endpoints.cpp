// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/endpoints.h"

#include "community/client/apiclient.h"

#include <QJsonArray>

namespace Community::Client::Endpoints {

namespace {

const QString kUsers = QStringLiteral("/v1/admin/users");
const QString kKeys = QStringLiteral("/v1/admin/api-keys");
const QString kConsumers = QStringLiteral("/v1/system/events/consumers");
const QString kMigrations = QStringLiteral("/v1/system/migrations");
const QString kRules = QStringLiteral("/v1/admin/rules");
const QString kSettings = QStringLiteral("/v1/admin/settings");

ApiRequest get(const QString &path, const QUrlQuery &query = {})
{
    ApiRequest request;
    request.path = path;
    request.query = query;
    return request;
}

ApiRequest post(const QString &path, const QJsonObject &body = {})
{
    return ApiRequest::withJson(QByteArrayLiteral("POST"), path, body);
}

QString userPath(const QString &username, const QString &action = {})
{
    QString path = kUsers + QLatin1Char('/') + ApiClient::pathSegment(username);
    if (!action.isEmpty())
        path += QLatin1Char('/') + action;
    return path;
}

QString consumerPath(const QString &consumer, const QString &action)
{
    return kConsumers + QLatin1Char('/') + ApiClient::pathSegment(consumer) + QLatin1Char('/')
        + action;
}

/// Adds @p name=@p value when @p value > @p floor.
void addNumber(QUrlQuery &query, const QString &name, qint64 value, qint64 floor = 0)
{
    if (value > floor)
        query.addQueryItem(name, QString::number(value));
}

} // namespace

ApiRequest health() { return get(QStringLiteral("/healthz")); }
ApiRequest ready() { return get(QStringLiteral("/readyz")); }
ApiRequest systemInfo() { return get(QStringLiteral("/v1/system/info")); }
ApiRequest migrations() { return get(kMigrations); }

ApiRequest migrate(bool dryRun)
{
    return post(kMigrations, QJsonObject{{QStringLiteral("dryRun"), dryRun}});
}

ApiRequest adminUsers(const UserQuery &query)
{
    QUrlQuery q;
    if (!query.query.isEmpty())
        q.addQueryItem(QStringLiteral("query"), query.query);
    addNumber(q, QStringLiteral("limit"), query.limit);
    if (!query.cursor.isEmpty())
        q.addQueryItem(QStringLiteral("cursor"), query.cursor);
    return get(kUsers, q);
}

ApiRequest adminUser(const QString &username) { return get(userPath(username)); }

ApiRequest createUser(const QString &username, const QString &email,
                      const std::optional<QString> &password, const QString &role)
{
    QJsonObject body{{QStringLiteral("username"), username}, {QStringLiteral("email"), email}};
    if (password)
        body.insert(QStringLiteral("password"), *password);
    if (!role.isEmpty())
        body.insert(QStringLiteral("role"), role);
    return post(kUsers, body);
}

ApiRequest setUserRole(const QString &username, const QString &role)
{
    return ApiRequest::withJson(QByteArrayLiteral("PUT"), userPath(username, QStringLiteral("role")),
                                QJsonObject{{QStringLiteral("role"), role}});
}

ApiRequest suspendUser(const QString &username, const QString &reason)
{
    QJsonObject body;
    if (!reason.isEmpty())
        body.insert(QStringLiteral("reason"), reason);
    return post(userPath(username, QStringLiteral("suspend")), body);
}

ApiRequest unsuspendUser(const QString &username)
{
    return post(userPath(username, QStringLiteral("unsuspend")));
}

ApiRequest resetUserPassword(const QString &username)
{
    return post(userPath(username, QStringLiteral("reset-password")));
}

ApiRequest disableUserTwoFactor(const QString &username)
{
    return post(userPath(username, QStringLiteral("disable-2fa")));
}

ApiRequest apiKeys() { return get(kKeys); }

ApiRequest createApiKey(const QString &name, const QStringList &scopes)
{
    return post(kKeys, QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}});
}

ApiRequest revokeApiKey(const QString &id)
{
    ApiRequest request = get(kKeys + QLatin1Char('/') + ApiClient::pathSegment(id));
    request.method = QByteArrayLiteral("DELETE");
    return request;
}

ApiRequest authOutbox(qint64 after, int limit)
{
    QUrlQuery q;
    addNumber(q, QStringLiteral("after"), after);
    addNumber(q, QStringLiteral("limit"), limit);
    return get(QStringLiteral("/v1/admin/auth/outbox"), q);
}

ApiRequest events(qint64 after, int limit)
{
    QUrlQuery q;
    addNumber(q, QStringLiteral("after"), after, -1);
    addNumber(q, QStringLiteral("limit"), limit);
    return get(QStringLiteral("/v1/system/events"), q);
}

ApiRequest eventConsumers() { return get(kConsumers); }

ApiRequest replayConsumer(const QString &consumer, qint64 fromId)
{
    return post(consumerPath(consumer, QStringLiteral("replay")),
                QJsonObject{{QStringLiteral("fromId"), double(fromId)}});
}

ApiRequest retryDeadLetters(const QString &consumer)
{
    return post(consumerPath(consumer, QStringLiteral("retry-dead")));
}

ApiRequest searchStats(int days, int limit)
{
    QUrlQuery q;
    addNumber(q, QStringLiteral("days"), days);
    addNumber(q, QStringLiteral("limit"), limit);
    return get(QStringLiteral("/v1/search/stats"), q);
}

ApiRequest searchStatus() { return get(QStringLiteral("/v1/search/status")); }
ApiRequest searchReindex() { return post(QStringLiteral("/v1/search/reindex")); }

ApiRequest analyticsReport(const QString &name, const AnalyticsRange &range, bool csv)
{
    QUrlQuery q;
    for (const auto &[key, value] : {std::pair{QStringLiteral("from"), range.from}, std::pair{QStringLiteral("to"), range.to},
                                     std::pair{QStringLiteral("tz"), range.tz}}) {
        if (!value.isEmpty())
            q.addQueryItem(key, value);
    }
    addNumber(q, QStringLiteral("limit"), range.limit);
    if (csv)
        q.addQueryItem(QStringLiteral("format"), QStringLiteral("csv"));
    return get(QStringLiteral("/v1/analytics/reports/") + ApiClient::pathSegment(name), q);
}

ApiRequest analyticsLive() { return get(QStringLiteral("/v1/analytics/live")); }
ApiRequest analyticsRebuild() { return post(QStringLiteral("/v1/analytics/rebuild")); }
ApiRequest analyticsMaintenance() { return post(QStringLiteral("/v1/analytics/maintenance")); }

namespace {

const QString kQueue = QStringLiteral("/v1/admin/queue");

void addText(QUrlQuery &query, const QString &name, const QString &value)
{
    if (!value.isEmpty())
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
}

} // namespace

ApiRequest auditLog(const AuditQuery &a)
{
    QUrlQuery q;
    addText(q, QStringLiteral("actor"), a.actor);
    addText(q, QStringLiteral("action"), a.action);
    addText(q, QStringLiteral("targetType"), a.targetType);
    addText(q, QStringLiteral("targetId"), a.targetId);
    addText(q, QStringLiteral("since"), a.since);
    addText(q, QStringLiteral("until"), a.until);
    addNumber(q, QStringLiteral("limit"), a.limit);
    addText(q, QStringLiteral("cursor"), a.cursor);
    return get(QStringLiteral("/v1/admin/audit"), q);
}

ApiRequest auditVerify() { return get(QStringLiteral("/v1/admin/audit/verify")); }

ApiRequest queueItems(const QueueQuery &query)
{
    QUrlQuery q;
    addText(q, QStringLiteral("status"), query.status);
    addText(q, QStringLiteral("targetType"), query.targetType);
    addText(q, QStringLiteral("reason"), query.reason);
    addNumber(q, QStringLiteral("limit"), query.limit);
    addText(q, QStringLiteral("cursor"), query.cursor);
    return get(kQueue, q);
}

ApiRequest queueItem(const QString &id) { return get(kQueue + QLatin1Char('/') + ApiClient::pathSegment(id)); }

ApiRequest claimQueueItem(const QString &id, bool takeover)
{
    return post(kQueue + QLatin1Char('/') + ApiClient::pathSegment(id) + QStringLiteral("/claim"),
                QJsonObject{{QStringLiteral("takeover"), takeover}});
}

ApiRequest decideQueueItem(const QString &id, const QJsonArray &actions, const QString &reason)
{
    return post(kQueue + QLatin1Char('/') + ApiClient::pathSegment(id) + QStringLiteral("/decision"),
                QJsonObject{{QStringLiteral("actions"), actions}, {QStringLiteral("reason"), reason}});
}

ApiRequest decideQueueItems(const QStringList &ids, const QJsonArray &actions, const QString &reason, bool dryRun)
{
    return post(kQueue + QStringLiteral("/decisions"),
                QJsonObject{{QStringLiteral("items"), QJsonArray::fromStringList(ids)}, {QStringLiteral("actions"), actions},
                            {QStringLiteral("reason"), reason}, {QStringLiteral("dryRun"), dryRun}});
}

ApiRequest undoDecision(const QString &decisionId, const QString &reason, bool dryRun)
{
    return post(QStringLiteral("/v1/admin/decisions/") + ApiClient::pathSegment(decisionId) + QStringLiteral("/undo"),
                QJsonObject{{QStringLiteral("reason"), reason}, {QStringLiteral("dryRun"), dryRun}});
}

ApiRequest penalties(const QString &userId)
{
    return get(QStringLiteral("/v1/admin/penalties/") + ApiClient::pathSegment(userId));
}

ApiRequest watchRules() { return get(kRules); }

ApiRequest addWatchRule(const QString &kind, const QString &pattern, const QString &action)
{
    return post(kRules, QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("pattern"), pattern},
                                    {QStringLiteral("action"), action}});
}

ApiRequest removeWatchRule(const QString &id)
{
    ApiRequest request = get(kRules + QLatin1Char('/') + ApiClient::pathSegment(id));
    request.method = QByteArrayLiteral("DELETE");
    return request;
}

ApiRequest testWatchRules(const QString &text)
{
    return post(kRules + QStringLiteral("/test"), QJsonObject{{QStringLiteral("text"), text}});
}

ApiRequest settings(const QString &prefix)
{
    QUrlQuery query;
    if (!prefix.isEmpty())
        query.addQueryItem(QStringLiteral("prefix"), prefix);
    return get(kSettings, query);
}

ApiRequest setting(const QString &key)
{
    return get(kSettings + QLatin1Char('/') + ApiClient::pathSegment(key));
}

ApiRequest setSetting(const QString &key, const QJsonValue &value, const QString &reason, bool dryRun)
{
    QJsonObject body{{QStringLiteral("value"), value}};
    if (!reason.isEmpty())
        body.insert(QStringLiteral("reason"), reason);
    if (dryRun)
        body.insert(QStringLiteral("dryRun"), true);
    return ApiRequest::withJson(QByteArrayLiteral("PUT"), kSettings + QLatin1Char('/') + ApiClient::pathSegment(key), body);
}

ApiRequest resetSetting(const QString &key)
{
    ApiRequest request = setting(key);
    request.method = QByteArrayLiteral("DELETE");
    return request;
}

ApiRequest settingsDiff() { return get(kSettings + QStringLiteral("/diff")); }
ApiRequest exportSettings() { return get(kSettings + QStringLiteral("/export")); }

ApiRequest importSettings(const QJsonObject &settings, const QString &reason, bool dryRun)
{
    QJsonObject body{{QStringLiteral("settings"), settings}};
    if (!reason.isEmpty())
        body.insert(QStringLiteral("reason"), reason);
    if (dryRun)
        body.insert(QStringLiteral("dryRun"), true);
    return post(kSettings + QStringLiteral("/import"), body);
}

ApiRequest notificationDeliveries(const DeliveryQuery &query)
{
    QUrlQuery q;
    addText(q, QStringLiteral("status"), query.status);
    addText(q, QStringLiteral("channel"), query.channel);
    addText(q, QStringLiteral("user"), query.user);
    addNumber(q, QStringLiteral("limit"), query.limit);
    addText(q, QStringLiteral("cursor"), query.cursor);
    return get(QStringLiteral("/v1/admin/notifications/deliveries"), q);
}

ApiRequest retryNotificationDelivery(const QString &id)
{
    return post(QStringLiteral("/v1/admin/notifications/deliveries/%1/retry").arg(ApiClient::pathSegment(id)));
}

ApiRequest sendTestNotification(const QString &user, const QString &channel)
{
    return post(QStringLiteral("/v1/admin/notifications/test-send"),
                QJsonObject{{QStringLiteral("user"), user}, {QStringLiteral("channel"), channel}});
}

ApiRequest publishAnnouncement(const QString &title, const QString &body, const QString &url)
{
    QJsonObject o{{QStringLiteral("title"), title}, {QStringLiteral("body"), body}};
    if (!url.isEmpty())
        o.insert(QStringLiteral("url"), url);
    return post(QStringLiteral("/v1/admin/notifications/announcements"), o);
}

ApiRequest announcements(int limit)
{
    QUrlQuery q;
    addNumber(q, QStringLiteral("limit"), limit);
    return get(QStringLiteral("/v1/admin/notifications/announcements"), q);
}

} // namespace Community::Client::Endpoints
