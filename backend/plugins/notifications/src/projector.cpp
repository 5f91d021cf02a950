// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "projector.h"

#include "community/contracts/events/admin.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/users.h"

namespace Notifications {

namespace {

namespace ContentEv = Community::Contracts::Events::Content;
namespace UsersEv = Community::Contracts::Events::Users;
namespace AdminEv = Community::Contracts::Events::Admin;
namespace ChatEv = Community::Contracts::Events::Chat;
using Community::Events::Event;

QString id(qint64 v)
{
    return QString::number(v);
}

/// A reply tells the parent comment's author ("replied to your comment") and the post's
/// author ("commented on your post"); someone who is both is told once, as the parent.
QList<Draft> fromComment(const Event &e)
{
    const auto c = ContentEv::CommentChanged::fromJson(e.payload);
    if (!c)
        return {};
    QList<Draft> out;
    const QJsonObject subject{{QStringLiteral("postId"), id(c->postId)}, {QStringLiteral("commentId"), id(c->commentId)}};
    const std::optional<qint64> parentAuthor = c->parentAuthorId ? *c->parentAuthorId : std::nullopt;
    if (parentAuthor && c->parentId) {
        QJsonObject s = subject;
        s.insert(QStringLiteral("parentId"), id(*c->parentId));
        out.append({*parentAuthor, Kind::Reply, QStringLiteral("comment:%1").arg(*c->parentId),
                    QStringLiteral("comment:%1").arg(c->commentId), c->authorId, c->authorName, c->postId, s});
    }
    if (c->postAuthorId && (!parentAuthor || *parentAuthor != *c->postAuthorId))
        out.append({*c->postAuthorId, Kind::Reply, QStringLiteral("post:%1").arg(c->postId),
                    QStringLiteral("comment:%1").arg(c->commentId), c->authorId, c->authorName, c->postId, subject});
    return out;
}

QList<Draft> fromMention(const Event &e)
{
    const auto m = ContentEv::UserMentioned::fromJson(e.payload);
    if (!m)
        return {};
    QJsonObject subject{{QStringLiteral("postId"), id(m->postId)}, {QStringLiteral("targetType"), m->targetType}};
    if (m->commentId)
        subject.insert(QStringLiteral("commentId"), id(*m->commentId));
    if (m->title)
        subject.insert(QStringLiteral("title"), *m->title);
    const QString target = m->commentId ? QStringLiteral("comment:%1").arg(*m->commentId)
                                        : QStringLiteral("post:%1").arg(m->postId);
    return {{m->userId, Kind::Mention, QStringLiteral("mention:") + target, QStringLiteral("mention:") + target,
             m->authorId, m->authorName, m->postId, subject}};
}

/// A mention in a chat message (chat publishes it only for members of the room).
QList<Draft> fromChatMention(const Event &e)
{
    const auto m = ChatEv::UserMentioned::fromJson(e.payload);
    if (!m)
        return {};
    const QJsonObject subject{{QStringLiteral("targetType"), QStringLiteral("chat-message")},
                              {QStringLiteral("roomId"), id(m->roomId)}, {QStringLiteral("messageId"), id(m->messageId)},
                              {QStringLiteral("excerpt"), m->excerpt}};
    const QString target = QStringLiteral("mention:chat-message:%1").arg(m->messageId);
    return {{m->userId, Kind::Mention, target, target, m->authorId, m->authorName, std::nullopt, subject}};
}

QList<Draft> fromFollow(const Event &e)
{
    const auto r = UsersEv::RelationChanged::fromJson(e.payload);
    if (!r || r->relation != QLatin1String("follow") || !r->active)
        return {};
    // Following, unfollowing and following again is a new event each time: keyed by event.
    // The event carries no username: the service fills it in.
    return {{r->targetId, Kind::Follow, QStringLiteral("followers"), QStringLiteral("follow:%1").arg(e.id), r->actorId,
             QString(), std::nullopt, QJsonObject{}}};
}

QList<Draft> fromVote(const Event &e)
{
    const auto v = ContentEv::VoteChanged::fromJson(e.payload);
    if (!v || v->authorId <= 0)
        return {};
    const qint64 before = qint64(v->score) - (v->value - v->previous);
    QList<Draft> out;
    for (qint64 m : milestonesCrossed(before, v->score)) {
        const QString target = QStringLiteral("%1:%2").arg(v->targetType).arg(v->targetId);
        QJsonObject subject{{QStringLiteral("postId"), id(v->postId)}, {QStringLiteral("targetType"), v->targetType},
                            {QStringLiteral("targetId"), id(v->targetId)}, {QStringLiteral("milestone"), m}};
        // Once per target and milestone, however often the score goes down and up again.
        out.append({v->authorId, Kind::VoteMilestone, QStringLiteral("votes:%1:%2").arg(target).arg(m),
                    QStringLiteral("votes:%1:%2").arg(target).arg(m), 0, QString(), v->postId, subject});
    }
    return out;
}

QList<Draft> fromReportOutcome(const Event &e)
{
    const auto r = AdminEv::ReportOutcome::fromJson(e.payload);
    if (!r)
        return {};
    const QJsonObject subject{{QStringLiteral("reportId"), id(r->reportId)}, {QStringLiteral("targetType"), r->targetType},
                              {QStringLiteral("targetId"), id(r->targetId)}, {QStringLiteral("outcome"), r->outcome}};
    // Content's and chat's report ids are separate sequences: a chat report's key names its
    // source (content's keep their first form, so a replay still finds them).
    const bool content = r->targetType == QLatin1String("post") || r->targetType == QLatin1String("comment");
    const QString key = content ? QStringLiteral("report:%1").arg(r->reportId)
                                : QStringLiteral("report:%1:%2").arg(r->targetType).arg(r->reportId);
    // An outcome after an undo (ADR 0036) is a new notification, not a redelivery of the first.
    const QString source = r->correction ? QStringLiteral("%1:decision:%2:%3").arg(key).arg(r->decisionId).arg(r->outcome) : key;
    return {{r->reporterId, Kind::ReportOutcome, key, source, 0, QString(), std::nullopt, subject}};
}

QList<Draft> fromPenalty(const Event &e)
{
    const auto p = AdminEv::PenaltyChanged::fromJson(e.payload);
    if (!p)
        return {};
    const bool lifted = e.type == AdminEv::Type::PenaltyLifted;
    QJsonObject subject{{QStringLiteral("penaltyId"), id(p->penaltyId)}, {QStringLiteral("penalty"), p->kind},
                        {QStringLiteral("state"), lifted ? QStringLiteral("lifted") : QStringLiteral("applied")}};
    if (!lifted && !p->reason.isEmpty())
        subject.insert(QStringLiteral("reason"), p->reason);
    if (p->endsAt.isValid())
        subject.insert(QStringLiteral("endsAt"), p->endsAt.toUTC().toString(Qt::ISODateWithMs));
    const QString key = QStringLiteral("penalty:%1:%2").arg(p->penaltyId).arg(lifted ? "lifted" : "applied");
    return {{p->userId, Kind::Moderation, key, key, 0, QString(), std::nullopt, subject}};
}

} // namespace

QStringList allKinds()
{
    return {Kind::Reply,      Kind::Mention,     Kind::Follow,      Kind::VoteMilestone,
            Kind::ReportOutcome, Kind::Moderation, Kind::ChatMessage, Kind::Announcement};
}

QStringList projectedEventTypes()
{
    return {ContentEv::Type::CommentCreated, ContentEv::Type::UserMentioned, ContentEv::Type::VoteChanged,
            UsersEv::Type::RelationChanged, AdminEv::Type::ReportOutcome, AdminEv::Type::PenaltyApplied,
            AdminEv::Type::PenaltyLifted, ChatEv::Type::UserMentioned, ChatEv::MessageCreated::type};
}

QList<Draft> project(const Event &event)
{
    const QString &t = event.type;
    if (t == ContentEv::Type::CommentCreated)
        return fromComment(event);
    if (t == ContentEv::Type::UserMentioned)
        return fromMention(event);
    if (t == ContentEv::Type::VoteChanged)
        return fromVote(event);
    if (t == ChatEv::Type::UserMentioned)
        return fromChatMention(event);
    if (t == UsersEv::Type::RelationChanged)
        return fromFollow(event);
    if (t == AdminEv::Type::ReportOutcome)
        return fromReportOutcome(event);
    if (t == AdminEv::Type::PenaltyApplied || t == AdminEv::Type::PenaltyLifted)
        return fromPenalty(event);
    return {};
}

std::optional<ChatEv::MessageCreated> chatMessageOf(const Event &event)
{
    if (event.type != ChatEv::MessageCreated::type)
        return std::nullopt;
    return ChatEv::MessageCreated::fromJson(event.payload);
}

QList<Draft> chatMessageDrafts(const Community::Contracts::ChatMessageAudience &a, const QString &body, int maxRoomMembers)
{
    const bool small = a.roomKind == QLatin1String("dm")
                       || (a.roomKind == QLatin1String("group") && a.memberCount <= maxRoomMembers);
    if (!small || a.deleted || a.threadRootId != 0 || a.seq <= 0)
        return {};
    const QJsonObject subject{{QStringLiteral("targetType"), QStringLiteral("chat-room")},
                              {QStringLiteral("roomId"), id(a.roomId)},
                              {QStringLiteral("roomKind"), a.roomKind},
                              {QStringLiteral("roomName"), a.roomName},
                              {QStringLiteral("messageId"), id(a.messageId)},
                              {QStringLiteral("excerpt"), body.left(140)}};
    QList<Draft> out;
    for (const auto &m : a.members) {
        if (m.userId == a.senderId || a.mentioned.contains(m.userId) || m.lastReadSeq >= a.seq)
            continue;
        if (m.online && m.lastReadSeq >= a.seq - 1)
            continue;   // the room is open on one of the member's devices
        Draft d{m.userId, Kind::ChatMessage, QStringLiteral("room:%1").arg(a.roomId),
                QStringLiteral("chat-message:%1").arg(a.messageId), a.senderId, QString(), std::nullopt, subject, a.roomId};
        out.append(d);
    }
    return out;
}

Draft announcementDraft(const Announcement &a, qint64 recipientId)
{
    QJsonObject subject{{QStringLiteral("announcementId"), id(a.id)}, {QStringLiteral("title"), a.title},
                        {QStringLiteral("excerpt"), a.body.left(280)}};
    if (!a.url.isEmpty())
        subject.insert(QStringLiteral("url"), a.url);
    const QString key = QStringLiteral("announcement:%1").arg(a.id);
    return {recipientId, Kind::Announcement, key, key, 0, QString(), std::nullopt, subject, std::nullopt};
}

QList<qint64> milestonesCrossed(qint64 before, qint64 after)
{
    QList<qint64> out;
    for (qint64 m = 1; m <= after && m > 0; m *= 10)
        if (before < m)
            out.append(m);
    return out;
}

} // namespace Notifications
