// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "communityroutes.h"

#include "communityservice.h"
#include "routesupport.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonObject>

#include <limits>

using namespace Community;
using namespace Community::Http;
using Community::Json::idString;
using Community::Json::iso;

namespace Content {

namespace {

constexpr int kCommunityTitleMax = 100;
constexpr int kDescriptionMax = 2000;
constexpr int kRulesMax = 20;
constexpr int kRuleTitleMax = 100;
constexpr int kRuleBodyMax = 1000;
const TextRule kTitleRule{kCommunityTitleMax, Presence::Optional};
const TextRule kDescriptionRule{kDescriptionMax, Presence::Optional, true, true};

QJsonObject communityJson(const CommunityRow &c)
{
    return QJsonObject{
        {QStringLiteral("id"), idString(c.id)},
        {QStringLiteral("slug"), c.slug},
        {QStringLiteral("title"), c.title},
        {QStringLiteral("description"), c.description},
        {QStringLiteral("rules"), c.rules},
        {QStringLiteral("memberCount"), c.memberCount},
        {QStringLiteral("postCount"), c.postCount},
        {QStringLiteral("createdAt"), iso(c.createdAt)},
        {QStringLiteral("createdBy"), QJsonObject{{QStringLiteral("id"), idString(c.createdBy)},
                                                  {QStringLiteral("username"), c.createdByName}}},
    };
}

QJsonObject viewJson(const CommunityView &v)
{
    QJsonObject o = communityJson(v.community);
    if (v.role) {
        o.insert(QStringLiteral("joined"), *v.role != CommunityRole::None);
        o.insert(QStringLiteral("myRole"), *v.role == CommunityRole::None ? QJsonValue(QJsonValue::Null)
                                                                          : QJsonValue(communityRoleName(*v.role)));
    }
    return o;
}

/// One rule {title, body}; its errors are named rules[i].title / rules[i].body.
QJsonObject readRule(const QJsonObject &in, const QString &prefix, BodyReader &body)
{
    BodyReader rule(in);
    const QString title = rule.text(QStringLiteral("title"), {kRuleTitleMax, Presence::Required}).value_or(QString());
    const QString text = rule.text(QStringLiteral("body"), {kRuleBodyMax, Presence::Optional, true, true}).value_or(QString());
    for (auto it = in.begin(); it != in.end(); ++it)
        rule.accept(it.key());   // other keys of a rule are ignored
    if (auto r = rule.finish(); !r) {
        for (FieldError e : r.error().fields) {
            e.field = prefix + QLatin1Char('.') + e.field;
            body.addError(e);
        }
    }
    return QJsonObject{{QStringLiteral("title"), title}, {QStringLiteral("body"), text}};
}

/// Rules: [{"title": "...", "body": "..."}], at most kRulesMax.
QJsonArray readRules(BodyReader &body)
{
    const QJsonValue value = body.value(QStringLiteral("rules"));
    if (!value.isArray()) {
        body.addError(QStringLiteral("rules"), QStringLiteral("must be an array of {title, body}"), QStringLiteral("type"));
        return {};
    }
    const QJsonArray in = value.toArray();
    if (in.size() > kRulesMax) {
        body.addError(QStringLiteral("rules"), QStringLiteral("at most %1 rules").arg(kRulesMax), QStringLiteral("too_many"));
        return {};
    }
    QJsonArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QString field = QStringLiteral("rules[%1]").arg(i);
        if (!in.at(i).isObject())
            body.addError(field, QStringLiteral("must be an object"), QStringLiteral("type"));
        else
            out.append(readRule(in.at(i).toObject(), field, body));
    }
    return out;
}

Result<CommunityDraft> readDraft(BodyReader &body)
{
    CommunityDraft d;
    d.slug = body.text(QStringLiteral("slug"), {32, Presence::Required}).value_or(QString()).toLower();
    if (!d.slug.isEmpty() && !isValidSlug(d.slug))
        body.addError(QStringLiteral("slug"), QStringLiteral("3–32 characters: a-z, 0-9, '-' and '_', starting with a letter or digit"),
                      QStringLiteral("invalid_format"));
    d.title = body.text(QStringLiteral("title"), {kCommunityTitleMax, Presence::Required}).value_or(QString());
    d.description = body.text(QStringLiteral("description"), kDescriptionRule).value_or(QString());
    if (body.has(QStringLiteral("rules")))
        d.rules = readRules(body);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return d;
}

Result<CommunityPatch> readPatch(BodyReader &body)
{
    CommunityPatch p;
    p.title = body.text(QStringLiteral("title"), kTitleRule);
    p.description = body.text(QStringLiteral("description"), kDescriptionRule);
    if (body.has(QStringLiteral("rules")))
        p.rules = readRules(body);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return p;
}

QString slugOf(const HttpRequest &req)
{
    return req.pathParams.value(QStringLiteral("slug"));
}

} // namespace

