// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the content plugin publishes (producer: content; consumers: search, and the
/// notifications/analytics plugins to come). One struct per payload shape with its type
/// names, its JSON form and a version; consumers call fromJson() instead of reading
/// another plugin's JSON by hand. Publish with Events::publishEvent(bus, tx, event).
/// Version 1. Adding a field is compatible; renaming or removing one needs version 2.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Content {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView CommunityCreated{"content.community.created"};
inline constexpr QLatin1StringView CommunityUpdated{"content.community.updated"};
inline constexpr QLatin1StringView PostCreated{"content.post.created"};
inline constexpr QLatin1StringView PostEdited{"content.post.edited"};
inline constexpr QLatin1StringView PostDeleted{"content.post.deleted"};
inline constexpr QLatin1StringView PostRestored{"content.post.restored"};
inline constexpr QLatin1StringView PostRemoved{"content.post.removed"};
inline constexpr QLatin1StringView PostPinned{"content.post.pinned"};
inline constexpr QLatin1StringView PostUnpinned{"content.post.unpinned"};
inline constexpr QLatin1StringView PostLocked{"content.post.locked"};
inline constexpr QLatin1StringView PostUnlocked{"content.post.unlocked"};
inline constexpr QLatin1StringView CommentCreated{"content.comment.created"};
inline constexpr QLatin1StringView CommentEdited{"content.comment.edited"};
inline constexpr QLatin1StringView CommentDeleted{"content.comment.deleted"};
inline constexpr QLatin1StringView CommentRestored{"content.comment.restored"};
inline constexpr QLatin1StringView CommentRemoved{"content.comment.removed"};
inline constexpr QLatin1StringView VoteChanged{"content.vote.changed"};
inline constexpr QLatin1StringView UserMentioned{"content.user.mentioned"};
inline constexpr QLatin1StringView ReportCreated{"content.report.created"};
inline constexpr QLatin1StringView ReportResolved{"content.report.resolved"};
} // namespace Type

/// content.community.created / .updated: the community as it is now.
struct CommunityChanged {
    QLatin1StringView type = Type::CommunityCreated;
    qint64 id = 0;
    QString slug, title, description;
    QJsonArray rules;
    int memberCount = 0, postCount = 0;
    QDateTime createdAt;
    qint64 createdById = 0;
    QString createdByName;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("community:%1").arg(id); }
    QJsonObject toJson() const
    {
        return QJsonObject{
            {QStringLiteral("id"), Json::id(id)},
            {QStringLiteral("slug"), slug},
            {QStringLiteral("title"), title},
            {QStringLiteral("description"), description},
            {QStringLiteral("rules"), rules},
            {QStringLiteral("memberCount"), memberCount},
            {QStringLiteral("postCount"), postCount},
            {QStringLiteral("createdAt"), Json::time(createdAt)},
            {QStringLiteral("createdBy"), QJsonObject{{QStringLiteral("id"), Json::id(createdById)},
                                                      {QStringLiteral("username"), createdByName}}},
        };
    }
    static std::optional<CommunityChanged> fromJson(const QJsonObject &o)
    {
        const auto communityId = Json::toId(o.value(QStringLiteral("id")));
        if (!communityId)
            return std::nullopt;
        const QJsonObject by = o.value(QStringLiteral("createdBy")).toObject();
        CommunityChanged e;
        e.id = *communityId;
        e.slug = o.value(QStringLiteral("slug")).toString();
        e.title = o.value(QStringLiteral("title")).toString();
        e.description = o.value(QStringLiteral("description")).toString();
        e.rules = o.value(QStringLiteral("rules")).toArray();
        e.memberCount = o.value(QStringLiteral("memberCount")).toInt();
        e.postCount = o.value(QStringLiteral("postCount")).toInt();
        e.createdAt = Json::toTime(o.value(QStringLiteral("createdAt")));
        e.createdById = Json::toId(by.value(QStringLiteral("id"))).value_or(0);
        e.createdByName = by.value(QStringLiteral("username")).toString();
        return e;
    }
};

