// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// System announcements: an admin publishes one (stored at once), and a fan-out writes it
/// into every active account's inbox — one page of accounts from auth's directory per
/// transaction (`announcements.batch`), never the whole directory in memory or in one
/// transaction. The cursor (last account id done) moves in the same transaction as the
/// page's rows, so a crash resumes after the last committed page; rows are keyed per
/// announcement and account, so a page done twice changes nothing. Preferences (the
/// announcement kind's inbox switch, email/push) are honoured through the inbox rules.
/// Blocking: worker threads only. Errors are values.

#include "projector.h"

#include "community/result.h"

#include <QList>

#include <functional>
#include <optional>

namespace Community::Db { class Database; }
namespace Community::Contracts { class IUserDirectory; }

namespace Notifications {

class NotificationsService;

struct AnnouncementRow {
    Announcement announcement;
    qint64 createdBy = 0;
    qint64 cursor = 0;
    int recipients = 0;
    std::optional<QDateTime> doneAt;
};

class AnnouncementService {
public:
    AnnouncementService(Community::Db::Database &db, NotificationsService &inbox, int batch)
        : m_db(db), m_inbox(inbox), m_batch(batch) {}

    /// Null without auth on this node: announcements wait for a node that has it.
    void setDirectory(const Community::Contracts::IUserDirectory *directory) { m_directory = directory; }
    /// Called after a page committed rows that may have email/push/SMS deliveries.
    void onDelivered(std::function<void()> wake) { m_wake = std::move(wake); }

    Community::Result<AnnouncementRow> create(qint64 createdBy, const QString &title, const QString &body,
                                              const QString &url);
    Community::Result<QList<AnnouncementRow>> list(int limit);
    /// One page of the oldest unfinished announcement; returns the accounts handled (0:
    /// nothing to do, or another node holds it).
    Community::Result<int> runRound();

private:
    Community::Db::Database &m_db;
    NotificationsService &m_inbox;
    const Community::Contracts::IUserDirectory *m_directory = nullptr;
    std::function<void()> m_wake;
    int m_batch;
};

} // namespace Notifications
