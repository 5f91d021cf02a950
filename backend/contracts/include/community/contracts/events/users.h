// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the users plugin publishes (producer: users; consumer: search). Version 1.
/// users.profile.created / .updated carry the public profile; .deleted only the id.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Users {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView ProfileCreated{"users.profile.created"};
inline constexpr QLatin1StringView ProfileUpdated{"users.profile.updated"};
inline constexpr QLatin1StringView ProfileDeleted{"users.profile.deleted"};
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

} // namespace Community::Contracts::Events::Users
