// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the users schema: profiles, follows, blocks, mutes, search. Works inside a
/// transaction the caller owns (pqxx::work); one repository per transaction, used by one
/// thread. Counters change in the same transaction as the row they count and only when
/// a row was really inserted or deleted; both profiles are locked in user-id order first,
/// so concurrent follows, blocks and unfollows serialise per pair without deadlocks.

#include "cursor.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <pqxx/pqxx>

#include <optional>

namespace Users {

struct Profile {
    qint64 userId = 0;
    QString username;
    QString displayName;
    QString bio;
    QString avatarUrl;      ///< empty = none
    QString locale;         ///< empty = none
    QString timeZone;       ///< empty = none
    QJsonObject settings;
    QString state;          ///< "active", "suspended", "disabled"
    qint64 followersCount = 0;
    qint64 followingCount = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct ListedUser {
    qint64 userId = 0;
    QString username;
    QString displayName;
    QString avatarUrl;
    QString state;
    qint64 followersCount = 0;
    QDateTime since;          ///< when the relation was made (lists only)
    KeysetCursor cursor;      ///< position of this row (lists only)
};

struct Relationship {
    bool following = false;   ///< viewer follows target
    bool followedBy = false;  ///< target follows viewer
    bool blocking = false;    ///< viewer blocks target
    bool blockedBy = false;   ///< target blocks viewer
    bool muting = false;      ///< viewer mutes target
};

enum class Relation { Followers, Following, Blocks, Mutes };

/// What a relation change did.
enum class Outcome { Changed, Unchanged, Blocked, Self };

/// What ensureProfile() did to the row.
enum class ProfileChange { None, Created, Updated };

struct Page {
    QList<ListedUser> items;
    std::optional<KeysetCursor> next;
};

class UsersRepository {
public:
    explicit UsersRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Creates the profile (display name = username) or brings the username/state copy
    /// up to date.
    ProfileChange ensureProfile(qint64 userId, const QString &username, const QString &state);
    std::optional<Profile> profile(qint64 userId);
    /// Applies a validated patch; settings are merged (null values remove keys).
    void applyPatch(qint64 userId, const ProfilePatch &patch);
    /// Deletes a profile, first taking its relations out of the other users' counters.
    /// False when there was none.
    bool removeProfile(qint64 userId);

    Relationship relationship(qint64 viewer, qint64 target);

    Outcome follow(qint64 follower, qint64 followee);
    Outcome unfollow(qint64 follower, qint64 followee);
    /// A block also removes follows both ways (with their counters).
    Outcome block(qint64 blocker, qint64 blocked);
    Outcome unblock(qint64 blocker, qint64 blocked);
    Outcome mute(qint64 muter, qint64 muted);
    Outcome unmute(qint64 muter, qint64 muted);

    /// Newest first, (created_at, id) descending; `after` is the last row of the previous page.
    Page list(Relation relation, qint64 userId, std::optional<KeysetCursor> after, int limit);

    /// Active users matching `query` (already normalised), ranked exact > prefix > fuzzy,
    /// then by followers; `limit` rows from `offset`.
    QList<ListedUser> search(const QString &query, int offset, int limit);

private:
    void lockPair(qint64 a, qint64 b);
    void adjustCounts(qint64 follower, qint64 followee, int delta);
    bool exists(const char *sql, qint64 a, qint64 b);
    pqxx::transaction_base &m_tx;
};

} // namespace Users
