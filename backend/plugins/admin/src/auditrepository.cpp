// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditrepository.h"

#include "sqlvalues.h"

namespace Admin {

namespace {

constexpr auto q = Sql::text;

constexpr const char *kColumns =
    "seq, floor(extract(epoch FROM occurred_at) * 1000)::bigint, coalesce(actor_id, 0), actor_name, actor_kind,"
    " action, target_type, target_id, reason, request_id, before, after, source, prev_hash, hash";

std::string s(const QString &q) { return q.toStdString(); }

AuditEntry entryFromRow(const pqxx::row &r)
{
    AuditEntry e;
    e.seq = r[0].as<qint64>();
    e.occurredAt = QDateTime::fromMSecsSinceEpoch(r[1].as<qint64>(), Qt::UTC);
    e.actorId = r[2].as<qint64>();
    e.actorName = q(r[3]);
    e.actorKind = q(r[4]);
    e.action = q(r[5]);
    e.targetType = q(r[6]);
    e.targetId = q(r[7]);
    e.reason = q(r[8]);
    e.requestId = q(r[9]);
    e.before = q(r[10]);
    e.after = q(r[11]);
    e.source = q(r[12]);
    e.prevHash = q(r[13]);
    e.hash = q(r[14]);
    return e;
}

std::optional<std::string> time(const QDateTime &t)
{
    if (!t.isValid())
        return std::nullopt;
    return s(t.toUTC().toString(Qt::ISODateWithMs));
}

} // namespace

AuditHead AuditRepository::lockHead()
{
    const auto r = m_tx.exec("SELECT last_seq, last_hash FROM admin.audit_head FOR UPDATE");
    return {r[0][0].as<qint64>(), q(r[0][1])};
}

AuditHead AuditRepository::head()
{
    const auto r = m_tx.exec("SELECT last_seq, last_hash FROM admin.audit_head");
    return {r[0][0].as<qint64>(), q(r[0][1])};
}

void AuditRepository::setHead(qint64 seq, const QString &hash)
{
    m_tx.exec_params("UPDATE admin.audit_head SET last_seq = $1, last_hash = $2", seq, s(hash));
}

void AuditRepository::insert(const AuditEntry &e, std::optional<qint64> sourceEventId)
{
    m_tx.exec_params(
        "INSERT INTO admin.audit_log (seq, occurred_at, actor_id, actor_name, actor_kind, action, target_type,"
        " target_id, reason, request_id, before, after, source, source_event_id, prev_hash, hash)"
        " VALUES ($1, to_timestamp($2::bigint / 1000.0), nullif($3, 0), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
        " $14, $15, $16)",
        e.seq, e.occurredAt.toMSecsSinceEpoch(), e.actorId, s(e.actorName), s(e.actorKind), s(e.action),
        s(e.targetType), s(e.targetId), s(e.reason), s(e.requestId), s(e.before), s(e.after), s(e.source),
        sourceEventId, s(e.prevHash), s(e.hash));
}

bool AuditRepository::hasEvent(qint64 eventId)
{
    return !m_tx.exec_params("SELECT 1 FROM admin.audit_log WHERE source_event_id = $1", eventId).empty();
}

QList<AuditEntry> AuditRepository::page(const AuditFilter &f, int limit)
{
    const bool prefix = f.action.endsWith(QLatin1Char('.'));
    const auto rows = m_tx.exec_params(
        std::string("SELECT ") + kColumns + " FROM admin.audit_log"
        " WHERE ($1 = 0 OR seq < $1) AND ($2 = 0 OR actor_id = $2)"
        " AND ($3 = '' OR action = $3 OR ($4 AND starts_with(action, $3)))"
        " AND ($5 = '' OR target_type = $5) AND ($6 = '' OR target_id = $6)"
        " AND ($7::timestamptz IS NULL OR occurred_at >= $7) AND ($8::timestamptz IS NULL OR occurred_at < $8)"
        " ORDER BY seq DESC LIMIT $9",
        f.beforeSeq, f.actorId, s(f.action), prefix, s(f.targetType), s(f.targetId), time(f.since), time(f.until),
        limit);
    QList<AuditEntry> out;
    for (const auto &r : rows)
        out.append(entryFromRow(r));
    return out;
}

QList<AuditEntry> AuditRepository::range(qint64 afterSeq, int limit)
{
    const auto rows = m_tx.exec_params(std::string("SELECT ") + kColumns
                                           + " FROM admin.audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                                       afterSeq, limit);
    QList<AuditEntry> out;
    for (const auto &r : rows)
        out.append(entryFromRow(r));
    return out;
}

} // namespace Admin
