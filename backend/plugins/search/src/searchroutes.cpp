// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "searchroutes.h"

#include "querybuilder.h"
#include "searchservice.h"
#include "suggestkeys.h"
#include "textanalysis.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/router.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Community;
using namespace Community::Http;

namespace Search {

namespace {

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue idOrNull(const std::optional<qint64> &id)
{
    return id ? QJsonValue(QString::number(*id)) : QJsonValue(QJsonValue::Null);
}

HttpResponse fieldsProblem(const QList<FieldError> &fields, const QString &requestId)
{
    Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("The request has invalid fields."));
    e.fields = fields;
    return problemFromError(e, requestId);
}

QString param(const HttpRequest &req, const char *name)
{
    return req.query.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
}

/// An integer query parameter within [min, max]; `def` when absent.
int intParam(const HttpRequest &req, const char *name, int def, int min, int max, QList<FieldError> &errors)
{
    const QString v = param(req, name);
    if (v.isEmpty())
        return def;
    bool ok = false;
    const int n = v.toInt(&ok);
    if (!ok || n < min || n > max) {
        errors.append({QString::fromLatin1(name), QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max),
                       QStringLiteral("range")});
        return def;
    }
    return n;
}

/// A date (2024-05-01, midnight UTC) or an ISO 8601 date-time with an offset.
std::optional<QDateTime> dateParam(const HttpRequest &req, const char *name, QList<FieldError> &errors)
{
    const QString v = param(req, name);
    if (v.isEmpty())
        return std::nullopt;
    QDateTime t;
    if (v.size() == 10) {
        const QDate d = QDate::fromString(v, Qt::ISODate);
        if (d.isValid())
            t = QDateTime(d, QTime(0, 0), Qt::UTC);
    } else if (v.size() <= 40) {
        t = QDateTime::fromString(v, Qt::ISODateWithMs);
    }
    if (!t.isValid()) {
        errors.append({QString::fromLatin1(name), QStringLiteral("must be a date (2024-05-01) or an ISO 8601 date-time"),
                       QStringLiteral("format")});
        return std::nullopt;
    }
    return t;
}

QString textParam(const HttpRequest &req, const char *name, int maxChars, QList<FieldError> &errors)
{
    const QString v = param(req, name).trimmed();
    if (v.size() > maxChars) {
        errors.append({QString::fromLatin1(name), QStringLiteral("is longer than %1 characters").arg(maxChars),
                       QStringLiteral("too_long")});
        return {};
    }
    return v;
}

QJsonObject hitJson(const SearchHit &h)
{
    QJsonObject o{
        {QStringLiteral("kind"), h.kind},
        {QStringLiteral("id"), QString::number(h.id)},
        {QStringLiteral("postId"), idOrNull(h.postId)},
        {QStringLiteral("title"), h.title},
        {QStringLiteral("snippet"), h.snippet},
        {QStringLiteral("community"), h.communityId ? QJsonValue(QJsonObject{{QStringLiteral("id"), QString::number(*h.communityId)},
                                                                             {QStringLiteral("slug"), h.communitySlug}})
                                                    : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("author"), h.authorId ? QJsonValue(QJsonObject{{QStringLiteral("id"), QString::number(*h.authorId)},
                                                                       {QStringLiteral("username"), h.authorName}})
                                              : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("tags"), QJsonArray::fromStringList(h.tags)},
        {QStringLiteral("score"), h.score},
        {QStringLiteral("createdAt"), iso(h.createdAt)},
        {QStringLiteral("rank"), std::round(h.rank * 1e6) / 1e6},
    };
    if (h.kind == QLatin1String("comment"))
        o.insert(QStringLiteral("postTitle"), h.postTitle);
    return o;
}

std::optional<qint64> positiveId(const QJsonValue &v)
{
    if (v.isString()) {
        bool ok = false;
        const qint64 id = v.toString().toLongLong(&ok);
        return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
    }
    if (v.isDouble() && v.toDouble() >= 1 && v.toDouble() < 9e15 && v.toDouble() == std::floor(v.toDouble()))
        return qint64(v.toDouble());
    return std::nullopt;
}

const QStringList kKinds{QStringLiteral("post"), QStringLiteral("comment"), QStringLiteral("community"),
                         QStringLiteral("user")};

} // namespace

