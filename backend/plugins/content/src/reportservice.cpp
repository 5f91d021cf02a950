// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reportservice.h"

#include "authorrepository.h"
#include "communityrepository.h"
#include "contentevents.h"
#include "permissions.h"

#include "community/database.h"

using namespace Community;
using Community::Http::HttpResponse;

namespace Content {

namespace {

Events::ReportChanged reportEvent(QLatin1StringView type, qint64 id, const QString &targetType, qint64 targetId,
                                  qint64 communityId, qint64 reporterId)
{
    Events::ReportChanged e;
    e.type = type;
    e.reportId = id;
    e.targetType = targetType;
    e.targetId = targetId;
    e.communityId = communityId;
    e.reporterId = reporterId;
    return e;
}

/// The communities whose reports the caller may see (nullopt: all); Forbidden otherwise.
Result<std::optional<QList<qint64>>> visibleCommunities(pqxx::transaction_base &tx, const Principal &who,
                                                         const QString &slug)
{
    CommunityRepository communities(tx);
    if (!slug.isEmpty()) {
        auto community = communities.find(slug);
        if (!community)
            return tl::unexpected(community.error());
        if (!moderates(tx, who, community->id))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can see its reports.")));
        return std::optional<QList<qint64>>(QList<qint64>{community->id});
    }
    if (who.hasRole(Role::Moderator))
        return std::optional<QList<qint64>>();
    const QList<qint64> mine = communities.moderated(who.userId);
    if (mine.isEmpty())
        return tl::unexpected(forbidden(QStringLiteral("Only moderators can see reports.")));
    return std::optional<QList<qint64>>(mine);
}

} // namespace

Result<HttpResponse> ReportService::create(const Principal &who, const ReportInput &in,
                                           const std::optional<IdempotencyKey> &key,
                                           const std::function<HttpResponse(const ReportRow &, bool)> &reply)
{
    return m_ctx.db.transact<HttpResponse>([&](pqxx::work &tx) {
        return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
            ReportRepository reports(tx);
            const auto target = reports.target(in.targetType, in.targetId);
            if (!target)
                return tl::unexpected(notFound(in.targetType == QLatin1String("post") ? QStringLiteral("No such post.")
                                                                                     : QStringLiteral("No such comment.")));
            const auto [communityId, authorId] = *target;
            if (authorId == who.userId)
                return tl::unexpected(invalidField(QStringLiteral("targetId"), QStringLiteral("you cannot report your own content"),
                                                   QStringLiteral("own_content")));
            AuthorRepository::remember(tx, who.userId, who.username);
            const auto inserted = reports.insert({in.targetType, in.targetId, communityId, who.userId, in.reason, in.details});
            const qint64 id = inserted ? *inserted : reports.openReport(in.targetType, in.targetId, who.userId);
            if (id == 0)   // resolved in between: let the client try again
                return fail(ErrorCode::Unavailable, QStringLiteral("Please retry the request."));
            if (inserted) {
                Events::ReportChanged e = reportEvent(Events::Type::ReportCreated, id, in.targetType, in.targetId,
                                                      communityId, who.userId);
                e.reason = in.reason;
                if (auto p = publish(m_ctx.events, tx, e); !p)
                    return tl::unexpected(p.error());
            }
            auto row = reports.load(id);
            if (!row)
                return tl::unexpected(row.error());
            return reply(*row, inserted.has_value());
        });
    });
}

Result<QList<ReportRow>> ReportService::queue(const Principal &who, const QString &status, const QString &slug,
                                              qint64 before, int rows)
{
    return m_ctx.db.read<QList<ReportRow>>([&](pqxx::nontransaction &tx) -> Result<QList<ReportRow>> {
        const auto scope = visibleCommunities(tx, who, slug);
        if (!scope)
            return tl::unexpected(scope.error());
        return ReportRepository(tx).page(status, before, *scope, rows);
    });
}

Result<ReportRow> ReportService::resolve(const Principal &who, qint64 reportId, const QString &resolution,
                                         const QString &note)
{
    return m_ctx.db.transact<ReportRow>([&](pqxx::work &tx) -> Result<ReportRow> {
        ReportRepository reports(tx);
        const auto locked = reports.lock(reportId);
        if (!locked)
            return tl::unexpected(notFound(QStringLiteral("No such report.")));
        if (!moderates(tx, who, locked->communityId))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can resolve its reports.")));
        if (locked->status != QLatin1String("open")) {
            if (locked->status == resolution)
                return reports.load(reportId);
            Error closed = Error::make(ErrorCode::Conflict, QStringLiteral("The report was already %1.").arg(locked->status));
            closed.type = QStringLiteral("report-closed");
            return tl::unexpected(closed);
        }
        reports.resolve(reportId, resolution, who.userId, note);
        AuthorRepository::remember(tx, who.userId, who.username);
        Events::ReportChanged e = reportEvent(Events::Type::ReportResolved, reportId, locked->targetType, locked->targetId,
                                              locked->communityId, locked->reporterId);
        e.resolution = resolution;
        e.note = note;
        e.moderatorId = who.userId;
        if (auto p = publish(m_ctx.events, tx, e); !p)
            return tl::unexpected(p.error());
        return reports.load(reportId);
    });
}

} // namespace Content