/// content.post.*: the post as it is after the change. `actorId` names who deleted,
/// restored, removed, pinned or locked it (absent on created/edited).
struct PostChanged {
    QLatin1StringView type = Type::PostCreated;
    qint64 postId = 0, communityId = 0, authorId = 0;
    QString communitySlug, authorName, title, body;
    QStringList tags;
    QString state = QStringLiteral("visible");   ///< visible, deleted, removed
    int score = 0, revision = 0;
    QDateTime createdAt, editedAt;
    std::optional<qint64> actorId;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("post:%1").arg(postId); }
    QJsonObject toJson() const
    {
        QJsonObject o{
            {QStringLiteral("postId"), Json::id(postId)},
            {QStringLiteral("communityId"), Json::id(communityId)},
            {QStringLiteral("communitySlug"), communitySlug},
            {QStringLiteral("authorId"), Json::id(authorId)},
            {QStringLiteral("authorName"), authorName},
            {QStringLiteral("title"), title},
            {QStringLiteral("body"), body},
            {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
            {QStringLiteral("state"), state},
            {QStringLiteral("score"), score},
            {QStringLiteral("revision"), revision},
            {QStringLiteral("createdAt"), Json::time(createdAt)},
            {QStringLiteral("editedAt"), Json::time(editedAt)},
        };
        Json::insertIdIf(o, QStringLiteral("actorId"), actorId);
        return o;
    }
    static std::optional<PostChanged> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("postId")));
        if (!id)
            return std::nullopt;
        PostChanged e;
        e.postId = *id;
        e.communityId = Json::toId(o.value(QStringLiteral("communityId"))).value_or(0);
        e.communitySlug = o.value(QStringLiteral("communitySlug")).toString();
        e.authorId = Json::toId(o.value(QStringLiteral("authorId"))).value_or(0);
        e.authorName = o.value(QStringLiteral("authorName")).toString();
        e.title = o.value(QStringLiteral("title")).toString();
        e.body = o.value(QStringLiteral("body")).toString();
        e.tags = Json::toStrings(o.value(QStringLiteral("tags")));
        e.state = o.value(QStringLiteral("state")).toString(QStringLiteral("visible"));
        e.score = o.value(QStringLiteral("score")).toInt();
        e.revision = o.value(QStringLiteral("revision")).toInt();
        e.createdAt = Json::toTime(o.value(QStringLiteral("createdAt")));
        e.editedAt = Json::toTime(o.value(QStringLiteral("editedAt")));
        e.actorId = Json::toId(o.value(QStringLiteral("actorId")));
        return e;
    }
};

