// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Input validation for the users service: profile patches, settings, search queries and
/// page limits. Pure functions on values; thread-safe; every problem is a FieldError so
/// that one response lists them all.

#include "community/request.h"
#include "community/result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Users {

/// A nullable text field of a patch: absent, set, or cleared with JSON null (the SDK's).
using OptionalText = Community::Http::NullableText;

struct ProfilePatch {
    OptionalText displayName;   ///< never null
    OptionalText bio;           ///< never null ("" clears)
    OptionalText avatarUrl;
    OptionalText locale;
    OptionalText timeZone;
    /// Merged into the stored settings; a null value removes that key.
    std::optional<QJsonObject> settings;
};

inline constexpr int kDisplayNameMax = 64;
inline constexpr int kBioMax = 2000;
inline constexpr int kAvatarUrlMax = 500;
inline constexpr int kSearchQueryMax = 64;

/// Validates a PATCH /v1/users/me body read with the SDK's BodyReader (its text rule, its
/// unknown-field check). InvalidArgument with every field error, or the patch.
Community::Result<ProfilePatch> validateProfilePatch(Community::Http::BodyReader &body);
/// The same for an already parsed object (tests, tools).
Community::Result<ProfilePatch> validateProfilePatch(const QJsonObject &body);

/// Field errors for a settings object (keys and types from a fixed table), named
/// "<prefix>.<key>". `allowNull` permits null values (meaning "remove").
QList<Community::FieldError> validateSettings(const QJsonObject &settings, const QString &prefix,
                                              bool allowNull);

/// A trimmed, lower-cased search query, or InvalidArgument (field "q"): 1–64 characters,
/// no control characters, at least one letter or digit.
Community::Result<QString> normalizeSearchQuery(const QString &raw);

/// Parses `limit` (empty = def); InvalidArgument (field "limit") outside 1..max.
using Community::Http::parseLimit;

/// Escapes LIKE metacharacters (\, %, _) with a backslash.
QString escapeLike(const QString &text);

} // namespace Users
