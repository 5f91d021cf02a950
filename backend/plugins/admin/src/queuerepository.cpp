// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "queuerepository.h"

#include "community/clock.h"

#include "sqlvalues.h"

namespace Admin {

namespace {

constexpr auto q = Sql::text;
constexpr auto t = Sql::time;

std::string s(const QString &q) { return q.toStdString(); }

#define EPOCH(col) "extract(epoch FROM " col ")::float8"

constexpr const char *kItemColumns =
    "i.id, i.kind, i.target_type, i.target_id, i.community_id, i.status, i.priority, coalesce(i.assignee_id, 0),"
    " coalesce(i.claim_holder_id, 0), i.claim_holder_name, " EPOCH("i.claim_expires_at") ", coalesce(i.decision_id, 0),"
    " (SELECT count(*) FROM admin.queue_reports r WHERE r.item_id = i.id AND r.outcome IS NULL),"
    " (SELECT coalesce(string_agg(DISTINCT r.reason, ','), '') FROM admin.queue_reports r"
    "   WHERE r.item_id = i.id AND (r.outcome IS NULL OR i.status = 'resolved')),"
    " " EPOCH("i.created_at") ", " EPOCH("i.updated_at") ", " EPOCH("i.resolved_at") ","
    " coalesce(i.quarantine_decision_id, 0)";

QueueItem itemFromRow(const pqxx::row &r)
{
    QueueItem i;
    i.id = r[0].as<qint64>();
    i.kind = q(r[1]);
    i.targetType = q(r[2]);
    i.targetId = r[3].as<qint64>();
    i.communityId = r[4].as<qint64>();
    i.status = q(r[5]);
    i.priority = r[6].as<int>();
    i.assigneeId = r[7].as<qint64>();
    i.claimHolderId = r[8].as<qint64>();
    i.claimHolderName = q(r[9]);
    i.claimExpiresAt = t(r[10]);
    i.decisionId = r[11].as<qint64>();
    i.openReports = r[12].as<int>();
    const QString reasons = q(r[13]);
    i.reasons = reasons.isEmpty() ? QStringList() : reasons.split(QLatin1Char(','));
    i.createdAt = t(r[14]);
    i.updatedAt = t(r[15]);
    i.resolvedAt = t(r[16]);
    i.quarantineDecisionId = r[17].as<qint64>();
    return i;
}

constexpr const char *kPenaltyColumns =
    "id, user_id, coalesce(decision_id, 0), created_by, kind, reason, " EPOCH("created_at") ", " EPOCH("ends_at")
    ", " EPOCH("lifted_at");

Penalty penaltyFromRow(const pqxx::row &r)
{
    Penalty p;
    p.id = r[0].as<qint64>();
    p.userId = r[1].as<qint64>();
    p.decisionId = r[2].as<qint64>();
    p.createdBy = r[3].as<qint64>();
    p.kind = q(r[4]);
    p.reason = q(r[5]);
    p.createdAt = t(r[6]);
    p.endsAt = t(r[7]);
    p.liftedAt = t(r[8]);
    return p;
}

/// Penalties matching `condition` (SQL after WHERE, with $1 = `id`).
QList<Penalty> penaltiesWhere(pqxx::transaction_base &tx, const char *condition, qint64 id)
{
    QList<Penalty> out;
    for (const auto &r : tx.exec_params(std::string("SELECT ") + kPenaltyColumns + " FROM admin.penalties WHERE " + condition, id))
        out.append(penaltyFromRow(r));
    return out;
}

} // namespace

bool QueueItem::claimActive() const
{
    return claimHolderId != 0 && claimExpiresAt.isValid() && claimExpiresAt > QDateTime::currentDateTimeUtc();
}

bool QueueItem::claimedBy(qint64 userId) const
{
    return claimActive() && claimHolderId == userId;
}

bool QueueRepository::addReport(const IncomingReport &r, qint64 *itemId)
{
    if (!m_tx.exec_params("SELECT 1 FROM admin.queue_reports WHERE source = $1 AND report_id = $2", s(r.source), r.reportId)
             .empty())
        return false;
    const auto item = m_tx.exec_params(
        "INSERT INTO admin.queue_items (target_type, target_id, community_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (target_type, target_id) WHERE status = 'open' DO UPDATE SET updated_at = now() RETURNING id",
        s(r.targetType), r.targetId, r.communityId);
    *itemId = item[0][0].as<qint64>();
    m_tx.exec_params("INSERT INTO admin.queue_reports (report_id, item_id, reporter_id, reporter_role, reason, source)"
                     " VALUES ($1, $2, $3, $4, $5, $6)",
                     r.reportId, *itemId, r.reporterId, s(r.reporterRole), s(r.reason), s(r.source));
    return true;
}

bool QueueRepository::addFlag(const QString &targetType, qint64 targetId, qint64 communityId, int priority)
{
    return !m_tx.exec_params("INSERT INTO admin.queue_items (kind, target_type, target_id, community_id, priority)"
                             " VALUES ('flag', $1, $2, $3, $4) ON CONFLICT (target_type, target_id) WHERE status = 'open'"
                             " DO NOTHING RETURNING id",
                             s(targetType), targetId, communityId, priority)
                .empty();
}

QList<ReportSignal> QueueRepository::reportSignals(qint64 itemId)
{
    QList<ReportSignal> out;
    for (const auto &row : m_tx.exec_params(
             "SELECT r.reason, r.reporter_role,"
             " (SELECT count(*) FROM admin.queue_reports h WHERE h.reporter_id = r.reporter_id AND h.outcome = 'actioned'),"
             " (SELECT count(*) FROM admin.queue_reports h WHERE h.reporter_id = r.reporter_id AND h.outcome = 'dismissed')"
             " FROM admin.queue_reports r WHERE r.item_id = $1 AND r.outcome IS NULL",
             itemId))
        out.append({q(row[0]), q(row[1]), row[2].as<int>(), row[3].as<int>()});
    return out;
}

void QueueRepository::setPriority(qint64 itemId, int priority)
{
    m_tx.exec_params("UPDATE admin.queue_items SET priority = $2, updated_at = now() WHERE id = $1", itemId, priority);
}

qint64 QueueRepository::closeReport(qint64 reportId)
{
    const auto r = m_tx.exec_params("UPDATE admin.queue_reports SET outcome = 'closed'"
                                    " WHERE source = 'content' AND report_id = $1 AND outcome IS NULL RETURNING item_id",
                                    reportId);
    return r.empty() ? 0 : r[0][0].as<qint64>();
}

int QueueRepository::openReportCount(qint64 itemId)
{
    return m_tx.exec_params("SELECT count(*) FROM admin.queue_reports WHERE item_id = $1 AND outcome IS NULL", itemId)[0][0]
        .as<int>();
}

std::optional<QueueItem> QueueRepository::load(qint64 itemId, bool forUpdate)
{
    if (forUpdate)
        m_tx.exec_params("SELECT 1 FROM admin.queue_items WHERE id = $1 FOR UPDATE", itemId);
    const auto r = m_tx.exec_params(std::string("SELECT ") + kItemColumns + " FROM admin.queue_items i WHERE i.id = $1", itemId);
    if (r.empty())
        return std::nullopt;
    return itemFromRow(r[0]);
}

QList<QueueItem> QueueRepository::page(const QueueFilter &f, int limit)
{
    const auto rows = m_tx.exec_params(
        std::string("SELECT ") + kItemColumns + " FROM admin.queue_items i"
        " WHERE i.status = $1 AND ($2 = '' OR i.target_type = $2) AND ($3 = 0 OR i.community_id = $3)"
        " AND ($4 = 0 OR i.assignee_id = $4)"
        " AND ($5 = '' OR EXISTS (SELECT 1 FROM admin.queue_reports r WHERE r.item_id = i.id AND r.reason = $5))"
        " AND (NOT $6 OR (i.priority, i.id) < ($7, $8))"
        " ORDER BY i.priority DESC, i.id DESC LIMIT $9",
        s(f.status), s(f.targetType), f.communityId, f.assigneeId, s(f.reason), f.after.has_value(),
        f.after ? f.after->first : 0, f.after ? f.after->second : 0, limit);
    QList<QueueItem> out;
    for (const auto &r : rows)
        out.append(itemFromRow(r));
    return out;
}

QList<QueueReport> QueueRepository::reports(qint64 itemId)
{
    QList<QueueReport> out;
    for (const auto &r : m_tx.exec_params("SELECT report_id, reporter_id, reporter_role, reason, outcome, " EPOCH("created_at")
                                          " FROM admin.queue_reports WHERE item_id = $1 ORDER BY report_id",
                                          itemId))
        out.append({r[0].as<qint64>(), r[1].as<qint64>(), q(r[2]), q(r[3]), q(r[4]), t(r[5])});
    return out;
}

QList<QueueNote> QueueRepository::notes(qint64 itemId)
{
    QList<QueueNote> out;
    for (const auto &r : m_tx.exec_params("SELECT id, author_id, author_name, body, " EPOCH("created_at")
                                          " FROM admin.queue_notes WHERE item_id = $1 ORDER BY id",
                                          itemId))
        out.append({r[0].as<qint64>(), r[1].as<qint64>(), q(r[2]), q(r[3]), t(r[4])});
    return out;
}

void QueueRepository::setClaim(qint64 itemId, qint64 holderId, const QString &holderName, int minutes)
{
    m_tx.exec_params("UPDATE admin.queue_items SET claim_holder_id = $2, claim_holder_name = $3,"
                     " claim_expires_at = now() + make_interval(mins => $4), updated_at = now() WHERE id = $1",
                     itemId, holderId, s(holderName), minutes);
}

void QueueRepository::clearClaim(qint64 itemId)
{
    m_tx.exec_params("UPDATE admin.queue_items SET claim_holder_id = NULL, claim_holder_name = NULL,"
                     " claim_expires_at = NULL, updated_at = now() WHERE id = $1",
                     itemId);
}

qint64 QueueRepository::addNote(qint64 itemId, qint64 authorId, const QString &authorName, const QString &body)
{
    return m_tx.exec_params("INSERT INTO admin.queue_notes (item_id, author_id, author_name, body) VALUES ($1, $2, $3, $4)"
                            " RETURNING id",
                            itemId, authorId, s(authorName), s(body))[0][0].as<qint64>();
}

void QueueRepository::setAssignee(qint64 itemId, qint64 assigneeId)
{
    m_tx.exec_params("UPDATE admin.queue_items SET assignee_id = nullif($2, 0), updated_at = now() WHERE id = $1",
                     itemId, assigneeId);
}

qint64 QueueRepository::insertDecision(qint64 itemId, qint64 moderatorId, const QString &moderatorName,
                                       const QJsonArray &actions, const QString &reason, const QString &stateBefore,
                                       const QString &stateAfter, bool interim)
{
    const QByteArray json = QJsonDocument(actions).toJson(QJsonDocument::Compact);
    return m_tx.exec_params("INSERT INTO admin.decisions (item_id, moderator_id, moderator_name, actions, reason,"
                            " state_before, state_after, interim)"
                            " VALUES ($1, $2, $3, $4::jsonb, $5, nullif($6, ''), nullif($7, ''), $8) RETURNING id",
                            itemId, moderatorId, s(moderatorName), json.toStdString(), s(reason), s(stateBefore),
                            s(stateAfter), interim)[0][0]
        .as<qint64>();
}

std::optional<Decision> QueueRepository::decision(qint64 decisionId, bool forUpdate)
{
    const auto r = m_tx.exec_params(std::string("SELECT id, item_id, moderator_id, moderator_name, reason, actions::text,"
                                                " state_before, state_after, interim, " EPOCH("created_at") ", "
                                                EPOCH("undone_at") " FROM admin.decisions WHERE id = $1")
                                        + (forUpdate ? " FOR UPDATE" : ""),
                                    decisionId);
    if (r.empty())
        return std::nullopt;
    Decision d;
    d.id = r[0][0].as<qint64>();
    d.itemId = r[0][1].as<qint64>();
    d.moderatorId = r[0][2].as<qint64>();
    d.moderatorName = q(r[0][3]);
    d.reason = q(r[0][4]);
    d.actions = QJsonDocument::fromJson(QByteArray(r[0][5].c_str())).array();
    d.stateBefore = q(r[0][6]);
    d.stateAfter = q(r[0][7]);
    d.interim = r[0][8].as<bool>();
    d.createdAt = t(r[0][9]);
    d.undoneAt = t(r[0][10]);
    return d;
}

bool QueueRepository::markUndone(qint64 decisionId, qint64 byId, const QString &reason)
{
    return !m_tx.exec_params("UPDATE admin.decisions SET undone_at = now(), undone_by = $2, undo_reason = $3"
                             " WHERE id = $1 AND undone_at IS NULL RETURNING id",
                             decisionId, byId, s(reason))
                .empty();
}

bool QueueRepository::hadUndoneDecision(qint64 itemId)
{
    return !m_tx.exec_params("SELECT 1 FROM admin.decisions WHERE item_id = $1 AND undone_at IS NOT NULL AND NOT interim"
                             " LIMIT 1",
                             itemId)
                .empty();
}

qint64 QueueRepository::otherOpenItem(qint64 itemId)
{
    const auto r = m_tx.exec_params("SELECT o.id FROM admin.queue_items i JOIN admin.queue_items o"
                                    " ON o.target_type = i.target_type AND o.target_id = i.target_id"
                                    " WHERE i.id = $1 AND o.id <> i.id AND o.status = 'open'",
                                    itemId);
    return r.empty() ? 0 : r[0][0].as<qint64>();
}

QList<QueueReport> QueueRepository::reopenItem(qint64 itemId)
{
    QList<QueueReport> out;
    for (const auto &r : m_tx.exec_params("UPDATE admin.queue_reports SET outcome = NULL"
                                          " WHERE item_id = $1 AND outcome IN ('actioned', 'dismissed')"
                                          " RETURNING report_id, reporter_id, reporter_role, reason",
                                          itemId))
        out.append({r[0].as<qint64>(), r[1].as<qint64>(), q(r[2]), q(r[3]), {}, {}});
    m_tx.exec_params("UPDATE admin.queue_items SET status = 'open', decision_id = NULL, resolved_at = NULL,"
                     " updated_at = now() WHERE id = $1",
                     itemId);
    return out;
}

void QueueRepository::setQuarantine(qint64 itemId, qint64 decisionId)
{
    m_tx.exec_params("UPDATE admin.queue_items SET quarantine_decision_id = nullif($2, 0), updated_at = now() WHERE id = $1",
                     itemId, decisionId);
}

QList<Penalty> QueueRepository::penaltiesOfDecision(qint64 decisionId)
{
    return penaltiesWhere(m_tx, "decision_id = $1 AND lifted_at IS NULL ORDER BY id", decisionId);
}

QList<QueueReport> QueueRepository::resolveItem(qint64 itemId, qint64 decisionId, const QString &outcome)
{
    QList<QueueReport> out;
    for (const auto &r : m_tx.exec_params("UPDATE admin.queue_reports SET outcome = $2"
                                          " WHERE item_id = $1 AND (outcome IS NULL OR outcome = 'closed')"
                                          " RETURNING report_id, reporter_id, reporter_role, reason, outcome",
                                          itemId, s(outcome)))
        out.append({r[0].as<qint64>(), r[1].as<qint64>(), q(r[2]), q(r[3]), q(r[4]), {}});
    m_tx.exec_params("UPDATE admin.queue_items SET status = 'resolved', decision_id = nullif($2, 0), resolved_at = now(),"
                     " claim_holder_id = NULL, claim_holder_name = NULL, claim_expires_at = NULL, updated_at = now()"
                     " WHERE id = $1",
                     itemId, decisionId);
    return out;
}

qint64 QueueRepository::insertPenalty(const Penalty &p, int days)
{
    return m_tx.exec_params("INSERT INTO admin.penalties (user_id, kind, reason, decision_id, created_by, ends_at)"
                            " VALUES ($1, $2, $3, nullif($4, 0), $5,"
                            "  CASE WHEN $6 > 0 THEN now() + make_interval(days => $6) END) RETURNING id",
                            p.userId, s(p.kind), s(p.reason), p.decisionId, p.createdBy, days)[0][0]
        .as<qint64>();
}

QList<Penalty> QueueRepository::duePenalties(int limit, const QDateTime &now)
{
    QList<Penalty> out;
    for (const auto &r : m_tx.exec_params(std::string("SELECT ") + kPenaltyColumns
                                              + " FROM admin.penalties WHERE lifted_at IS NULL AND ends_at <= $2::timestamptz"
                                                " ORDER BY ends_at, id LIMIT $1",
                                          limit, now.toString(Qt::ISODateWithMs).toStdString()))
        out.append(penaltyFromRow(r));
    return out;
}

bool QueueRepository::liftPenalty(qint64 penaltyId)
{
    return !m_tx.exec_params("UPDATE admin.penalties SET lifted_at = now() WHERE id = $1 AND lifted_at IS NULL RETURNING id",
                             penaltyId)
                .empty();
}

QHash<qint64, QDateTime> QueueRepository::activeSilences(const QDateTime &now)
{
    QHash<qint64, QDateTime> out;
    // max() ignores nulls: a silence without end wins through bool_or.
    for (const auto &r : m_tx.exec_params("SELECT user_id, bool_or(ends_at IS NULL), " EPOCH("max(ends_at)") " FROM admin.penalties"
                                          " WHERE kind = 'silence' AND lifted_at IS NULL"
                                          " AND (ends_at IS NULL OR ends_at > $1::timestamptz) GROUP BY user_id",
                                          now.toString(Qt::ISODateWithMs).toStdString()))
        out.insert(r[0].as<qint64>(), r[1].as<bool>() ? QDateTime() : t(r[2]));
    return out;
}

bool QueueRepository::hasActiveSuspension(qint64 userId, qint64 exceptId, const QDateTime &now)
{
    return !m_tx.exec_params("SELECT 1 FROM admin.penalties WHERE user_id = $1 AND id <> $2 AND lifted_at IS NULL"
                             " AND kind IN ('suspend', 'ban') AND (ends_at IS NULL OR ends_at > $3::timestamptz)",
                             userId, exceptId, now.toString(Qt::ISODateWithMs).toStdString())
                .empty();
}

QList<Penalty> QueueRepository::penaltiesOf(qint64 userId)
{
    return penaltiesWhere(m_tx, "user_id = $1 ORDER BY id DESC", userId);
}

} // namespace Admin
