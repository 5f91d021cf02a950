// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usersroutes.h"

#include "cursor.h"
#include "usersservice.h"
#include "validation.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QDebug>
#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Users {

namespace {

using Json::iso;
using Json::orNull;

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

/// limit and cursor of a list request.
Result<std::pair<int, std::optional<KeysetCursor>>> pageParams(const HttpRequest &req, const UsersConfig &cfg)
{
    auto limit = queryLimit(req, cfg.defaultPageSize, cfg.maxPageSize);
    if (!limit)
        return tl::unexpected(limit.error());
    std::optional<KeysetCursor> after;
    const QString cursor = queryValue(req, QStringLiteral("cursor"));
    if (!cursor.isEmpty()) {
        after = decodeKeysetCursor(cursor);
        if (!after)
            return tl::unexpected(invalidField(QStringLiteral("cursor"), QStringLiteral("is not a cursor from this list"),
                                               QStringLiteral("invalid_cursor")));
    }
    return std::pair{*limit, after};
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

/// The viewer for a public read: 0 for anonymous callers and for API keys without users:read
/// (the viewer's own settings and relationships are users:read data).
qint64 viewerOf(const Principal &p)
{
    return p.isAnonymous() || !p.hasScope(QStringLiteral("users:read")) ? 0 : p.userId;
}

} // namespace

QList<Route> UsersRoutes::routes()
{
    RouteOptions pub;
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("users:read"));
    // Relation writes carry no body.
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("users:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(1024);
    const RouteOptions patch = RouteOptions(write).withBodyLimit(kPatchBodyLimit);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    auto page = [this](Relation relation, bool own) -> Handler {
        return [this, relation, own](HttpRequest &req, const Responder &res) { relationPage(req, res, relation, own); };
    };
    auto action = [this](Action a) -> Handler {
        return [this, a](HttpRequest &req, const Responder &res) { act(req, res, a); };
    };
    return {
        {"GET", QStringLiteral("/v1/users/search"), pub, handler(&UsersRoutes::search)},
        {"GET", QStringLiteral("/v1/users/me"), read, handler(&UsersRoutes::me)},
        {"PATCH", QStringLiteral("/v1/users/me"), patch, handler(&UsersRoutes::updateMe)},
        {"GET", QStringLiteral("/v1/users/me/blocks"), read, page(Relation::Blocks, true)},
        {"GET", QStringLiteral("/v1/users/me/mutes"), read, page(Relation::Mutes, true)},
        {"GET", QStringLiteral("/v1/users/{username}"), pub, handler(&UsersRoutes::profile)},
        {"GET", QStringLiteral("/v1/users/{username}/followers"), pub, page(Relation::Followers, false)},
        {"GET", QStringLiteral("/v1/users/{username}/following"), pub, page(Relation::Following, false)},
        {"PUT", QStringLiteral("/v1/users/{username}/follow"), write, action(Action::Follow)},
        {"DELETE", QStringLiteral("/v1/users/{username}/follow"), write, action(Action::Unfollow)},
        {"PUT", QStringLiteral("/v1/users/{username}/block"), write, action(Action::Block)},
        {"DELETE", QStringLiteral("/v1/users/{username}/block"), write, action(Action::Unblock)},
        {"PUT", QStringLiteral("/v1/users/{username}/mute"), write, action(Action::Mute)},
        {"DELETE", QStringLiteral("/v1/users/{username}/mute"), write, action(Action::Unmute)},
    };
}

void UsersRoutes::search(HttpRequest &req, const Responder &res)
{
    const UsersConfig &cfg = m_service.config();
    auto q = normalizeSearchQuery(queryValue(req, QStringLiteral("q")));
    if (!q)
        return sendError(req, res, q.error());
    auto limit = queryLimit(req, cfg.defaultPageSize, cfg.maxPageSize);
    if (!limit)
        return sendError(req, res, limit.error());
    int offset = 0;
    if (const QString cursor = queryValue(req, QStringLiteral("cursor")); !cursor.isEmpty()) {
        auto o = decodeOffsetCursor(cursor, cfg.maxSearchOffset);
        if (!o)
            return sendError(req, res, invalidField(QStringLiteral("cursor"), QStringLiteral("is not a cursor from this search"),
                                                    QStringLiteral("invalid_cursor")));
        offset = *o;
    }
    m_db.respondWith(req, res, [svc = &m_service, q = *q, offset, limit = *limit]() -> Result<HttpResponse> {
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
}

void UsersRoutes::me(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, id = req.principal.userId]() -> Result<HttpResponse> {
        auto v = svc->profileOf(id);
        if (!v)
            return tl::unexpected(v.error());
        return HttpResponse::json(200, profileJson(*v));
    });
}

void UsersRoutes::updateMe(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    auto p = validateProfilePatch(*body);
    if (!p)
        return sendError(req, res, p.error());
    m_db.respondWith(req, res, [svc = &m_service, id = req.principal.userId, patch = *p]() -> Result<HttpResponse> {
        auto v = svc->updateProfile(id, patch);
        if (!v)
            return tl::unexpected(v.error());
        return HttpResponse::json(200, profileJson(*v));
    });
}

void UsersRoutes::profile(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, name = req.pathParams.value(QStringLiteral("username")),
                                viewer = viewerOf(req.principal)]() -> Result<HttpResponse> {
        auto v = svc->profileByUsername(name, viewer);
        if (!v)
            return tl::unexpected(v.error());
        return HttpResponse::json(200, profileJson(*v));
    });
}

void UsersRoutes::relationPage(HttpRequest &req, const Responder &res, Relation relation, bool own)
{
    auto params = pageParams(req, m_service.config());
    if (!params)
        return sendError(req, res, params.error());
    m_db.respondWith(req, res, [svc = &m_service, relation, own, viewer = req.principal, id = req.principal.userId,
                                name = req.pathParams.value(QStringLiteral("username")),
                                limit = params->first, after = params->second]() -> Result<HttpResponse> {
        auto page = own ? svc->ownList(relation, id, after, limit) : svc->relationList(relation, name, viewer, after, limit);
        if (!page)
            return tl::unexpected(page.error());
        return pageJson(*page);
    });
}

void UsersRoutes::act(HttpRequest &req, const Responder &res, Action action)
{
    m_db.respondWith(req, res, [svc = &m_service, action, actor = req.principal.userId,
                                name = req.pathParams.value(QStringLiteral("username")),
                                rid = req.requestId]() -> Result<HttpResponse> {
        return outcomeResponse(svc->act(actor, name, action), rid);
    });
}

} // namespace Users
