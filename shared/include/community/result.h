// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Errors as values across every boundary (plugin, slot, handler, event).
/// Threading: plain values, safe to copy between threads.

#include <QList>
#include <QString>
#include <tl/expected.hpp>

namespace Community {

enum class ErrorCode {
    InvalidArgument,   ///< bad input: 400, with field errors
    NotFound,          ///< 404
    Conflict,          ///< unique violation, version clash: 409
    Unauthorized,      ///< 401
    Forbidden,         ///< 403
    PayloadTooLarge,   ///< 413
    RateLimited,       ///< 429
    Unavailable,       ///< database down, queue full, dependency missing: 503
    Timeout,           ///< acquire or statement timeout: 503/504
    Config,            ///< configuration error (startup)
    Internal,          ///< everything else: 500, details logged, never shown
};

struct FieldError {
    QString field;    ///< JSON pointer-ish path, e.g. "username" or "settings.locale"
    QString message;  ///< human text
    QString code;     ///< stable machine code, e.g. "too_long"
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;             ///< safe to show to a user
    QList<FieldError> fields;    ///< validation errors, if any
    QString logDetail;           ///< internal detail for logs only, never shown to users
    /// Problem type slug for HTTP answers ("malformed-json"); empty = derived from `code`.
    QString type;

    static Error make(ErrorCode c, QString msg, QString detail = {})
    {
        return Error{c, std::move(msg), {}, std::move(detail), {}};
    }
};

/// InvalidArgument carrying these field errors ("The request has invalid fields.").
Error invalidFields(QList<FieldError> fields);
/// InvalidArgument with one field error.
Error invalidField(const QString &field, const QString &message, const QString &code);
/// NotFound with a user-safe message ("No such post.").
Error notFound(const QString &message);
/// Forbidden with a user-safe message.
Error forbidden(const QString &message);

template<typename T = void>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode c, QString msg, QString detail = {})
{
    return tl::unexpected<Error>(Error::make(c, std::move(msg), std::move(detail)));
}

/// Stable, lower-case name of an error code ("invalid_argument", ...).
QString errorCodeName(ErrorCode c);

} // namespace Community
