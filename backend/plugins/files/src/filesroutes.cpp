// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "filesroutes.h"

#include "downloadresponse.h"
#include "filesservice.h"
#include "multipart.h"
#include "multipartupload.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Files {

namespace {

/// problem+json for a files error: type refusals are 415, content refusals 422, the rest
/// as the error code says.
HttpResponse filesProblem(const Error &e, const QString &requestId)
{
    static const QStringList unsupported{QStringLiteral("svg-refused"), QStringLiteral("unsupported-file-type"),
                                         QStringLiteral("type-mismatch")};
    static const QStringList unprocessable{QStringLiteral("polyglot-file"), QStringLiteral("truncated-file"),
                                           QStringLiteral("empty-file"), QStringLiteral("image-too-large"),
                                           QStringLiteral("animated-image-refused"), QStringLiteral("file-infected")};
    int status = 0;
    if (unsupported.contains(e.type))
        status = 415;
    else if (unprocessable.contains(e.type))
        status = 422;
    if (!status)
        return problemFromError(e, requestId);
    return problem(status, e.type, QString::fromLatin1(reasonPhrase(status)), e.message, e.fields, requestId);
}

QJsonObject fileJson(const FileRecord &f)
{
    return QJsonObject{
        {QStringLiteral("id"), Json::idString(f.id)},
        {QStringLiteral("ownerId"), Json::idString(f.ownerId)},
        {QStringLiteral("purpose"), f.purpose},
        {QStringLiteral("name"), f.name},
        {QStringLiteral("mediaType"), f.mediaType},
        {QStringLiteral("size"), f.size},
        {QStringLiteral("sha256"), QString::fromLatin1(f.sha256)},
        {QStringLiteral("url"), contentPath(f.id)},
        {QStringLiteral("createdAt"), Json::iso(f.createdAt)},
    };
}

QJsonArray names(const QList<QByteArray> &list)
{
    QJsonArray a;
    for (const QByteArray &n : list)
        a.append(QString::fromLatin1(n));
    return a;
}

} // namespace

QList<Route> FilesRoutes::routes()
{
    const qint64 largest = m_service.config().largestLimit();
    const QHash<QString, PurposePolicy> purposes = m_service.config().purposes;
    RouteOptions up = RouteOptions::authenticated(Role::User, QStringLiteral("files:write"))
                          .withRateClass(QStringLiteral("write"))
                          .withContentTypes({})
                          .withStreamedBody(largest);
    // The purpose's own limit applies while the body streams, not after.
    up.streamLimit = [purposes](const HttpRequest &r) -> qint64 {
        const auto p = purposes.constFind(r.query.queryItemValue(QStringLiteral("purpose")));
        // A form's envelope (boundaries, part headers, text fields) on top of the file.
        const qint64 envelope = multipartBoundary(r.header("content-type")) ? 64 * 1024 : 0;
        return p == purposes.constEnd() ? -1 : p->maxBytes + envelope;
    };
    const RouteOptions pub;
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("files:write")).withBodyLimit(1024);
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("files:read"));
    const RouteOptions op = RouteOptions::operatorOnlyRoute().withBodyLimit(0);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"POST", QStringLiteral("/v1/files"), up, handler(&FilesRoutes::upload)},
        {"PUT", QStringLiteral("/v1/files/uploads/{name}"), up, handler(&FilesRoutes::upload)},
        {"GET", QStringLiteral("/v1/files/quota"), read, handler(&FilesRoutes::quota)},
        {"GET", QStringLiteral("/v1/files/{id}"), pub, handler(&FilesRoutes::metadata)},
        {"GET", QStringLiteral("/v1/files/{id}/content"), pub, handler(&FilesRoutes::content)},
        {"GET", QStringLiteral("/v1/files/{id}/variants/{variant}"), pub, handler(&FilesRoutes::variant)},
        {"POST", QStringLiteral("/v1/files/{id}/signed-url"), write, handler(&FilesRoutes::signedUrl)},
        {"DELETE", QStringLiteral("/v1/files/{id}"), write, handler(&FilesRoutes::remove)},
        {"GET", QStringLiteral("/v1/system/files/stats"), op, handler(&FilesRoutes::stats)},
        {"POST", QStringLiteral("/v1/system/files/gc"), op, handler(&FilesRoutes::gc)},
        {"GET", QStringLiteral("/v1/system/files/verify"), op, handler(&FilesRoutes::verify)},
        {"GET", QStringLiteral("/v1/system/files/quota"), op, handler(&FilesRoutes::userQuota)},
        {"GET", QStringLiteral("/v1/system/files/quarantine"), op, handler(&FilesRoutes::quarantine)},
    };
}

void FilesRoutes::upload(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {QStringLiteral("purpose"), QStringLiteral("name")}); !q)
        return sendError(req, res, q.error());
    UploadInput in;
    in.ownerId = req.principal.userId;
    in.purpose = queryValue(req, QStringLiteral("purpose"));
    in.name = req.pathParams.contains(QStringLiteral("name")) ? req.pathParams.value(QStringLiteral("name"))
                                                             : queryValue(req, QStringLiteral("name"));
    in.declaredType = QString::fromLatin1(req.header("content-type"));
    in.body = req.spooled;
    in.byAdmin = req.principal.hasRole(Role::Admin);
    // multipart/form-data (RFC 7578) on the same route: the file part becomes the body.
    const auto boundary = multipartBoundary(req.header("content-type"));
    if (boundary && !*boundary) {
        res.send(filesProblem(boundary->error(), req.requestId));
        return;
    }
    const bool purposeGiven = req.query.hasQueryItem(QStringLiteral("purpose"));
    const bool nameGiven = req.pathParams.contains(QStringLiteral("name")) || req.query.hasQueryItem(QStringLiteral("name"));
    m_db.respondWith(req, res, [svc = &m_service, in, rid = req.requestId, form = boundary ? **boundary : QByteArray(),
                                purposeGiven, nameGiven]() mutable -> Result<HttpResponse> {
        if (!form.isEmpty() && in.body) {
            if (auto read = readMultipartUpload(in, form, purposeGiven, nameGiven); !read)
                return filesProblem(read.error(), rid);
        }
        auto r = svc->upload(in);
        in.body.reset();   // the temporary file goes before the answer does
        if (!r)
            return filesProblem(r.error(), rid);
        QJsonObject o = fileJson(r->file);
        o.insert(QStringLiteral("deduplicated"), r->deduplicated);
        if (!r->quarantined.isEmpty())
            o.insert(QStringLiteral("quarantined"), true);   // stored, never served (ADR 0031)
        HttpResponse resp = HttpResponse::json(201, o);
        resp.setHeader("Location", contentPath(r->file.id).chopped(8).toUtf8());
        return resp;
    });
}

