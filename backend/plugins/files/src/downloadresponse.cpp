// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "downloadresponse.h"

#include "blobstore.h"
#include "filesrepository.h"
#include "ranges.h"

#include <QRandomGenerator>
#include <QUrl>

using namespace Community;
using namespace Community::Http;

namespace Files {

namespace {

void commonHeaders(HttpResponse &r, const FileRecord &f, const QByteArray &etag, bool isPublic)
{
    r.setHeader("ETag", etag);
    r.setHeader("Accept-Ranges", "bytes");
    // Content never changes under a file id (content-addressed): caches may keep it.
    r.setHeader("Cache-Control", isPublic ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable");
    r.setHeader("X-Content-Type-Options", "nosniff");
    r.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    r.setHeader("Cross-Origin-Resource-Policy", "same-site");
    r.setHeader("Content-Disposition", contentDisposition(isPublic && f.mediaType.startsWith(QLatin1String("image/")), f.name));
}

QByteArray multipartBody(IBlobStore &store, const FileRecord &f, const QList<ByteRange> &ranges,
                         const QByteArray &boundary, Result<void> *error)
{
    QByteArray body;
    for (const ByteRange &r : ranges) {
        auto part = store.read(f.sha256, r.first, r.length());
        if (!part) {
            *error = tl::unexpected(part.error());
            return {};
        }
        body += "--" + boundary + "\r\nContent-Type: " + f.mediaType.toLatin1() + "\r\nContent-Range: "
                + contentRange(r, f.size) + "\r\n\r\n" + *part + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

} // namespace

QByteArray contentDisposition(bool inlineView, const QString &name)
{
    QByteArray ascii;
    for (const QChar c : name) {
        const ushort u = c.unicode();
        ascii += (u >= 0x20 && u < 0x7f && u != '"' && u != '\\' && u != '%' && u != ';') ? char(u) : '_';
    }
    QByteArray v = inlineView ? "inline" : "attachment";
    v += "; filename=\"" + ascii + '"';
    if (ascii != name.toUtf8())
        v += "; filename*=UTF-8''" + QUrl::toPercentEncoding(name);
    return v;
}

Result<HttpResponse> downloadResponse(IBlobStore &store, const FileRecord &f, const DownloadHeaders &h)
{
    const QByteArray etag = '"' + f.sha256 + '"';
    const RangeDecision d = decideDownload(f.size, etag, h.ifNoneMatch, h.ifRange, h.range);
    HttpResponse r;
    r.status = d.status;
    commonHeaders(r, f, etag, h.isPublic);
    if (d.status == 304)
        return r;
    if (d.status == 416) {
        r.setHeader("Content-Range", "bytes */" + QByteArray::number(f.size));
        r.setHeader("Content-Type", "application/problem+json");
        r.body = R"({"type":"https://community.example/problems/range-not-satisfiable","title":"Range Not Satisfiable","status":416})";
        return r;
    }
    if (d.status == 206 && d.ranges.size() > 1) {
        const QByteArray boundary = QByteArray::number(QRandomGenerator::global()->generate64(), 36);
        Result<void> error;
        r.body = multipartBody(store, f, d.ranges, boundary, &error);
        if (!error)
            return tl::unexpected(error.error());
        r.setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
        return r;
    }
    const ByteRange range = d.status == 206 ? d.ranges.first() : ByteRange{0, f.size - 1};
    // From the local disk the connection sends the blob itself (sendfile); a store without
    // local files gives the bytes.
    const QString local = store.localPath(f.sha256);
    if (!local.isEmpty())
        r.file = FileBody::open(local, range.first, range.length());
    if (!r.file) {
        auto body = store.read(f.sha256, range.first, range.length());
        if (!body)
            return tl::unexpected(body.error());
        r.body = *body;
    }
    r.setHeader("Content-Type", f.mediaType.toLatin1());
    if (d.status == 206)
        r.setHeader("Content-Range", contentRange(range, f.size));
    return r;
}

} // namespace Files
