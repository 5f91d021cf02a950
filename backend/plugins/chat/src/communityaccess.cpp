// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "communityaccess.h"

#include "community/contracts/content.h"
#include "community/database.h"

using namespace Community;
using Community::Contracts::CommunityStanding;

namespace Chat {

namespace {

Result<CommunityStanding> standingOf(const ChatContext &ctx, qint64 communityId, qint64 userId)
{
    if (!ctx.communities)
        return fail(ErrorCode::Unavailable, QStringLiteral("Channels need the content plugin."));
    return ctx.communities->standing(communityId, userId);
}

} // namespace

Result<std::optional<Room>> peekRoom(const ChatContext &ctx, qint64 roomId)
{
    return ctx.db->read<std::optional<Room>>([&](pqxx::nontransaction &tx) -> Result<std::optional<Room>> {
        return ChatRepository(tx).room(roomId);
    });
}

Result<void> requireCommunityMember(const ChatContext &ctx, qint64 communityId, qint64 userId, const QString &field)
{
    auto standing = standingOf(ctx, communityId, userId);
    if (!standing && standing.error().code == ErrorCode::NotFound && !field.isEmpty())
        return tl::unexpected(invalidField(field, QStringLiteral("no such community"), QStringLiteral("not_found")));
    if (!standing)
        return tl::unexpected(standing.error());
    if (*standing != CommunityStanding::None)
        return {};
    if (!field.isEmpty())
        return tl::unexpected(invalidField(field, QStringLiteral("not a member of the community"),
                                           QStringLiteral("not_community_member")));
    return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("not-a-community-member"),
                                    QStringLiteral("Only members of the community join its channels.")));
}

Result<bool> moderatesChannel(const ChatContext &ctx, const Principal &who, const Room &room)
{
    if (room.kind != RoomKind::Channel)
        return false;
    if (who.hasRole(Role::Moderator))
        return true;
    auto standing = standingOf(ctx, room.communityId, who.userId);
    if (!standing)
        return standing.error().code == ErrorCode::NotFound ? Result<bool>(false) : tl::unexpected(standing.error());
    return *standing == CommunityStanding::Moderator;
}

} // namespace Chat
