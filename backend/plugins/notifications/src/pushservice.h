// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Web push: the VAPID key pair (made once, kept in the schema), users' subscriptions
/// (validated: https endpoint, a P-256 p256dh, a 16-byte auth secret), the push rows
/// written beside a notification (one per subscription), and the worker round that
/// encrypts (RFC 8291), signs (RFC 8292) and posts them: 2xx sent; 404/410 the
/// subscription is removed and the row dead; 429, 5xx and network errors retried with
/// backoff; other 4xx dead. Blocking: worker threads only.

#include "deliveryrepository.h"
#include "notificationsconfig.h"
#include "preferences.h"
#include "pushrepository.h"
#include "pushsender.h"
#include "webpushcrypto.h"

#include "community/request.h"

namespace Community::Db { class Database; }

namespace Notifications {

struct Draft;

struct SubscriptionInput {
    QString endpoint, p256dh, auth;
};

/// Reads {"endpoint", "keys": {"p256dh", "auth"}, "expirationTime"?} (PushSubscription.toJSON()).
Community::Result<SubscriptionInput> readSubscription(Community::Http::BodyReader &body, bool allowHttp);

class PushService {
public:
    PushService(Community::Db::Database &db, NotificationsConfig config)
        : m_db(db), m_config(std::move(config)), m_sender(m_config.push) {}

    bool enabled() const { return m_config.push.enabled; }
    bool allowHttp() const { return m_config.push.allowHttpEndpoints; }
    /// Loads or creates the VAPID key pair (start(), blocking).
    Community::Result<void> loadKey();
    /// base64url of the VAPID public key (the browser's applicationServerKey).
    QByteArray publicKey() const { return WebPush::base64Url(m_key.publicKey); }

    Community::Result<PushSubscription> subscribe(qint64 userId, const SubscriptionInput &in);
    Community::Result<QList<PushSubscription>> subscriptions(qint64 userId);
    Community::Result<void> unsubscribe(qint64 userId, qint64 id);

    /// The rows for one stored notification, inside the caller's transaction.
    void enqueue(pqxx::transaction_base &tx, const Preferences &prefs, const Draft &draft, const QJsonObject &notification,
                 qint64 itemId);
    /// One worker round; returns rows handled.
    Community::Result<int> runRound();
    /// Pushes a test message to every subscription of the user at once (no row). NotFound
    /// without a subscription; Conflict when push is off; the first failure otherwise.
    Community::Result<int> sendTest(qint64 userId);

private:
    /// Sends one row; the outcome to record and whether the subscription is gone.
    Community::Result<void> sendRow(const DeliveryRow &row, bool *gone);
    /// Encrypts, signs and posts one payload to one subscription.
    Community::Result<void> post(const PushSubscription &sub, const QByteArray &payload, const QString &urgency,
                                 const QString &topic, bool *gone);

    Community::Db::Database &m_db;
    NotificationsConfig m_config;
    PushSender m_sender;
    WebPush::KeyPair m_key;
};

} // namespace Notifications
