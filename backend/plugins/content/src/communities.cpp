// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Communities: create, read, list, update, join/leave, moderators.
//
//   POST   /v1/communities                              create (role: plugins.content.communityCreateRole)
//   GET    /v1/communities?sort=members|new&cursor=&limit=
//   GET    /v1/communities/{slug}
//   PATCH  /v1/communities/{slug}                       title/description/rules (moderators)
//   POST   /v1/communities/{slug}/join | /leave
//   GET    /v1/me/communities                           the caller's memberships
//   GET    /v1/communities/{slug}/moderators
//   PUT    /v1/communities/{slug}/moderators/{username} appoint (owner or site admin)
//   DELETE /v1/communities/{slug}/moderators/{username} dismiss

#include "communities.h"

#include "common.h"
#include "permissions.h"
#include "routes.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/router.h"

#include <QJsonDocument>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

constexpr int kCommunityTitleMax = 100;
constexpr int kDescriptionMax = 2000;
constexpr int kRulesMax = 20;
constexpr int kRuleTitleMax = 100;
constexpr int kRuleBodyMax = 1000;

const char *const kCommunitySelect =
    "SELECT c.id, c.slug, c.title, c.description, c.rules::text, c.created_by, coalesce(a.username, ''), "
    "(extract(epoch FROM c.created_at) * 1000000)::bigint, c.member_count, c.post_count "
    "FROM content.communities c LEFT JOIN content.authors a ON a.user_id = c.created_by";

CommunityRow communityFromRow(const pqxx::row &r)
{
    CommunityRow c;
    c.id = r[0].as<qint64>();
    c.slug = QString::fromStdString(r[1].as<std::string>());
    c.title = QString::fromStdString(r[2].as<std::string>());
    c.description = QString::fromStdString(r[3].as<std::string>());
    c.rules = QJsonDocument::fromJson(QByteArray::fromStdString(r[4].as<std::string>())).array();
    c.createdBy = r[5].as<qint64>();
    c.createdByName = QString::fromStdString(r[6].as<std::string>());
    c.createdAt = fromMicros(r[7].as<qint64>());
    c.memberCount = r[8].as<int>();
    c.postCount = r[9].as<int>();
    return c;
}

/// Validates rules: [{"title": "...", "body": "..."}], at most kRulesMax.
QJsonArray parseRules(const QJsonValue &value, QList<FieldError> &errors)
{
    if (!value.isArray()) {
        errors.append({QStringLiteral("rules"), QStringLiteral("must be an array of {title, body}"), QStringLiteral("type")});
        return {};
    }
    const QJsonArray in = value.toArray();
    if (in.size() > kRulesMax) {
        errors.append({QStringLiteral("rules"), QStringLiteral("at most %1 rules").arg(kRulesMax), QStringLiteral("too_many")});
        return {};
    }
    QJsonArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QString f = QStringLiteral("rules[%1]").arg(i);
        if (!in.at(i).isObject()) {
            errors.append({f, QStringLiteral("must be an object"), QStringLiteral("type")});
            continue;
        }
        QList<FieldError> ruleErrors;
        const QJsonObject rule = in.at(i).toObject();
        const QString title = requireText(rule, QStringLiteral("title"), kRuleTitleMax, false, ruleErrors);
        bool present = false;
        const QString body = optionalText(rule, QStringLiteral("body"), kRuleBodyMax, true, true, &present, ruleErrors);
        for (FieldError e : ruleErrors) {
            e.field = f + QLatin1Char('.') + e.field;
            errors.append(e);
        }
        out.append(QJsonObject{{QStringLiteral("title"), title}, {QStringLiteral("body"), body}});
    }
    return out;
}

std::string rulesText(const QJsonArray &rules)
{
    return QJsonDocument(rules).toJson(QJsonDocument::Compact).toStdString();
}

QJsonObject withViewer(QJsonObject o, CommunityRole role)
{
    o.insert(QStringLiteral("joined"), role != CommunityRole::None);
    o.insert(QStringLiteral("myRole"), role == CommunityRole::None ? QJsonValue(QJsonValue::Null)
                                                                   : QJsonValue(communityRoleName(role)));
    return o;
}

Result<void> publishCommunity(pqxx::transaction_base &tx, ContentContext &ctx, const QString &type, const CommunityRow &c)
{
    auto r = ctx.events.publish(tx, type, QStringLiteral("community:%1").arg(c.id), communityJson(c));
    if (!r)
        return tl::unexpected(r.error());
    return {};
}

