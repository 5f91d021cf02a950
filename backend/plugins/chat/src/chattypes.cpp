// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chattypes.h"

namespace Chat {

QString kindName(RoomKind kind)
{
    switch (kind) {
    case RoomKind::Dm: return QStringLiteral("dm");
    case RoomKind::Group: return QStringLiteral("group");
    case RoomKind::Channel: return QStringLiteral("channel");
    }
    return QStringLiteral("group");
}

std::optional<RoomKind> parseKind(const QString &name)
{
    for (RoomKind k : {RoomKind::Dm, RoomKind::Group, RoomKind::Channel}) {
        if (kindName(k) == name)
            return k;
    }
    return std::nullopt;
}

QString memberRoleName(MemberRole role)
{
    switch (role) {
    case MemberRole::Member: return QStringLiteral("member");
    case MemberRole::Admin: return QStringLiteral("admin");
    case MemberRole::Owner: return QStringLiteral("owner");
    }
    return QStringLiteral("member");
}

std::optional<MemberRole> parseMemberRole(const QString &name)
{
    for (MemberRole r : {MemberRole::Member, MemberRole::Admin, MemberRole::Owner}) {
        if (memberRoleName(r) == name)
            return r;
    }
    return std::nullopt;
}

QString presenceName(PresenceState state)
{
    switch (state) {
    case PresenceState::Offline: return QStringLiteral("offline");
    case PresenceState::Away: return QStringLiteral("away");
    case PresenceState::Online: return QStringLiteral("online");
    }
    return QStringLiteral("offline");
}

} // namespace Chat