QString encodeSearchCursor(int offset)
{
    return QString::fromLatin1(QByteArray("o:" + QByteArray::number(offset))
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<int> decodeSearchCursor(const QString &cursor, int maxOffset)
{
    if (cursor.size() > 32)
        return std::nullopt;
    const QByteArray raw = QByteArray::fromBase64(cursor.toLatin1(), QByteArray::Base64UrlEncoding);
    if (!raw.startsWith("o:"))
        return std::nullopt;
    bool ok = false;
    const int offset = raw.mid(2).toInt(&ok);
    if (!ok || offset < 0 || offset > maxOffset)
        return std::nullopt;
    return offset;
}

Result<void> registerSearchRoutes(Router &router, Db::Database &db, SearchService &service)
{
    const QString owner = QStringLiteral("search");
    RouteOptions pub;
    pub.owner = owner;
    pub.maxBodyBytes = 1024;
    RouteOptions click = pub;
    click.maxBodyBytes = 1024;
    RouteOptions stats = RouteOptions::authenticated(Role::Moderator, QStringLiteral("search:read-stats"));
    stats.owner = owner;
    RouteOptions status = RouteOptions::authenticated(Role::Admin, QStringLiteral("search:admin"));
    status.owner = owner;
    status.rateClass = QStringLiteral("system");
    RouteOptions op;
    op.owner = owner;
    op.operatorOnly = true;
    op.rateClass = QStringLiteral("system");
    op.maxBodyBytes = 1024;

    Db::Database *dbp = &db;
    SearchService *svc = &service;
    QList<Result<void>> results;

    results << router.add("GET", QStringLiteral("/v1/search"), [dbp, svc](HttpRequest &req, const Responder &res) {
        const SearchConfig &cfg = svc->config();
        QList<FieldError> errors;
        SearchRequest sr;
        const QString q = param(req, "q");
        if (!q.trimmed().isEmpty()) {
            auto parsed = parseQuery(q, cfg);
            if (!parsed) {
                errors.append(parsed.error().fields);
            } else if (parsed->isEmpty()) {
                errors.append({QStringLiteral("q"), QStringLiteral("has no words to search for"), QStringLiteral("no_words")});
            } else {
                sr.query = *parsed;
            }
        }
        sr.kind = param(req, "type");
        if (!sr.kind.isEmpty() && !kKinds.contains(sr.kind))
            errors.append({QStringLiteral("type"), QStringLiteral("must be post, comment, community or user"),
                           QStringLiteral("enum")});
        sr.community = textParam(req, "community", 64, errors);
        sr.author = textParam(req, "author", 64, errors);
        sr.tag = textParam(req, "tag", 64, errors);
        sr.from = dateParam(req, "from", errors);
        sr.to = dateParam(req, "to", errors);
        const QString sort = param(req, "sort");
        if (sort.isEmpty() || sort == QLatin1String("relevance"))
            sr.sort = Sort::Relevance;
        else if (sort == QLatin1String("new"))
            sr.sort = Sort::New;
        else if (sort == QLatin1String("top"))
            sr.sort = Sort::Top;
        else
            errors.append({QStringLiteral("sort"), QStringLiteral("must be relevance, new or top"), QStringLiteral("enum")});
        sr.limit = intParam(req, "limit", cfg.defaultLimit, 1, cfg.maxLimit, errors);
        const QString cursor = param(req, "cursor");
        if (!cursor.isEmpty()) {
            if (auto o = decodeSearchCursor(cursor, cfg.maxOffset))
                sr.offset = *o;
            else
                errors.append({QStringLiteral("cursor"), QStringLiteral("is not a cursor from this search"),
                               QStringLiteral("invalid_cursor")});
        }
        const bool filtered = !sr.kind.isEmpty() || !sr.community.isEmpty() || !sr.author.isEmpty() || !sr.tag.isEmpty()
                              || sr.from || sr.to;
        if (errors.isEmpty() && q.trimmed().isEmpty() && !filtered)
            errors.append({QStringLiteral("q"), QStringLiteral("is required unless a filter is given"),
                           QStringLiteral("required")});
        if (!errors.isEmpty())
            return void(res.send(fieldsProblem(errors, req.requestId)));
        sr.userId = req.principal.isAnonymous() ? 0 : req.principal.userId;
        dbp->respondWith(req, res, [svc, sr]() -> Result<HttpResponse> {
            auto page = svc->search(sr);
            if (!page)
                return tl::unexpected(page.error());
            QJsonArray items;
            for (const SearchHit &h : page->items)
                items.append(hitJson(h));
            return HttpResponse::json(200, QJsonObject{
                {QStringLiteral("query"), sr.query.normalized},
                {QStringLiteral("queryId"), idOrNull(page->queryId)},
                {QStringLiteral("items"), items},
                {QStringLiteral("total"), double(page->total)},
                {QStringLiteral("totalExact"), page->totalExact},
                {QStringLiteral("fuzzy"), page->fuzzy},
                {QStringLiteral("correctedQuery"), page->fuzzy ? QJsonValue(page->correctedQuery) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("nextCursor"), page->nextOffset ? QJsonValue(encodeSearchCursor(*page->nextOffset))
                                                                : QJsonValue(QJsonValue::Null)},
            });
        });
    }, pub);

    results << router.add("GET", QStringLiteral("/v1/search/suggest"), [dbp, svc](HttpRequest &req, const Responder &res) {
        const SearchConfig &cfg = svc->config();
        QList<FieldError> errors;
        const QString raw = param(req, "q");
        const QString q = normalizeForSuggest(raw.left(cfg.maxSuggestLength * 4));
        if (q.isEmpty())
            errors.append({QStringLiteral("q"), QStringLiteral("is required"), QStringLiteral("required")});
        else if (raw.size() > cfg.maxSuggestLength)
            errors.append({QStringLiteral("q"), QStringLiteral("is longer than %1 characters").arg(cfg.maxSuggestLength),
                           QStringLiteral("too_long")});
        const int limit = intParam(req, "limit", cfg.suggestLimit, 1, cfg.suggestLimit, errors);
        if (!errors.isEmpty())
            return void(res.send(fieldsProblem(errors, req.requestId)));
        dbp->respondWith(req, res, [svc, q, limit]() -> Result<HttpResponse> {
            auto list = svc->suggest(q, limit);
            if (!list)
                return tl::unexpected(list.error());
            QJsonArray items;
            for (const Suggestion &s : *list) {
                items.append(QJsonObject{{QStringLiteral("kind"), s.kind},
                                         {QStringLiteral("ref"), s.ref},
                                         {QStringLiteral("text"), s.text},
                                         {QStringLiteral("detail"), s.detail.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s.detail)},
                                         {QStringLiteral("match"), s.match}});
            }
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("query"), q}, {QStringLiteral("items"), items}});
        });
    }, pub);

    results << router.add("POST", QStringLiteral("/v1/search/click"), [dbp, svc](HttpRequest &req, const Responder &res) {
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
        if (perr.error != QJsonParseError::NoError || !doc.isObject())
            return void(res.send(problem(400, QStringLiteral("invalid-json"), QStringLiteral("Bad Request"),
                                         QStringLiteral("The body must be a JSON object."), {}, req.requestId)));
        const QJsonObject body = doc.object();
        QList<FieldError> errors;
        Click c;
        const auto queryId = positiveId(body.value(QStringLiteral("queryId")));
        if (!queryId)
            errors.append({QStringLiteral("queryId"), QStringLiteral("must be the queryId of a search"), QStringLiteral("required")});
        c.kind = body.value(QStringLiteral("kind")).toString();
        if (!kKinds.contains(c.kind))
            errors.append({QStringLiteral("kind"), QStringLiteral("must be post, comment, community or user"), QStringLiteral("enum")});
        const auto id = positiveId(body.value(QStringLiteral("id")));
        if (!id)
            errors.append({QStringLiteral("id"), QStringLiteral("must be the id of a result"), QStringLiteral("required")});
        const QJsonValue pos = body.value(QStringLiteral("position"));
        if (!pos.isDouble() || pos.toDouble() < 0 || pos.toDouble() > 100'000 || pos.toDouble() != std::floor(pos.toDouble()))
            errors.append({QStringLiteral("position"), QStringLiteral("must be the result's 0-based position"), QStringLiteral("range")});
        for (auto it = body.begin(); it != body.end(); ++it) {
            static const QStringList known{QStringLiteral("queryId"), QStringLiteral("kind"), QStringLiteral("id"),
                                           QStringLiteral("position")};
            if (!known.contains(it.key()))
                errors.append({it.key(), QStringLiteral("is not a known field"), QStringLiteral("unknown")});
        }
        if (!errors.isEmpty())
            return void(res.send(fieldsProblem(errors, req.requestId)));
        c.queryId = *queryId;
        c.resultId = *id;
        c.position = int(pos.toDouble());
        dbp->respondWith(req, res, [svc, c]() -> Result<HttpResponse> {
            if (auto r = svc->click(c); !r)
                return tl::unexpected(r.error());
            return HttpResponse::empty(204);
        });
    }, click);

    results << router.add("GET", QStringLiteral("/v1/search/stats"), [dbp, svc](HttpRequest &req, const Responder &res) {
        QList<FieldError> errors;
        const int days = intParam(req, "days", 7, 1, svc->config().statsMaxDays, errors);
        const int limit = intParam(req, "limit", 20, 1, 100, errors);
        if (!errors.isEmpty())
            return void(res.send(fieldsProblem(errors, req.requestId)));
        dbp->respondWith(req, res, [svc, days, limit]() -> Result<HttpResponse> {
            auto s = svc->stats(days, limit);
            if (!s)
                return tl::unexpected(s.error());
            return HttpResponse::json(200, *s);
        });
    }, stats);

    results << router.add("GET", QStringLiteral("/v1/search/status"), [dbp, svc](HttpRequest &req, const Responder &res) {
        dbp->respondWith(req, res, [svc]() -> Result<HttpResponse> {
            auto s = svc->status();
            if (!s)
                return tl::unexpected(s.error());
            return HttpResponse::json(200, *s);
        });
    }, status);

    results << router.add("POST", QStringLiteral("/v1/search/reindex"), [dbp, svc](HttpRequest &req, const Responder &res) {
        dbp->respondWith(req, res, [svc]() -> Result<HttpResponse> {
            auto s = svc->reindex();
            if (!s)
                return tl::unexpected(s.error());
            return HttpResponse::json(202, *s);
        });
    }, op);

    for (const auto &r : results) {
        if (!r)
            return r;
    }
    return {};
}

} // namespace Search
