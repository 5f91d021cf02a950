// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// RFC 9457 problem details (application/problem+json) as the server sends them, and
/// their mapping to Community::Error for client code.
/// Threading: plain values and pure functions.

#include "community/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Community::Client {

/// A parsed problem document. Unknown members stay available in `raw`.
struct Problem
{
    QString type;                ///< URI identifying the problem kind ("about:blank" if absent)
    QString title;               ///< short, human summary of the kind
    int status = 0;              ///< HTTP status the server put in the body (0 if absent)
    QString detail;              ///< this occurrence, human text
    QString instance;
    QList<FieldError> errors;    ///< "errors": [{field, message, code}]
    QJsonObject raw;

    /// The last path segment of `type` ("https://.../problems/not-found" -> "not-found").
    QString slug() const;
};

/// The body as a problem document, or nullopt when it is not a JSON object.
std::optional<Problem> parseProblem(const QByteArray &body);

/// The error code an HTTP status stands for (404 -> NotFound, 503 -> Unavailable, ...).
ErrorCode errorCodeForStatus(int status);

/// A failed call: a Community::Error (code, user-safe message, field errors, log detail)
/// plus what the server said. Slices to Error where only that is wanted.
struct ApiError : Error
{
    int status = 0;              ///< HTTP status; 0 when there was no answer
    /// The problem's full type URI; empty without a problem body. (Named apart from any
    /// short type on Error itself so that slicing never hides one behind the other.)
    QString problemType;
    QString title;
    QString detail;
};

template<typename T = void>
using ApiResult = tl::expected<T, ApiError>;

/// Builds the error of an HTTP answer: message is the problem's detail (else its title,
/// else @p reasonPhrase); fields are its errors; logDetail names status, type and @p where.
ApiError apiErrorFromHttp(int status, const QString &reasonPhrase, const QByteArray &body,
                          const QString &where);

} // namespace Community::Client
