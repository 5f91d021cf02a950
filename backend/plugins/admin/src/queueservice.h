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

#include <atomic>
#include <functional>
#include <optional>

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
        : m_db(db), m_directory(directory), m_audit(audit), m_claimMinutes(config.claimMinutes)
        , m_defaultPageSize(config.defaultPageSize), m_maxPageSize(config.maxPageSize), m_config(config) {}

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

    /// The configuration in force: claim length and page sizes change at runtime
    /// (`communityctl settings set plugins.admin.claimMinutes 5`), from any thread.
    AdminConfig config() const
    {
        AdminConfig c = m_config;
        c.claimMinutes = m_claimMinutes.load();
        c.defaultPageSize = m_defaultPageSize.load();
        c.maxPageSize = m_maxPageSize.load();
        return c;
    }
    void setClaimMinutes(int minutes) { m_claimMinutes.store(minutes); }
    void setPageSizes(std::optional<int> defaultSize, std::optional<int> maxSize)
    {
        if (defaultSize)
            m_defaultPageSize.store(*defaultSize);
        if (maxSize)
            m_maxPageSize.store(*maxSize);
    }

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
    std::atomic<int> m_claimMinutes;
    std::atomic<int> m_defaultPageSize;
    std::atomic<int> m_maxPageSize;
    const AdminConfig m_config;   ///< as read at startup (the rest needs a restart)
};

/// The item with its reports and notes, in `tx`; NotFound when missing.
Community::Result<ItemDetail> loadDetail(pqxx::transaction_base &tx, qint64 itemId);

} // namespace Admin
