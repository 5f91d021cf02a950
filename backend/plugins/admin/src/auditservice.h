// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The audit log: appends hash-chained rows (in the caller's transaction for the admin
/// plugin's own actions, in its own for events of other plugins), lists them and verifies
/// the chain. Blocking: worker or consumer threads. Thread-safe (no mutable state; the
/// chain head row lock orders concurrent appenders).

#include "auditrepository.h"

#include "community/eventbus.h"
#include "community/result.h"

namespace Community::Db { class Database; }
namespace Community::Contracts { class IUserDirectory; }

namespace Admin {

struct VerifyResult {
    bool ok = true;
    qint64 checked = 0;      ///< rows read
    qint64 lastSeq = 0;      ///< the head's seq
    qint64 brokenSeq = 0;    ///< first row that fails (0 when ok, or the head when rows are missing at the end)
    QString problem;         ///< "hash_mismatch", "chain_broken", "sequence_gap", "head_mismatch"
};

/// What a staff action of the admin plugin records; actor and request id come from the
/// request being served (RequestContext) unless set.
struct StaffAction {
    QString action, targetType, targetId, reason;
    QJsonValue before, after;
};

class AuditService {
public:
    AuditService(Community::Db::Database &db, const Community::Contracts::IUserDirectory *directory)
        : m_db(db), m_directory(directory) {}

    /// Appends `e` to the chain in `tx` (fills seq, prevHash, hash).
    Community::Result<AuditEntry> append(pqxx::transaction_base &tx, AuditEntry e,
                                         std::optional<qint64> sourceEventId = {});
    /// Appends the admin plugin's own action, attributed to the current request's caller.
    Community::Result<AuditEntry> record(pqxx::transaction_base &tx, const StaffAction &action);
    /// The consumer of other plugins' staff events: idempotent by event id.
    Community::Result<void> recordEvent(const Community::Events::Event &event);

    Community::Result<QList<AuditEntry>> list(const AuditFilter &filter, int limit);
    /// Recomputes every hash from the first row; stops at the first bad row.
    Community::Result<VerifyResult> verify();

private:
    QString actorName(qint64 id) const;
    Community::Db::Database &m_db;
    const Community::Contracts::IUserDirectory *m_directory;
};

} // namespace Admin
