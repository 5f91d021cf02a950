// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for web push subscriptions (notifications.push_subscriptions), nothing else. Inside
/// the caller's transaction; blocking.

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace pqxx { class transaction_base; }

namespace Notifications {

struct PushSubscription {
    qint64 id = 0, userId = 0;
    QString endpoint, p256dh, auth;   ///< keys as base64url, as the browser gave them
    QDateTime createdAt;
};

class PushRepository {
public:
    explicit PushRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Adds the subscription, or moves an existing endpoint to this user with these keys.
    PushSubscription upsert(qint64 userId, const QString &endpoint, const QString &p256dh, const QString &auth);
    QList<PushSubscription> forUser(qint64 userId);
    std::optional<PushSubscription> byId(qint64 id);
    /// `userId` 0: whoever owns it (the push service said it is gone).
    bool remove(qint64 id, qint64 userId);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Notifications
