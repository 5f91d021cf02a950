// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "communityservice.h"

#include "authorrepository.h"
#include "contenterrors.h"
#include "contentevents.h"

#include "community/contracts/auth.h"
#include "community/database.h"

using namespace Community;
using Community::Http::HttpResponse;

namespace Content {

Result<HttpResponse> CommunityService::create(const Principal &who, const CommunityDraft &draft,
                                              const std::optional<IdempotencyKey> &key,
                                              const std::function<HttpResponse(const CommunityView &)> &reply)
{
    return m_ctx.db.transact<HttpResponse>([&](pqxx::work &tx) {
        return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
            CommunityRepository repo(tx);
            AuthorRepository::remember(tx, who.userId, who.username);
            if (repo.slugTaken(draft.slug))
                return tl::unexpected(conflict(QStringLiteral("That slug is taken.")));
            repo.insert(draft, who.userId);
            auto community = repo.find(draft.slug);
            if (!community)
                return tl::unexpected(community.error());
            if (auto p = publish(m_ctx.events, tx, communityChanged(Events::Type::CommunityCreated, *community)); !p)
                return tl::unexpected(p.error());
            return reply(CommunityView{*community, CommunityRole::Owner});
        });
    });
}

Result<QList<CommunityRow>> CommunityService::page(bool byNew, const std::optional<QList<qint64>> &after, int rows)
{
    return m_ctx.db.read<QList<CommunityRow>>([&](pqxx::nontransaction &tx) -> Result<QList<CommunityRow>> {
        return CommunityRepository(tx).page(byNew, after, rows);
    });
}

Result<CommunityView> CommunityService::get(const QString &slug, qint64 viewer)
{
    return m_ctx.db.read<CommunityView>([&](pqxx::nontransaction &tx) -> Result<CommunityView> {
        CommunityRepository repo(tx);
        auto community = repo.find(slug);
        if (!community)
            return tl::unexpected(community.error());
        CommunityView v{*community, std::nullopt};
        if (viewer > 0)
            v.role = repo.role(community->id, viewer);
        return v;
    });
}

Result<CommunityView> CommunityService::update(const Principal &who, const QString &slug, const CommunityPatch &patch)
{
    return m_ctx.db.transact<CommunityView>([&](pqxx::work &tx) -> Result<CommunityView> {
        CommunityRepository repo(tx);
        auto community = repo.find(slug, true);
        if (!community)
            return tl::unexpected(community.error());
        const CommunityRole role = repo.role(community->id, who.userId);
        if (!canModerate(who, role))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can change it.")));
        repo.update(community->id, patch);
        auto updated = repo.find(slug);
        if (!updated)
            return tl::unexpected(updated.error());
        if (auto p = publish(m_ctx.events, tx, communityChanged(Events::Type::CommunityUpdated, *updated)); !p)
            return tl::unexpected(p.error());
        return CommunityView{*updated, role};
    });
}

Result<Membership> CommunityService::setMembership(const Principal &who, const QString &slug, bool join)
{
    return m_ctx.db.transact<Membership>([&](pqxx::work &tx) -> Result<Membership> {
        CommunityRepository repo(tx);
        auto community = repo.find(slug);
        if (!community)
            return tl::unexpected(community.error());
        AuthorRepository::remember(tx, who.userId, who.username);
        if (join) {
            repo.join(community->id, who.userId);
        } else {
            if (repo.role(community->id, who.userId) == CommunityRole::Owner)
                return tl::unexpected(conflict(QStringLiteral("The owner cannot leave the community.")));
            repo.leave(community->id, who.userId);
        }
        return Membership{join, repo.memberCount(community->id)};
    });
}

Result<QList<std::pair<CommunityRow, QString>>> CommunityService::memberships(qint64 userId)
{
    using Rows = QList<std::pair<CommunityRow, QString>>;
    return m_ctx.db.read<Rows>([&](pqxx::nontransaction &tx) -> Result<Rows> {
        return CommunityRepository(tx).memberships(userId);
    });
}

Result<QList<ModeratorRow>> CommunityService::moderators(const QString &slug)
{
    return m_ctx.db.read<QList<ModeratorRow>>([&](pqxx::nontransaction &tx) -> Result<QList<ModeratorRow>> {
        CommunityRepository repo(tx);
        auto community = repo.find(slug);
        if (!community)
            return tl::unexpected(community.error());
        return repo.moderators(community->id);
    });
}

Result<ModeratorChange> CommunityService::setModerator(const Principal &who, const QString &slug, const QString &username,
                                                       bool appoint)
{
    auto user = userNamed(m_ctx, username);
    if (!user)
        return tl::unexpected(user.error());
    const Contracts::UserRecord target = *user;
    return m_ctx.db.transact<ModeratorChange>([&](pqxx::work &tx) -> Result<ModeratorChange> {
        CommunityRepository repo(tx);
        auto community = repo.find(slug, true);
        if (!community)
            return tl::unexpected(community.error());
        if (!canManage(who, repo.role(community->id, who.userId)))
            return tl::unexpected(forbidden(QStringLiteral("Only the owner or an admin appoints moderators.")));
        const CommunityRole current = repo.role(community->id, target.id);
        if (current == CommunityRole::Owner)
            return tl::unexpected(conflict(QStringLiteral("The owner's role cannot change.")));
        AuthorRepository::remember(tx, target.id, target.username);
        if (appoint)
            repo.appoint(community->id, target.id, current);
        else if (current == CommunityRole::Moderator)
            repo.dismiss(community->id, target.id);
        const QString role = appoint ? QStringLiteral("moderator")
                                     : (current == CommunityRole::None ? QString() : QStringLiteral("member"));
        return ModeratorChange{target.username, role};
    });
}

} // namespace Content
