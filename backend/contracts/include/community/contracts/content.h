// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the content plugin provides.
///
/// IContentModeration: what the admin plugin's review queue does to posts, comments and
/// their reports, without reading content's schema. Every call acts as `who` (the
/// moderator deciding; content applies its own moderation rules to that principal) and
/// publishes content's usual events (content.post.removed, content.report.resolved, ...)
/// in content's own transaction. Blocking: call from worker threads, outside your own
/// transaction.

#include "community/principal.h"
#include "community/result.h"

#include <QList>
#include <QString>

namespace Community::Contracts {

struct ModerationTarget {
    QString type;            ///< "post" or "comment"
    qint64 id = 0;
    qint64 authorId = 0;
    qint64 communityId = 0;
    qint64 postId = 0;       ///< the post itself, or the comment's post
    QString state;           ///< visible, deleted, removed
    QString excerpt;         ///< title or the start of the body
};

struct ResolvedReport {
    qint64 reportId = 0;
    qint64 reporterId = 0;
};

class IContentModeration {
public:
    static constexpr const char *interfaceId() { return "community.content.Moderation/1"; }
    virtual ~IContentModeration() = default;

    /// NotFound when there is no such post or comment; InvalidArgument for another type.
    virtual Result<ModerationTarget> target(const QString &type, qint64 id) const = 0;
    /// Removes (moderator removal, with `reason`) or restores the target; a no-op when it
    /// is already so. Forbidden when `who` may not moderate its community.
    virtual Result<ModerationTarget> setRemoved(const Principal &who, const QString &type, qint64 id, bool removed,
                                                const QString &reason) = 0;
    /// Resolves every open report on the target with `resolution` ("resolved" or
    /// "dismissed") and `note`; returns the reports it closed.
    virtual Result<QList<ResolvedReport>> resolveReports(const Principal &who, const QString &type, qint64 id,
                                                         const QString &resolution, const QString &note) = 0;
};

/// A user's place in a community: None (not a member), Member, Moderator (moderator or
/// owner). Site roles are the caller's business.
enum class CommunityStanding { None, Member, Moderator };

/// ICommunityMembership: whether a user belongs to (or moderates) a community, for plugins
/// that scope something to a community (chat's channels). Blocking: worker threads, outside
/// your own transaction.
class ICommunityMembership {
public:
    static constexpr const char *interfaceId() { return "community.content.Membership/1"; }
    virtual ~ICommunityMembership() = default;

    /// NotFound when there is no such community.
    virtual Result<CommunityStanding> standing(qint64 communityId, qint64 userId) const = 0;
};

} // namespace Community::Contracts
