// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the chat plugin publishes (producer: chat). Consumers read them with
/// T::fromJson(payload); ids travel as decimal strings.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

#include <optional>

namespace Community::Contracts::Events::Chat {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView UserMentioned{"chat.user.mentioned"};
inline constexpr QLatin1StringView MembershipChanged{"chat.membership.changed"};
inline constexpr QLatin1StringView MessageReported{"chat.message.reported"};
} // namespace Type

/// chat.user.mentioned: `userId` (a member of the room) was mentioned by `authorId` in a
/// chat message.
struct UserMentioned {
    static constexpr QLatin1StringView type = Type::UserMentioned;
    qint64 userId = 0;
    qint64 roomId = 0;
    qint64 messageId = 0;
    qint64 authorId = 0;
    QString authorName;
    QString excerpt;          ///< the start of the message text

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(userId); }
    QJsonObject toJson() const
    {
        return QJsonObject{
            {QStringLiteral("userId"), Json::id(userId)},
            {QStringLiteral("roomId"), Json::id(roomId)},
            {QStringLiteral("messageId"), Json::id(messageId)},
            {QStringLiteral("authorId"), Json::id(authorId)},
            {QStringLiteral("authorName"), authorName},
            {QStringLiteral("excerpt"), excerpt},
        };
    }
    static std::optional<UserMentioned> fromJson(const QJsonObject &o)
    {
        const auto user = Json::toId(o.value(QStringLiteral("userId")));
        const auto message = Json::toId(o.value(QStringLiteral("messageId")));
        if (!user || !message)
            return std::nullopt;
        UserMentioned e;
        e.userId = *user;
        e.messageId = *message;
        e.roomId = Json::toId(o.value(QStringLiteral("roomId"))).value_or(0);
        e.authorId = Json::toId(o.value(QStringLiteral("authorId"))).value_or(0);
        e.authorName = o.value(QStringLiteral("authorName")).toString();
        e.excerpt = o.value(QStringLiteral("excerpt")).toString();
        return e;
    }
};

/// chat.membership.changed: `userId` joined (`joined`) or left a room. Every node's
/// membership cache (the room topics' authoriser) follows it.
struct MembershipChanged {
    static constexpr QLatin1StringView type = Type::MembershipChanged;
    qint64 roomId = 0;
    qint64 userId = 0;
    bool joined = false;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("room:%1").arg(roomId); }
    QJsonObject toJson() const
    {
        return QJsonObject{
            {QStringLiteral("roomId"), Json::id(roomId)},
            {QStringLiteral("userId"), Json::id(userId)},
            {QStringLiteral("joined"), joined},
        };
    }
    static std::optional<MembershipChanged> fromJson(const QJsonObject &o)
    {
        const auto room = Json::toId(o.value(QStringLiteral("roomId")));
        const auto user = Json::toId(o.value(QStringLiteral("userId")));
        if (!room || !user)
            return std::nullopt;
        return MembershipChanged{*room, *user, o.value(QStringLiteral("joined")).toBool()};
    }
};

/// chat.message.reported: `reporterId` reported a message (`reportId` is chat's own;
/// `communityId` is the channel's community, 0 in DMs and groups). The admin plugin's
/// review queue opens a "chat_message" item from it.
struct MessageReported {
    static constexpr QLatin1StringView type = Type::MessageReported;
    qint64 reportId = 0;
    qint64 messageId = 0;
    qint64 roomId = 0;
    qint64 authorId = 0;
    qint64 reporterId = 0;
    QString reason;
    QString excerpt;
    qint64 communityId = 0;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("chat-message:%1").arg(messageId); }
    QJsonObject toJson() const
    {
        return QJsonObject{
            {QStringLiteral("reportId"), Json::id(reportId)},
            {QStringLiteral("messageId"), Json::id(messageId)},
            {QStringLiteral("roomId"), Json::id(roomId)},
            {QStringLiteral("authorId"), Json::id(authorId)},
            {QStringLiteral("reporterId"), Json::id(reporterId)},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("excerpt"), excerpt},
            {QStringLiteral("communityId"), Json::id(communityId)},
        };
    }
    static std::optional<MessageReported> fromJson(const QJsonObject &o)
    {
        const auto report = Json::toId(o.value(QStringLiteral("reportId")));
        const auto message = Json::toId(o.value(QStringLiteral("messageId")));
        if (!report || !message)
            return std::nullopt;
        MessageReported e;
        e.reportId = *report;
        e.messageId = *message;
        e.roomId = Json::toId(o.value(QStringLiteral("roomId"))).value_or(0);
        e.authorId = Json::toId(o.value(QStringLiteral("authorId"))).value_or(0);
        e.reporterId = Json::toId(o.value(QStringLiteral("reporterId"))).value_or(0);
        e.reason = o.value(QStringLiteral("reason")).toString();
        e.excerpt = o.value(QStringLiteral("excerpt")).toString();
        e.communityId = Json::toId(o.value(QStringLiteral("communityId"))).value_or(0);
        return e;
    }
};

