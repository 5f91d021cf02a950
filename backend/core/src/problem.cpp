// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/problem.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Community::Http {

QString problemType(const QString &slug)
{
    return QStringLiteral("https://community.example/problems/") + slug;
}

HttpResponse problem(int status, const QString &slug, const QString &title,
                     const QString &detail, const QList<FieldError> &fields,
                     const QString &requestId)
{
    QJsonObject o{
        {QStringLiteral("type"), problemType(slug)},
        {QStringLiteral("title"), title},
        {QStringLiteral("status"), status},
    };
    if (!detail.isEmpty())
        o.insert(QStringLiteral("detail"), detail);
    if (!requestId.isEmpty()) {
        o.insert(QStringLiteral("instance"), QStringLiteral("urn:request:") + requestId);
        o.insert(QStringLiteral("requestId"), requestId);
    }
    if (!fields.isEmpty()) {
        QJsonArray arr;
        for (const auto &f : fields) {
            QJsonObject fe{{QStringLiteral("field"), f.field}, {QStringLiteral("message"), f.message}};
            if (!f.code.isEmpty())
                fe.insert(QStringLiteral("code"), f.code);
            arr.append(fe);
        }
        o.insert(QStringLiteral("errors"), arr);
    }
    HttpResponse r;
    r.status = status;
    r.headers.emplaceBack("Content-Type", "application/problem+json");
    r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return r;
}

int statusForError(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::Unauthorized: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Timeout: return 503;
    case ErrorCode::Config: return 500;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

HttpResponse problemFromError(const Error &error, const QString &requestId)
{
    const int status = statusForError(error.code);
    QString slug = errorCodeName(error.code).replace(QLatin1Char('_'), QLatin1Char('-'));
    if (!error.type.isEmpty())
        slug = error.type;
    else if (error.code == ErrorCode::InvalidArgument)
        slug = QStringLiteral("validation");
    const bool internal = status >= 500 && error.code != ErrorCode::Unavailable
                          && error.code != ErrorCode::Timeout;
    const QString detail = internal ? QStringLiteral("The server could not complete the request.")
                                    : error.message;
    HttpResponse r = problem(status, slug, QString::fromLatin1(reasonPhrase(status)), detail,
                             error.fields, requestId);
    if (status == 503)
        r.setHeader("Retry-After", "1");
    return r;
}

void sendError(const HttpRequest &request, const Responder &responder, const Error &error)
{
    responder.send(problemFromError(error, request.requestId));
}

} // namespace Community::Http