QList<Route> CommunityRoutes::routes()
{
    RouteOptions create = writeRoute();
    create.minRole = m_ctx.config.communityCreateRole;
    auto member = [this](bool join) -> Handler {
        return [this, join](HttpRequest &req, const Responder &res) { membership(req, res, join); };
    };
    auto moderator = [this](bool appoint) -> Handler {
        return [this, appoint](HttpRequest &req, const Responder &res) { setModerator(req, res, appoint); };
    };
    const QString moderatorPath = QStringLiteral("/v1/communities/{slug}/moderators/{username}");
    return {
        {"POST", QStringLiteral("/v1/communities"), create, memberHandler(this, &CommunityRoutes::create)},
        {"GET", QStringLiteral("/v1/communities"), readRoute(), memberHandler(this, &CommunityRoutes::list)},
        {"GET", QStringLiteral("/v1/communities/{slug}"), readRoute(), memberHandler(this, &CommunityRoutes::get)},
        {"PATCH", QStringLiteral("/v1/communities/{slug}"), writeRoute(), memberHandler(this, &CommunityRoutes::update)},
        {"POST", QStringLiteral("/v1/communities/{slug}/join"), writeRoute(), member(true)},
        {"POST", QStringLiteral("/v1/communities/{slug}/leave"), writeRoute(), member(false)},
        {"GET", QStringLiteral("/v1/me/communities"), ownReadRoute(), memberHandler(this, &CommunityRoutes::mine)},
        {"GET", QStringLiteral("/v1/communities/{slug}/moderators"), readRoute(), memberHandler(this, &CommunityRoutes::moderators)},
        {"PUT", moderatorPath, moderateRoute(), moderator(true)},
        {"DELETE", moderatorPath, moderateRoute(), moderator(false)},
    };
}

void CommunityRoutes::create(HttpRequest &req, const Responder &res)
{
    auto request = readCreateRequest(req, res);
    if (!request)
        return;
    auto draft = readDraft(request->body);
    if (!draft)
        return sendError(req, res, draft.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, d = *draft, key = request->key]() {
        return svc->create(who, d, key, [&d](const CommunityView &v) {
            HttpResponse resp = HttpResponse::json(201, viewJson(v));
            resp.setHeader("Location", QStringLiteral("/v1/communities/%1").arg(d.slug).toUtf8());
            return resp;
        });
    });
}

