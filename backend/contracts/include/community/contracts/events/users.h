// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the users plugin publishes (producer: users; consumers: search, notifications).
/// Version 1. users.profile.created / .updated carry the public profile; .deleted only the
/// id. users.follow.created: `followerId` started following `followeeId` (aggregate
/// "user:<followeeId>"); published only when the follow is new.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Users {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView ProfileCreated{"users.profile.created"};
inline constexpr QLatin1StringView ProfileUpdated{"users.profile.updated"};
inline constexpr QLatin1StringView ProfileDeleted{"users.profile.deleted"};
inline constexpr QLatin1StringView FollowCreated{"users.follow.created"};
} // namespace Type

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

struct FollowCreated {
    static constexpr QLatin1StringView type = Type::FollowCreated;
    qint64 followerId = 0, followeeId = 0;
    QString followerName;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(followeeId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("followerId"), Json::id(followerId)},
                           {QStringLiteral("followeeId"), Json::id(followeeId)},
                           {QStringLiteral("followerName"), followerName}};
    }
    static std::optional<FollowCreated> fromJson(const QJsonObject &o)
    {
        const auto follower = Json::toId(o.value(QStringLiteral("followerId")));
        const auto followee = Json::toId(o.value(QStringLiteral("followeeId")));
        if (!follower || !followee)
            return std::nullopt;
        return FollowCreated{*follower, *followee, o.value(QStringLiteral("followerName")).toString()};
    }
};

} // namespace Community::Contracts::Events::Users
