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
#include "preferences.h"

#include "community/eventbus.h"

#include <functional>

namespace Community::Db { class Database; }
namespace Community::Realtime { class Hub; }
namespace Community::Contracts {
class IUserRelations;
class IUserDirectory;
class IChatAudience;
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
    /// Who hears of a plain chat message (null without chat: only chat mentions notify).
    void setChat(const Community::Contracts::IChatAudience *chat) { m_chat = chat; }
    /// Email/push/SMS rows are written beside each stored notification (null: inbox only).
    void setDelivery(DeliveryService *delivery, PushService *push, SmsService *sms)
    {
        m_delivery = delivery;
        m_push = push;
        m_sms = sms;
    }
    /// Called after a commit that stored notifications (their email/push/SMS rows are due).
    void onStored(std::function<void()> hint) { m_onStored = std::move(hint); }
    const NotificationsConfig &config() const { return m_config; }

    /// The bus consumer: projects consecutive events and stores their notifications in one
    /// transaction (all or none). Idempotent: a redelivered event changes nothing. The
    /// commit is asynchronous (synchronous_commit off): the bus commits the consumer's
    /// offset synchronously afterwards, which flushes this commit first (ADR 0033).
    Community::Result<void> handleBatch(const QList<Community::Events::Event> &events);
    /// Stores drafts (filters first) in one transaction; returns how many changed an inbox.
    /// `asyncCommit`: only when a later synchronous commit covers it (the bus offset).
    Community::Result<int> deliver(const QList<Draft> &drafts, bool asyncCommit);

    Community::Result<NotificationPage> list(qint64 userId, std::optional<qint64> beforePosition, int limit,
                                             bool unreadOnly);
    Community::Result<QHash<QString, qint64>> unread(qint64 userId);
    /// Rows marked read; NotFound when a named notification is not the user's.
    Community::Result<qint64> markRead(qint64 userId, const ReadScope &scope);
    Community::Result<void> remove(qint64 userId, qint64 id);

    /// What one transaction of stored drafts collects: preferences per recipient, and the
    /// live frames, published together at the end (publishStored).
    struct StoreBatch {
        QHash<qint64, Preferences> prefs;
        QList<std::pair<qint64, QJsonObject>> frames;   ///< recipient, notification
    };
    /// Stores one draft that passed the filters inside `tx`; true when the inbox changed.
    Community::Result<bool> store(pqxx::transaction_base &tx, const Draft &draft, StoreBatch &batch);
    /// Publishes the collected frames on the users' topics (one unread count per user):
    /// last in the transaction, so that its outbox rows hold the bus's horizon (and with it
    /// every consumer and the frames' own delivery) back only for the commit, not for the
    /// whole batch.
    Community::Result<void> publishStored(pqxx::transaction_base &tx, StoreBatch &batch);

private:
    /// Drops the drafts to the actor, from hidden accounts (one relations lookup per
    /// recipient), fills missing actor names (one directory call).
    Community::Result<QList<Draft>> filter(const QList<Draft> &drafts) const;
    /// The drafts of plain chat messages (asks chat for each message's audience).
    Community::Result<QList<Draft>> chatDrafts(const Community::Contracts::Events::Chat::MessageCreated &m) const;
    /// The unread counts as a live frame on the user's topic (inside `tx`).
    Community::Result<void> publishUnread(pqxx::transaction_base &tx, NotificationsRepository &repo, qint64 userId,
                                          const QJsonObject &extra);

    Community::Db::Database &m_db;
    Community::Realtime::Hub &m_hub;
    const Community::Contracts::IUserRelations *m_relations = nullptr;
    Community::Contracts::IUserDirectory *m_directory = nullptr;
    const Community::Contracts::IChatAudience *m_chat = nullptr;
    DeliveryService *m_delivery = nullptr;
    PushService *m_push = nullptr;
    SmsService *m_sms = nullptr;
    NotificationsConfig m_config;
    std::function<void()> m_onStored;
};

} // namespace Notifications