void CommunityRoutes::list(HttpRequest &req, const Responder &res)
{
    const QString sort = queryValue(req, QStringLiteral("sort"));
    const bool byNew = sort == QLatin1String("new");
    if (!sort.isEmpty() && !byNew && sort != QLatin1String("members"))
        return sendError(req, res, invalidField(QStringLiteral("sort"), QStringLiteral("must be members or new"),
                                                QStringLiteral("invalid_choice")));
    auto limit = queryLimit(req, m_ctx.config.defaultPageSize, m_ctx.config.maxPageSize);
    if (!limit)
        return sendError(req, res, limit.error());
    const QLatin1StringView kind = byNew ? QLatin1StringView("cn") : QLatin1StringView("cm");
    auto after = queryCursor(req, kind, 2);
    if (!after)
        return sendError(req, res, after.error());
    // Keys the repository binds as they are: member_count is an integer column, ids are
    // positive. A cursor we did not make is the client's mistake, not a database error.
    if (*after && ((**after)[0] < 0 || (**after)[0] > std::numeric_limits<int>::max() || (**after)[1] <= 0))
        return sendError(req, res, invalidField(QStringLiteral("cursor"), QStringLiteral("is not a valid cursor"),
                                                QStringLiteral("invalid")));
    m_ctx.db.respondWith(req, res, [svc = &m_service, byNew, kind, after = *after, n = *limit]() -> Result<HttpResponse> {
        auto rows = svc->page(byNew, after, n + 1);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        QJsonValue next;
        for (int i = 0; i < int(rows->size()) && i < n; ++i) {
            const CommunityRow &row = rows->at(i);
            items.append(communityJson(row));
            if (i == n - 1 && int(rows->size()) > n)
                next = encodeCursor(kind, {byNew ? 0 : qint64(row.memberCount), row.id});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void CommunityRoutes::get(HttpRequest &req, const Responder &res)
{
    m_ctx.db.respondWith(req, res, [svc = &m_service, slug = slugOf(req), viewer = viewerOf(req.principal)]() -> Result<HttpResponse> {
        auto v = svc->get(slug, viewer);
        if (!v)
            return tl::unexpected(v.error());
        return HttpResponse::json(200, viewJson(*v));
    });
}

void CommunityRoutes::update(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    auto patch = readPatch(*body);
    if (!patch)
        return sendError(req, res, patch.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, slug = slugOf(req), p = *patch]() -> Result<HttpResponse> {
        auto v = svc->update(who, slug, p);
        if (!v)
            return tl::unexpected(v.error());
        return HttpResponse::json(200, viewJson(*v));
    });
}

void CommunityRoutes::membership(HttpRequest &req, const Responder &res, bool join)
{
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, slug = slugOf(req), join]() -> Result<HttpResponse> {
        auto m = svc->setMembership(who, slug, join);
        if (!m)
            return tl::unexpected(m.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("joined"), m->joined},
                                                   {QStringLiteral("memberCount"), m->memberCount}});
    });
}

void CommunityRoutes::mine(HttpRequest &req, const Responder &res)
{
    m_ctx.db.respondWith(req, res, [svc = &m_service, me = req.principal.userId]() -> Result<HttpResponse> {
        auto rows = svc->memberships(me);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        for (const auto &[community, role] : *rows) {
            QJsonObject o = communityJson(community);
            o.insert(QStringLiteral("joined"), true);
            o.insert(QStringLiteral("myRole"), role);
            items.append(o);
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void CommunityRoutes::moderators(HttpRequest &req, const Responder &res)
{
    m_ctx.db.respondWith(req, res, [svc = &m_service, slug = slugOf(req)]() -> Result<HttpResponse> {
        auto rows = svc->moderators(slug);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        for (const ModeratorRow &m : *rows)
            items.append(QJsonObject{{QStringLiteral("id"), idString(m.userId)},
                                     {QStringLiteral("username"), m.username},
                                     {QStringLiteral("role"), m.role},
                                     {QStringLiteral("since"), iso(m.since)}});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void CommunityRoutes::setModerator(HttpRequest &req, const Responder &res, bool appoint)
{
    const QString username = req.pathParams.value(QStringLiteral("username"));
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, slug = slugOf(req), username,
                                    appoint]() -> Result<HttpResponse> {
        auto change = svc->setModerator(who, slug, username, appoint);
        if (!change)
            return tl::unexpected(change.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("username"), change->username},
                                                   {QStringLiteral("role"), change->role}});
    });
}

} // namespace Content
