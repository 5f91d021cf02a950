// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/principal.h"

namespace Community {

QString roleName(Role role)
{
    switch (role) {
    case Role::User: return QStringLiteral("user");
    case Role::Moderator: return QStringLiteral("moderator");
    case Role::Admin: return QStringLiteral("admin");
    }
    return QStringLiteral("user");
}

bool parseRole(const QString &name, Role *out)
{
    if (name == QLatin1String("user"))
        *out = Role::User;
    else if (name == QLatin1String("moderator"))
        *out = Role::Moderator;
    else if (name == QLatin1String("admin"))
        *out = Role::Admin;
    else
        return false;
    return true;
}

} // namespace Community
