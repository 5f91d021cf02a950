// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "searchroutes.h"

#include "querybuilder.h"
#include "searchservice.h"
#include "suggestkeys.h"
#include "textanalysis.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Community;
using namespace Community::Http;

namespace Search {

namespace {

using Json::iso;

QJsonValue idOrNull(const std::optional<qint64> &id)
{
    return id ? QJsonValue(QString::number(*id)) : QJsonValue(QJsonValue::Null);
}

QString param(const HttpRequest &req, const char *name)
{
    return queryValue(req, QString::fromLatin1(name));
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

const QStringList kKinds{QStringLiteral("post"), QStringLiteral("comment"), QStringLiteral("community"),
                         QStringLiteral("user")};

/// `sort`: relevance (default), new or top.
Sort sortParam(const HttpRequest &req, QList<FieldError> &errors)
{
    const QString sort = param(req, "sort");
    if (sort.isEmpty() || sort == QLatin1String("relevance"))
        return Sort::Relevance;
    if (sort == QLatin1String("new"))
        return Sort::New;
    if (sort == QLatin1String("top"))
        return Sort::Top;
    errors.append({QStringLiteral("sort"), QStringLiteral("must be relevance, new or top"), QStringLiteral("enum")});
    return Sort::Relevance;
}

/// The filters of GET /v1/search: type, community, author, tag, from, to.
void filterParams(const HttpRequest &req, SearchRequest &sr, QList<FieldError> &errors)
{
    sr.kind = param(req, "type");
    if (!sr.kind.isEmpty() && !kKinds.contains(sr.kind))
        errors.append({QStringLiteral("type"), QStringLiteral("must be post, comment, community or user"),
                       QStringLiteral("enum")});
    sr.community = textParam(req, "community", 64, errors);
    sr.author = textParam(req, "author", 64, errors);
    sr.tag = textParam(req, "tag", 64, errors);
    sr.from = dateParam(req, "from", errors);
    sr.to = dateParam(req, "to", errors);
}

/// Every parameter of GET /v1/search, or InvalidArgument with all field errors.
Result<SearchRequest> searchRequest(const HttpRequest &req, const SearchConfig &cfg)
{
    QList<FieldError> errors;
    SearchRequest sr;
    const QString q = param(req, "q");
    if (!q.trimmed().isEmpty()) {
        auto parsed = parseQuery(q, cfg);
        if (!parsed)
            errors.append(parsed.error().fields);
        else if (parsed->isEmpty())
            errors.append({QStringLiteral("q"), QStringLiteral("has no words to search for"), QStringLiteral("no_words")});
        else
            sr.query = *parsed;
    }
    filterParams(req, sr, errors);
    sr.sort = sortParam(req, errors);
    sr.limit = intParam(req, "limit", cfg.defaultLimit, 1, cfg.maxLimit, errors);
    if (const QString cursor = param(req, "cursor"); !cursor.isEmpty()) {
        if (auto o = decodeSearchCursor(cursor, cfg.maxOffset))
            sr.offset = *o;
        else
            errors.append({QStringLiteral("cursor"), QStringLiteral("is not a cursor from this search"),
                           QStringLiteral("invalid_cursor")});
    }
    const bool filtered = !sr.kind.isEmpty() || !sr.community.isEmpty() || !sr.author.isEmpty() || !sr.tag.isEmpty()
                          || sr.from || sr.to;
    if (errors.isEmpty() && q.trimmed().isEmpty() && !filtered)
        errors.append({QStringLiteral("q"), QStringLiteral("is required unless a filter is given"), QStringLiteral("required")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    sr.userId = req.principal.isAnonymous() ? 0 : req.principal.userId;
    return sr;
}

QJsonObject pageJson(const SearchRequest &sr, const SearchPage &page)
{
    QJsonArray items;
    for (const SearchHit &h : page.items)
        items.append(hitJson(h));
    return QJsonObject{
        {QStringLiteral("query"), sr.query.normalized},
        {QStringLiteral("queryId"), idOrNull(page.queryId)},
        {QStringLiteral("items"), items},
        {QStringLiteral("total"), double(page.total)},
        {QStringLiteral("totalExact"), page.totalExact},
        {QStringLiteral("fuzzy"), page.fuzzy},
        {QStringLiteral("correctedQuery"), page.fuzzy ? QJsonValue(page.correctedQuery) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("nextCursor"), page.nextOffset ? QJsonValue(encodeSearchCursor(*page.nextOffset))
                                                       : QJsonValue(QJsonValue::Null)},
    };
}

/// One format for the search API (docs/search.md "Response text"): text shown from the
/// index (hit titles, snippets, suggestion texts and details) is HTML-escaped, `<mark>` its
/// only markup; what is meant for an input box (`query`, `correctedQuery`, a suggestion's
/// `value`) is plain text. Suggestions used to send their text unescaped (issue 10).
QJsonObject suggestionJson(const Suggestion &s)
{
    return QJsonObject{{QStringLiteral("kind"), s.kind},
                       {QStringLiteral("ref"), s.ref},
                       {QStringLiteral("text"), s.text.toHtmlEscaped()},
                       {QStringLiteral("value"), s.text},
                       {QStringLiteral("detail"), Json::orNull(s.detail.toHtmlEscaped())},
                       {QStringLiteral("match"), s.match}};
}

/// The body of POST /v1/search/click.
Result<Click> clickBody(BodyReader &body)
{
    Click c;
    const auto queryId = body.id(QStringLiteral("queryId"), Presence::Required);
    c.kind = body.string(QStringLiteral("kind"), Presence::Required, 16).value_or(QString());
    if (!body.hasError(QStringLiteral("kind")) && !kKinds.contains(c.kind))
        body.addError(QStringLiteral("kind"), QStringLiteral("must be post, comment, community or user"), QStringLiteral("enum"));
    const auto id = body.id(QStringLiteral("id"), Presence::Required);
    const auto position = body.integer(QStringLiteral("position"), Presence::Required, 0, 100'000);
    if (auto valid = body.finish(); !valid)
        return tl::unexpected(valid.error());
    c.queryId = *queryId;
    c.resultId = *id;
    c.position = int(*position);
    return c;
}

/// Answers with the service's JSON object (status `status`) or its error.
template<typename F>
std::function<Result<HttpResponse>()> jsonJob(int status, F call)
{
    return [status, call]() -> Result<HttpResponse> {
        auto r = call();
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(status, *r);
    };
}

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

QList<Route> SearchRoutes::routes()
{
    const RouteOptions pub = RouteOptions().withBodyLimit(1024);
    const RouteOptions stats = RouteOptions::authenticated(Role::Moderator, QStringLiteral("search:read-stats"));
    const RouteOptions status = RouteOptions::authenticated(Role::Admin, QStringLiteral("search:admin"))
                                    .withRateClass(QStringLiteral("system"));
    const RouteOptions op = RouteOptions::operatorOnlyRoute().withBodyLimit(1024);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"GET", QStringLiteral("/v1/search"), pub, handler(&SearchRoutes::search)},
        {"GET", QStringLiteral("/v1/search/suggest"), pub, handler(&SearchRoutes::suggest)},
        {"POST", QStringLiteral("/v1/search/click"), pub, handler(&SearchRoutes::click)},
        {"GET", QStringLiteral("/v1/search/stats"), stats, handler(&SearchRoutes::stats)},
        {"GET", QStringLiteral("/v1/search/status"), status, handler(&SearchRoutes::status)},
        {"POST", QStringLiteral("/v1/search/reindex"), op, handler(&SearchRoutes::reindex)},
    };
}

void SearchRoutes::search(HttpRequest &req, const Responder &res)
{
    auto sr = searchRequest(req, m_service.config());
    if (!sr)
        return sendError(req, res, sr.error());
    m_db.respondWith(req, res, [svc = &m_service, sr = *sr]() -> Result<HttpResponse> {
        auto page = svc->search(sr);
        if (!page)
            return tl::unexpected(page.error());
        return HttpResponse::json(200, pageJson(sr, *page));
    });
}

void SearchRoutes::suggest(HttpRequest &req, const Responder &res)
{
    const SearchConfig &cfg = m_service.config();
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
        return sendError(req, res, invalidFields(errors));
    m_db.respondWith(req, res, [svc = &m_service, q, limit]() -> Result<HttpResponse> {
        auto list = svc->suggest(q, limit);
        if (!list)
            return tl::unexpected(list.error());
        QJsonArray items;
        for (const Suggestion &s : *list)
            items.append(suggestionJson(s));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("query"), q}, {QStringLiteral("items"), items}});
    });
}

void SearchRoutes::click(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    auto c = clickBody(*body);
    if (!c)
        return sendError(req, res, c.error());
    m_db.respondWith(req, res, [svc = &m_service, c = *c]() -> Result<HttpResponse> {
        if (auto r = svc->click(c); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void SearchRoutes::stats(HttpRequest &req, const Responder &res)
{
    QList<FieldError> errors;
    const int days = intParam(req, "days", 7, 1, m_service.config().statsMaxDays, errors);
    const int limit = intParam(req, "limit", 20, 1, 100, errors);
    if (!errors.isEmpty())
        return sendError(req, res, invalidFields(errors));
    m_db.respondWith(req, res, jsonJob(200, [svc = &m_service, days, limit] { return svc->stats(days, limit); }));
}

void SearchRoutes::status(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, jsonJob(200, [svc = &m_service] { return svc->status(); }));
}

void SearchRoutes::reindex(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, jsonJob(202, [svc = &m_service] { return svc->reindex(); }));
}

} // namespace Search
