// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Channels belong to a community (content's): who is a member of it, or moderates it, is
/// asked through ICommunityMembership (contracts/content.h). Without the content plugin
/// channels cannot be checked, so they are refused (503). Blocking: call from worker
/// threads before opening chat's own transaction.

#include "chatcontext.h"

namespace Chat {

/// The room as it is now (no lock), nullopt when missing.
Community::Result<std::optional<Room>> peekRoom(const ChatContext &ctx, qint64 roomId);

/// `userId` must be a member of the community: NotFound when there is no such community,
/// Forbidden (not-a-community-member) when not a member. `field`: the request field named
/// in the errors (a field error 422-style instead of 403/404), or empty.
Community::Result<void> requireCommunityMember(const ChatContext &ctx, qint64 communityId, qint64 userId,
                                               const QString &field = {});

/// Whether `who` moderates the channel's community (site moderators and admins do; a
/// community's moderators and owner do). False for rooms that are not channels.
Community::Result<bool> moderatesChannel(const ChatContext &ctx, const Community::Principal &who, const Room &room);

} // namespace Chat
