// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Who is calling: the result of authentication, attached to every request by the
/// gateway pipeline. A value type; safe to copy between threads.

#include <QString>
#include <QStringList>

namespace Community {

enum class Role { User = 1, Moderator = 2, Admin = 3 };

/// "user", "moderator", "admin".
QString roleName(Role role);
/// Parses a role name; false if unknown.
bool parseRole(const QString &name, Role *out);

struct Principal {
    enum class Kind { Anonymous, User, ApiKey, Operator };
    Kind kind = Kind::Anonymous;
    qint64 userId = 0;          ///< the user, or the user who created the API key
    QString username;
    Role role = Role::User;     ///< roles are ordered: admin ⊇ moderator ⊇ user
    QStringList scopes;         ///< API keys only: what the key may do ("users:read", ...)
    QString sessionId;          ///< user tokens: the session (for "current" markers, revocation)
    QString apiKeyId;           ///< API keys: the key id
    /// The account must change its password first: the gateway refuses every
    /// Authenticated route except those marked allowPendingPasswordChange (403).
    bool passwordChangeRequired = false;

    bool isAnonymous() const { return kind == Kind::Anonymous; }
    bool hasRole(Role r) const { return kind != Kind::Anonymous && int(role) >= int(r); }
    /// User tokens carry every scope their role allows; API keys only the listed ones.
    bool hasScope(const QString &scope) const
    {
        if (kind == Kind::User || kind == Kind::Operator)
            return true;
        return kind == Kind::ApiKey && (scopes.contains(scope) || scopes.contains(QStringLiteral("*")));
    }
};

} // namespace Community
