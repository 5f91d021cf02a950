// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the users plugin publishes (producer: users; consumer: search). Version 1.
/// users.profile.created / .updated carry the public profile; .deleted only the id.
/// users.relation.changed names the two accounts whose follow, block or mute changed
/// (consumers: every node's relation cache, through the bus's broadcast).

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Users {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView ProfileCreated{"users.profile.created"};
inline constexpr QLatin1StringView ProfileUpdated{"users.profile.updated"};
inline constexpr QLatin1StringView ProfileDeleted{"users.profile.deleted"};
inline constexpr QLatin1StringView RelationChanged{"users.relation.changed"};
} // namespace Type

/// A follow, block or mute from `actorId` to `targetId` was made (`active`) or undone.
struct RelationChanged {
    qint64 actorId = 0;
    qint64 targetId = 0;
    QString relation;   ///< follow, block, mute
    bool active = true;

    QString typeName() const { return Type::RelationChanged; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(actorId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("actorId"), Json::id(actorId)},
                           {QStringLiteral("targetId"), Json::id(targetId)},
                           {QStringLiteral("relation"), relation},
                           {QStringLiteral("active"), active}};
    }
    static std::optional<RelationChanged> fromJson(const QJsonObject &o)
    {
        const auto actor = Json::toId(o.value(QStringLiteral("actorId")));
        const auto target = Json::toId(o.value(QStringLiteral("targetId")));
        if (!actor || !target)
            return std::nullopt;
        return RelationChanged{*actor, *target, o.value(QStringLiteral("relation")).toString(),
                               o.value(QStringLiteral("active")).toBool()};
    }
};

struct ProfileChanged {
    QLatin1StringView type = Type::ProfileUpdated;
    qint64 userId = 0;
    /// Absent on deleted.
    struct Public {
        QString username, displayName, bio;
        QString state = QStringLiteral("active");   ///< active, suspended, disabled
        QDateTime createdAt;
    };
    std::optional<Public> profile;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(userId); }
    QJsonObject toJson() const
    {
        QJsonObject o{{QStringLiteral("userId"), Json::id(userId)}};
        if (profile) {
            o.insert(QStringLiteral("username"), profile->username);
            o.insert(QStringLiteral("displayName"), profile->displayName);
            o.insert(QStringLiteral("bio"), profile->bio);
            o.insert(QStringLiteral("state"), profile->state);
            o.insert(QStringLiteral("createdAt"), Json::time(profile->createdAt));
        }
        return o;
    }
    static std::optional<ProfileChanged> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("userId")));
        if (!id)
            return std::nullopt;
        ProfileChanged e;
        e.userId = *id;
        if (o.contains(QStringLiteral("username"))) {
            Public p;
            p.username = o.value(QStringLiteral("username")).toString();
            p.displayName = o.value(QStringLiteral("displayName")).toString();
            p.bio = o.value(QStringLiteral("bio")).toString();
            p.state = o.value(QStringLiteral("state")).toString(QStringLiteral("active"));
            p.createdAt = Json::toTime(o.value(QStringLiteral("createdAt")));
            e.profile = p;
        }
        return e;
    }
};

} // namespace Community::Contracts::Events::Users