/// content.comment.*: the comment as it is after the change. On created, who to tell
/// about the reply travels along (postAuthorId, parentAuthorId: null for a top-level
/// comment); on removed, the moderator's reason.
struct CommentChanged {
    QLatin1StringView type = Type::CommentCreated;
    qint64 commentId = 0, postId = 0, communityId = 0, authorId = 0;
    std::optional<qint64> parentId;
    QString authorName, body;
    int depth = 0, revision = 0;
    QString state = QStringLiteral("visible");
    QDateTime createdAt, editedAt;
    std::optional<qint64> actorId;
    std::optional<qint64> postAuthorId;
    /// Set (to a value or to "none") only on created.
    std::optional<std::optional<qint64>> parentAuthorId;
    std::optional<QString> reason;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("post:%1").arg(postId); }
    QJsonObject toJson() const
    {
        QJsonObject o{
            {QStringLiteral("commentId"), Json::id(commentId)},
            {QStringLiteral("postId"), Json::id(postId)},
            {QStringLiteral("communityId"), Json::id(communityId)},
            {QStringLiteral("parentId"), Json::idOrNull(parentId)},
            {QStringLiteral("authorId"), Json::id(authorId)},
            {QStringLiteral("authorName"), authorName},
            {QStringLiteral("body"), body},
            {QStringLiteral("depth"), depth},
            {QStringLiteral("state"), state},
            {QStringLiteral("revision"), revision},
            {QStringLiteral("createdAt"), Json::time(createdAt)},
            {QStringLiteral("editedAt"), Json::time(editedAt)},
        };
        Json::insertIdIf(o, QStringLiteral("actorId"), actorId);
        Json::insertIdIf(o, QStringLiteral("postAuthorId"), postAuthorId);
        if (parentAuthorId)
            o.insert(QStringLiteral("parentAuthorId"), Json::idOrNull(*parentAuthorId));
        Json::insertIf(o, QStringLiteral("reason"), reason);
        return o;
    }
    static std::optional<CommentChanged> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("commentId")));
        if (!id)
            return std::nullopt;
        CommentChanged e;
        e.commentId = *id;
        e.postId = Json::toId(o.value(QStringLiteral("postId"))).value_or(0);
        e.communityId = Json::toId(o.value(QStringLiteral("communityId"))).value_or(0);
        e.parentId = Json::toId(o.value(QStringLiteral("parentId")));
        e.authorId = Json::toId(o.value(QStringLiteral("authorId"))).value_or(0);
        e.authorName = o.value(QStringLiteral("authorName")).toString();
        e.body = o.value(QStringLiteral("body")).toString();
        e.depth = o.value(QStringLiteral("depth")).toInt();
        e.revision = o.value(QStringLiteral("revision")).toInt();
        e.state = o.value(QStringLiteral("state")).toString(QStringLiteral("visible"));
        e.createdAt = Json::toTime(o.value(QStringLiteral("createdAt")));
        e.editedAt = Json::toTime(o.value(QStringLiteral("editedAt")));
        e.actorId = Json::toId(o.value(QStringLiteral("actorId")));
        e.postAuthorId = Json::toId(o.value(QStringLiteral("postAuthorId")));
        if (o.contains(QStringLiteral("parentAuthorId")))
            e.parentAuthorId = Json::toId(o.value(QStringLiteral("parentAuthorId")));
        if (o.contains(QStringLiteral("reason")))
            e.reason = o.value(QStringLiteral("reason")).toString();
        return e;
    }
};

/// content.vote.changed: a user's vote on a post or comment and the target's new score.
struct VoteChanged {
    static constexpr QLatin1StringView type = Type::VoteChanged;
    QString targetType;       ///< "post" or "comment"
    qint64 targetId = 0, postId = 0, authorId = 0, userId = 0;
    int value = 0, previous = 0, score = 0;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("post:%1").arg(postId); }
    QJsonObject toJson() const
    {
        return QJsonObject{
            {QStringLiteral("targetType"), targetType},
            {QStringLiteral("targetId"), Json::id(targetId)},
            {QStringLiteral("postId"), Json::id(postId)},
            {QStringLiteral("authorId"), Json::id(authorId)},
            {QStringLiteral("userId"), Json::id(userId)},
            {QStringLiteral("value"), value},
            {QStringLiteral("previous"), previous},
            {QStringLiteral("score"), score},
        };
    }
    static std::optional<VoteChanged> fromJson(const QJsonObject &o)
    {
        const auto target = Json::toId(o.value(QStringLiteral("targetId")));
        if (!target)
            return std::nullopt;
        VoteChanged e;
        e.targetType = o.value(QStringLiteral("targetType")).toString();
        e.targetId = *target;
        e.postId = Json::toId(o.value(QStringLiteral("postId"))).value_or(0);
        e.authorId = Json::toId(o.value(QStringLiteral("authorId"))).value_or(0);
        e.userId = Json::toId(o.value(QStringLiteral("userId"))).value_or(0);
        e.value = o.value(QStringLiteral("value")).toInt();
        e.previous = o.value(QStringLiteral("previous")).toInt();
        e.score = o.value(QStringLiteral("score")).toInt();
        return e;
    }
};

