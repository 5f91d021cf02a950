// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Request body validation for the auth routes: strict JSON objects (valid UTF-8, no
/// unknown fields, right types) and the username / email / password rules.
/// Pure functions and values; safe on any thread.

#include "community/result.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>

namespace Auth {

/// Parses a request body as a JSON object. Invalid UTF-8 or malformed JSON: an
/// InvalidArgument error with a field error on "body".
Community::Result<QJsonObject> parseStrictObject(const QByteArray &body);

/// Reads declared fields from a JSON object and collects field errors; finish() adds
/// one error per undeclared field.
class BodyReader {
public:
    explicit BodyReader(QJsonObject object) : m_obj(std::move(object)) {}

    /// A string field; absent -> nullopt (and an error when required). Strings over
    /// maxLength code points or with control characters are errors.
    std::optional<QString> string(const QString &field, bool required, int maxLength = 256);
    std::optional<QStringList> stringList(const QString &field, bool required, int maxItems, int maxLength);

    void addError(const QString &field, const QString &message, const QString &code);
    bool hasError(const QString &field) const;
    /// Error (InvalidArgument, all field errors) or success.
    Community::Result<void> finish();

private:
    QJsonObject m_obj;
    QSet<QString> m_known;
    QList<Community::FieldError> m_errors;
};

/// Names that collide with routes (/v1/users/me, /v1/users/search) or that would pass for
/// the platform itself; compared case-insensitively.
bool isReservedUsername(const QString &username);

/// Each returns nullopt when fine, else {message, code}. checkUsername also refuses the
/// reserved names (code "reserved").
std::optional<Community::FieldError> checkUsername(const QString &username);
std::optional<Community::FieldError> checkEmail(const QString &email);
std::optional<Community::FieldError> checkPassword(const QString &password, const QString &username = {},
                                                   const QString &email = {});
int codePoints(const QString &s);

/// A valid, non-reserved username derived from a provider's preferred username, else from
/// the email's local part, else "user": characters outside letters, digits, '_', '.', '-'
/// are dropped, a leading non-alphanumeric is stripped, at most 32 code points.
QString derivedUsername(const QString &preferred, const QString &email);
/// `base` with `suffix` appended, `base` shortened (by code points) to stay within 32.
QString usernameWithSuffix(const QString &base, const QString &suffix);

} // namespace Auth
