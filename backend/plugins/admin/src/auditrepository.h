// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the audit log (schema `admin`, tables audit_log and audit_head). Nothing else:
/// the chain rule lives in AuditService. Blocking; used inside the caller's transaction.

#include "auditchain.h"

#include <pqxx/pqxx>

#include <QList>

#include <optional>

namespace Admin {

struct AuditHead {
    qint64 lastSeq = 0;
    QString lastHash;
};

struct AuditFilter {
    qint64 actorId = 0;            ///< 0: any
    QString action;                ///< exact code, or a prefix ending in '.' ("user.")
    QString targetType, targetId;  ///< empty: any
    QDateTime since, until;        ///< invalid: unbounded
    qint64 beforeSeq = 0;          ///< keyset: rows with seq < this (0: newest first)
};

class AuditRepository {
public:
    explicit AuditRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Locks the chain head (FOR UPDATE) and returns it.
    AuditHead lockHead();
    AuditHead head();
    void setHead(qint64 seq, const QString &hash);
    void insert(const AuditEntry &e, std::optional<qint64> sourceEventId);
    bool hasEvent(qint64 eventId);
    /// Newest first, matching `f`, at most `limit`.
    QList<AuditEntry> page(const AuditFilter &f, int limit);
    /// Rows with seq > afterSeq in seq order, at most `limit`.
    QList<AuditEntry> range(qint64 afterSeq, int limit);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Admin
