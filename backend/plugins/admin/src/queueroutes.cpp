// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "queueroutes.h"

#include "community/clock.h"

#include "decisionservice.h"
#include "queueservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Community;
using namespace Community::Http;
using Community::Json::idString;

namespace Admin {

namespace {

constexpr int kNoteMax = 2000;
constexpr int kReasonMax = 1000;
/// Items one bulk request may decide: each is a decision of its own (contract calls and a
/// transaction), so a request stays well under a minute even on a slow node.
constexpr int kBulkMax = 100;
const QStringList kTargetTypes{QStringLiteral("post"), QStringLiteral("comment"), QStringLiteral("chat_message")};
const QStringList kStatuses{QStringLiteral("open"), QStringLiteral("resolved")};

QJsonValue idOrNull(qint64 id)
{
    return id ? QJsonValue(idString(id)) : QJsonValue();
}

QJsonObject itemJson(const QueueItem &i)
{
    QJsonValue claim;
    if (i.claimActive())
        claim = QJsonObject{{QStringLiteral("holderId"), idString(i.claimHolderId)},
                            {QStringLiteral("holder"), i.claimHolderName},
                            {QStringLiteral("expiresAt"), Json::iso(i.claimExpiresAt)}};
    return QJsonObject{
        {QStringLiteral("id"), idString(i.id)},
        {QStringLiteral("kind"), i.kind},
        {QStringLiteral("target"), QJsonObject{{QStringLiteral("type"), i.targetType}, {QStringLiteral("id"), idString(i.targetId)}}},
        {QStringLiteral("communityId"), idString(i.communityId)},
        {QStringLiteral("status"), i.status},
        {QStringLiteral("priority"), i.priority},
        {QStringLiteral("openReports"), i.openReports},
        {QStringLiteral("reasons"), QJsonArray::fromStringList(i.reasons)},
        {QStringLiteral("assigneeId"), idOrNull(i.assigneeId)},
        {QStringLiteral("claim"), claim},
        {QStringLiteral("decisionId"), idOrNull(i.decisionId)},
        {QStringLiteral("quarantineDecisionId"), idOrNull(i.quarantineDecisionId)},
        {QStringLiteral("createdAt"), Json::iso(i.createdAt)},
        {QStringLiteral("updatedAt"), Json::iso(i.updatedAt)},
        {QStringLiteral("resolvedAt"), Json::isoOrNull(i.resolvedAt)},
    };
}

QJsonObject detailJson(const ItemDetail &d)
{
    QJsonObject o = itemJson(d.item);
    QJsonArray reports, notes;
    for (const QueueReport &r : d.reports)
        reports.append(QJsonObject{{QStringLiteral("id"), idString(r.reportId)},
                                   {QStringLiteral("reporterId"), idString(r.reporterId)},
                                   {QStringLiteral("reporterRole"), r.reporterRole},
                                   {QStringLiteral("reason"), r.reason},
                                   {QStringLiteral("outcome"), r.outcome.isEmpty() ? QJsonValue() : QJsonValue(r.outcome)},
                                   {QStringLiteral("createdAt"), Json::isoOrNull(r.createdAt)}});
    for (const QueueNote &n : d.notes)
        notes.append(QJsonObject{{QStringLiteral("id"), idString(n.id)},
                                 {QStringLiteral("author"), QJsonObject{{QStringLiteral("id"), idString(n.authorId)},
                                                                        {QStringLiteral("username"), n.authorName}}},
                                 {QStringLiteral("body"), n.body},
                                 {QStringLiteral("createdAt"), Json::iso(n.createdAt)}});
    o.insert(QStringLiteral("reports"), reports);
    o.insert(QStringLiteral("notes"), notes);
    return o;
}

Result<HttpResponse> detailAnswer(const Result<ItemDetail> &d)
{
    if (!d)
        return tl::unexpected(d.error());
    return HttpResponse::json(200, detailJson(*d));
}

/// A query value that must be one of `allowed` (empty allowed = any).
QString queryChoice(const HttpRequest &req, const QString &name, const QStringList &allowed, QList<FieldError> &errors)
{
    const QString v = queryValue(req, name);
    if (!v.isEmpty() && !allowed.contains(v))
        errors.append({name, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))),
                       QStringLiteral("invalid_choice")});
    return v;
}

