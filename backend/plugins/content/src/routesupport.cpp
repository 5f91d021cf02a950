// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "routeoptions.h"

#include "community/router.h"

using Community::Http::RouteOptions;
using Community::Role;

namespace Content {

RouteOptions writeRoute(qint64 maxBodyBytes)
{
    RouteOptions o = RouteOptions::authenticated(Role::User, QLatin1String(kWriteScope));
    o.rateClass = QStringLiteral("write");
    o.maxBodyBytes = maxBodyBytes;
    return o;
}

RouteOptions moderateRoute()
{
    RouteOptions o = RouteOptions::authenticated(Role::User, QLatin1String(kModerateScope));
    o.rateClass = QStringLiteral("write");
    o.maxBodyBytes = 16 * 1024;
    return o;
}

RouteOptions ownReadRoute()
{
    return RouteOptions::authenticated(Role::User, QLatin1String(kReadScope));
}

RouteOptions readRoute()
{
    return RouteOptions{};
}

qint64 viewerOf(const Community::Principal &principal)
{
    if (principal.isAnonymous() || !principal.hasScope(QLatin1String(kReadScope)))
        return 0;
    return principal.userId;
}

} // namespace Content
