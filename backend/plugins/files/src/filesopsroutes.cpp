// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Operator routes of the files plugin added with the scanning hook (ADR 0031):
//   GET /v1/system/files/quota?userId=N     a user's usage against the quota
//   GET /v1/system/files/quarantine?limit=N  quarantined files with their verdicts
#include "filesroutes.h"
#include "filesservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Files {

void FilesRoutes::userQuota(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {QStringLiteral("userId")}); !q)
        return sendError(req, res, q.error());
    const auto owner = parseId(queryValue(req, QStringLiteral("userId")));
    if (!owner)
        return sendError(req, res, invalidField(QStringLiteral("userId"), QStringLiteral("A user id (a positive integer)."),
                                                QStringLiteral("invalid_value")));
    m_db.respondWith(req, res, [svc = &m_service, owner = *owner]() -> Result<HttpResponse> {
        auto q = svc->quota(owner);
        if (!q)
            return tl::unexpected(q.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("userId"), Json::idString(q->ownerId)},
                                                   {QStringLiteral("usedBytes"), q->usedBytes},
                                                   {QStringLiteral("files"), q->files},
                                                   {QStringLiteral("quotaBytes"), q->quotaBytes}});
    });
}

void FilesRoutes::quarantine(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {QStringLiteral("limit")}); !q)
        return sendError(req, res, q.error());
    const auto limit = queryLimit(req, 50, 500);
    if (!limit)
        return sendError(req, res, limit.error());
    m_db.respondWith(req, res, [svc = &m_service, limit = *limit]() -> Result<HttpResponse> {
        auto list = svc->quarantinedFiles(limit);
        if (!list)
            return tl::unexpected(list.error());
        QJsonArray files;
        for (const QuarantinedFile &q : *list) {
            files.append(QJsonObject{{QStringLiteral("id"), Json::idString(q.file.id)},
                                     {QStringLiteral("ownerId"), Json::idString(q.file.ownerId)},
                                     {QStringLiteral("purpose"), q.file.purpose},
                                     {QStringLiteral("name"), q.file.name},
                                     {QStringLiteral("mediaType"), q.file.mediaType},
                                     {QStringLiteral("size"), q.file.size},
                                     {QStringLiteral("sha256"), QString::fromLatin1(q.file.sha256)},
                                     {QStringLiteral("signature"), q.signature},
                                     {QStringLiteral("scanner"), q.scanner},
                                     {QStringLiteral("quarantinedAt"), Json::iso(q.at)}});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("files"), files}});
    });
}

} // namespace Files
