// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The account rules: what a username, an email address and a password must be, and how
/// a username is derived for an OAuth account. (Request bodies are read with the SDK's
/// BodyReader.) Pure functions; safe on any thread.

#include "community/result.h"

#include <QString>

#include <optional>

namespace Auth {

/// Names that collide with routes (/v1/users/me, /v1/users/search) or that would pass for
/// the platform itself; compared case-insensitively.
bool isReservedUsername(const QString &username);

/// Each returns nullopt when fine, else {message, code}. checkUsername also refuses the
/// reserved names (code "reserved").
std::optional<Community::FieldError> checkUsername(const QString &username);
std::optional<Community::FieldError> checkEmail(const QString &email);
std::optional<Community::FieldError> checkPassword(const QString &password, const QString &username = {},
                                                   const QString &email = {});

/// A valid, non-reserved username derived from a provider's preferred username, else from
/// the email's local part, else "user": characters outside letters, digits, '_', '.', '-'
/// are dropped, a leading non-alphanumeric is stripped, at most 32 code points.
QString derivedUsername(const QString &preferred, const QString &email);
/// `base` with `suffix` appended, `base` shortened (by code points) to stay within 32.
QString usernameWithSuffix(const QString &base, const QString &suffix);

} // namespace Auth
