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

/// Each returns nullopt when fine, else {message, code}.
std::optional<Community::FieldError> checkUsername(const QString &username);
std::optional<Community::FieldError> checkEmail(const QString &email);
std::optional<Community::FieldError> checkPassword(const QString &password, const QString &username = {},
                                                   const QString &email = {});
int codePoints(const QString &s);

} // namespace Auth
