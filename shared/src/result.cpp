// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/result.h"

namespace Community {

QString errorCodeName(ErrorCode c)
{
    switch (c) {
    case ErrorCode::InvalidArgument: return QStringLiteral("invalid_argument");
    case ErrorCode::NotFound: return QStringLiteral("not_found");
    case ErrorCode::Conflict: return QStringLiteral("conflict");
    case ErrorCode::Unauthorized: return QStringLiteral("unauthorized");
    case ErrorCode::Forbidden: return QStringLiteral("forbidden");
    case ErrorCode::PayloadTooLarge: return QStringLiteral("payload_too_large");
    case ErrorCode::RateLimited: return QStringLiteral("rate_limited");
    case ErrorCode::Unavailable: return QStringLiteral("unavailable");
    case ErrorCode::Timeout: return QStringLiteral("timeout");
    case ErrorCode::Config: return QStringLiteral("config");
    case ErrorCode::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

Error invalidFields(QList<FieldError> fields)
{
    Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("The request has invalid fields."));
    e.fields = std::move(fields);
    return e;
}

Error invalidField(const QString &field, const QString &message, const QString &code)
{
    return invalidFields({FieldError{field, message, code}});
}

Error notFound(const QString &message)
{
    return Error::make(ErrorCode::NotFound, message);
}

Error forbidden(const QString &message)
{
    return Error::make(ErrorCode::Forbidden, message);
}

} // namespace Community
