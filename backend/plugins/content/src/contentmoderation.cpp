// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentmoderation.h"

#include "commentservice.h"
#include "contentcontext.h"
#include "moderationrepository.h"
#include "postservice.h"
#include "reportservice.h"

#include "community/database.h"

using namespace Community;
using Community::Contracts::ModerationTarget;
using Community::Contracts::ResolvedReport;

namespace Content {

Result<ModerationTarget> ContentModeration::target(const QString &type, qint64 id) const
{
    if (type != QLatin1String("post") && type != QLatin1String("comment"))
        return tl::unexpected(invalidField(QStringLiteral("targetType"), QStringLiteral("must be post or comment"),
                                           QStringLiteral("invalid_choice")));
    return m_ctx.db.read<ModerationTarget>([&](pqxx::nontransaction &tx) -> Result<ModerationTarget> {
        auto t = ModerationRepository(tx).target(type, id);
        if (!t)
            return tl::unexpected(notFound(type == QLatin1String("post") ? QStringLiteral("No such post.")
                                                                         : QStringLiteral("No such comment.")));
        return *t;
    });
}

Result<ModerationTarget> ContentModeration::setRemoved(const Principal &who, const QString &type, qint64 id,
                                                       bool removed, const QString &reason)
{
    auto before = target(type, id);
    if (!before)
        return before;
    const bool post = type == QLatin1String("post");
    if (removed) {
        auto r = post ? m_posts.remove(who, id, reason).map([](auto &&) { return true; })
                      : m_comments.remove(who, id, reason).map([](auto &&) { return true; });
        if (!r)
            return tl::unexpected(r.error());
    } else if (before->state != QLatin1String("visible")) {
        auto r = post ? m_posts.setAuthorState(who, id, false).map([](auto &&) { return true; })
                      : m_comments.setAuthorState(who, id, false).map([](auto &&) { return true; });
        if (!r)
            return tl::unexpected(r.error());
    }
    return target(type, id);
}

Result<QList<ResolvedReport>> ContentModeration::resolveReports(const Principal &who, const QString &type, qint64 id,
                                                                const QString &resolution, const QString &note)
{
    auto open = m_ctx.db.read<QList<qint64>>([&](pqxx::nontransaction &tx) -> Result<QList<qint64>> {
        return ModerationRepository(tx).openReports(type, id);
    });
    if (!open)
        return tl::unexpected(open.error());
    QList<ResolvedReport> out;
    for (qint64 reportId : *open) {
        auto row = m_reports.resolve(who, reportId, resolution, note);
        if (!row) {
            // Closed by someone else in between with another outcome: not ours to report.
            if (row.error().code == ErrorCode::Conflict)
                continue;
            return tl::unexpected(row.error());
        }
        out.append({row->id, row->reporterId});
    }
    return out;
}

} // namespace Content
