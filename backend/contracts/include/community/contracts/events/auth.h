// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Account events the auth plugin publishes on the event bus, in the transaction that
/// made the change. Aggregate "user:<id>"; ids travel as decimal strings. No payload
/// carries a secret or an email address: no password or hash, no access, refresh,
/// email-verification or reset token, no TOTP secret, no recovery code.
/// Pure values; safe on any thread. fromJson() returns nullopt for a payload that lacks
/// a field or carries a wrong type.

#include "community/contracts/events/eventjson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Community::Contracts::Events::Auth {

namespace Detail {

inline QString idText(qint64 id)
{
    return QString::number(id);
}

/// A positive id sent as a decimal string; 0 when absent or malformed.
inline qint64 idFrom(const QJsonObject &o, const char *field)
{
    return Json::toId(o.value(QLatin1String(field))).value_or(0);
}

inline std::optional<QString> stringFrom(const QJsonObject &o, const char *field)
{
    const QJsonValue v = o.value(QLatin1String(field));
    if (!v.isString())
        return std::nullopt;
    return v.toString();
}

inline QString aggregateOf(qint64 userId)
{
    return QStringLiteral("user:") + idText(userId);
}

} // namespace Detail

/// An account was created: self-registration, by an administrator, by a first OAuth
/// login, or the first-start admin.
struct AccountRegistered {
    static constexpr const char *type = "auth.account.registered";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    QString username;
    QString role;     ///< "user", "moderator" or "admin"
    QString source;   ///< "register", "admin", "oauth" or "bootstrap"

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("username"), username},
                {QStringLiteral("role"), role}, {QStringLiteral("source"), source}};
    }
    static std::optional<AccountRegistered> fromJson(const QJsonObject &o)
    {
        const auto name = Detail::stringFrom(o, "username");
        const auto role = Detail::stringFrom(o, "role");
        const auto source = Detail::stringFrom(o, "source");
        const qint64 id = Detail::idFrom(o, "userId");
        if (!id || !name || !role || !source)
            return std::nullopt;
        return AccountRegistered{id, *name, *role, *source};
    }
};

/// The account's email address was verified (the address itself is not in the event).
struct EmailVerified {
    static constexpr const char *type = "auth.account.email_verified";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const { return {{QStringLiteral("userId"), Detail::idText(userId)}}; }
    static std::optional<EmailVerified> fromJson(const QJsonObject &o)
    {
        const qint64 id = Detail::idFrom(o, "userId");
        if (!id)
            return std::nullopt;
        return EmailVerified{id};
    }
};

/// The password changed: by its owner ("changed"), through a reset link ("reset"), or
/// set by an administrator ("admin_reset", the owner must choose a new one).
struct PasswordChanged {
    static constexpr const char *type = "auth.account.password_changed";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    QString method;   ///< "changed", "reset" or "admin_reset"

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("method"), method}};
    }
    static std::optional<PasswordChanged> fromJson(const QJsonObject &o)
    {
        const auto method = Detail::stringFrom(o, "method");
        const qint64 id = Detail::idFrom(o, "userId");
        if (!id || !method)
            return std::nullopt;
        return PasswordChanged{id, *method};
    }
};

/// A session started: a password login (after its second factor when one is due). The
/// address and user agent stay in auth's own session row.
struct SessionStarted {
    static constexpr const char *type = "auth.session.started";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    qint64 sessionId = 0;

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("sessionId"), Detail::idText(sessionId)}};
    }
    static std::optional<SessionStarted> fromJson(const QJsonObject &o)
    {
        const qint64 id = Detail::idFrom(o, "userId");
        const qint64 session = Detail::idFrom(o, "sessionId");
        if (!id || !session)
            return std::nullopt;
        return SessionStarted{id, session};
    }
};

/// An administrator suspended the account; `reason` is the administrator's note (may be empty).
struct AccountSuspended {
    static constexpr const char *type = "auth.account.suspended";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    QString username;
    QString reason;

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("username"), username},
                {QStringLiteral("reason"), reason}};
    }
    static std::optional<AccountSuspended> fromJson(const QJsonObject &o)
    {
        const auto name = Detail::stringFrom(o, "username");
        const auto reason = Detail::stringFrom(o, "reason");
        const qint64 id = Detail::idFrom(o, "userId");
        if (!id || !name || !reason)
            return std::nullopt;
        return AccountSuspended{id, *name, *reason};
    }
};

/// An administrator lifted a suspension.
struct AccountUnsuspended {
    static constexpr const char *type = "auth.account.unsuspended";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    QString username;

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("username"), username}};
    }
    static std::optional<AccountUnsuspended> fromJson(const QJsonObject &o)
    {
        const auto name = Detail::stringFrom(o, "username");
        const qint64 id = Detail::idFrom(o, "userId");
        if (!id || !name)
            return std::nullopt;
        return AccountUnsuspended{id, *name};
    }
};

/// An administrator set the account's role.
struct RoleChanged {
    static constexpr const char *type = "auth.account.role_changed";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    QString username;
    QString role;   ///< the new role: "user", "moderator" or "admin"

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("username"), username},
                {QStringLiteral("role"), role}};
    }
    static std::optional<RoleChanged> fromJson(const QJsonObject &o)
    {
        const auto name = Detail::stringFrom(o, "username");
        const auto role = Detail::stringFrom(o, "role");
        const qint64 id = Detail::idFrom(o, "userId");
        if (!id || !name || !role)
            return std::nullopt;
        return RoleChanged{id, *name, *role};
    }
};

/// Sessions of the account were revoked (their refresh tokens stop working at once, their
/// access tokens on every node within the state refresh interval).
struct SessionRevoked {
    static constexpr const char *type = "auth.session.revoked";
    static constexpr int version = 1;
    QString typeName() const { return QString::fromLatin1(type); }
    qint64 userId = 0;
    QList<qint64> sessionIds;
    /// "logout", "revoked" (by the owner), "password_changed", "password_reset",
    /// "password_admin_reset" or "token_reuse" (a used refresh token came back).
    QString reason;

    QString aggregate() const { return Detail::aggregateOf(userId); }
    QJsonObject toJson() const
    {
        QJsonArray ids;
        for (qint64 id : sessionIds)
            ids.append(Detail::idText(id));
        return {{QStringLiteral("userId"), Detail::idText(userId)}, {QStringLiteral("sessionIds"), ids},
                {QStringLiteral("reason"), reason}};
    }
    static std::optional<SessionRevoked> fromJson(const QJsonObject &o)
    {
        const auto reason = Detail::stringFrom(o, "reason");
        const qint64 id = Detail::idFrom(o, "userId");
        const QJsonValue list = o.value(QLatin1String("sessionIds"));
        if (!id || !reason || !list.isArray())
            return std::nullopt;
        SessionRevoked e{id, {}, *reason};
        for (const QJsonValue &v : list.toArray()) {
            bool ok = false;
            const qint64 sid = v.toString().toLongLong(&ok);
            if (!ok || sid <= 0)
                return std::nullopt;
            e.sessionIds.append(sid);
        }
        return e;
    }
};

} // namespace Community::Contracts::Events::Auth
