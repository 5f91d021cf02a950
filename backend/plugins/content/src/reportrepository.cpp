// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reportrepository.h"

#include "sqlarrays.h"

#include "community/json.h"

namespace Content {

namespace {

const char *const kReportSelect =
    "SELECT r.id, r.target_type, r.target_id, r.community_id, cm.slug, r.reporter_id, coalesce(ra.username, ''), "
    "r.reason, r.details, r.status, coalesce(r.resolved_by, 0), coalesce(rb.username, ''), "
    "coalesce((extract(epoch FROM r.resolved_at) * 1000000)::bigint, 0), r.resolution, "
    "(extract(epoch FROM r.created_at) * 1000000)::bigint, "
    "coalesce(tp.id, tc.post_id, 0), coalesce(tp.title, cp.title, ''), coalesce(tp.author_id, tc.author_id, 0), "
    "coalesce(ta.username, ''), coalesce(tp.body, tc.body, ''), coalesce(tp.state, tc.state, '') "
    "FROM content.reports r JOIN content.communities cm ON cm.id = r.community_id "
    "LEFT JOIN content.authors ra ON ra.user_id = r.reporter_id "
    "LEFT JOIN content.authors rb ON rb.user_id = r.resolved_by "
    "LEFT JOIN content.posts tp ON r.target_type = 'post' AND tp.id = r.target_id "
    "LEFT JOIN content.comments tc ON r.target_type = 'comment' AND tc.id = r.target_id "
    "LEFT JOIN content.posts cp ON cp.id = tc.post_id "
    "LEFT JOIN content.authors ta ON ta.user_id = coalesce(tp.author_id, tc.author_id)";

ReportRow reportFromRow(const pqxx::row &r)
{
    const auto str = [&](int i) { return QString::fromStdString(r[i].as<std::string>()); };
    ReportRow o;
    o.id = r[0].as<qint64>();
    o.targetType = str(1);
    o.targetId = r[2].as<qint64>();
    o.communityId = r[3].as<qint64>();
    o.communitySlug = str(4);
    o.reporterId = r[5].as<qint64>();
    o.reporterName = str(6);
    o.reason = str(7);
    o.details = str(8);
    o.status = str(9);
    o.resolvedBy = r[10].as<qint64>();
    o.resolvedByName = str(11);
    if (const qint64 at = r[12].as<qint64>())
        o.resolvedAt = Community::Json::fromMicros(at);
    if (!r[13].is_null())
        o.note = str(13);
    o.createdAt = Community::Json::fromMicros(r[14].as<qint64>());
    o.postId = r[15].as<qint64>();
    o.targetTitle = str(16);
    o.targetAuthorId = r[17].as<qint64>();
    o.targetAuthorName = str(18);
    o.targetBody = str(19);
    o.targetState = str(20);
    return o;
}

} // namespace

std::optional<std::pair<qint64, qint64>> ReportRepository::target(const QString &targetType, qint64 targetId)
{
    const auto rows = targetType == QLatin1String("post")
        ? m_tx.exec_params("SELECT community_id, author_id FROM content.posts WHERE id = $1", targetId)
        : m_tx.exec_params("SELECT p.community_id, c.author_id FROM content.comments c "
                           "JOIN content.posts p ON p.id = c.post_id WHERE c.id = $1",
                           targetId);
    if (rows.empty())
        return std::nullopt;
    return std::pair{rows[0][0].as<qint64>(), rows[0][1].as<qint64>()};
}

std::optional<qint64> ReportRepository::insert(const NewReport &r)
{
    const auto inserted = m_tx.exec_params(
        "INSERT INTO content.reports (target_type, target_id, community_id, reporter_id, reason, details) "
        "VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (target_type, target_id, reporter_id) WHERE status = 'open' DO NOTHING RETURNING id",
        r.targetType.toStdString(), r.targetId, r.communityId, r.reporterId, r.reason.toStdString(), r.details.toStdString());
    if (inserted.empty())
        return std::nullopt;
    return inserted[0][0].as<qint64>();
}

qint64 ReportRepository::openReport(const QString &targetType, qint64 targetId, qint64 reporterId)
{
    const auto rows = m_tx.exec_params("SELECT id FROM content.reports WHERE target_type = $1 AND target_id = $2 "
                                       "AND reporter_id = $3 AND status = 'open'",
                                       targetType.toStdString(), targetId, reporterId);
    return rows.empty() ? 0 : rows[0][0].as<qint64>();
}

Community::Result<ReportRow> ReportRepository::load(qint64 id)
{
    const auto rows = m_tx.exec_params(std::string(kReportSelect) + " WHERE r.id = $1", id);
    if (rows.empty())
        return tl::unexpected(Community::notFound(QStringLiteral("No such report.")));
    return reportFromRow(rows[0]);
}

std::optional<LockedReport> ReportRepository::lock(qint64 id)
{
    const auto rows = m_tx.exec_params("SELECT community_id, status, target_type, target_id, reporter_id "
                                       "FROM content.reports WHERE id = $1 FOR UPDATE",
                                       id);
    if (rows.empty())
        return std::nullopt;
    return LockedReport{rows[0][0].as<qint64>(), QString::fromStdString(rows[0][1].as<std::string>()),
                        QString::fromStdString(rows[0][2].as<std::string>()), rows[0][3].as<qint64>(),
                        rows[0][4].as<qint64>()};
}

void ReportRepository::resolve(qint64 id, const QString &resolution, qint64 moderatorId, const QString &note)
{
    m_tx.exec_params("UPDATE content.reports SET status = $2, resolved_by = $3, resolved_at = now(), "
                     "resolution = NULLIF($4, '') WHERE id = $1",
                     id, resolution.toStdString(), moderatorId, note.toStdString());
}

QList<ReportRow> ReportRepository::page(const QString &status, qint64 before,
                                        const std::optional<QList<qint64>> &communities, int rows)
{
    const auto result = m_tx.exec_params(std::string(kReportSelect)
                                             + " WHERE r.status = $1 AND r.id < $2 AND ($3 OR r.community_id = ANY ($4::bigint[])) "
                                               "ORDER BY r.id DESC LIMIT $5",
                                         status.toStdString(), before, !communities.has_value(),
                                         idArrayLiteral(communities.value_or(QList<qint64>())), rows);
    QList<ReportRow> out;
    out.reserve(result.size());
    for (const auto &r : result)
        out.append(reportFromRow(r));
    return out;
}

} // namespace Content
