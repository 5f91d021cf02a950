// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditservice.h"

#include "staffevents.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/requestcontext.h"

using namespace Community;

namespace Admin {

namespace {

constexpr int kVerifyBatch = 1000;

QString kindName(const Principal &p)
{
    switch (p.kind) {
    case Principal::Kind::User: return QStringLiteral("user");
    case Principal::Kind::ApiKey: return QStringLiteral("api_key");
    case Principal::Kind::Operator: return QStringLiteral("operator");
    case Principal::Kind::Anonymous: break;
    }
    return QStringLiteral("system");
}

/// Checks one row against the hash before it; false with `out` filled on the first failure.
bool checkRow(const AuditEntry &row, qint64 expectedSeq, const QString &prevHash, VerifyResult &out)
{
    auto broken = [&](const char *problem) {
        out.ok = false;
        out.brokenSeq = row.seq;
        out.problem = QString::fromLatin1(problem);
        return false;
    };
    if (row.seq != expectedSeq)
        return broken("sequence_gap");
    if (row.prevHash != prevHash)
        return broken("chain_broken");
    if (chainHash(row.prevHash, row) != row.hash)
        return broken("hash_mismatch");
    return true;
}

} // namespace

Result<AuditEntry> AuditService::append(pqxx::transaction_base &tx, AuditEntry e, std::optional<qint64> sourceEventId)
{
    AuditRepository repo(tx);
    const AuditHead head = repo.lockHead();
    e.seq = head.lastSeq + 1;
    e.prevHash = head.lastHash;
    e.occurredAt = QDateTime::fromMSecsSinceEpoch(
        (e.occurredAt.isValid() ? e.occurredAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch(), Qt::UTC);
    e.hash = chainHash(e.prevHash, e);
    repo.insert(e, sourceEventId);
    repo.setHead(e.seq, e.hash);
    return e;
}

Result<AuditEntry> AuditService::record(pqxx::transaction_base &tx, const StaffAction &action)
{
    AuditEntry e;
    if (const RequestContext *rc = currentRequest()) {
        e.requestId = rc->requestId;
        e.actorId = rc->principal.userId;
        e.actorName = rc->principal.username;
        e.actorKind = kindName(rc->principal);
    } else {
        e.actorKind = QStringLiteral("system");
    }
    e.action = action.action;
    e.targetType = action.targetType;
    e.targetId = action.targetId;
    e.reason = action.reason;
    e.before = compactJson(action.before);
    e.after = compactJson(action.after);
    e.source = QStringLiteral("admin");
    return append(tx, e);
}

QString AuditService::actorName(qint64 id) const
{
    if (!m_directory || id <= 0)
        return {};
    const auto user = m_directory->findById(id);
    return user ? user->username : QString();
}

Result<void> AuditService::recordEvent(const Events::Event &event)
{
    auto entry = staffActionFromEvent(event);
    if (!entry)
        return {};
    // Outside the transaction: the directory takes its own connection.
    entry->actorName = actorName(entry->actorId);
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (AuditRepository(tx).hasEvent(event.id))
            return {};
        auto r = append(tx, *entry, event.id);
        if (!r)
            return tl::unexpected(r.error());
        return {};
    });
}

Result<QList<AuditEntry>> AuditService::list(const AuditFilter &filter, int limit)
{
    return m_db.read<QList<AuditEntry>>([&](pqxx::nontransaction &tx) -> Result<QList<AuditEntry>> {
        return AuditRepository(tx).page(filter, limit);
    });
}

Result<VerifyResult> AuditService::verify()
{
    return m_db.transact<VerifyResult>([&](pqxx::work &tx) -> Result<VerifyResult> {
        // One snapshot for the head and the rows (REPEATABLE READ is not needed: rows are
        // only ever appended, and we stop at the head we read first).
        AuditRepository repo(tx);
        VerifyResult out;
        const AuditHead head = repo.head();
        out.lastSeq = head.lastSeq;
        QString prev = genesisHash();
        qint64 seq = 0;
        while (seq < head.lastSeq) {
            const QList<AuditEntry> rows = repo.range(seq, kVerifyBatch);
            if (rows.isEmpty())
                break;
            for (const AuditEntry &row : rows) {
                if (row.seq > head.lastSeq)
                    break;
                ++out.checked;
                if (!checkRow(row, seq + 1, prev, out))
                    return out;
                prev = row.hash;
                seq = row.seq;
            }
        }
        if (seq != head.lastSeq || prev != head.lastHash) {
            out.ok = false;
            out.brokenSeq = seq + 1;
            out.problem = QStringLiteral("head_mismatch");
        }
        return out;
    });
}

} // namespace Admin
