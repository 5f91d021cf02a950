// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usersservice.h"

#include "community/config.h"
#include "community/database.h"

using Community::ErrorCode;
using Community::Result;
using Community::Contracts::AccountState;
using Community::Contracts::UserChange;
using Community::Contracts::UserRecord;

namespace Users {

Result<UsersConfig> readUsersConfig(const QJsonObject &object, const QString &path)
{
    Community::ConfigReader cfg(object, path);
    UsersConfig c;
    c.maxPageSize = int(cfg.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 1000));
    c.defaultPageSize = int(cfg.integer(QStringLiteral("defaultPageSize"), qMin(c.defaultPageSize, c.maxPageSize), 1, 1000));
    c.maxSearchOffset = int(cfg.integer(QStringLiteral("maxSearchOffset"), c.maxSearchOffset, 0, 100'000));
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
                           UsersConfig config)
    : m_db(db), m_directory(directory), m_config(config)
{
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
    // Autocommit: each statement is its own round trip, with no BEGIN/COMMIT around them.
    return m_db.read<ProfileView>([&](pqxx::nontransaction &tx) -> Result<ProfileView> {
        UsersRepository repo(tx);
        repo.ensureProfile(user->id, user->username, stateName(user->state));
        ProfileView view;
        view.profile = *repo.profile(user->id);
        view.role = user->role;
        view.self = viewerId == user->id;
        if (viewer)
            view.relationship = repo.relationship(viewer->id, user->id);
        return view;
    });
}

Result<ProfileView> UsersService::profileOf(qint64 userId)
{
    auto user = byId(userId);
    if (!user)
        return tl::unexpected(user.error());
    return m_db.transact<ProfileView>([&](pqxx::work &tx) -> Result<ProfileView> {
        UsersRepository repo(tx);
        repo.ensureProfile(user->id, user->username, stateName(user->state));
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
        repo.ensureProfile(user->id, user->username, stateName(user->state));
        repo.applyPatch(user->id, patch);
        return ProfileView{*repo.profile(user->id), user->role, true, std::nullopt};
    });
}

Result<Outcome> UsersService::act(qint64 actorId, const QString &targetUsername, Action action)
{
    auto actor = byId(actorId);
    if (!actor)
        return tl::unexpected(actor.error());
    auto target = byUsername(targetUsername);
    if (!target)
        return tl::unexpected(target.error());
    return m_db.transact<Outcome>([&](pqxx::work &tx) -> Result<Outcome> {
        UsersRepository repo(tx);
        repo.ensureProfile(actor->id, actor->username, stateName(actor->state));
        repo.ensureProfile(target->id, target->username, stateName(target->state));
        switch (action) {
        case Action::Follow: return repo.follow(actor->id, target->id);
        case Action::Unfollow: return repo.unfollow(actor->id, target->id);
        case Action::Block: return repo.block(actor->id, target->id);
        case Action::Unblock: return repo.unblock(actor->id, target->id);
        case Action::Mute: return repo.mute(actor->id, target->id);
        case Action::Unmute: return repo.unmute(actor->id, target->id);
        }
        return Outcome::Unchanged;
    });
}

Result<Page> UsersService::relationList(Relation relation, const QString &username,
                                        std::optional<KeysetCursor> after, int limit)
{
    auto user = byUsername(username);
    if (!user)
        return tl::unexpected(user.error());
    return m_db.transact<Page>([&](pqxx::work &tx) -> Result<Page> {
        UsersRepository repo(tx);
        repo.ensureProfile(user->id, user->username, stateName(user->state));
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
        if (change.kind == UserChange::Kind::Deleted)
            repo.removeProfile(u.id);
        else
            repo.ensureProfile(u.id, u.username, stateName(u.state));
        return {};
    });
}

} // namespace Users