qint64 queryId(const HttpRequest &req, const QString &name, QList<FieldError> &errors)
{
    const QString v = queryValue(req, name);
    if (v.isEmpty())
        return 0;
    const auto id = parseId(v);
    if (!id)
        errors.append({name, QStringLiteral("must be an id"), QStringLiteral("invalid")});
    return id.value_or(0);
}

Result<QueueFilter> readFilter(const HttpRequest &req)
{
    if (auto r = checkQuery(req, {QStringLiteral("status"), QStringLiteral("targetType"), QStringLiteral("community"),
                                  QStringLiteral("assignee"), QStringLiteral("reason"), QStringLiteral("limit"),
                                  QStringLiteral("cursor")});
        !r)
        return tl::unexpected(r.error());
    QueueFilter f;
    QList<FieldError> errors;
    const QString status = queryChoice(req, QStringLiteral("status"), kStatuses, errors);
    if (!status.isEmpty())
        f.status = status;
    f.targetType = queryChoice(req, QStringLiteral("targetType"), kTargetTypes, errors);
    f.communityId = queryId(req, QStringLiteral("community"), errors);
    f.assigneeId = queryId(req, QStringLiteral("assignee"), errors);
    f.reason = queryValue(req, QStringLiteral("reason"));
    if (f.reason.size() > 64)
        errors.append({QStringLiteral("reason"), QStringLiteral("at most 64 characters"), QStringLiteral("too_long")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    auto cursor = queryCursor(req, QLatin1StringView("aq"), 2);
    if (!cursor)
        return tl::unexpected(cursor.error());
    if (*cursor)
        f.after = std::pair{(**cursor)[0], (**cursor)[1]};
    return f;
}

/// {"actions": [{"type": "silence", "days": 3}, ...], "reason": "..."}
Result<DecisionInput> readDecision(BodyReader &body)
{
    DecisionInput in;
    const auto actions = body.array(QStringLiteral("actions"), Presence::Required);
    in.reason = body.text(QStringLiteral("reason"), {kReasonMax, Presence::Required, true}).value_or(QString());
    if (actions && actions->size() > 8)
        body.addError(QStringLiteral("actions"), QStringLiteral("at most 8 actions"), QStringLiteral("too_long"));
    for (qsizetype i = 0; actions && i < actions->size() && i < 8; ++i) {
        BodyReader item(actions->at(i).toObject());
        const QString field = QStringLiteral("actions[%1]").arg(i);
        const auto type = item.string(QStringLiteral("type"), Presence::Required, 32);
        const auto days = item.integer(QStringLiteral("days"), Presence::Optional, 0, 100000);
        const auto kind = type ? parseActionKind(*type) : std::nullopt;
        if (!actions->at(i).isObject() || (type && !kind))
            body.addError(field + QStringLiteral(".type"),
                          QStringLiteral("dismiss, remove, hide, restore, warn, silence, suspend, ban or quarantine"),
                          QStringLiteral("invalid_choice"));
        if (auto r = item.finish(); !r) {
            for (FieldError e : r.error().fields) {
                e.field = field + QLatin1Char('.') + e.field;
                body.addError(e);
            }
        }
        if (kind)
            in.actions.append({*kind, int(days.value_or(0))});
    }
    if (actions && !body.hasError(QStringLiteral("actions")))
        for (const FieldError &e : checkActions(in.actions))
            body.addError(e);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return in;
}

/// {"items": ["12", ...], "dryRun": false, ...decision}: the selection, 1..kBulkMax distinct
/// ids. More is 413 `selection-too-large` before anything else is read.
Result<QList<qint64>> readSelection(BodyReader &body)
{
    const auto items = body.array(QStringLiteral("items"), Presence::Required);
    if (items && items->size() > kBulkMax) {
        Error e = Error::make(ErrorCode::PayloadTooLarge,
                              QStringLiteral("At most %1 items can be decided in one request.").arg(kBulkMax));
        e.type = QStringLiteral("selection-too-large");
        e.fields.append({QStringLiteral("items"), QStringLiteral("at most %1 items").arg(kBulkMax), QStringLiteral("too_long")});
        return tl::unexpected(e);
    }
    QList<qint64> ids;
    if (items && items->isEmpty())
        body.addError(QStringLiteral("items"), QStringLiteral("at least one item"), QStringLiteral("required"));
    for (qsizetype i = 0; items && i < items->size(); ++i) {
        const QJsonValue v = items->at(i);
        const auto id = v.isString() ? parseId(v.toString()) : std::nullopt;
        if (!id) {
            body.addError(QStringLiteral("items[%1]").arg(i), QStringLiteral("must be an item id"), QStringLiteral("invalid"));
            continue;
        }
        if (ids.contains(*id))
            body.addError(QStringLiteral("items[%1]").arg(i), QStringLiteral("item %1 appears twice").arg(*id),
                          QStringLiteral("duplicate"));
        ids.append(*id);
    }
    return ids;
}

/// A problem+json object for one item of a bulk answer, as the single route would send it.
QJsonObject problemJson(const Error &e)
{
    return QJsonDocument::fromJson(problemFromError(e).body).object();
}

QJsonObject decisionJson(const DecisionResult &d)
{
    QJsonArray penalties;
    for (qint64 p : d.penaltyIds)
        penalties.append(idString(p));
    return QJsonObject{{QStringLiteral("decisionId"), idString(d.decisionId)},
                       {QStringLiteral("interim"), d.interim},
                       {QStringLiteral("undoableUntil"), Json::isoOrNull(d.undoableUntil)},
                       {QStringLiteral("item"), detailJson(d.detail)},
                       {QStringLiteral("penalties"), penalties},
                       {QStringLiteral("reportersNotified"), d.reportersNotified}};
}

/// The item id of the path and the parsed body; nullopt when either was answered (404, 400).
std::optional<std::pair<qint64, BodyReader>> itemAndBody(const HttpRequest &req, const Responder &res, bool allowEmpty)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("queue item"));
    if (!id) {
        sendError(req, res, id.error());
        return std::nullopt;
    }
    auto body = readBody(req, res, allowEmpty);
    if (!body)
        return std::nullopt;
    return std::pair{*id, std::move(*body)};
}

} // namespace

