// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationsrepository.h"

#include "community/json.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <pqxx/pqxx>

namespace Notifications {

namespace {

using Community::Json::fromMicros;

constexpr const char *kColumns =
    "id, user_id, position, kind, thread_id, subject::text, to_json(actor_ids)::text, to_json(actor_names)::text, actor_count, event_count, "
    "(extract(epoch FROM created_at) * 1000000)::bigint, (extract(epoch FROM updated_at) * 1000000)::bigint, "
    "(extract(epoch FROM read_at) * 1000000)::bigint";

QJsonArray jsonArray(const pqxx::field &f)
{
    return QJsonDocument::fromJson(QByteArray(f.c_str())).array();
}

Notification rowToNotification(const pqxx::row &r)
{
    Notification n;
    n.id = r[0].as<qint64>();
    n.userId = r[1].as<qint64>();
    n.position = r[2].as<qint64>();
    n.kind = QString::fromStdString(r[3].as<std::string>());
    if (!r[4].is_null())
        n.threadId = r[4].as<qint64>();
    n.subject = QJsonDocument::fromJson(QByteArray::fromStdString(r[5].as<std::string>())).object();
    for (const QJsonValue &v : jsonArray(r[6]))
        n.actorIds.append(qint64(v.toDouble()));
    for (const QJsonValue &v : jsonArray(r[7]))
        n.actorNames.append(v.toString());
    n.actorCount = r[8].as<int>();
    n.eventCount = r[9].as<int>();
    n.createdAt = fromMicros(r[10].as<qint64>());
    n.updatedAt = fromMicros(r[11].as<qint64>());
    if (!r[12].is_null())
        n.readAt = fromMicros(r[12].as<qint64>());
    return n;
}

std::optional<qint64> optionalId(std::optional<qint64> v)
{
    return v && *v > 0 ? v : std::nullopt;
}

/// The projection's statements run for every notification: prepared once per connection
/// (libpqxx keeps the definition; registering it again is a string compare).
template<typename... Args>
pqxx::result prepared(pqxx::transaction_base &tx, const char *name, const std::string &sql, Args &&...args)
{
    tx.conn().prepare(name, sql);
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

} // namespace

bool NotificationsRepository::claimSource(qint64 userId, const QString &sourceKey)
{
    const auto r = prepared(m_tx, "notifications_claim_source",
                            "INSERT INTO notifications.sources (user_id, source_key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            userId, sourceKey.toStdString());
    return r.affected_rows() == 1;
}

void NotificationsRepository::linkSource(qint64 userId, const QString &sourceKey, qint64 itemId)
{
    prepared(m_tx, "notifications_link_source",
             "UPDATE notifications.sources SET item_id = $3 WHERE user_id = $1 AND source_key = $2", userId,
             sourceKey.toStdString(), itemId);
}

Notification NotificationsRepository::upsert(const Draft &d, int shownActors)
{
    const std::string subject = QJsonDocument(d.subject).toJson(QJsonDocument::Compact).toStdString();
    // The open (unread) row of the group, or a new one; moved to the top either way.
    const auto row = prepared(m_tx, "notifications_upsert_item",
        "INSERT INTO notifications.items (user_id, kind, group_key, thread_id, subject) VALUES ($1, $2, $3, $4, $5::jsonb) "
        "ON CONFLICT (user_id, kind, group_key) WHERE read_at IS NULL DO UPDATE SET "
        "  subject = EXCLUDED.subject, event_count = items.event_count + 1, updated_at = now(), "
        "  position = nextval('notifications.item_positions') "
        "RETURNING id",
        d.recipientId, d.kind.toStdString(), d.groupKey.toStdString(), optionalId(d.threadId), subject);
    const qint64 itemId = row[0][0].as<qint64>();
    if (d.actorId > 0) {
        // A repeated actor moves to the front; the count stays exact.
        prepared(m_tx, "notifications_upsert_actor", "INSERT INTO notifications.item_actors (item_id, actor_id, name, seen) "
                         "VALUES ($1, $2, $3, (SELECT position FROM notifications.items WHERE id = $1)) "
                         "ON CONFLICT (item_id, actor_id) DO UPDATE SET name = EXCLUDED.name, seen = EXCLUDED.seen",
                         itemId, d.actorId, d.actorName.toStdString());
        prepared(m_tx, "notifications_shown_actors",
            "WITH shown AS (SELECT actor_id, name, seen FROM notifications.item_actors WHERE item_id = $1 "
            "               ORDER BY seen DESC, actor_id DESC LIMIT $2) "
            "UPDATE notifications.items SET "
            "  actor_count = (SELECT count(*) FROM notifications.item_actors WHERE item_id = $1), "
            "  actor_ids = ARRAY(SELECT actor_id FROM shown ORDER BY seen DESC, actor_id DESC), "
            "  actor_names = ARRAY(SELECT name FROM shown ORDER BY seen DESC, actor_id DESC) "
            "WHERE id = $1",
            itemId, shownActors);
    }
    return rowToNotification(
        prepared(m_tx, "notifications_item", std::string("SELECT ") + kColumns + " FROM notifications.items WHERE id = $1", itemId)[0]);
}

NotificationPage NotificationsRepository::list(qint64 userId, std::optional<qint64> beforePosition, int limit, bool unreadOnly)
{
    const auto rows = m_tx.exec_params(
        std::string("SELECT ") + kColumns + " FROM notifications.items WHERE user_id = $1 "
        "AND ($2::bigint IS NULL OR position < $2) AND (NOT $3 OR read_at IS NULL) "
        "ORDER BY position DESC LIMIT $4",
        userId, beforePosition, unreadOnly, limit + 1);
    NotificationPage page;
    for (const auto &r : rows) {
        if (page.items.size() == limit) {
            page.nextPosition = page.items.back().position;
            break;
        }
        page.items.append(rowToNotification(r));
    }
    return page;
}

QHash<QString, qint64> NotificationsRepository::unreadByKind(qint64 userId)
{
    QHash<QString, qint64> out;
    for (const auto &r : prepared(m_tx, "notifications_unread",
                                  "SELECT kind, count(*) FROM notifications.items WHERE user_id = $1 AND read_at IS NULL GROUP BY kind",
                                  userId))
        out.insert(QString::fromStdString(r[0].as<std::string>()), r[1].as<qint64>());
    return out;
}

std::optional<qint64> NotificationsRepository::markRead(qint64 userId, const ReadScope &scope)
{
    std::optional<qint64> upTo;
    if (scope.kind != ReadScope::Kind::All) {
        const auto r = m_tx.exec_params("SELECT position FROM notifications.items WHERE id = $1 AND user_id = $2",
                                        scope.id, userId);
        if (r.empty())
            return std::nullopt;
        upTo = r[0][0].as<qint64>();
    }
    const bool one = scope.kind == ReadScope::Kind::One;
    const auto r = m_tx.exec_params("UPDATE notifications.items SET read_at = now() WHERE user_id = $1 AND read_at IS NULL "
                                    "AND ($2::bigint IS NULL OR (CASE WHEN $3 THEN id = $4 ELSE position <= $2 END))",
                                    userId, upTo, one, scope.id);
    return qint64(r.affected_rows());
}

bool NotificationsRepository::remove(qint64 userId, qint64 id)
{
    return m_tx.exec_params("DELETE FROM notifications.items WHERE id = $1 AND user_id = $2", id, userId).affected_rows() == 1;
}

} // namespace Notifications
