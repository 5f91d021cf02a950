// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Reports: the moderation queue.
//
//   POST /v1/reports                {targetType, targetId, reason, details?}
//   GET  /v1/reports                ?status=open|resolved|dismissed&community=slug&cursor=&limit=
//   POST /v1/reports/{id}/resolve   {"resolution": "resolved" | "dismissed", "note"?}
//
// Decisions:
// - One open report per reporter and target (unique index reports_open_once): a repeat
//   answers 200 with the open report (201 only when one was created, with the event), so
//   a retried or double-clicked report is harmless. After it is resolved the same person
//   may report again.
// - Reports on content of any state are accepted (a deleted post may still need a
//   moderator's eye); reporting one's own content is a 400 (targetId, own_content); a
//   target that does not exist is a 404.
// - The queue: site moderators and admins see every community's reports (optionally one
//   community); community moderators and owners see only the communities they moderate;
//   everyone else gets 403. Reports show the reporter and a preview of the target.
// - Resolving needs moderation rights in the report's community. Resolving again with
//   the same outcome is a no-op 200; a different outcome for a closed report is a 409
//   (report-closed). Resolving does not remove content: that is POST .../remove.

#include "common.h"
#include "communities.h"
#include "permissions.h"
#include "routes.h"

#include "community/database.h"
#include "community/eventbus.h"
#include "community/problem.h"
#include "community/router.h"

#include <QJsonArray>

#include <limits>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

constexpr int kNoteMax = 1000;
constexpr int kExcerptMax = 280;
const QStringList kReasons{QStringLiteral("spam"), QStringLiteral("harassment"), QStringLiteral("off-topic"),
                           QStringLiteral("illegal"), QStringLiteral("other")};
const QStringList kStatuses{QStringLiteral("open"), QStringLiteral("resolved"), QStringLiteral("dismissed")};

// The report with its community, reporter, resolver and a preview of the target.
const char *const kReportSelect =
    "SELECT r.id, r.target_type, r.target_id, r.community_id, cm.slug, r.reporter_id, coalesce(ra.username, ''), "
    "r.reason, r.details, r.status, coalesce(r.resolved_by, 0), coalesce(rb.username, ''), "
    "coalesce((extract(epoch FROM r.resolved_at) * 1000000)::bigint, 0), r.resolution, "
    "(extract(epoch FROM r.created_at) * 1000000)::bigint, "
    "coalesce(tp.id, tc.post_id, 0), coalesce(tp.title, cp.title, ''), coalesce(tp.author_id, tc.author_id, 0), "
    "coalesce(ta.username, ''), coalesce(tp.body, tc.body, ''), coalesce(tp.state, tc.state, '') "
    "FROM content.reports r JOIN content.communities cm ON cm.id = r.community_id "
    "LEFT JOIN content.authors ra ON ra.user_id = r.reporter_id "
    "LEFT JOIN content.authors rb ON rb.user_id = r.resolved_by "
    "LEFT JOIN content.posts tp ON r.target_type = 'post' AND tp.id = r.target_id "
    "LEFT JOIN content.comments tc ON r.target_type = 'comment' AND tc.id = r.target_id "
    "LEFT JOIN content.posts cp ON cp.id = tc.post_id "
    "LEFT JOIN content.authors ta ON ta.user_id = coalesce(tp.author_id, tc.author_id)";

QJsonValue userOrNull(qint64 id, const QString &name)
{
    if (id == 0)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{QStringLiteral("id"), idString(id)}, {QStringLiteral("username"), name}};
}

/// The report as JSON; `withTarget` adds the preview moderators see.
QJsonObject reportJson(const pqxx::row &r, bool withTarget)
{
    const auto str = [&](int i) { return QString::fromStdString(r[i].as<std::string>()); };
    const qint64 resolvedAt = r[12].as<qint64>();
    QJsonObject o{
        {QStringLiteral("id"), idString(r[0].as<qint64>())},
        {QStringLiteral("targetType"), str(1)},
        {QStringLiteral("targetId"), idString(r[2].as<qint64>())},
        {QStringLiteral("postId"), r[15].as<qint64>() ? QJsonValue(idString(r[15].as<qint64>())) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("community"), QJsonObject{{QStringLiteral("id"), idString(r[3].as<qint64>())},
                                                  {QStringLiteral("slug"), str(4)}}},
        {QStringLiteral("reporter"), userOrNull(r[5].as<qint64>(), str(6))},
        {QStringLiteral("reason"), str(7)},
        {QStringLiteral("details"), str(8)},
        {QStringLiteral("status"), str(9)},
        {QStringLiteral("resolvedBy"), userOrNull(r[10].as<qint64>(), str(11))},
        {QStringLiteral("resolvedAt"), resolvedAt ? QJsonValue(iso(fromMicros(resolvedAt))) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("note"), r[13].is_null() ? QJsonValue(QJsonValue::Null) : QJsonValue(str(13))},
        {QStringLiteral("createdAt"), iso(fromMicros(r[14].as<qint64>()))},
    };
    if (withTarget) {
        QString excerpt = str(19).left(kExcerptMax);
        if (str(19).size() > kExcerptMax)
            excerpt += QChar(0x2026);
        o.insert(QStringLiteral("target"), QJsonObject{
            {QStringLiteral("title"), str(16)},
            {QStringLiteral("author"), userOrNull(r[17].as<qint64>(), str(18))},
            {QStringLiteral("excerpt"), excerpt},
            {QStringLiteral("state"), str(20)},
        });
    }
    return o;
}

