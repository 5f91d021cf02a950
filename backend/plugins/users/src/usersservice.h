// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The users service: resolves accounts through auth's IUserDirectory (outside any
/// transaction, so a directory that queries the database never waits for a connection
/// this service holds), keeps the local profile copy current, and runs the repository in
/// transactions. Blocking: call from worker threads. Thread-safe (no mutable state).
///
/// With an event bus, every change of what others may index (a profile created, its
/// username, state, display name or bio changed, a profile deleted) publishes
/// users.profile.created|updated {userId, username, displayName, bio, state, createdAt}
/// or users.profile.deleted {userId} in the transaction that made it (search, issue #5).

#include "usersrepository.h"

#include "community/contracts/auth.h"
#include "community/principal.h"
#include "community/result.h"

#include <QJsonObject>

#include <functional>

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }

namespace Users {

struct UsersConfig {
    int defaultPageSize = 20;
    int maxPageSize = 100;
    int maxSearchOffset = 1000;   ///< deeper search pages are refused (ranking is not keyset)
    int relationsCacheEntries = 100'000;   ///< viewers whose relations are held in memory (0 = off)
    int relationsCacheMs = 60'000;         ///< an entry's longest life (events keep it current before)
};

/// Reads plugins.users; unknown keys and bad values are Config errors naming their path.
Community::Result<UsersConfig> readUsersConfig(const QJsonObject &object, const QString &path);

/// "active", "suspended" or "disabled".
QString stateName(Community::Contracts::AccountState state);

struct ProfileView {
    Profile profile;
    Community::Role role = Community::Role::User;
    bool self = false;                          ///< the viewer's own profile (settings shown)
    std::optional<Relationship> relationship;   ///< for a signed-in viewer looking at someone else
};

enum class Action { Follow, Unfollow, Block, Unblock, Mute, Unmute };

struct SearchPage {
    QList<ListedUser> items;
    std::optional<int> nextOffset;
};

class UsersService {
public:
    /// `events` may be null (no profile events are published then).
    UsersService(Community::Db::Database &db, Community::Contracts::IUserDirectory &directory,
                 UsersConfig config, Community::Events::EventBus *events = nullptr);

    const UsersConfig &config() const { return m_config; }

    /// NotFound for an unknown username. `viewerId` 0 = anonymous.
    Community::Result<ProfileView> profileByUsername(const QString &username, qint64 viewerId);
    Community::Result<ProfileView> profileOf(qint64 userId);
    Community::Result<ProfileView> updateProfile(qint64 userId, const ProfilePatch &patch);

    /// Follow, block, mute and their undoing. A change publishes users.relation.changed in
    /// its transaction and, once committed, calls the relationsChanged callback before
    /// the caller answers (the node's relation cache forgets both accounts).
    Community::Result<Outcome> act(qint64 actorId, const QString &targetUsername, Action action);
    void onRelationsChanged(std::function<void(qint64, qint64)> callback) { m_relationsChanged = std::move(callback); }

    /// A user's followers/following by username.
    Community::Result<Page> relationList(Relation relation, const QString &username, const Community::Principal &viewer,
                                         std::optional<KeysetCursor> after, int limit);
    /// The actor's own blocks/mutes.
    Community::Result<Page> ownList(Relation relation, qint64 userId, std::optional<KeysetCursor> after,
                                    int limit);

    Community::Result<SearchPage> search(const QString &normalizedQuery, int offset, int limit);

    /// Applies an account change from the directory to the local copy.
    Community::Result<void> applyChange(const Community::Contracts::UserChange &change);

private:
    Community::Result<Community::Contracts::UserRecord> byUsername(const QString &username) const;
    Community::Result<Community::Contracts::UserRecord> byId(qint64 id) const;
    /// ensureProfile() plus the event for what it changed.
    Community::Result<void> ensure(pqxx::transaction_base &tx, UsersRepository &repo,
                                   const Community::Contracts::UserRecord &user);
    Community::Result<void> publishProfile(pqxx::transaction_base &tx, UsersRepository &repo, qint64 userId,
                                           QLatin1StringView type);

    Community::Db::Database &m_db;
    Community::Contracts::IUserDirectory &m_directory;
    UsersConfig m_config;
    Community::Events::EventBus *m_events;
    std::function<void(qint64, qint64)> m_relationsChanged;
};

} // namespace Users
