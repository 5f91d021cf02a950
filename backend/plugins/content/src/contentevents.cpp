// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentevents.h"

namespace Content {

Events::CommunityChanged communityChanged(QLatin1StringView type, const CommunityRow &c)
{
    Events::CommunityChanged e;
    e.type = type;
    e.id = c.id;
    e.slug = c.slug;
    e.title = c.title;
    e.description = c.description;
    e.rules = c.rules;
    e.memberCount = c.memberCount;
    e.postCount = c.postCount;
    e.createdAt = c.createdAt;
    e.createdById = c.createdBy;
    e.createdByName = c.createdByName;
    return e;
}

Events::PostChanged postChanged(QLatin1StringView type, const PostRow &p, std::optional<qint64> actorId)
{
    Events::PostChanged e;
    e.type = type;
    e.postId = p.id;
    e.communityId = p.communityId;
    e.authorId = p.authorId;
    e.communitySlug = p.communitySlug;
    e.authorName = p.authorName;
    e.title = p.title;
    e.body = p.body;
    e.tags = p.tags;
    e.state = p.state;
    e.score = p.score;
    e.revision = p.revision;
    e.createdAt = p.createdAt;
    e.editedAt = p.editedAt;
    e.actorId = actorId;
    return e;
}

Events::CommentChanged commentChanged(QLatin1StringView type, const CommentRow &c, qint64 communityId)
{
    Events::CommentChanged e;
    e.type = type;
    e.commentId = c.id;
    e.postId = c.postId;
    e.communityId = communityId;
    e.authorId = c.authorId;
    if (c.parentId)
        e.parentId = c.parentId;
    e.authorName = c.authorName;
    e.body = c.body;
    e.depth = c.depth;
    e.revision = c.revision;
    e.state = c.state;
    e.createdAt = c.createdAt;
    e.editedAt = c.editedAt;
    return e;
}

Events::UserMentioned mentionBy(const Community::Principal &who, qint64 postId, std::optional<qint64> commentId,
                                std::optional<QString> title)
{
    Events::UserMentioned m;
    m.targetType = commentId ? QStringLiteral("comment") : QStringLiteral("post");
    m.postId = postId;
    m.commentId = commentId;
    m.authorId = who.userId;
    m.authorName = who.username;
    m.title = std::move(title);
    return m;
}

Community::Result<void> publishMentions(Community::Events::EventBus &bus, pqxx::transaction_base &tx,
                                        const QList<Community::Contracts::UserRecord> &users, Events::UserMentioned source)
{
    for (const auto &u : users) {
        source.userId = u.id;
        source.username = u.username;
        if (auto r = publish(bus, tx, source); !r)
            return r;
    }
    return {};
}

} // namespace Content
