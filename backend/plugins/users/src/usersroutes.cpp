// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usersroutes.h"

#include "cursor.h"
#include "usersservice.h"
#include "validation.h"

#include "community/database.h"
#include "community/pipeline.h"
#include "community/problem.h"
#include "community/router.h"

#include <QDebug>
#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Users {

namespace {

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject profileJson(const ProfileView &v)
{
    const Profile &p = v.profile;
    QJsonObject o{
        {QStringLiteral("id"), QString::number(p.userId)},
        {QStringLiteral("username"), p.username},
        {QStringLiteral("displayName"), p.displayName},
        {QStringLiteral("bio"), p.bio},
        {QStringLiteral("avatarUrl"), orNull(p.avatarUrl)},
        {QStringLiteral("locale"), orNull(p.locale)},
        {QStringLiteral("timeZone"), orNull(p.timeZone)},
        {QStringLiteral("role"), roleName(v.role)},
        {QStringLiteral("state"), p.state},
        {QStringLiteral("followersCount"), p.followersCount},
        {QStringLiteral("followingCount"), p.followingCount},
        {QStringLiteral("createdAt"), iso(p.createdAt)},
    };
    if (v.self)
        o.insert(QStringLiteral("settings"), p.settings);
    if (v.relationship) {
        const Relationship &r = *v.relationship;
        o.insert(QStringLiteral("relationship"), QJsonObject{
            {QStringLiteral("following"), r.following},
            {QStringLiteral("followedBy"), r.followedBy},
            {QStringLiteral("blocking"), r.blocking},
            {QStringLiteral("blockedBy"), r.blockedBy},
            {QStringLiteral("muting"), r.muting},
        });
    }
    return o;
}

QJsonObject listedJson(const ListedUser &u, bool withSince)
{
    QJsonObject o{
        {QStringLiteral("id"), QString::number(u.userId)},
        {QStringLiteral("username"), u.username},
        {QStringLiteral("displayName"), u.displayName},
        {QStringLiteral("avatarUrl"), orNull(u.avatarUrl)},
        {QStringLiteral("state"), u.state},
        {QStringLiteral("followersCount"), u.followersCount},
    };
    if (withSince)
        o.insert(QStringLiteral("since"), iso(u.since));
    return o;
}

HttpResponse pageJson(const Page &page)
{
    QJsonArray items;
    for (const ListedUser &u : page.items)
        items.append(listedJson(u, true));
    return HttpResponse::json(200, QJsonObject{
        {QStringLiteral("items"), items},
        {QStringLiteral("nextCursor"), page.next ? QJsonValue(encodeKeysetCursor(*page.next)) : QJsonValue()},
    });
}

HttpResponse validationProblem(const Error &e, const QString &requestId)
{
    return problemFromError(e, requestId);
}

HttpResponse fieldProblem(const QString &field, const QString &message, const QString &code, const QString &requestId)
{
    Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("The request has invalid fields."));
    e.fields.append({field, message, code});
    return problemFromError(e, requestId);
}

/// Runs `job` on a database worker and answers with its response or problem.
void runJob(Db::Database &db, const HttpRequest &req, const Responder &res,
            std::function<Result<HttpResponse>()> job)
{
    const QString requestId = req.requestId;
    const QString route = req.route;
    const bool queued = db.trySubmit([requestId, route, res, job = std::move(job)] {
        Result<HttpResponse> r = tl::unexpected(Error::make(ErrorCode::Internal, QString()));
        try {
            r = job();
        } catch (const std::exception &e) {
            r = tl::unexpected(Db::mapException(e));
        }
        if (r) {
            res.send(std::move(*r));
            return;
        }
        if (r.error().code == ErrorCode::Internal)
            qWarning().noquote() << "request" << requestId << route << "users error:" << r.error().message
                                 << r.error().logDetail;
        res.send(problemFromError(r.error(), requestId));
    });
    if (!queued) {
        HttpResponse resp = problem(503, QStringLiteral("overloaded"), QStringLiteral("Service overloaded"),
                                    QStringLiteral("The server is busy; please retry shortly."), {}, requestId);
        resp.setHeader("Retry-After", "1");
        res.send(std::move(resp));
    }
}

