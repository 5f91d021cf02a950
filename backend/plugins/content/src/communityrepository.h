// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL on content.communities and content.members, nothing else; runs in the caller's
/// transaction (or autocommit read).

#include "permissions.h"

#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QJsonArray>
#include <QList>

#include <optional>

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

struct ModeratorRow {
    qint64 userId = 0;
    QString username;
    QString role;            ///< moderator | owner
    QDateTime since;
};

/// A new community's fields, validated.
struct CommunityDraft {
    QString slug;            ///< lower case
    QString title;
    QString description;
    QJsonArray rules;
};

/// The fields a PATCH sets (nullopt: unchanged).
struct CommunityPatch {
    std::optional<QString> title;
    std::optional<QString> description;
    std::optional<QJsonArray> rules;
};

/// Slug rule: 3–32 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.
bool isValidSlug(const QString &slug);

class CommunityRepository {
public:
    explicit CommunityRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Case-insensitive lookup (no query for a slug that cannot exist); NotFound ("No such
    /// community.") otherwise. `forUpdate` locks the row.
    Community::Result<CommunityRow> find(const QString &slug, bool forUpdate = false);
    bool slugTaken(const QString &lowerSlug);
    /// Inserts the community with `owner` as its owner and only member; returns its id.
    qint64 insert(const CommunityDraft &draft, qint64 owner);
    void update(qint64 id, const CommunityPatch &patch);
    /// Up to `rows` communities after the keyset `after` ({0, id} by new, {members, id}
    /// by members), in that order.
    QList<CommunityRow> page(bool byNew, const std::optional<QList<qint64>> &after, int rows);
    /// The user's communities (by slug, at most 1000) with the user's role in each.
    QList<std::pair<CommunityRow, QString>> memberships(qint64 userId);
    QList<ModeratorRow> moderators(qint64 communityId);

    bool exists(qint64 communityId);
    CommunityRole role(qint64 communityId, qint64 userId);
    /// Adds a member (and counts it); false when already one.
    bool join(qint64 communityId, qint64 userId);
    /// Removes a member (and counts it); false when not one.
    bool leave(qint64 communityId, qint64 userId);
    int memberCount(qint64 communityId);
    /// Makes the user a moderator (a member first when `current` is None).
    void appoint(qint64 communityId, qint64 userId, CommunityRole current);
    /// Makes a moderator a plain member again.
    void dismiss(qint64 communityId, qint64 userId);
    /// Moves the community's post counter when a post leaves or re-enters the listings.
    void countPosts(qint64 communityId, int delta);
    /// Ids of the communities the user moderates or owns.
    QList<qint64> moderated(qint64 userId);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
