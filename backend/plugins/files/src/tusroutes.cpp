// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "tusroutes.h"

#include "filesservice.h"
#include "tusservice.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/request.h"

#include <QDateTime>
#include <QDebug>
#include <QHash>
#include <QLocale>

#include <optional>

using namespace Community;
using namespace Community::Http;

namespace Files {

namespace {

const QByteArray kVersion = QByteArrayLiteral("1.0.0");
const QString kCollection = QStringLiteral("/v1/files/tus");

QByteArray httpDate(const QDateTime &t)
{
    return QLocale::c().toString(t.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() + " GMT";
}

/// problem+json for a tus error, with the statuses tus gives them: an unsupported version
/// 412, a checksum mismatch 460, an expired upload 410, type refusals 415, content
/// refusals 422, the rest as the error code says.
HttpResponse tusProblem(const Error &e, const QString &requestId)
{
    static const QHash<QString, int> statuses{
        {QStringLiteral("checksum-mismatch"), 460},       {QStringLiteral("upload-expired"), 410},
        {QStringLiteral("tus-version-unsupported"), 412}, {QStringLiteral("svg-refused"), 415},
        {QStringLiteral("unsupported-file-type"), 415},   {QStringLiteral("type-mismatch"), 415},
        {QStringLiteral("polyglot-file"), 422},           {QStringLiteral("truncated-file"), 422},
        {QStringLiteral("empty-file"), 422},              {QStringLiteral("image-too-large"), 422},
        {QStringLiteral("animated-image-refused"), 422},  {QStringLiteral("insufficient-storage"), 507},
    };
    if (e.code == ErrorCode::Internal)
        qWarning().noquote() << "files: tus:" << e.message << e.logDetail;
    const int status = statuses.value(e.type, 0);
    if (!status)
        return problemFromError(e, requestId);
    const QString title = status == 460 ? QStringLiteral("Checksum Mismatch") : QString::fromLatin1(reasonPhrase(status));
    HttpResponse r = problem(status, e.type, title, e.message, e.fields, requestId);
    if (status == 412)
        r.setHeader("Tus-Version", kVersion);
    return r;
}

/// Tus-Resumable must name the version we speak (412 otherwise); OPTIONS is exempt.
std::optional<HttpResponse> versionRefusal(const HttpRequest &req)
{
    const QByteArray v = req.header("tus-resumable").trimmed();
    if (v == kVersion)
        return std::nullopt;
    Error e = Error::make(ErrorCode::InvalidArgument,
                          v.isEmpty() ? QStringLiteral("Send Tus-Resumable: 1.0.0.")
                                      : QStringLiteral("This server speaks tus 1.0.0 only."));
    e.type = QStringLiteral("tus-version-unsupported");
    e.fields.append({QStringLiteral("Tus-Resumable"), e.message, v.isEmpty() ? QStringLiteral("required") : QStringLiteral("unsupported")});
    return tusProblem(e, req.requestId);
}

/// A non-negative decimal header without sign or spaces, up to 2^53; nullopt otherwise.
std::optional<qint64> byteCount(const QByteArray &raw)
{
    const QByteArray v = raw.trimmed();
    if (v.isEmpty() || v.size() > 16)
        return std::nullopt;
    for (char c : v)
        if (c < '0' || c > '9')
            return std::nullopt;
    return v.toLongLong();
}

std::optional<qint64> uploadId(const HttpRequest &req)
{
    return parseId(req.pathParams.value(QStringLiteral("id")));
}

/// A HEAD answer carries no body, so an error's problem+json is reduced to its status and
/// headers (no Content-Type announcing a body that never comes).
HttpResponse headOnly(HttpResponse r)
{
    r.body.clear();
    r.headers.removeIf([](const auto &h) { return h.first.compare("Content-Type", Qt::CaseInsensitive) == 0; });
    return r;
}

/// What every request on an upload starts with: the version check, then the id. Returns
/// the id, or nullopt once the refusal is sent (without a body for HEAD).
std::optional<qint64> admitItemRequest(const HttpRequest &req, const Responder &res)
{
    const bool isHead = req.method == "HEAD";
    const auto refuse = [&](HttpResponse r) { res.send(isHead ? headOnly(std::move(r)) : std::move(r)); };
    if (auto refused = versionRefusal(req)) {
        refuse(std::move(*refused));
        return std::nullopt;
    }
    const auto id = uploadId(req);
    if (!id)
        refuse(tusProblem(notFound(QStringLiteral("No such upload.")), req.requestId));
    return id;
}

void describe(HttpResponse &r, const TusUpload &u)
{
    r.setHeader("Upload-Offset", QByteArray::number(u.offset));
    r.setHeader("Upload-Length", QByteArray::number(u.length));
    if (!u.completed)
        r.setHeader("Upload-Expires", httpDate(u.expiresAt));
    if (u.fileId)
        r.setHeader("Upload-File-Id", QByteArray::number(u.fileId));
}

} // namespace

QList<Route> TusRoutes::routes()
{
    const qint64 largest = m_files.config().largestLimit();
    TusService *tusService = &m_tus;
    RouteOptions chunk = RouteOptions::authenticated(Role::User, QStringLiteral("files:write"))
                             .withContentTypes({QByteArrayLiteral("application/offset+octet-stream")})
                             .withStreamedBody(largest);
    // What the upload may still receive, while the body streams (this node's cache; an
    // upload it does not know gets the largest purpose limit and the service's check).
    chunk.streamLimit = [tusService](const HttpRequest &r) -> qint64 {
        const auto id = parseId(QStringView(r.path).mid(r.path.lastIndexOf(QLatin1Char('/')) + 1));
        return id ? tusService->remaining(*id) : -1;
    };
    chunk.withResponseHeader("Tus-Resumable", kVersion);
    const RouteOptions create = RouteOptions::authenticated(Role::User, QStringLiteral("files:write"))
                                    .withRateClass(QStringLiteral("write"))
                                    .withBodyLimit(0)
                                    .withResponseHeader("Tus-Resumable", kVersion);
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("files:write"))
                                   .withBodyLimit(0)
                                   .withResponseHeader("Tus-Resumable", kVersion);
    const RouteOptions pub = RouteOptions().withBodyLimit(0).withResponseHeader("Tus-Resumable", kVersion);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    const QString item = kCollection + QStringLiteral("/{id}");
    return {
        {"OPTIONS", kCollection, pub, handler(&TusRoutes::options)},
        {"POST", kCollection, create, handler(&TusRoutes::create)},
        {"HEAD", item, write, handler(&TusRoutes::head)},
        {"PATCH", item, chunk, handler(&TusRoutes::patch)},
        {"DELETE", item, write, handler(&TusRoutes::terminate)},
    };
}

void TusRoutes::options(HttpRequest &req, const Responder &res)
{
    Q_UNUSED(req);
    HttpResponse r = HttpResponse::empty(204);
    r.setHeader("Tus-Version", kVersion);
    r.setHeader("Tus-Extension", "creation,termination,checksum,expiration");
    r.setHeader("Tus-Max-Size", QByteArray::number(m_files.config().largestLimit()));
    r.setHeader("Tus-Checksum-Algorithm", "sha1,sha256");
    res.send(std::move(r));
}

void TusRoutes::create(HttpRequest &req, const Responder &res)
{
    if (auto refused = versionRefusal(req)) {
        res.send(std::move(*refused));
        return;
    }
    QList<FieldError> errors;
    const auto length = byteCount(req.header("upload-length"));
    if (req.hasHeader("upload-defer-length"))
        errors.append({QStringLiteral("Upload-Defer-Length"), QStringLiteral("Deferred lengths are not supported."),
                       QStringLiteral("unsupported")});
    else if (!length || *length < 1)
        errors.append({QStringLiteral("Upload-Length"), QStringLiteral("Send the file's size in bytes (at least 1)."),
                       req.hasHeader("upload-length") ? QStringLiteral("invalid") : QStringLiteral("required")});
    const QByteArray rawMeta = req.header("upload-metadata");
    QHash<QString, QByteArray> meta;
    if (rawMeta.size() > 4096) {
        errors.append({QStringLiteral("Upload-Metadata"), QStringLiteral("At most 4096 bytes."), QStringLiteral("too_long")});
    } else if (auto m = parseUploadMetadata(rawMeta); !m) {
        errors += m.error().fields;
    } else {
        meta = *m;
    }
    if (!errors.isEmpty()) {
        res.send(tusProblem(invalidFields(errors), req.requestId));
        return;
    }
    TusCreate in;
    in.ownerId = req.principal.userId;
    in.purpose = QString::fromUtf8(meta.value(QStringLiteral("purpose")));
    in.name = QString::fromUtf8(meta.value(QStringLiteral("filename"), meta.value(QStringLiteral("name"))));
    in.length = *length;
    m_db.respondWith(req, res, [svc = &m_tus, in, rid = req.requestId]() -> Result<HttpResponse> {
        auto u = svc->create(in);
        if (!u)
            return tusProblem(u.error(), rid);
        HttpResponse r = HttpResponse::empty(201);
        r.setHeader("Location", (kCollection + QStringLiteral("/%1").arg(u->id)).toUtf8());
        r.setHeader("Upload-Expires", httpDate(u->expiresAt));
        return r;
    });
}

void TusRoutes::head(HttpRequest &req, const Responder &res)
{
    const auto id = admitItemRequest(req, res);
    if (!id)
        return;
    m_db.respondWith(req, res, [svc = &m_tus, id = *id, who = req.principal, rid = req.requestId]() -> Result<HttpResponse> {
        auto u = svc->status(id, who);
        if (!u)
            return headOnly(tusProblem(u.error(), rid));
        HttpResponse r = HttpResponse::empty(200);
        describe(r, *u);
        r.setHeader("Cache-Control", "no-store");
        return r;
    });
}

void TusRoutes::patch(HttpRequest &req, const Responder &res)
{
    const auto id = admitItemRequest(req, res);
    if (!id)
        return;
    // (The pipeline refuses another type when there is a body; this covers an empty one.)
    if (req.header("content-type").split(';').first().trimmed().toLower() != "application/offset+octet-stream") {
        res.send(problem(415, QStringLiteral("unsupported-media-type"), QStringLiteral("Unsupported Media Type"),
                         QStringLiteral("Send the chunk as application/offset+octet-stream."), {}, req.requestId));
        return;
    }
    QList<FieldError> errors;
    TusChunk chunk;
    chunk.uploadId = *id;
    chunk.who = req.principal;
    chunk.body = req.spooled;
    const auto offset = byteCount(req.header("upload-offset"));
    if (!offset)
        errors.append({QStringLiteral("Upload-Offset"), QStringLiteral("Send the offset this chunk starts at."),
                       req.hasHeader("upload-offset") ? QStringLiteral("invalid") : QStringLiteral("required")});
    else
        chunk.offset = *offset;
    if (const QByteArray sum = req.header("upload-checksum"); !sum.isNull()) {
        if (auto parsed = parseUploadChecksum(sum); !parsed) {
            errors += parsed.error().fields;
        } else {
            chunk.checksumAlgorithm = parsed->first;
            chunk.checksum = parsed->second;
        }
    }
    if (!errors.isEmpty()) {
        res.send(tusProblem(invalidFields(errors), req.requestId));
        return;
    }
    m_db.respondWith(req, res, [svc = &m_tus, chunk, rid = req.requestId]() mutable -> Result<HttpResponse> {
        auto r = svc->append(chunk);
        chunk.body.reset();   // the chunk's temporary file goes before the answer does
        if (!r)
            return tusProblem(r.error(), rid);
        HttpResponse resp = HttpResponse::empty(204);
        describe(resp, r->upload);
        return resp;
    });
}

void TusRoutes::terminate(HttpRequest &req, const Responder &res)
{
    const auto id = admitItemRequest(req, res);
    if (!id)
        return;
    m_db.respondWith(req, res, [svc = &m_tus, id = *id, who = req.principal, rid = req.requestId]() -> Result<HttpResponse> {
        if (auto r = svc->terminate(id, who); !r)
            return tusProblem(r.error(), rid);
        return HttpResponse::empty(204);
    });
}

} // namespace Files
