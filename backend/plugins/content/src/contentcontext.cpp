// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentcontext.h"

#include "overlayrepository.h"

#include "contenterrors.h"

#include "community/contracts/auth.h"
#include "community/contracts/users.h"
#include "community/database.h"

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

Community::Result<std::optional<PageOverlay>> overlayFor(ContentContext &ctx, qint64 viewer, const SharedPage &page)
{
    if (!page.shareable || page.seeMore.contains(viewer))
        return std::optional<PageOverlay>();
    auto relations = ctx.relations.relationsOf(viewer);   // held in memory by the users plugin
    if (!relations)
        return tl::unexpected(relations.error());
    if (hidesAnyone(page, relations->hidden))
        return std::optional<PageOverlay>();
    return ctx.db.read<std::optional<PageOverlay>>(
        [&](pqxx::nontransaction &tx) -> Community::Result<std::optional<PageOverlay>> {
            PageOverlay overlay = readOverlay(tx, viewer, page);
            if (overlay.value(kOwnRecentWrite) != 0 || overlay.value(kModerates) != 0)
                return std::optional<PageOverlay>();
            return std::optional<PageOverlay>(std::move(overlay));
        });
}

} // namespace Content