/// Resolves a username through the directory (outside any transaction).
Result<Contracts::UserRecord> userNamed(ContentContext &ctx, const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    auto u = ctx.directory.findByUsername(name);
    if (!u && u.error().code == ErrorCode::NotFound)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    return u;
}

} // namespace

bool isValidSlug(const QString &slug)
{
    if (slug.size() < 3 || slug.size() > 32)
        return false;
    for (qsizetype i = 0; i < slug.size(); ++i) {
        const QChar c = slug.at(i);
        const bool alnum = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (!alnum && (i == 0 || (c != QLatin1Char('-') && c != QLatin1Char('_'))))
            return false;
    }
    return true;
}

Result<CommunityRow> findCommunity(pqxx::transaction_base &tx, const QString &slug, bool forUpdate)
{
    if (!isValidSlug(slug.toLower()))
        return tl::unexpected(notFound(QStringLiteral("No such community.")));
    const std::string sql = std::string(kCommunitySelect) + " WHERE lower(c.slug) = lower($1)"
                            + (forUpdate ? " FOR UPDATE OF c" : "");
    const auto rows = tx.exec_params(sql, slug.toStdString());
    if (rows.empty())
        return tl::unexpected(notFound(QStringLiteral("No such community.")));
    return communityFromRow(rows[0]);
}

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

