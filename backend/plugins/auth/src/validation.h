// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The account rules: what a username, an email address and a password must be, and how
/// a username is derived for an OAuth account. (Request bodies are read with the SDK's
/// BodyReader.) Pure functions; safe on any thread.

#include "community/result.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Auth {

/// The form a username is stored and looked up in: NFKC, so that fullwidth, compatibility
/// and decomposed spellings ("ａｄｍｉｎ", an NFD "한글") are the same name as the plain one.
/// Case is kept for display; every comparison folds it.
QString normalizeUsername(const QString &username);

/// The key two usernames are compared by (ADR 0009): the Unicode TS #39 confusable
/// skeleton (ICU's uspoof_getSkeleton) of the case-folded NFKC name. "аdmin" (Cyrillic а),
/// "admın" (dotless ı), "ADMIN" and "admin" share one; the database keeps it unique.
/// Thread-safe (one shared, read-only ICU spoof checker).
QString usernameSkeleton(const QString &username);

/// Names that collide with routes (/v1/users/me, /v1/users/search) or that would pass for
/// the platform or its staff; compared by skeleton, so look-alikes are reserved too.
bool isReservedUsername(const QString &username);

/// Each returns nullopt when fine, else {message, code}. checkUsername takes the
/// normalised name and also refuses reserved names and their look-alikes (code
/// "reserved"), names that do not start and end with a letter or digit (invalid_start,
/// invalid_end), and names mixing scripts beyond ICU's "moderately restrictive" level,
/// such as Latin with Cyrillic (mixed_scripts).
std::optional<Community::FieldError> checkUsername(const QString &username);
std::optional<Community::FieldError> checkEmail(const QString &email);

/// The mail language an Accept-Language header (RFC 9110 §12.5.4) prefers among those the
/// mail templates have ("en", "ko"): highest weight first, then order; a range matches by
/// its primary subtag ("ko-KR" → "ko"); `q=0` and `*` choose nothing. Empty when none
/// matches or the header is absent. Reads at most the first 512 bytes.
QString preferredMailLanguage(QByteArrayView acceptLanguage);
std::optional<Community::FieldError> checkPassword(const QString &password, const QString &username = {},
                                                   const QString &email = {});

/// A valid, non-reserved username derived from a provider's preferred username, else from
/// the email's local part, else "user": NFKC, characters outside letters, digits, '_', '.',
/// '-' are dropped, leading and trailing non-alphanumerics are stripped, at most 32 code
/// points.
QString derivedUsername(const QString &preferred, const QString &email);
/// `base` with `suffix` appended, `base` shortened (by code points) to stay within 32.
QString usernameWithSuffix(const QString &base, const QString &suffix);

} // namespace Auth