/// limit and cursor of a list request; sends a 400 and returns false when bad.
bool pageParams(const HttpRequest &req, const Responder &res, const UsersConfig &cfg, int *limit,
                std::optional<KeysetCursor> *after)
{
    auto l = parseLimit(req.query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded), cfg.defaultPageSize,
                        cfg.maxPageSize);
    if (!l) {
        res.send(validationProblem(l.error(), req.requestId));
        return false;
    }
    *limit = *l;
    const QString cursor = req.query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
    if (!cursor.isEmpty()) {
        *after = decodeKeysetCursor(cursor);
        if (!*after) {
            res.send(fieldProblem(QStringLiteral("cursor"), QStringLiteral("is not a cursor from this list"),
                                  QStringLiteral("invalid_cursor"), req.requestId));
            return false;
        }
    }
    return true;
}

Result<HttpResponse> outcomeResponse(Result<Outcome> r, const QString &requestId)
{
    if (!r)
        return tl::unexpected(r.error());
    switch (*r) {
    case Outcome::Changed:
    case Outcome::Unchanged:
        return HttpResponse::empty(204);
    case Outcome::Blocked:
        return problem(403, QStringLiteral("blocked"), QStringLiteral("Forbidden"),
                       QStringLiteral("One of you has blocked the other."), {}, requestId);
    case Outcome::Self:
        return problem(400, QStringLiteral("cannot-target-self"), QStringLiteral("Bad Request"),
                       QStringLiteral("You cannot do this to your own account."), {}, requestId);
    }
    return HttpResponse::empty(204);
}

} // namespace

