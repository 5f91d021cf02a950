// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Communities: lookup by slug for the other modules, and the community JSON.

#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace Content {

struct CommunityRow {
    qint64 id = 0;
    QString slug;
    QString title;
    QString description;
    QJsonArray rules;
    qint64 createdBy = 0;
    QString createdByName;
    QDateTime createdAt;
    int memberCount = 0;
    int postCount = 0;
};

/// Case-insensitive lookup; NotFound ("No such community.") otherwise. `forUpdate` locks the
/// row (for counters).
Community::Result<CommunityRow> findCommunity(pqxx::transaction_base &tx, const QString &slug, bool forUpdate = false);

QJsonObject communityJson(const CommunityRow &c);

/// Slug rule: 3–32 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.
bool isValidSlug(const QString &slug);

} // namespace Content
