// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "announcementservice.h"

#include "notificationsservice.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/json.h"

#include <pqxx/pqxx>

using namespace Community;

namespace Notifications {

namespace {

constexpr const char *kColumns =
    "id, title, body, url, coalesce(created_by, 0), (extract(epoch FROM created_at) * 1000000)::bigint, cursor, "
    "recipients, (extract(epoch FROM done_at) * 1000000)::bigint";

AnnouncementRow fromRow(const pqxx::row &r)
{
    AnnouncementRow a;
    a.announcement.id = r[0].as<qint64>();
    a.announcement.title = QString::fromUtf8(r[1].c_str());
    a.announcement.body = QString::fromUtf8(r[2].c_str());
    a.announcement.url = r[3].is_null() ? QString() : QString::fromUtf8(r[3].c_str());
    a.createdBy = r[4].as<qint64>();
    a.announcement.createdAt = Json::fromMicros(r[5].as<qint64>());
    a.cursor = r[6].as<qint64>();
    a.recipients = r[7].as<int>();
    if (!r[8].is_null())
        a.doneAt = Json::fromMicros(r[8].as<qint64>());
    return a;
}

} // namespace

Result<AnnouncementRow> AnnouncementService::create(qint64 createdBy, const QString &title, const QString &body,
                                                    const QString &url)
{
    return m_db.transact<AnnouncementRow>([&](pqxx::work &tx) -> Result<AnnouncementRow> {
        const std::optional<std::string> link = url.isEmpty() ? std::nullopt : std::optional(url.toStdString());
        const std::optional<qint64> by = createdBy > 0 ? std::optional(createdBy) : std::nullopt;
        return fromRow(tx.exec_params(std::string("INSERT INTO notifications.announcements (title, body, url, created_by) "
                                                  "VALUES ($1, $2, $3, $4) RETURNING ") + kColumns,
                                      title.toStdString(), body.toStdString(), link, by)[0]);
    });
}

Result<QList<AnnouncementRow>> AnnouncementService::list(int limit)
{
    return m_db.read<QList<AnnouncementRow>>([&](pqxx::nontransaction &tx) -> Result<QList<AnnouncementRow>> {
        QList<AnnouncementRow> out;
        for (const auto &r : tx.exec_params(std::string("SELECT ") + kColumns
                                                + " FROM notifications.announcements ORDER BY id DESC LIMIT $1",
                                            limit))
            out.append(fromRow(r));
        return out;
    });
}

Result<int> AnnouncementService::runRound()
{
    if (!m_directory)
        return 0;
    auto pending = m_db.read<std::optional<AnnouncementRow>>(
        [](pqxx::nontransaction &tx) -> Result<std::optional<AnnouncementRow>> {
            const auto r = tx.exec(std::string("SELECT ") + kColumns
                                   + " FROM notifications.announcements WHERE done_at IS NULL ORDER BY id LIMIT 1");
            if (r.empty())
                return std::optional<AnnouncementRow>();
            return std::optional<AnnouncementRow>(fromRow(r[0]));
        });
    if (!pending)
        return tl::unexpected(pending.error());
    if (!*pending)
        return 0;
    const AnnouncementRow a = **pending;
    // The page is read before our transaction opens: the directory must not wait for a
    // connection we hold.
    auto ids = m_directory->activeIdsAfter(a.cursor, m_batch);
    if (!ids)
        return tl::unexpected(ids.error());
    int stored = 0;
    auto handled = m_db.transact<int>([&](pqxx::work &tx) -> Result<int> {
        stored = 0;
        // Several nodes may fan out: one page at a time, and only from the cursor we read.
        const auto lock = tx.exec_params("SELECT cursor FROM notifications.announcements WHERE id = $1 AND done_at IS NULL "
                                         "FOR UPDATE SKIP LOCKED",
                                         a.announcement.id);
        if (lock.empty() || lock[0][0].as<qint64>() != a.cursor)
            return 0;
        NotificationsService::StoreBatch batch;
        for (qint64 id : *ids) {
            auto r = m_inbox.store(tx, announcementDraft(a.announcement, id), batch);
            if (!r)
                return tl::unexpected(r.error());
            stored += *r ? 1 : 0;
        }
        if (auto r = m_inbox.publishStored(tx, batch); !r)
            return tl::unexpected(r.error());
        const bool done = ids->size() < m_batch;
        tx.exec_params("UPDATE notifications.announcements SET cursor = $2, recipients = recipients + $3, "
                       "done_at = CASE WHEN $4 THEN now() END WHERE id = $1",
                       a.announcement.id, ids->isEmpty() ? a.cursor : ids->last(), stored, done);
        return int(ids->size()) + (done ? 1 : 0);   // a finished announcement counts: look for the next one
    });
    if (handled && stored > 0 && m_wake)
        m_wake();
    return handled;
}

} // namespace Notifications
