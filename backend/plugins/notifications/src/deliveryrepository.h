// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the delivery outbox (notifications.deliveries) and the signing keys, nothing
/// else. Inside the caller's transaction; blocking.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace pqxx { class transaction_base; }

namespace Notifications {

struct DeliveryRow {
    qint64 id = 0, userId = 0;
    std::optional<qint64> itemId;
    QString sourceKey, channel, target, kind, status, lastError, messageId;
    QString providerStatus;         ///< SMS: the furthest status the provider reported (empty: none)
    QJsonObject content;
    bool digest = false;
    int attempts = 0;
    QDateTime dueAt, createdAt, sentAt;
    QString providerId;             ///< SMS: the provider's message id
};

struct DeliveryFilter {
    QString status;                 ///< empty: any; "failed": dead or retrying after an error
    QString channel;                ///< empty: any
    std::optional<qint64> userId;
    std::optional<qint64> beforeId; ///< keyset cursor (newest first)
    int limit = 50;
};

class DeliveryRepository {
public:
    explicit DeliveryRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Writes the row unless one exists for (user, source, channel, target). True if new.
    bool enqueue(const DeliveryRow &row);
    /// Claims up to `limit` due rows of `channel` (pending and due, or sending with an
    /// expired lease) for `leaseSeconds`, counting the attempt. SKIP LOCKED: several
    /// workers and nodes never claim the same row. `status` of the rows returned is the one
    /// they had before: "sending" when a lease ran out (the sender died mid-way).
    QList<DeliveryRow> claim(const QString &channel, int limit, int leaseSeconds);
    void markSent(qint64 id);
    /// A failed attempt: dead when `dead`, else pending again at `retryAt`.
    void markFailed(qint64 id, const QString &error, bool dead, const QDateTime &retryAt);
    QList<DeliveryRow> list(const DeliveryFilter &filter);
    /// A dead or pending row becomes due now with a fresh attempt budget. False if none.
    bool retry(qint64 id);
    /// SMS status callbacks: the row locked for update (nullopt: no such row).
    std::optional<DeliveryRow> lockForStatus(qint64 id);
    /// Records the provider's id and status of an SMS row (the caller checked the order).
    void setProviderStatus(qint64 id, const QString &providerId, const QString &status);
    /// A dead SMS row the provider turns out to have accepted (a callback after an
    /// ambiguous timeout): sent, its error kept for the record.
    void markSentByProvider(qint64 id);
    /// The key named `name`, created from `candidate` when there is none yet.
    QByteArray key(const QString &name, const QByteArray &candidate);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Notifications
