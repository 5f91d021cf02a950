// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/communityapi.h"

namespace Community::Client {

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

qint64 num(const QJsonObject &o, const char *key)
{
    return qint64(o.value(QLatin1String(key)).toDouble());
}

QStringList strings(const QJsonArray &array)
{
    QStringList out;
    for (const QJsonValue &v : array)
        out << v.toString();
    return out;
}

} // namespace

ApiResult<QJsonObject> objectOf(const ApiReply &reply)
{
    if (!reply.ok())
        return tl::unexpected(reply.error());
    if (auto json = reply.jsonObject())
        return *json;
    ApiError e;
    e.code = ErrorCode::Internal;
    e.status = reply.status;
    e.message = QStringLiteral("the response is not a JSON object");
    e.logDetail = QStringLiteral("HTTP %1 from %2: not a JSON object")
                      .arg(reply.status)
                      .arg(reply.url.toDisplayString(QUrl::RemoveQuery));
    return tl::unexpected(e);
}

PluginInfo PluginInfo::fromJson(const QJsonObject &json)
{
    PluginInfo p{str(json, "id"), str(json, "version"), str(json, "state"), {}};
    for (const QJsonValue &v : json.value(QLatin1String("dependencies")).toArray()) {
        const QJsonObject d = v.toObject();
        p.dependencies.append({str(d, "id"), str(d, "minVersion"),
                               d.value(QLatin1String("optional")).toBool()});
    }
    return p;
}

SystemInfo SystemInfo::fromJson(const QJsonObject &json)
{
    SystemInfo info;
    info.version = str(json, "version");
    info.node = str(json, "node");
    info.startedAt = str(json, "startedAt");
    info.uptimeSeconds = num(json, "uptimeSeconds");
    info.databaseMode = str(json.value(QLatin1String("database")).toObject(), "mode");
    info.services = strings(json.value(QLatin1String("services")).toArray());
    for (const QJsonValue &v : json.value(QLatin1String("plugins")).toArray())
        info.plugins.append(PluginInfo::fromJson(v.toObject()));
    info.raw = json;
    return info;
}

Page Page::fromJson(const QJsonObject &json)
{
    Page page;
    for (const QJsonValue &v : json.value(QLatin1String("items")).toArray())
        page.items.append(v.toObject());
    page.nextCursor = str(json, "nextCursor");
    return page;
}

SearchIndexStatus SearchIndexStatus::fromJson(const QJsonObject &json)
{
    SearchIndexStatus s{str(json, "consumer"), num(json, "lastId"), num(json, "lag"),
                        num(json, "dead"), 0, json};
    const QJsonObject docs = json.value(QLatin1String("documents")).toObject();
    for (auto it = docs.begin(); it != docs.end(); ++it)
        s.documents += num(it.value().toObject(), "total");
    return s;
}

ApiResult<QJsonObject> CommunityApi::object(const ApiRequest &request)
{
    return objectOf(m_client.send(request));
}

ApiResult<QJsonArray> CommunityApi::array(const ApiRequest &request, const QString &member)
{
    return object(request).map(
        [&](const QJsonObject &json) { return json.value(member).toArray(); });
}

ApiResult<QJsonObject> CommunityApi::health()
{
    return object(Endpoints::health());
}

ApiResult<Readiness> CommunityApi::readiness()
{
    const ApiReply reply = m_client.send(Endpoints::ready());
    // 503 is the answer "not ready, because ..."; anything else that fails is an error.
    if (!reply.ok() && !(reply.outcome == ApiReply::Outcome::HttpError && reply.status == 503))
        return tl::unexpected(reply.error());
    Readiness r;
    r.ready = reply.ok();
    r.raw = reply.jsonObject().value_or(QJsonObject{});
    r.checks = r.raw.value(QLatin1String("checks")).toObject();
    r.reasons = strings(r.raw.value(QLatin1String("reasons")).toArray());
    return r;
}

ApiResult<SystemInfo> CommunityApi::systemInfo()
{
    return object(Endpoints::systemInfo()).map(SystemInfo::fromJson);
}

ApiResult<QList<PluginInfo>> CommunityApi::plugins()
{
    return systemInfo().map([](const SystemInfo &info) { return info.plugins; });
}

ApiResult<QJsonObject> CommunityApi::migrations()
{
    return object(Endpoints::migrations());
}

ApiResult<QJsonObject> CommunityApi::migrate(bool dryRun)
{
    return object(Endpoints::migrate(dryRun));
}

ApiResult<Page> CommunityApi::users(const Endpoints::UserQuery &query)
{
    return object(Endpoints::adminUsers(query)).map(Page::fromJson);
}

ApiResult<QJsonObject> CommunityApi::user(const QString &username)
{
    return object(Endpoints::adminUser(username)).map([](const QJsonObject &json) {
        return json.value(QLatin1String("user")).toObject();
    });
}

ApiResult<QJsonArray> CommunityApi::apiKeys()
{
    return array(Endpoints::apiKeys(), QStringLiteral("items"));
}

ApiResult<QJsonArray> CommunityApi::events(qint64 after, int limit)
{
    return array(Endpoints::events(after, limit), QStringLiteral("events"));
}

ApiResult<QJsonArray> CommunityApi::eventConsumers()
{
    return array(Endpoints::eventConsumers(), QStringLiteral("consumers"));
}

ApiResult<QJsonObject> CommunityApi::searchStats(int days, int limit)
{
    return object(Endpoints::searchStats(days, limit));
}

ApiResult<SearchIndexStatus> CommunityApi::searchStatus()
{
    return object(Endpoints::searchStatus()).map(SearchIndexStatus::fromJson);
}

ApiResult<qint64> CommunityApi::searchReindex()
{
    return object(Endpoints::searchReindex()).map([](const QJsonObject &json) {
        return num(json, "targetEventId");
    });
}

} // namespace Community::Client
