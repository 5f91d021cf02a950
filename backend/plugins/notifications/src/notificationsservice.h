// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The inbox rules: which drafts become notifications (never to the actor, never from an
/// account the recipient blocked, is blocked by or muted), storing them idempotently and
/// collapsed, and the live frame on `user:<id>` in the same transaction; the reads and
/// read-state changes of the inbox API. Blocking: worker threads and bus consumer threads
/// only. Errors are values.

#include "notificationsconfig.h"
#include "notificationsrepository.h"

#include "community/eventbus.h"

namespace Community::Db { class Database; }
namespace Community::Realtime { class Hub; }
namespace Community::Contracts {
class IUserRelations;
class IUserDirectory;
} // namespace Community::Contracts

namespace Notifications {

class DeliveryService;
class PushService;
class SmsService;

/// The durable consumer name on the event bus.
inline constexpr const char *kInboxConsumer = "notifications.inbox";

class NotificationsService {
public:
    NotificationsService(Community::Db::Database &db, Community::Realtime::Hub &hub, NotificationsConfig config)
        : m_db(db), m_hub(hub), m_config(config) {}

    /// Blocks and mutes come from the users plugin; without it (null) nobody is filtered.
    void setRelations(const Community::Contracts::IUserRelations *relations) { m_relations = relations; }
    /// Usernames for events that carry only an id (null without auth: the name stays empty).
    void setDirectory(Community::Contracts::IUserDirectory *directory) { m_directory = directory; }
    /// Email/push/SMS rows are written beside each stored notification (null: inbox only).
    void setDelivery(DeliveryService *delivery, PushService *push, SmsService *sms)
    {
        m_delivery = delivery;
        m_push = push;
        m_sms = sms;
    }
    const NotificationsConfig &config() const { return m_config; }

    /// The bus consumer: projects one event. Idempotent (redelivery changes nothing).
    Community::Result<void> handle(const Community::Events::Event &event);
    /// Stores one draft unless a rule drops it; true when the inbox changed.
    Community::Result<bool> deliver(const Draft &draft);

    Community::Result<NotificationPage> list(qint64 userId, std::optional<qint64> beforePosition, int limit,
                                             bool unreadOnly);
    Community::Result<QHash<QString, qint64>> unread(qint64 userId);
    /// Rows marked read; NotFound when a named notification is not the user's.
    Community::Result<qint64> markRead(qint64 userId, const ReadScope &scope);
    Community::Result<void> remove(qint64 userId, qint64 id);

private:
    /// Whether the recipient hides the actor (blocks either way, mutes).
    Community::Result<bool> hidden(qint64 recipientId, qint64 actorId) const;
    /// The unread counts as a live frame on the user's topic (inside `tx`).
    Community::Result<void> publishUnread(pqxx::transaction_base &tx, NotificationsRepository &repo, qint64 userId,
                                          const QJsonObject &extra);

    Community::Db::Database &m_db;
    Community::Realtime::Hub &m_hub;
    const Community::Contracts::IUserRelations *m_relations = nullptr;
    Community::Contracts::IUserDirectory *m_directory = nullptr;
    DeliveryService *m_delivery = nullptr;
    PushService *m_push = nullptr;
    SmsService *m_sms = nullptr;
    NotificationsConfig m_config;
};

} // namespace Notifications