QList<Route> QueueRoutes::routes()
{
    const RouteOptions mod = RouteOptions::authenticated(Role::Moderator, QString::fromLatin1(kModerateScope));
    return {
        {"GET", QStringLiteral("/v1/admin/queue"), mod, memberHandler(this, &QueueRoutes::list)},
        {"GET", QStringLiteral("/v1/admin/queue/{id}"), mod, memberHandler(this, &QueueRoutes::show)},
        {"POST", QStringLiteral("/v1/admin/queue/{id}/claim"), mod, memberHandler(this, &QueueRoutes::claim)},
        {"DELETE", QStringLiteral("/v1/admin/queue/{id}/claim"), mod, memberHandler(this, &QueueRoutes::release)},
        {"POST", QStringLiteral("/v1/admin/queue/{id}/notes"), mod, memberHandler(this, &QueueRoutes::note)},
        {"PUT", QStringLiteral("/v1/admin/queue/{id}/assignee"), mod, memberHandler(this, &QueueRoutes::assign)},
        {"POST", QStringLiteral("/v1/admin/queue/{id}/decision"), mod, memberHandler(this, &QueueRoutes::decide)},
        {"POST", QStringLiteral("/v1/admin/queue/decisions"), mod, memberHandler(this, &QueueRoutes::decideMany)},
        {"POST", QStringLiteral("/v1/admin/decisions/{id}/undo"), mod, memberHandler(this, &QueueRoutes::undo)},
        {"GET", QStringLiteral("/v1/admin/penalties/{userId}"), mod, memberHandler(this, &QueueRoutes::penalties)},
    };
}