Result<pqxx::row> loadReport(pqxx::transaction_base &tx, qint64 id)
{
    const auto rows = tx.exec_params(std::string(kReportSelect) + " WHERE r.id = $1", id);
    if (rows.empty())
        return tl::unexpected(notFound(QStringLiteral("No such report.")));
    return rows[0];
}

std::optional<qint64> jsonId(const QJsonValue &v)
{
    if (v.isString())
        return parseId(v.toString());
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d >= 1 && d <= 9007199254740991.0 && d == double(qint64(d)))
            return qint64(d);
    }
    return std::nullopt;
}

QString choice(const QJsonObject &body, const QString &field, const QStringList &allowed, QList<FieldError> &errors)
{
    const QJsonValue v = body.value(field);
    if (v.isUndefined() || v.isNull()) {
        errors.append({field, QStringLiteral("is required"), QStringLiteral("required")});
        return {};
    }
    if (!v.isString() || !allowed.contains(v.toString())) {
        errors.append({field, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))),
                       QStringLiteral("invalid_choice")});
        return {};
    }
    return v.toString();
}

void unknownFields(const QJsonObject &body, const QStringList &known, QList<FieldError> &errors)
{
    for (auto it = body.begin(); it != body.end(); ++it)
        if (!known.contains(it.key()))
            errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
}

struct ReportInput {
    QString targetType;
    qint64 targetId = 0;
    QString reason;
    QString details;
};

void createReport(ContentContext *c, HttpRequest &req, const Responder &res)
{
    auto body = jsonBody(req, res);
    if (!body)
        return;
    QList<FieldError> errors;
    ReportInput in;
    in.targetType = choice(*body, QStringLiteral("targetType"), {QStringLiteral("post"), QStringLiteral("comment")}, errors);
    const QJsonValue target = body->value(QStringLiteral("targetId"));
    if (target.isUndefined() || target.isNull()) {
        errors.append({QStringLiteral("targetId"), QStringLiteral("is required"), QStringLiteral("required")});
    } else if (const auto id = jsonId(target)) {
        in.targetId = *id;
    } else {
        errors.append({QStringLiteral("targetId"), QStringLiteral("must be a post or comment id"), QStringLiteral("invalid")});
    }
    in.reason = choice(*body, QStringLiteral("reason"), kReasons, errors);
    bool present = false;
    in.details = optionalText(*body, QStringLiteral("details"), c->config.reportDetailsMax, true, true, &present, errors).trimmed();
    unknownFields(*body, {QStringLiteral("targetType"), QStringLiteral("targetId"), QStringLiteral("reason"), QStringLiteral("details")},
                  errors);
    if (!errors.isEmpty()) {
        sendError(req, res, invalidFields(errors));
        return;
    }
    auto key = idempotencyKey(req);
    if (!key) {
        sendError(req, res, key.error());
        return;
    }
    const Principal who = req.principal;
    c->db.respond(req, res, [c, who, in, key = *key](pqxx::work &tx) {
        return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
            const bool post = in.targetType == QLatin1String("post");
            const auto target = post ? tx.exec_params("SELECT community_id, author_id FROM content.posts WHERE id = $1", in.targetId)
                                     : tx.exec_params("SELECT p.community_id, c.author_id FROM content.comments c "
                                                      "JOIN content.posts p ON p.id = c.post_id WHERE c.id = $1",
                                                      in.targetId);
            if (target.empty())
                return tl::unexpected(notFound(post ? QStringLiteral("No such post.") : QStringLiteral("No such comment.")));
            const qint64 communityId = target[0][0].as<qint64>();
            if (target[0][1].as<qint64>() == who.userId)
                return tl::unexpected(invalidField(QStringLiteral("targetId"), QStringLiteral("you cannot report your own content"),
                                                   QStringLiteral("own_content")));
            rememberAuthor(tx, who.userId, who.username);
            // A concurrent duplicate waits on the unique index, then finds the winner's report.
            const auto inserted = tx.exec_params(
                "INSERT INTO content.reports (target_type, target_id, community_id, reporter_id, reason, details) "
                "VALUES ($1, $2, $3, $4, $5, $6) "
                "ON CONFLICT (target_type, target_id, reporter_id) WHERE status = 'open' DO NOTHING RETURNING id",
                in.targetType.toStdString(), in.targetId, communityId, who.userId, in.reason.toStdString(),
                in.details.toStdString());
            qint64 id = 0;
            if (inserted.empty()) {
                const auto existing = tx.exec_params("SELECT id FROM content.reports WHERE target_type = $1 AND target_id = $2 "
                                                     "AND reporter_id = $3 AND status = 'open'",
                                                     in.targetType.toStdString(), in.targetId, who.userId);
                if (existing.empty())   // resolved in between: let the client try again
                    return fail(ErrorCode::Unavailable, QStringLiteral("Please retry the request."));
                id = existing[0][0].as<qint64>();
            } else {
                id = inserted[0][0].as<qint64>();
                const QJsonObject payload{
                    {QStringLiteral("reportId"), idString(id)},
                    {QStringLiteral("targetType"), in.targetType},
                    {QStringLiteral("targetId"), idString(in.targetId)},
                    {QStringLiteral("communityId"), idString(communityId)},
                    {QStringLiteral("reporterId"), idString(who.userId)},
                    {QStringLiteral("reason"), in.reason},
                };
                if (auto p = c->events.publish(tx, QStringLiteral("content.report.created"), QStringLiteral("report:%1").arg(id), payload); !p)
                    return tl::unexpected(p.error());
            }
            auto row = loadReport(tx, id);
            if (!row)
                return tl::unexpected(row.error());
            HttpResponse resp = HttpResponse::json(inserted.empty() ? 200 : 201, reportJson(*row, false));
            resp.setHeader("Location", QStringLiteral("/v1/reports/%1").arg(id).toUtf8());
            return resp;
        });
    });
}