/// content.user.mentioned: `userId` was mentioned by `authorId` in a post (with its
/// title) or a comment (with its id).
struct UserMentioned {
    static constexpr QLatin1StringView type = Type::UserMentioned;
    qint64 userId = 0;
    QString username;
    QString targetType;       ///< "post" or "comment"
    qint64 postId = 0;
    std::optional<qint64> commentId;
    qint64 authorId = 0;
    QString authorName;
    std::optional<QString> title;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(userId); }
    QJsonObject toJson() const
    {
        QJsonObject o{
            {QStringLiteral("targetType"), targetType},
            {QStringLiteral("postId"), Json::id(postId)},
            {QStringLiteral("authorId"), Json::id(authorId)},
            {QStringLiteral("authorName"), authorName},
            {QStringLiteral("userId"), Json::id(userId)},
            {QStringLiteral("username"), username},
        };
        Json::insertIdIf(o, QStringLiteral("commentId"), commentId);
        Json::insertIf(o, QStringLiteral("title"), title);
        return o;
    }
    static std::optional<UserMentioned> fromJson(const QJsonObject &o)
    {
        const auto user = Json::toId(o.value(QStringLiteral("userId")));
        if (!user)
            return std::nullopt;
        UserMentioned e;
        e.userId = *user;
        e.username = o.value(QStringLiteral("username")).toString();
        e.targetType = o.value(QStringLiteral("targetType")).toString();
        e.postId = Json::toId(o.value(QStringLiteral("postId"))).value_or(0);
        e.commentId = Json::toId(o.value(QStringLiteral("commentId")));
        e.authorId = Json::toId(o.value(QStringLiteral("authorId"))).value_or(0);
        e.authorName = o.value(QStringLiteral("authorName")).toString();
        if (o.contains(QStringLiteral("title")))
            e.title = o.value(QStringLiteral("title")).toString();
        return e;
    }
};

/// content.report.created / content.report.resolved. The resolution fields (resolution,
/// note, moderatorId) are set only on resolved.
struct ReportChanged {
    QLatin1StringView type = Type::ReportCreated;
    qint64 reportId = 0, targetId = 0, communityId = 0, reporterId = 0;
    QString targetType;       ///< "post" or "comment"
    std::optional<QString> reason;        ///< created
    std::optional<QString> resolution;    ///< resolved: "resolved" or "dismissed"
    std::optional<QString> note;          ///< resolved
    std::optional<qint64> moderatorId;    ///< resolved

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("report:%1").arg(reportId); }
    QJsonObject toJson() const
    {
        QJsonObject o{
            {QStringLiteral("reportId"), Json::id(reportId)},
            {QStringLiteral("targetType"), targetType},
            {QStringLiteral("targetId"), Json::id(targetId)},
            {QStringLiteral("communityId"), Json::id(communityId)},
            {QStringLiteral("reporterId"), Json::id(reporterId)},
        };
        Json::insertIf(o, QStringLiteral("reason"), reason);
        Json::insertIf(o, QStringLiteral("resolution"), resolution);
        Json::insertIf(o, QStringLiteral("note"), note);
        Json::insertIdIf(o, QStringLiteral("moderatorId"), moderatorId);
        return o;
    }
    static std::optional<ReportChanged> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("reportId")));
        if (!id)
            return std::nullopt;
        ReportChanged e;
        e.reportId = *id;
        e.targetType = o.value(QStringLiteral("targetType")).toString();
        e.targetId = Json::toId(o.value(QStringLiteral("targetId"))).value_or(0);
        e.communityId = Json::toId(o.value(QStringLiteral("communityId"))).value_or(0);
        e.reporterId = Json::toId(o.value(QStringLiteral("reporterId"))).value_or(0);
        if (o.contains(QStringLiteral("reason")))
            e.reason = o.value(QStringLiteral("reason")).toString();
        if (o.contains(QStringLiteral("resolution")))
            e.resolution = o.value(QStringLiteral("resolution")).toString();
        if (o.contains(QStringLiteral("note")))
            e.note = o.value(QStringLiteral("note")).toString();
        e.moderatorId = Json::toId(o.value(QStringLiteral("moderatorId")));
        return e;
    }
};

} // namespace Community::Contracts::Events::Content
