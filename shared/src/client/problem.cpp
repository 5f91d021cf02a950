// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/problem.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Community::Client {

QString Problem::slug() const
{
    return type.section(QLatin1Char('/'), -1);
}

std::optional<Problem> parseProblem(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    Problem p;
    p.raw = doc.object();
    p.type = p.raw.value(QLatin1String("type")).toString(QStringLiteral("about:blank"));
    p.title = p.raw.value(QLatin1String("title")).toString();
    p.status = p.raw.value(QLatin1String("status")).toInt();
    p.detail = p.raw.value(QLatin1String("detail")).toString();
    p.instance = p.raw.value(QLatin1String("instance")).toString();
    for (const QJsonValue &v : p.raw.value(QLatin1String("errors")).toArray()) {
        const QJsonObject e = v.toObject();
        p.errors.append(FieldError{e.value(QLatin1String("field")).toString(),
                                   e.value(QLatin1String("message")).toString(),
                                   e.value(QLatin1String("code")).toString()});
    }
    return p;
}

ErrorCode errorCodeForStatus(int status)
{
    switch (status) {
    case 400:
    case 422: return ErrorCode::InvalidArgument;
    case 401: return ErrorCode::Unauthorized;
    case 403: return ErrorCode::Forbidden;
    case 404:
    case 410: return ErrorCode::NotFound;
    case 409:
    case 412: return ErrorCode::Conflict;
    case 413: return ErrorCode::PayloadTooLarge;
    case 429: return ErrorCode::RateLimited;
    case 408:
    case 504: return ErrorCode::Timeout;
    case 502:
    case 503: return ErrorCode::Unavailable;
    default: break;
    }
    // Another 4xx is still the caller's mistake; anything else is the server's.
    return status >= 400 && status < 500 ? ErrorCode::InvalidArgument : ErrorCode::Internal;
}

ApiError apiErrorFromHttp(int status, const QString &reasonPhrase, const QByteArray &body,
                          const QString &where)
{
    ApiError e;
    e.code = errorCodeForStatus(status);
    e.status = status;
    e.title = reasonPhrase;
    if (const auto problem = parseProblem(body)) {
        e.problemType = problem->type;
        e.type = problem->slug();   // the same slug a server-side Error carries
        if (!problem->title.isEmpty())
            e.title = problem->title;
        e.detail = problem->detail;
        e.fields = problem->errors;
    }
    e.message = !e.detail.isEmpty() ? e.detail
        : !e.title.isEmpty()        ? e.title
                                    : QStringLiteral("HTTP %1").arg(status);
    e.logDetail = QStringLiteral("HTTP %1 from %2").arg(status).arg(where);
    if (!e.problemType.isEmpty())
        e.logDetail += QStringLiteral(" (%1)").arg(e.problemType);
    return e;
}

} // namespace Community::Client
