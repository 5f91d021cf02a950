// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usersservice.h"

#include "community/config.h"
#include "community/contracts/events/users.h"
#include "community/database.h"
#include "community/eventbus.h"

using Community::ErrorCode;
using Community::Result;
using Community::Contracts::AccountState;
using Community::Contracts::UserChange;
using Community::Contracts::UserRecord;
using ProfileEvent = Community::Contracts::Events::Users::ProfileChanged;
namespace ProfileType = Community::Contracts::Events::Users::Type;
namespace Events = Community::Events;

namespace Users {

Result<UsersConfig> readUsersConfig(const QJsonObject &object, const QString &path)
{
    Community::ConfigReader cfg(object, path);
    UsersConfig c;
    c.maxPageSize = int(cfg.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 1000));
    c.defaultPageSize = int(cfg.integer(QStringLiteral("defaultPageSize"), qMin(c.defaultPageSize, c.maxPageSize), 1, 1000));
    c.maxSearchOffset = int(cfg.integer(QStringLiteral("maxSearchOffset"), c.maxSearchOffset, 0, 100'000));
    c.relationsCacheEntries = int(cfg.integer(QStringLiteral("relationsCacheEntries"), c.relationsCacheEntries, 0, 10'000'000));
    c.relationsCacheMs = int(cfg.integer(QStringLiteral("relationsCacheMs"), c.relationsCacheMs, 1'000, 3'600'000));
    if (auto r = cfg.finish(); !r)
        return tl::unexpected(r.error());
    if (c.defaultPageSize > c.maxPageSize) {
        Community::Error e = Community::Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields.append({path + QStringLiteral(".defaultPageSize"), QStringLiteral("must not exceed maxPageSize"),
                         QStringLiteral("out_of_range")});
        return tl::unexpected(e);
    }
    return c;
}

QString stateName(AccountState state)
{
    switch (state) {
    case AccountState::Active: return QStringLiteral("active");
    case AccountState::Suspended: return QStringLiteral("suspended");
    case AccountState::Disabled: return QStringLiteral("disabled");
    }
    return QStringLiteral("active");
}

UsersService::UsersService(Community::Db::Database &db, Community::Contracts::IUserDirectory &directory,
                           UsersConfig config, Community::Events::EventBus *events)
    : m_db(db), m_directory(directory), m_config(config), m_events(events)
{
}

Result<void> UsersService::publishProfile(pqxx::transaction_base &tx, UsersRepository &repo, qint64 userId,
                                          QLatin1StringView type)
{
    if (!m_events)
        return {};
    ProfileEvent event{type, userId, std::nullopt};
    if (type != ProfileType::ProfileDeleted) {
        const std::optional<Profile> p = repo.profile(userId);
        if (!p)
            return {};
        event.profile = ProfileEvent::Public{p->username, p->displayName, p->bio, p->state, p->createdAt};
    }
    auto r = Events::publishEvent(*m_events, tx, event);
    if (!r)
        return tl::unexpected(r.error());
    return {};
}

Result<void> UsersService::ensure(pqxx::transaction_base &tx, UsersRepository &repo, const UserRecord &user)
{
    switch (repo.ensureProfile(user.id, user.username, stateName(user.state))) {
    case ProfileChange::None: return {};
    case ProfileChange::Created: return publishProfile(tx, repo, user.id, ProfileType::ProfileCreated);
    case ProfileChange::Updated: return publishProfile(tx, repo, user.id, ProfileType::ProfileUpdated);
    }
    return {};
}

Result<UserRecord> UsersService::byUsername(const QString &username) const
{
    if (username.isEmpty() || username.size() > 64)
        return Community::fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    auto r = m_directory.findByUsername(username);
    if (!r && r.error().code == ErrorCode::NotFound)
        return Community::fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    return r;
}

Result<UserRecord> UsersService::byId(qint64 id) const
{
    auto r = m_directory.findById(id);
    if (!r && r.error().code == ErrorCode::NotFound)
        return Community::fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    return r;
}

Result<ProfileView> UsersService::profileByUsername(const QString &username, qint64 viewerId)
{
    auto user = byUsername(username);
    if (!user)
        return tl::unexpected(user.error());
    std::optional<UserRecord> viewer;
    if (viewerId > 0 && viewerId != user->id) {
        auto v = byId(viewerId);
        if (v)
            viewer = *v;
    }
    auto build = [&](UsersRepository &repo, Profile profile) {
        ProfileView view;
        view.profile = std::move(profile);
        view.role = user->role;
        view.self = viewerId == user->id;
        if (viewer)
            view.relationship = repo.relationship(viewer->id, user->id);
        return view;
    };
    // Autocommit: each statement is its own round trip, with no BEGIN/COMMIT around them.
    // Only a missing or stale local copy needs a write (and its event): in a transaction.
    auto current = m_db.read<std::optional<ProfileView>>([&](pqxx::nontransaction &tx) -> Result<std::optional<ProfileView>> {
        UsersRepository repo(tx);
        std::optional<Profile> p = repo.profile(user->id);
        if (!p || p->username != user->username || p->state != stateName(user->state))
            return std::optional<ProfileView>();
        return std::optional<ProfileView>(build(repo, std::move(*p)));
    });
    if (!current)
        return tl::unexpected(current.error());
    if (*current)
        return std::move(**current);
    return m_db.transact<ProfileView>([&](pqxx::work &tx) -> Result<ProfileView> {
        UsersRepository repo(tx);
        if (auto r = ensure(tx, repo, *user); !r)
            return tl::unexpected(r.error());
        return build(repo, *repo.profile(user->id));
    });
}

Result<ProfileView> UsersService::profileOf(qint64 userId)
{
    auto user = byId(userId);
    if (!user)
        return tl::unexpected(user.error());
    return m_db.transact<ProfileView>([&](pqxx::work &tx) -> Result<ProfileView> {
        UsersRepository repo(tx);
        if (auto r = ensure(tx, repo, *user); !r)
            return tl::unexpected(r.error());
        return ProfileView{*repo.profile(user->id), user->role, true, std::nullopt};
    });
}

Result<ProfileView> UsersService::updateProfile(qint64 userId, const ProfilePatch &patch)
{
    auto user = byId(userId);
    if (!user)
        return tl::unexpected(user.error());
    return m_db.transact<ProfileView>([&](pqxx::work &tx) -> Result<ProfileView> {
        UsersRepository repo(tx);
        const ProfileChange change = repo.ensureProfile(user->id, user->username, stateName(user->state));
        repo.applyPatch(user->id, patch);
        // Settings, avatar, locale and time zone are nobody else's business: no event.
        const bool indexed = patch.displayName.present || patch.bio.present;
        if (change != ProfileChange::None || indexed) {
            const QLatin1StringView type = change == ProfileChange::Created ? ProfileType::ProfileCreated
                                                                            : ProfileType::ProfileUpdated;
            if (auto r = publishProfile(tx, repo, user->id, type); !r)
                return tl::unexpected(r.error());
        }
        return ProfileView{*repo.profile(user->id), user->role, true, std::nullopt};
    });
}

namespace {

Outcome apply(UsersRepository &repo, qint64 actor, qint64 target, Action action)
{
    switch (action) {
    case Action::Follow: return repo.follow(actor, target);
    case Action::Unfollow: return repo.unfollow(actor, target);
    case Action::Block: return repo.block(actor, target);
    case Action::Unblock: return repo.unblock(actor, target);
    case Action::Mute: return repo.mute(actor, target);
    case Action::Unmute: return repo.unmute(actor, target);
    }
    return Outcome::Unchanged;
}

Community::Contracts::Events::Users::RelationChanged relationEvent(qint64 actor, qint64 target, Action action)
{
    const bool active = action == Action::Follow || action == Action::Block || action == Action::Mute;
    const QString kind = action == Action::Follow || action == Action::Unfollow ? QStringLiteral("follow")
                         : action == Action::Block || action == Action::Unblock ? QStringLiteral("block")
                                                                                 : QStringLiteral("mute");
    return {actor, target, kind, active};
}

} // namespace

Result<Outcome> UsersService::act(qint64 actorId, const QString &targetUsername, Action action)
{
    auto actor = byId(actorId);
    if (!actor)
        return tl::unexpected(actor.error());
    auto target = byUsername(targetUsername);
    if (!target)
        return tl::unexpected(target.error());
    auto outcome = m_db.transact<Outcome>([&](pqxx::work &tx) -> Result<Outcome> {
        UsersRepository repo(tx);
        if (auto r = ensure(tx, repo, *actor); !r)
            return tl::unexpected(r.error());
        if (auto r = ensure(tx, repo, *target); !r)
            return tl::unexpected(r.error());
        const Outcome o = apply(repo, actor->id, target->id, action);
        if (o == Outcome::Changed && m_events) {
            if (auto r = Events::publishEvent(*m_events, tx, relationEvent(actor->id, target->id, action)); !r)
                return tl::unexpected(r.error());
        }
        return o;
    });
    if (outcome && *outcome == Outcome::Changed && m_relationsChanged)
        m_relationsChanged(actor->id, target->id);
    return outcome;
}

Result<Page> UsersService::relationList(Relation relation, const QString &username, const Community::Principal &viewer,
                                        std::optional<KeysetCursor> after, int limit)
{
    auto user = byUsername(username);
    if (!user)
        return tl::unexpected(user.error());
    return m_db.transact<Page>([&](pqxx::work &tx) -> Result<Page> {
        UsersRepository repo(tx);
        if (auto r = ensure(tx, repo, *user); !r)
            return tl::unexpected(r.error());
        // settings.showFollowers = false hides both lists from everyone but the owner and
        // administrators (the counts on the profile stay, as on Mastodon).
        const bool privileged = viewer.userId == user->id || viewer.hasRole(Community::Role::Admin);
        if (!privileged && (relation == Relation::Followers || relation == Relation::Following)) {
            const std::optional<Profile> profile = repo.profile(user->id);
            if (profile && !profile->settings.value(QStringLiteral("showFollowers")).toBool(true)) {
                Community::Error e = Community::forbidden(QStringLiteral("%1 keeps their followers and following lists private.").arg(username));
                e.type = QStringLiteral("relations-hidden");
                return tl::unexpected(e);
            }
        }
        return repo.list(relation, user->id, after, limit);
    });
}

Result<Page> UsersService::ownList(Relation relation, qint64 userId, std::optional<KeysetCursor> after, int limit)
{
    return m_db.transact<Page>([&](pqxx::work &tx) -> Result<Page> {
        return UsersRepository(tx).list(relation, userId, after, limit);
    });
}

Result<SearchPage> UsersService::search(const QString &normalizedQuery, int offset, int limit)
{
    return m_db.transact<SearchPage>([&](pqxx::work &tx) -> Result<SearchPage> {
        SearchPage page;
        page.items = UsersRepository(tx).search(normalizedQuery, offset, limit + 1);
        if (page.items.size() > limit) {
            page.items.resize(limit);
            if (offset + limit <= m_config.maxSearchOffset)
                page.nextOffset = offset + limit;
        }
        return page;
    });
}

Result<void> UsersService::applyChange(const UserChange &change)
{
    const UserRecord &u = change.user;
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        UsersRepository repo(tx);
        if (change.kind == UserChange::Kind::Deleted) {
            if (repo.removeProfile(u.id))
                return publishProfile(tx, repo, u.id, ProfileType::ProfileDeleted);
            return {};
        }
        return ensure(tx, repo, u);
    });
}

} // namespace Users
