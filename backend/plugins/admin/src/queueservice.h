// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue: fed by content's report events, listed by priority with filters,
/// claimed (for AdminConfig::claimMinutes; others see the holder; taking over is explicit),
/// annotated and assigned. Every change is an audit row in the same transaction.
/// Blocking: worker or consumer threads. Thread-safe (item rows are locked while changed).

#include "adminconfig.h"
#include "queuerepository.h"

#include "community/eventbus.h"
#include "community/principal.h"
#include "community/result.h"

#include <functional>

namespace Community::Db { class Database; }
namespace Community::Contracts { class IUserDirectory; }

namespace Admin {

class AuditService;

struct ItemDetail {
    QueueItem item;
    QList<QueueReport> reports;
    QList<QueueNote> notes;
};

/// A Conflict "claimed" (problem type) naming the holder and until when.
Community::Error claimedError(const QueueItem &item);
/// A Conflict "item-resolved".
Community::Error resolvedError();

class QueueService {
public:
    QueueService(Community::Db::Database &db, const Community::Contracts::IUserDirectory &directory, AuditService &audit,
                 AdminConfig config)
        : m_db(db), m_directory(directory), m_audit(audit), m_config(config) {}

    /// Consumer of content.report.created / .resolved and chat.message.reported; idempotent.
    Community::Result<void> ingest(const Community::Events::Event &event);

    Community::Result<QList<QueueItem>> list(const QueueFilter &filter, int limit);
    Community::Result<ItemDetail> show(qint64 itemId);
    /// Claims the item for the caller; Conflict "claimed" when someone else holds it,
    /// unless `takeover`.
    Community::Result<ItemDetail> claim(const Community::Principal &who, qint64 itemId, bool takeover);
    /// Gives the claim up; Forbidden unless the caller holds it (or is an admin).
    Community::Result<ItemDetail> release(const Community::Principal &who, qint64 itemId);
    Community::Result<ItemDetail> addNote(const Community::Principal &who, qint64 itemId, const QString &body);
    /// `assigneeId` 0 unassigns; otherwise a moderator or admin (field assigneeId).
    Community::Result<ItemDetail> assign(const Community::Principal &who, qint64 itemId, qint64 assigneeId);

    const AdminConfig &config() const { return m_config; }

private:
    Community::Result<void> ingestCreated(const Community::Events::Event &event);
    Community::Result<void> ingestResolved(const Community::Events::Event &event);
    Community::Result<void> ingestChat(const Community::Events::Event &event);
    Community::Result<void> addReport(IncomingReport in);
    /// Runs `change` on the locked open item, then returns its detail.
    Community::Result<ItemDetail> change(qint64 itemId,
                                         const std::function<Community::Result<void>(QueueRepository &, const QueueItem &)> &step);

    Community::Db::Database &m_db;
    const Community::Contracts::IUserDirectory &m_directory;
    AuditService &m_audit;
    AdminConfig m_config;
};

/// The item with its reports and notes, in `tx`; NotFound when missing.
Community::Result<ItemDetail> loadDetail(pqxx::transaction_base &tx, qint64 itemId);

} // namespace Admin
