// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "routesupport.h"

#include "community/problem.h"
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

std::optional<CreateRequest> readCreateRequest(const Community::Http::HttpRequest &req,
                                               const Community::Http::Responder &res)
{
    auto body = Community::Http::readBody(req, res);
    if (!body)
        return std::nullopt;
    auto key = idempotencyKey(req);
    if (!key) {
        Community::Http::sendError(req, res, key.error());
        return std::nullopt;
    }
    return CreateRequest{std::move(*body), std::move(*key)};
}

std::optional<QString> readRemovalReason(const Community::Http::HttpRequest &req, const Community::Http::Responder &res)
{
    constexpr int kReasonMax = 500;
    auto body = Community::Http::readBody(req, res, true);
    if (!body)
        return std::nullopt;
    using Community::Http::Presence;
    const QString reason = body->text(QStringLiteral("reason"), {kReasonMax, Presence::Optional, true, true}).value_or(QString());
    if (auto r = body->finish(); !r) {
        Community::Http::sendError(req, res, r.error());
        return std::nullopt;
    }
    return reason;
}

} // namespace Content