Result<void> registerCommunityRoutes(Router &router, ContentContext &ctx)
{
    ContentContext *c = &ctx;

    RouteOptions create = writeRoute();
    create.minRole = ctx.config.communityCreateRole;
    if (auto r = router.add("POST", QStringLiteral("/v1/communities"), [c](HttpRequest &req, const Responder &res) {
            auto body = jsonBody(req, res);
            if (!body)
                return;
            auto key = idempotencyKey(req);
            if (!key) {
                sendError(req, res, key.error());
                return;
            }
            QList<FieldError> errors;
            const QString slug = requireText(*body, QStringLiteral("slug"), 32, false, errors).toLower();
            if (!slug.isEmpty() && !isValidSlug(slug))
                errors.append({QStringLiteral("slug"),
                               QStringLiteral("3–32 characters: a-z, 0-9, '-' and '_', starting with a letter or digit"),
                               QStringLiteral("invalid_format")});
            const QString title = requireText(*body, QStringLiteral("title"), kCommunityTitleMax, false, errors);
            bool present = false;
            const QString description = optionalText(*body, QStringLiteral("description"), kDescriptionMax, true, true,
                                                     &present, errors);
            const QJsonArray rules = body->contains(QStringLiteral("rules"))
                                         ? parseRules(body->value(QStringLiteral("rules")), errors) : QJsonArray();
            if (!errors.isEmpty()) {
                sendError(req, res, invalidFields(errors));
                return;
            }
            const Principal who = req.principal;
            c->db.respond(req, res, [c, who, slug, title, description, rules, key = *key](pqxx::work &tx) {
                return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
                    rememberAuthor(tx, who.userId, who.username);
                    const auto taken = tx.exec_params("SELECT 1 FROM content.communities WHERE lower(slug) = $1",
                                                      slug.toStdString());
                    if (!taken.empty())
                        return tl::unexpected(Error::make(ErrorCode::Conflict, QStringLiteral("That slug is taken.")));
                    const auto row = tx.exec_params(
                        "INSERT INTO content.communities (slug, title, description, rules, created_by, member_count) "
                        "VALUES ($1, $2, $3, $4::jsonb, $5, 1) RETURNING id",
                        slug.toStdString(), title.toStdString(), description.toStdString(), rulesText(rules), who.userId);
                    const qint64 id = row[0][0].as<qint64>();
                    tx.exec_params("INSERT INTO content.members (community_id, user_id, role) VALUES ($1, $2, 'owner')", id,
                                   who.userId);
                    auto community = findCommunity(tx, slug);
                    if (!community)
                        return tl::unexpected(community.error());
                    if (auto p = publishCommunity(tx, *c, QStringLiteral("content.community.created"), *community); !p)
                        return tl::unexpected(p.error());
                    HttpResponse resp = HttpResponse::json(201, withViewer(communityJson(*community), CommunityRole::Owner));
                    resp.setHeader("Location", QStringLiteral("/v1/communities/%1").arg(slug).toUtf8());
                    return resp;
                });
            });
        }, create); !r)
        return r;

    if (auto r = router.add("GET", QStringLiteral("/v1/communities"), [c](HttpRequest &req, const Responder &res) {
            const QString sort = req.query.queryItemValue(QStringLiteral("sort"));
            const bool byNew = sort == QLatin1String("new");
            if (!sort.isEmpty() && !byNew && sort != QLatin1String("members")) {
                sendError(req, res, invalidField(QStringLiteral("sort"), QStringLiteral("must be members or new"),
                                                       QStringLiteral("invalid_choice")));
                return;
            }
            auto limit = parseLimit(req.query.queryItemValue(QStringLiteral("limit")), c->config.defaultPageSize,
                                    c->config.maxPageSize);
            if (!limit) {
                sendError(req, res, limit.error());
                return;
            }
            const QString cursorText = req.query.queryItemValue(QStringLiteral("cursor"));
            std::optional<QList<qint64>> after;
            if (!cursorText.isEmpty()) {
                after = decodeCursor(byNew ? QLatin1StringView("cn") : QLatin1StringView("cm"), cursorText, 2);
                if (!after) {
                    sendError(req, res, invalidField(QStringLiteral("cursor"), QStringLiteral("is not a valid cursor"),
                                                           QStringLiteral("invalid")));
                    return;
                }
            }
            const int n = *limit;
            c->db.respondRead(req, res, [byNew, after, n](pqxx::nontransaction &tx) -> Result<HttpResponse> {
                // Keyset: (member_count, id) or (id) descending.
                std::string sql = std::string(kCommunitySelect);
                pqxx::result rows;
                if (byNew) {
                    sql += " WHERE c.id < $1 ORDER BY c.id DESC LIMIT $2";
                    rows = tx.exec_params(sql, after ? (*after)[1] : std::numeric_limits<qint64>::max(), n + 1);
                } else {
                    sql += " WHERE (c.member_count, c.id) < ($1, $2) ORDER BY c.member_count DESC, c.id DESC LIMIT $3";
                    rows = tx.exec_params(sql, after ? (*after)[0] : std::numeric_limits<qint64>::max(),
                                          after ? (*after)[1] : std::numeric_limits<qint64>::max(), n + 1);
                }
                QJsonArray items;
                QJsonValue next;
                for (int i = 0; i < int(rows.size()) && i < n; ++i) {
                    const CommunityRow row = communityFromRow(rows[i]);
                    items.append(communityJson(row));
                    if (i == n - 1 && int(rows.size()) > n)
                        next = byNew ? encodeCursor(QLatin1StringView("cn"), {0, row.id})
                                     : encodeCursor(QLatin1StringView("cm"), {row.memberCount, row.id});
                }
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items},
                                                           {QStringLiteral("nextCursor"), next}});
            });
        }, readRoute()); !r)
        return r;

    if (auto r = router.add("GET", QStringLiteral("/v1/communities/{slug}"), [c](HttpRequest &req, const Responder &res) {
            const QString slug = req.pathParams.value(QStringLiteral("slug"));
            const qint64 viewer = viewerOf(req.principal);
            c->db.respondRead(req, res, [slug, viewer](pqxx::nontransaction &tx) -> Result<HttpResponse> {
                auto community = findCommunity(tx, slug);
                if (!community)
                    return tl::unexpected(community.error());
                QJsonObject o = communityJson(*community);
                if (viewer > 0)
                    o = withViewer(o, communityRole(tx, community->id, viewer));
                return HttpResponse::json(200, o);
            });
        }, readRoute()); !r)
        return r;

    if (auto r = router.add("PATCH", QStringLiteral("/v1/communities/{slug}"), [c](HttpRequest &req, const Responder &res) {
            auto body = jsonBody(req, res);
            if (!body)
                return;
            QList<FieldError> errors;
            bool hasTitle = false, hasDescription = false;
            const QString title = optionalText(*body, QStringLiteral("title"), kCommunityTitleMax, false, false, &hasTitle, errors);
            const QString description = optionalText(*body, QStringLiteral("description"), kDescriptionMax, true, true,
                                                     &hasDescription, errors);
            const bool hasRules = body->contains(QStringLiteral("rules"));
            const QJsonArray rules = hasRules ? parseRules(body->value(QStringLiteral("rules")), errors) : QJsonArray();
            for (auto it = body->begin(); it != body->end(); ++it) {
                if (it.key() != QLatin1String("title") && it.key() != QLatin1String("description")
                    && it.key() != QLatin1String("rules"))
                    errors.append({it.key(), QStringLiteral("cannot be changed"), QStringLiteral("unknown_field")});
            }
            if (!errors.isEmpty()) {
                sendError(req, res, invalidFields(errors));
                return;
            }
            const QString slug = req.pathParams.value(QStringLiteral("slug"));
            const Principal who = req.principal;
            c->db.respond(req, res, [c, slug, who, hasTitle, title, hasDescription, description, hasRules,
                                     rules](pqxx::work &tx) -> Result<HttpResponse> {
                auto community = findCommunity(tx, slug, true);
                if (!community)
                    return tl::unexpected(community.error());
                const CommunityRole role = communityRole(tx, community->id, who.userId);
                if (!canModerate(who, role))
                    return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can change it.")));
                tx.exec_params("UPDATE content.communities SET title = CASE WHEN $2 THEN $3 ELSE title END, "
                               "description = CASE WHEN $4 THEN $5 ELSE description END, "
                               "rules = CASE WHEN $6 THEN $7::jsonb ELSE rules END WHERE id = $1",
                               community->id, hasTitle, title.toStdString(), hasDescription, description.toStdString(),
                               hasRules, rulesText(rules));
                auto updated = findCommunity(tx, slug);
                if (!updated)
                    return tl::unexpected(updated.error());
                if (auto p = publishCommunity(tx, *c, QStringLiteral("content.community.updated"), *updated); !p)
                    return tl::unexpected(p.error());
                return HttpResponse::json(200, withViewer(communityJson(*updated), role));
            });
        }, writeRoute()); !r)
        return r;

    for (const bool join : {true, false}) {
        const QString pattern = join ? QStringLiteral("/v1/communities/{slug}/join") : QStringLiteral("/v1/communities/{slug}/leave");
        if (auto r = router.add("POST", pattern, [c, join](HttpRequest &req, const Responder &res) {
                const QString slug = req.pathParams.value(QStringLiteral("slug"));
                const Principal who = req.principal;
                c->db.respond(req, res, [slug, who, join](pqxx::work &tx) -> Result<HttpResponse> {
                    auto community = findCommunity(tx, slug);
                    if (!community)
                        return tl::unexpected(community.error());
                    rememberAuthor(tx, who.userId, who.username);
                    if (join) {
                        const auto ins = tx.exec_params("INSERT INTO content.members (community_id, user_id) VALUES ($1, $2) "
                                                        "ON CONFLICT DO NOTHING RETURNING 1",
                                                        community->id, who.userId);
                        if (!ins.empty())
                            tx.exec_params("UPDATE content.communities SET member_count = member_count + 1 WHERE id = $1",
                                           community->id);
                    } else {
                        if (communityRole(tx, community->id, who.userId) == CommunityRole::Owner)
                            return tl::unexpected(Error::make(ErrorCode::Conflict,
                                                              QStringLiteral("The owner cannot leave the community.")));
                        const auto del = tx.exec_params("DELETE FROM content.members WHERE community_id = $1 AND user_id = $2 "
                                                        "RETURNING 1",
                                                        community->id, who.userId);
                        if (!del.empty())
                            tx.exec_params("UPDATE content.communities SET member_count = member_count - 1 WHERE id = $1",
                                           community->id);
                    }
                    const auto count = tx.exec_params("SELECT member_count FROM content.communities WHERE id = $1", community->id);
                    return HttpResponse::json(200, QJsonObject{{QStringLiteral("joined"), join},
                                                               {QStringLiteral("memberCount"), count[0][0].as<int>()}});
                });
            }, writeRoute()); !r)
            return r;
    }

    RouteOptions mine = RouteOptions::authenticated(Role::User, QLatin1String(kReadScope));
    if (auto r = router.add("GET", QStringLiteral("/v1/me/communities"), [c](HttpRequest &req, const Responder &res) {
            const qint64 me = req.principal.userId;
            c->db.respondRead(req, res, [me](pqxx::nontransaction &tx) -> Result<HttpResponse> {
                const auto rows = tx.exec_params(std::string(kCommunitySelect)
                                                     + " JOIN content.members m ON m.community_id = c.id AND m.user_id = $1 "
                                                       "ORDER BY lower(c.slug) LIMIT 1000",
                                                 me);
                const auto roles = tx.exec_params("SELECT community_id, role FROM content.members WHERE user_id = $1", me);
                QHash<qint64, QString> roleOf;
                for (const auto &row : roles)
                    roleOf.insert(row[0].as<qint64>(), QString::fromStdString(row[1].as<std::string>()));
                QJsonArray items;
                for (const auto &row : rows) {
                    const CommunityRow cr = communityFromRow(row);
                    QJsonObject o = communityJson(cr);
                    o.insert(QStringLiteral("joined"), true);
                    o.insert(QStringLiteral("myRole"), roleOf.value(cr.id));
                    items.append(o);
                }
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
            });
        }, mine); !r)
        return r;

    if (auto r = router.add("GET", QStringLiteral("/v1/communities/{slug}/moderators"), [c](HttpRequest &req, const Responder &res) {
            const QString slug = req.pathParams.value(QStringLiteral("slug"));
            c->db.respondRead(req, res, [slug](pqxx::nontransaction &tx) -> Result<HttpResponse> {
                auto community = findCommunity(tx, slug);
                if (!community)
                    return tl::unexpected(community.error());
                const auto rows = tx.exec_params(
                    "SELECT m.user_id, coalesce(a.username, ''), m.role, (extract(epoch FROM m.joined_at) * 1000000)::bigint "
                    "FROM content.members m LEFT JOIN content.authors a ON a.user_id = m.user_id "
                    "WHERE m.community_id = $1 AND m.role <> 'member' ORDER BY m.role DESC, m.joined_at, m.user_id",
                    community->id);
                QJsonArray items;
                for (const auto &row : rows)
                    items.append(QJsonObject{{QStringLiteral("id"), idString(row[0].as<qint64>())},
                                             {QStringLiteral("username"), QString::fromStdString(row[1].as<std::string>())},
                                             {QStringLiteral("role"), QString::fromStdString(row[2].as<std::string>())},
                                             {QStringLiteral("since"), iso(fromMicros(row[3].as<qint64>()))}});
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
            });
        }, readRoute()); !r)
        return r;

    for (const bool appoint : {true, false}) {
        if (auto r = router.add(appoint ? "PUT" : "DELETE", QStringLiteral("/v1/communities/{slug}/moderators/{username}"),
                                [c, appoint](HttpRequest &req, const Responder &res) {
                const QString slug = req.pathParams.value(QStringLiteral("slug"));
                const QString username = req.pathParams.value(QStringLiteral("username"));
                const Principal who = req.principal;
                c->db.respondWith(req, res, [c, slug, username, who, appoint]() -> Result<HttpResponse> {
                    auto user = userNamed(*c, username);
                    if (!user)
                        return tl::unexpected(user.error());
                    const Contracts::UserRecord target = *user;
                    return c->db.transact<HttpResponse>([&](pqxx::work &tx) -> Result<HttpResponse> {
                        auto community = findCommunity(tx, slug, true);
                        if (!community)
                            return tl::unexpected(community.error());
                        if (!canManage(who, communityRole(tx, community->id, who.userId)))
                            return tl::unexpected(forbidden(QStringLiteral("Only the owner or an admin appoints moderators.")));
                        const CommunityRole current = communityRole(tx, community->id, target.id);
                        if (current == CommunityRole::Owner)
                            return tl::unexpected(Error::make(ErrorCode::Conflict, QStringLiteral("The owner's role cannot change.")));
                        rememberAuthor(tx, target.id, target.username);
                        if (appoint) {
                            if (current == CommunityRole::None)
                                tx.exec_params("UPDATE content.communities SET member_count = member_count + 1 WHERE id = $1",
                                               community->id);
                            tx.exec_params("INSERT INTO content.members (community_id, user_id, role) VALUES ($1, $2, 'moderator') "
                                           "ON CONFLICT (community_id, user_id) DO UPDATE SET role = 'moderator'",
                                           community->id, target.id);
                        } else if (current == CommunityRole::Moderator) {
                            tx.exec_params("UPDATE content.members SET role = 'member' WHERE community_id = $1 AND user_id = $2",
                                           community->id, target.id);
                        }
                        return HttpResponse::json(200, QJsonObject{
                            {QStringLiteral("username"), target.username},
                            {QStringLiteral("role"), appoint ? QStringLiteral("moderator")
                                                             : (current == CommunityRole::None ? QString()
                                                                                               : QStringLiteral("member"))}});
                    });
                });
            }, moderateRoute()); !r)
            return r;
    }
    return {};
}

} // namespace Content