void QueueRoutes::list(Request &req, const Responder &res)
{
    auto filter = readFilter(req);
    if (!filter)
        return sendError(req, res, filter.error());
    const AdminConfig config = m_queue.config();   // one snapshot: the sizes change at runtime
    auto limit = queryLimit(req, config.defaultPageSize, config.maxPageSize);
    if (!limit)
        return sendError(req, res, limit.error());
    m_db.respondWith(req, res, [svc = &m_queue, f = *filter, n = *limit]() -> Result<HttpResponse> {
        auto rows = svc->list(f, n + 1);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        for (int i = 0; i < rows->size() && i < n; ++i)
            items.append(itemJson(rows->at(i)));
        QJsonValue next;
        if (rows->size() > n)
            next = encodeCursor(QLatin1StringView("aq"), {qint64(rows->at(n - 1).priority), rows->at(n - 1).id});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void QueueRoutes::show(Request &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("queue item"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_queue, id = *id]() { return detailAnswer(svc->show(id)); });
}

void QueueRoutes::claim(Request &req, const Responder &res)
{
    auto parsed = itemAndBody(req, res, true);
    if (!parsed)
        return;
    const qint64 *id = &parsed->first;
    BodyReader *body = &parsed->second;
    const bool takeover = body->boolean(QStringLiteral("takeover"), Presence::Optional).value_or(false);
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [this, who = req.principal, id = *id, takeover]() {
        return claimAnswer(m_queue.claim(who, id, takeover), takeover);
    });
}

Result<HttpResponse> QueueRoutes::claimAnswer(const Result<ItemDetail> &d, bool takeover) const
{
    if (d && m_claimChanged) {
        const QJsonObject item = itemJson(d->item);
        const QJsonValue claim = item.value(QStringLiteral("claim"));
        m_claimChanged({{QStringLiteral("kind"), claim.isObject() ? QStringLiteral("queue.claimed") : QStringLiteral("queue.released")},
                        {QStringLiteral("itemId"), item.value(QStringLiteral("id"))},
                        {QStringLiteral("claim"), claim},
                        {QStringLiteral("takeover"), takeover}});
    }
    return detailAnswer(d);
}

void QueueRoutes::release(Request &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("queue item"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [this, who = req.principal, id = *id]() { return claimAnswer(m_queue.release(who, id), false); });
}

void QueueRoutes::note(Request &req, const Responder &res)
{
    auto parsed = itemAndBody(req, res, false);
    if (!parsed)
        return;
    const qint64 *id = &parsed->first;
    BodyReader *body = &parsed->second;
    const QString text = body->text(QStringLiteral("body"), {kNoteMax, Presence::Required, true}).value_or(QString());
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_queue, who = req.principal, id = *id, text]() {
        auto d = svc->addNote(who, id, text);
        if (!d)
            return Result<HttpResponse>(tl::unexpected(d.error()));
        return Result<HttpResponse>(HttpResponse::json(201, detailJson(*d)));
    });
}

void QueueRoutes::assign(Request &req, const Responder &res)
{
    auto parsed = itemAndBody(req, res, false);
    if (!parsed)
        return;
    const qint64 *id = &parsed->first;
    BodyReader *body = &parsed->second;
    if (!body->has(QStringLiteral("assigneeId")))
        body->addError(QStringLiteral("assigneeId"), QStringLiteral("is required (null to unassign)"), QStringLiteral("required"));
    const qint64 assignee = body->id(QStringLiteral("assigneeId"), Presence::Optional).value_or(0);
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_queue, who = req.principal, id = *id, assignee]() {
        return detailAnswer(svc->assign(who, id, assignee));
    });
}

void QueueRoutes::decide(Request &req, const Responder &res)
{
    auto parsed = itemAndBody(req, res, false);
    if (!parsed)
        return;
    const qint64 *id = &parsed->first;
    BodyReader *body = &parsed->second;
    const auto input = readDecision(*body);
    if (!input)
        return sendError(req, res, input.error());
    m_db.respondWith(req, res, [svc = &m_decisions, who = req.principal, id = *id, in = *input]() -> Result<HttpResponse> {
        auto d = svc->decide(who, id, in);
        if (!d)
            return tl::unexpected(d.error());
        return HttpResponse::json(200, decisionJson(*d));
    });
}

