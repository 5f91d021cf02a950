// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contenterrors.h"

namespace Content {

Community::Error unavailable(const QString &what, const QString &state)
{
    const QString detail = state == QLatin1String("locked")
                               ? QStringLiteral("The post is locked: only moderators can comment.")
                               : QStringLiteral("The %1 was %2.").arg(what, state == QLatin1String("deleted")
                                                                                ? QStringLiteral("deleted by its author")
                                                                                : QStringLiteral("removed by a moderator"));
    Community::Error e = Community::Error::make(Community::ErrorCode::Conflict, detail);
    e.type = what + QLatin1Char('-') + state;
    return e;
}

Community::Error blocked(const QString &what)
{
    Community::Error e = Community::forbidden(
        QStringLiteral("The author of this %1 has blocked you: you cannot comment on, reply to, vote on or mention "
                       "their content.").arg(what));
    e.type = QStringLiteral("blocked");
    return e;
}

Community::Error conflict(const QString &message)
{
    return Community::Error::make(Community::ErrorCode::Conflict, message);
}

} // namespace Content