void FilesRoutes::metadata(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("file"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, id = *id, who = req.principal]() -> Result<HttpResponse> {
        auto f = svc->readable(id, who, {}, {});
        if (!f)
            return tl::unexpected(f.error());
        return HttpResponse::json(200, fileJson(*f));
    });
}

void FilesRoutes::content(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("file"));
    if (!id)
        return sendError(req, res, id.error());
    DownloadHeaders h{req.header("if-none-match"), req.header("if-range"), req.header("range"), true};
    m_db.respondWith(req, res, [svc = &m_service, id = *id, who = req.principal, path = req.path, query = req.query,
                                h]() mutable -> Result<HttpResponse> {
        auto f = svc->readable(id, who, path, query);
        if (!f)
            return tl::unexpected(f.error());
        h.isPublic = svc->config().purposes.value(f->purpose).isPublic;
        return downloadResponse(svc->store(), *f, h);
    });
}

void FilesRoutes::variant(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("file"));
    if (!id)
        return sendError(req, res, id.error());
    const QByteArray ifNoneMatch = req.header("if-none-match");
    m_db.respondWith(req, res, [svc = &m_service, id = *id, who = req.principal, path = req.path, query = req.query,
                                name = req.pathParams.value(QStringLiteral("variant")), ifNoneMatch]() -> Result<HttpResponse> {
        auto f = svc->readable(id, who, path, query);
        if (!f)
            return tl::unexpected(f.error());
        const QByteArray etag = '"' + f->sha256 + '-' + name.toLatin1() + '"';
        HttpResponse r;
        if (!ifNoneMatch.isNull() && ifNoneMatch.contains(etag)) {
            r.status = 304;
        } else {
            auto bytes = svc->variant(*f, name);
            if (!bytes)
                return tl::unexpected(bytes.error());
            r.body = *bytes;
            r.setHeader("Content-Type", name.endsWith(QLatin1String(".webp")) ? "image/webp" : "image/jpeg");
        }
        r.setHeader("ETag", etag);
        r.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        r.setHeader("X-Content-Type-Options", "nosniff");
        r.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        return r;
    });
}

void FilesRoutes::signedUrl(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("file"));
    if (!id)
        return sendError(req, res, id.error());
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const auto ttl = body->integer(QStringLiteral("expiresIn"), Presence::Optional, 1,
                                   m_service.config().maxSignedTtlSeconds);
    if (auto f = body->finish(); !f)
        return sendError(req, res, f.error());
    m_db.respondWith(req, res, [svc = &m_service, id = *id, who = req.principal, ttl = ttl.value_or(3600)]() -> Result<HttpResponse> {
        auto url = svc->signedUrl(id, who, ttl);
        if (!url)
            return tl::unexpected(url.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("url"), *url}, {QStringLiteral("expiresIn"), ttl}});
    });
}

void FilesRoutes::remove(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("file"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, id = *id, who = req.principal]() -> Result<HttpResponse> {
        auto f = svc->remove(id, who);
        if (!f)
            return tl::unexpected(f.error());
        return HttpResponse::empty(204);
    });
}

void FilesRoutes::quota(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, owner = req.principal.userId]() -> Result<HttpResponse> {
        auto used = svc->usedBytes(owner);
        if (!used)
            return tl::unexpected(used.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("usedBytes"), *used},
                                                   {QStringLiteral("quotaBytes"), svc->config().quotaBytes}});
    });
}

void FilesRoutes::stats(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service]() -> Result<HttpResponse> {
        auto s = svc->stats();
        if (!s)
            return tl::unexpected(s.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("blobs"), s->blobs},
                                                   {QStringLiteral("bytes"), s->bytes},
                                                   {QStringLiteral("files"), s->files},
                                                   {QStringLiteral("unreferencedBlobs"), s->unreferenced},
                                                   {QStringLiteral("uploadsInFlight"),
                                                    svc->counters().uploadsInFlight.load()}});
    });
}

void FilesRoutes::gc(HttpRequest &req, const Responder &res)
{
    const bool dryRun = queryValue(req, QStringLiteral("dryRun")) == QLatin1String("true");
    m_db.respondWith(req, res, [svc = &m_service, dryRun]() -> Result<HttpResponse> {
        auto r = svc->collectGarbage(dryRun);
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("dryRun"), dryRun},
                                                   {QStringLiteral("removed"), names(r->removed)}});
    });
}

void FilesRoutes::verify(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service]() -> Result<HttpResponse> {
        auto r = svc->verify();
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("missing"), names(r->missing)},
                                                   {QStringLiteral("orphans"), names(r->orphans)},
                                                   {QStringLiteral("ok"), r->missing.isEmpty() && r->orphans.isEmpty()}});
    });
}

} // namespace Files
