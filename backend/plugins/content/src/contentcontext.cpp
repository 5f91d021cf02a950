// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentcontext.h"

#include "contenterrors.h"

#include "community/contracts/auth.h"

using namespace Community;

namespace Content {

Result<Contracts::UserRecord> userNamed(ContentContext &ctx, const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    auto u = ctx.directory.findByUsername(name);
    if (!u && u.error().code == ErrorCode::NotFound)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    return u;
}

Result<qint64> activityOwner(ContentContext &ctx, const QString &name)
{
    auto u = userNamed(ctx, name);
    if (!u)
        return tl::unexpected(u.error());
    if (u->state == Contracts::AccountState::Disabled)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    return u->id;
}

} // namespace Content