void listReports(ContentContext *c, HttpRequest &req, const Responder &res)
{
    QString status = req.query.queryItemValue(QStringLiteral("status"));
    if (status.isEmpty())
        status = QStringLiteral("open");
    if (!kStatuses.contains(status)) {
        sendError(req, res, invalidField(QStringLiteral("status"), QStringLiteral("must be open, resolved or dismissed"),
                                         QStringLiteral("invalid_choice")));
        return;
    }
    auto limit = parseLimit(req.query.queryItemValue(QStringLiteral("limit")), c->config.defaultPageSize, c->config.maxPageSize);
    if (!limit) {
        sendError(req, res, limit.error());
        return;
    }
    const QString cursorText = req.query.queryItemValue(QStringLiteral("cursor"));
    qint64 before = std::numeric_limits<qint64>::max();
    if (!cursorText.isEmpty()) {
        const auto keys = decodeCursor(QLatin1StringView("rp"), cursorText, 1);
        if (!keys) {
            sendError(req, res, invalidField(QStringLiteral("cursor"), QStringLiteral("is not a valid cursor"),
                                             QStringLiteral("invalid")));
            return;
        }
        before = (*keys)[0];
    }
    const QString slug = req.query.queryItemValue(QStringLiteral("community"));
    const Principal who = req.principal;
    const int n = *limit;
    c->db.respondRead(req, res, [who, status, slug, before, n](pqxx::nontransaction &tx) -> Result<HttpResponse> {
        // Which communities' reports the caller may see: all (site moderators), or theirs.
        std::optional<QList<qint64>> scope;   // nullopt: every community
        if (!slug.isEmpty()) {
            auto community = findCommunity(tx, slug);
            if (!community)
                return tl::unexpected(community.error());
            if (!moderates(tx, who, community->id))
                return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can see its reports.")));
            scope = QList<qint64>{community->id};
        } else if (!who.hasRole(Role::Moderator)) {
            const auto mine = tx.exec_params("SELECT community_id FROM content.members WHERE user_id = $1 "
                                             "AND role IN ('moderator', 'owner')",
                                             who.userId);
            if (mine.empty())
                return tl::unexpected(forbidden(QStringLiteral("Only moderators can see reports.")));
            scope = QList<qint64>{};
            for (const auto &r : mine)
                scope->append(r[0].as<qint64>());
        }
        std::string ids = "{";
        if (scope) {
            for (qsizetype i = 0; i < scope->size(); ++i)
                ids += (i ? "," : "") + std::to_string((*scope)[i]);
        }
        ids += "}";
        const auto rows = tx.exec_params(std::string(kReportSelect)
                                             + " WHERE r.status = $1 AND r.id < $2 AND ($3 OR r.community_id = ANY ($4::bigint[])) "
                                               "ORDER BY r.id DESC LIMIT $5",
                                         status.toStdString(), before, !scope.has_value(), ids, n + 1);
        QJsonArray items;
        QJsonValue next(QJsonValue::Null);
        for (int i = 0; i < int(rows.size()) && i < n; ++i) {
            items.append(reportJson(rows[i], true));
            if (i == n - 1 && int(rows.size()) > n)
                next = encodeCursor(QLatin1StringView("rp"), {rows[i][0].as<qint64>()});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void resolveReport(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
    if (!id) {
        sendError(req, res, notFound(QStringLiteral("No such report.")));
        return;
    }
    auto body = jsonBody(req, res);
    if (!body)
        return;
    QList<FieldError> errors;
    const QString resolution = choice(*body, QStringLiteral("resolution"), {QStringLiteral("resolved"), QStringLiteral("dismissed")},
                                      errors);
    bool hasNote = false;
    const QString note = optionalText(*body, QStringLiteral("note"), kNoteMax, true, true, &hasNote, errors).trimmed();
    unknownFields(*body, {QStringLiteral("resolution"), QStringLiteral("note")}, errors);
    if (!errors.isEmpty()) {
        sendError(req, res, invalidFields(errors));
        return;
    }
    const Principal who = req.principal;
    const QString requestId = req.requestId;
    c->db.respond(req, res, [c, who, requestId, resolution, note, id = *id](pqxx::work &tx) -> Result<HttpResponse> {
        const auto locked = tx.exec_params("SELECT community_id, status, target_type, target_id, reporter_id "
                                           "FROM content.reports WHERE id = $1 FOR UPDATE",
                                           id);
        if (locked.empty())
            return tl::unexpected(notFound(QStringLiteral("No such report.")));
        const qint64 communityId = locked[0][0].as<qint64>();
        if (!moderates(tx, who, communityId))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can resolve its reports.")));
        const QString status = QString::fromStdString(locked[0][1].as<std::string>());
        if (status != QLatin1String("open")) {
            if (status != resolution)
                return problem(409, QStringLiteral("report-closed"), QStringLiteral("Conflict"),
                               QStringLiteral("The report was already %1.").arg(status), {}, requestId);
            auto row = loadReport(tx, id);
            if (!row)
                return tl::unexpected(row.error());
            return HttpResponse::json(200, reportJson(*row, true));
        }
        tx.exec_params("UPDATE content.reports SET status = $2, resolved_by = $3, resolved_at = now(), "
                       "resolution = NULLIF($4, '') WHERE id = $1",
                       id, resolution.toStdString(), who.userId, note.toStdString());
        rememberAuthor(tx, who.userId, who.username);
        const QJsonObject payload{
            {QStringLiteral("reportId"), idString(id)},
            {QStringLiteral("targetType"), QString::fromStdString(locked[0][2].as<std::string>())},
            {QStringLiteral("targetId"), idString(locked[0][3].as<qint64>())},
            {QStringLiteral("communityId"), idString(communityId)},
            {QStringLiteral("reporterId"), idString(locked[0][4].as<qint64>())},
            {QStringLiteral("resolution"), resolution},
            {QStringLiteral("note"), note},
            {QStringLiteral("moderatorId"), idString(who.userId)},
        };
        if (auto p = c->events.publish(tx, QStringLiteral("content.report.resolved"), QStringLiteral("report:%1").arg(id), payload); !p)
            return tl::unexpected(p.error());
        auto row = loadReport(tx, id);
        if (!row)
            return tl::unexpected(row.error());
        return HttpResponse::json(200, reportJson(*row, true));
    });
}

} // namespace

Result<void> registerReportRoutes(Router &router, ContentContext &ctx)
{
    ContentContext *c = &ctx;
    RouteOptions create = writeRoute();
    create.maxBodyBytes = qint64(ctx.config.reportDetailsMax) * 6 + 4096;
    if (auto r = router.add("POST", QStringLiteral("/v1/reports"),
                            [c](HttpRequest &req, const Responder &res) { createReport(c, req, res); }, create);
        !r)
        return r;
    // The queue is a read, but one that only moderators make: their API keys need content:moderate.
    const RouteOptions queue = RouteOptions::authenticated(Role::User, QLatin1String(kModerateScope));
    if (auto r = router.add("GET", QStringLiteral("/v1/reports"),
                            [c](HttpRequest &req, const Responder &res) { listReports(c, req, res); }, queue);
        !r)
        return r;
    if (auto r = router.add("POST", QStringLiteral("/v1/reports/{id}/resolve"),
                            [c](HttpRequest &req, const Responder &res) { resolveReport(c, req, res); }, moderateRoute());
        !r)
        return r;
    return {};
}

} // namespace Content
