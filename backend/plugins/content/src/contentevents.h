// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The events content publishes (contracts/events/content.h), built from its rows and
/// published in the caller's transaction. Consumers (search, notifications) read them
/// through the same structs. Thread-safe.

#include "commentrepository.h"
#include "communityrepository.h"
#include "postrepository.h"

#include "community/contracts/auth.h"
#include "community/contracts/events/content.h"
#include "community/eventbus.h"
#include "community/principal.h"

#include <optional>

namespace Content {

namespace Events = Community::Contracts::Events::Content;

Events::CommunityChanged communityChanged(QLatin1StringView type, const CommunityRow &community);
/// `actorId`: who deleted, restored, removed, pinned or locked the post.
Events::PostChanged postChanged(QLatin1StringView type, const PostRow &post, std::optional<qint64> actorId = {});
Events::CommentChanged commentChanged(QLatin1StringView type, const CommentRow &comment, qint64 communityId);

/// A mention by `who` in a post (with its title) or a comment; the mentioned user is
/// filled in by publishMentions().
Events::UserMentioned mentionBy(const Community::Principal &who, qint64 postId, std::optional<qint64> commentId,
                                std::optional<QString> title);

/// Publishes `event` in `tx`.
template<typename E>
Community::Result<void> publish(Community::Events::EventBus &bus, pqxx::transaction_base &tx, const E &event)
{
    if (auto r = Community::Events::publishEvent(bus, tx, event); !r)
        return tl::unexpected(r.error());
    return {};
}

/// Publishes one content.user.mentioned per user, each `source` addressed to that user.
Community::Result<void> publishMentions(Community::Events::EventBus &bus, pqxx::transaction_base &tx,
                                        const QList<Community::Contracts::UserRecord> &users,
                                        Events::UserMentioned source);

} // namespace Content