/// chat.message.created: a new message (not an idempotent resend) in a room: who wrote
/// where (analytics counts), and its markdown `body` and time for the search plugin's
/// room index (a reader that wants only counts ignores them; older events have none).
struct MessageCreated {
    static constexpr QLatin1StringView type{"chat.message.created"};
    qint64 messageId = 0;
    qint64 roomId = 0;
    qint64 senderId = 0;
    QString body;
    QDateTime createdAt;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("room:%1").arg(roomId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("messageId"), Json::id(messageId)}, {QStringLiteral("roomId"), Json::id(roomId)},
                           {QStringLiteral("senderId"), Json::id(senderId)}, {QStringLiteral("body"), body},
                           {QStringLiteral("createdAt"), Json::time(createdAt)}};
    }
    static std::optional<MessageCreated> fromJson(const QJsonObject &o)
    {
        const auto message = Json::toId(o.value(QStringLiteral("messageId")));
        const auto sender = Json::toId(o.value(QStringLiteral("senderId")));
        if (!message || !sender)
            return std::nullopt;
        return MessageCreated{*message, Json::toId(o.value(QStringLiteral("roomId"))).value_or(0), *sender,
                              o.value(QStringLiteral("body")).toString(), Json::toTime(o.value(QStringLiteral("createdAt")))};
    }
};

/// chat.message.edited (new text) and chat.message.restored (a moderator undid a
/// deletion): the message's current markdown `body`, for the room index.
struct MessageRevised {
    static constexpr QLatin1StringView editedType{"chat.message.edited"};
    static constexpr QLatin1StringView restoredType{"chat.message.restored"};
    qint64 messageId = 0;
    qint64 roomId = 0;
    qint64 senderId = 0;
    QString body;
    QDateTime createdAt;
    bool restored = false;

    QString typeName() const { return restored ? restoredType : editedType; }
    QString aggregate() const { return QStringLiteral("room:%1").arg(roomId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("messageId"), Json::id(messageId)}, {QStringLiteral("roomId"), Json::id(roomId)},
                           {QStringLiteral("senderId"), Json::id(senderId)}, {QStringLiteral("body"), body},
                           {QStringLiteral("createdAt"), Json::time(createdAt)}};
    }
    static std::optional<MessageRevised> fromJson(const QJsonObject &o)
    {
        const auto message = Json::toId(o.value(QStringLiteral("messageId")));
        const auto room = Json::toId(o.value(QStringLiteral("roomId")));
        if (!message || !room)
            return std::nullopt;
        return MessageRevised{*message, *room, Json::toId(o.value(QStringLiteral("senderId"))).value_or(0),
                              o.value(QStringLiteral("body")).toString(), Json::toTime(o.value(QStringLiteral("createdAt")))};
    }
};

/// chat.message.deleted: messages of a room soft-deleted (one) or purged (many, by
/// operators or retention; at most 1,000 ids per event). Their text must leave the index.
struct MessagesDeleted {
    static constexpr QLatin1StringView type{"chat.message.deleted"};
    qint64 roomId = 0;
    QList<qint64> messageIds;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("room:%1").arg(roomId); }
    QJsonObject toJson() const
    {
        QJsonArray ids;
        for (qint64 id : messageIds)
            ids.append(Json::id(id));
        return QJsonObject{{QStringLiteral("roomId"), Json::id(roomId)}, {QStringLiteral("messageIds"), ids}};
    }
    static std::optional<MessagesDeleted> fromJson(const QJsonObject &o)
    {
        const auto room = Json::toId(o.value(QStringLiteral("roomId")));
        if (!room)
            return std::nullopt;
        MessagesDeleted e{*room, {}};
        for (const QJsonValue &v : o.value(QStringLiteral("messageIds")).toArray())
            if (const auto id = Json::toId(v))
                e.messageIds.append(*id);
        return e;
    }
};

} // namespace Community::Contracts::Events::Chat