Result<void> registerRoutes(Router &router, Db::Database &db, UsersService &service)
{
    const QString owner = QStringLiteral("users");
    RouteOptions pub;
    pub.owner = owner;
    RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("users:read"));
    read.owner = owner;
    RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("users:write"));
    write.owner = owner;
    write.rateClass = QStringLiteral("write");
    write.maxBodyBytes = 1024;   // relation writes carry no body
    RouteOptions patch = write;
    patch.maxBodyBytes = kPatchBodyLimit;

    Db::Database *dbp = &db;
    UsersService *svc = &service;
    QList<Result<void>> results;

    results << router.add("GET", QStringLiteral("/v1/users/search"), [dbp, svc](HttpRequest &req, const Responder &res) {
        auto q = normalizeSearchQuery(req.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded));
        if (!q)
            return void(res.send(validationProblem(q.error(), req.requestId)));
        auto limit = parseLimit(req.query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded),
                                svc->config().defaultPageSize, svc->config().maxPageSize);
        if (!limit)
            return void(res.send(validationProblem(limit.error(), req.requestId)));
        int offset = 0;
        const QString cursor = req.query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
        if (!cursor.isEmpty()) {
            auto o = decodeOffsetCursor(cursor, svc->config().maxSearchOffset);
            if (!o)
                return void(res.send(fieldProblem(QStringLiteral("cursor"), QStringLiteral("is not a cursor from this search"),
                                                  QStringLiteral("invalid_cursor"), req.requestId)));
            offset = *o;
        }
        runJob(*dbp, req, res, [svc, q = *q, offset, limit = *limit]() -> Result<HttpResponse> {
            auto page = svc->search(q, offset, limit);
            if (!page)
                return tl::unexpected(page.error());
            QJsonArray items;
            for (const ListedUser &u : page->items)
                items.append(listedJson(u, false));
            return HttpResponse::json(200, QJsonObject{
                {QStringLiteral("items"), items},
                {QStringLiteral("nextCursor"), page->nextOffset ? QJsonValue(encodeOffsetCursor(*page->nextOffset)) : QJsonValue()},
            });
        });
    }, pub);

    results << router.add("GET", QStringLiteral("/v1/users/me"), [dbp, svc](HttpRequest &req, const Responder &res) {
        runJob(*dbp, req, res, [svc, id = req.principal.userId]() -> Result<HttpResponse> {
            auto v = svc->profileOf(id);
            if (!v)
                return tl::unexpected(v.error());
            return HttpResponse::json(200, profileJson(*v));
        });
    }, read);

    results << router.add("PATCH", QStringLiteral("/v1/users/me"), [dbp, svc](HttpRequest &req, const Responder &res) {
        if (!isValidUtf8(req.body))
            return void(res.send(fieldProblem(QStringLiteral("body"), QStringLiteral("is not valid UTF-8"),
                                              QStringLiteral("invalid_utf8"), req.requestId)));
        auto body = parseJsonObject(req, res);
        if (!body)
            return;
        auto p = validateProfilePatch(*body);
        if (!p)
            return void(res.send(validationProblem(p.error(), req.requestId)));
        runJob(*dbp, req, res, [svc, id = req.principal.userId, patch = *p]() -> Result<HttpResponse> {
            auto v = svc->updateProfile(id, patch);
            if (!v)
                return tl::unexpected(v.error());
            return HttpResponse::json(200, profileJson(*v));
        });
    }, patch);

    for (const auto &[path, relation] : {std::pair{QStringLiteral("/v1/users/me/blocks"), Relation::Blocks},
                                         std::pair{QStringLiteral("/v1/users/me/mutes"), Relation::Mutes}}) {
        results << router.add("GET", path, [dbp, svc, relation](HttpRequest &req, const Responder &res) {
            int limit = 0;
            std::optional<KeysetCursor> after;
            if (!pageParams(req, res, svc->config(), &limit, &after))
                return;
            runJob(*dbp, req, res, [svc, relation, id = req.principal.userId, after, limit]() -> Result<HttpResponse> {
                auto page = svc->ownList(relation, id, after, limit);
                if (!page)
                    return tl::unexpected(page.error());
                return pageJson(*page);
            });
        }, read);
    }

    results << router.add("GET", QStringLiteral("/v1/users/{username}"), [dbp, svc](HttpRequest &req, const Responder &res) {
        // The viewer's own settings and relationships are users:read data: an API key without
        // that scope sees this public route as an anonymous caller would.
        const qint64 viewer = req.principal.isAnonymous() || !req.principal.hasScope(QStringLiteral("users:read"))
                                  ? 0 : req.principal.userId;
        runJob(*dbp, req, res, [svc, name = req.pathParams.value(QStringLiteral("username")), viewer]() -> Result<HttpResponse> {
            auto v = svc->profileByUsername(name, viewer);
            if (!v)
                return tl::unexpected(v.error());
            return HttpResponse::json(200, profileJson(*v));
        });
    }, pub);

    for (const auto &[path, relation] : {std::pair{QStringLiteral("/v1/users/{username}/followers"), Relation::Followers},
                                         std::pair{QStringLiteral("/v1/users/{username}/following"), Relation::Following}}) {
        results << router.add("GET", path, [dbp, svc, relation](HttpRequest &req, const Responder &res) {
            int limit = 0;
            std::optional<KeysetCursor> after;
            if (!pageParams(req, res, svc->config(), &limit, &after))
                return;
            runJob(*dbp, req, res, [svc, relation, name = req.pathParams.value(QStringLiteral("username")), after,
                                    limit]() -> Result<HttpResponse> {
                auto page = svc->relationList(relation, name, after, limit);
                if (!page)
                    return tl::unexpected(page.error());
                return pageJson(*page);
            });
        }, pub);
    }

    struct RelationRoute { const char *suffix; Action put; Action del; };
    for (const RelationRoute &rr : {RelationRoute{"follow", Action::Follow, Action::Unfollow},
                                    RelationRoute{"block", Action::Block, Action::Unblock},
                                    RelationRoute{"mute", Action::Mute, Action::Unmute}}) {
        const QString path = QStringLiteral("/v1/users/{username}/") + QLatin1String(rr.suffix);
        for (const auto &[method, action] : {std::pair{QByteArray("PUT"), rr.put}, std::pair{QByteArray("DELETE"), rr.del}}) {
            results << router.add(method, path, [dbp, svc, action](HttpRequest &req, const Responder &res) {
                runJob(*dbp, req, res, [svc, action, actor = req.principal.userId,
                                        name = req.pathParams.value(QStringLiteral("username")),
                                        rid = req.requestId]() -> Result<HttpResponse> {
                    return outcomeResponse(svc->act(actor, name, action), rid);
                });
            }, write);
        }
    }

    for (const auto &r : results) {
        if (!r)
            return r;
    }
    return {};
}

} // namespace Users