void QueueRoutes::decideMany(Request &req, const Responder &res)
{
    auto body = readBody(req, res, false);
    if (!body)
        return;
    auto items = readSelection(*body);
    if (!items)
        return sendError(req, res, items.error());
    const bool dryRun = body->boolean(QStringLiteral("dryRun"), Presence::Optional).value_or(false);
    const auto input = readDecision(*body);
    if (!input)
        return sendError(req, res, input.error());
    // Each item is decided on its own (its own contract calls and transaction): one that
    // fails is reported in its row and the others still go ahead.
    m_db.respondWith(req, res, [svc = &m_decisions, who = req.principal, ids = *items, in = *input, dryRun]() -> Result<HttpResponse> {
        QJsonArray results;
        int succeeded = 0;
        for (qint64 id : ids) {
            QJsonObject row{{QStringLiteral("id"), idString(id)}};
            if (dryRun) {
                const auto ok = svc->check(who, id, in);
                row.insert(QStringLiteral("status"), ok ? QStringLiteral("ready") : QStringLiteral("failed"));
                if (!ok)
                    row.insert(QStringLiteral("problem"), problemJson(ok.error()));
                succeeded += ok ? 1 : 0;
            } else if (const auto d = svc->decide(who, id, in); d) {
                row.insert(QStringLiteral("status"), d->interim ? QStringLiteral("quarantined") : QStringLiteral("decided"));
                row.insert(QStringLiteral("decisionId"), idString(d->decisionId));
                row.insert(QStringLiteral("undoableUntil"), Json::isoOrNull(d->undoableUntil));
                ++succeeded;
            } else {
                if (d.error().code == ErrorCode::Internal)
                    qWarning().noquote() << "admin: bulk decision on item" << id << "failed:" << d.error().logDetail;
                row.insert(QStringLiteral("status"), QStringLiteral("failed"));
                row.insert(QStringLiteral("problem"), problemJson(d.error()));
            }
            results.append(row);
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("dryRun"), dryRun},
                                                   {QStringLiteral("results"), results},
                                                   {QStringLiteral("succeeded"), succeeded},
                                                   {QStringLiteral("failed"), int(ids.size()) - succeeded}});
    });
}

void QueueRoutes::undo(Request &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("decision"));
    if (!id)
        return sendError(req, res, id.error());
    auto body = readBody(req, res, false);
    if (!body)
        return;
    const QString reason = body->text(QStringLiteral("reason"), {kReasonMax, Presence::Required, true}).value_or(QString());
    const bool dryRun = body->boolean(QStringLiteral("dryRun"), Presence::Optional).value_or(false);
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_decisions, who = req.principal, id = *id, reason, dryRun]() -> Result<HttpResponse> {
        auto u = svc->undo(who, id, reason, dryRun);
        if (!u)
            return tl::unexpected(u.error());
        QJsonArray lifted;
        for (qint64 p : u->liftedPenalties)
            lifted.append(idString(p));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("decisionId"), idString(u->decisionId)},
                                                   {QStringLiteral("undone"), !dryRun},
                                                   {QStringLiteral("dryRun"), dryRun},
                                                   {QStringLiteral("item"), detailJson(u->detail)},
                                                   {QStringLiteral("liftedPenalties"), lifted},
                                                   {QStringLiteral("reportersCorrected"), u->reportersCorrected}});
    });
}

void QueueRoutes::penalties(Request &req, const Responder &res)
{
    const auto user = pathId(req, QStringLiteral("userId"), QStringLiteral("user"));
    if (!user)
        return sendError(req, res, user.error());
    m_db.respondWith(req, res, [svc = &m_decisions, user = *user]() -> Result<HttpResponse> {
        auto list = svc->penaltiesOf(user);
        if (!list)
            return tl::unexpected(list.error());
        QJsonArray items;
        for (const Penalty &p : *list)
            items.append(QJsonObject{{QStringLiteral("id"), idString(p.id)},
                                     {QStringLiteral("kind"), p.kind},
                                     {QStringLiteral("reason"), p.reason},
                                     {QStringLiteral("decisionId"), idOrNull(p.decisionId)},
                                     {QStringLiteral("createdBy"), idString(p.createdBy)},
                                     {QStringLiteral("createdAt"), Json::iso(p.createdAt)},
                                     {QStringLiteral("endsAt"), Json::isoOrNull(p.endsAt)},
                                     {QStringLiteral("liftedAt"), Json::isoOrNull(p.liftedAt)},
                                     {QStringLiteral("active"), !p.liftedAt.isValid()
                                                                    && (!p.endsAt.isValid() || p.endsAt > Clock::nowUtc(QStringLiteral("admin")))}});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

} // namespace Admin
