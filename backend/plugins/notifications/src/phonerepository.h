// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for users' SMS numbers (notifications.phones), nothing else. Inside the caller's
/// transaction; blocking.

#include <QDateTime>
#include <QString>

#include <optional>

namespace pqxx { class transaction_base; }

namespace Notifications {

struct Phone {
    qint64 userId = 0;
    QString number;
    bool verified = false;
    QString codeHash;
    QDateTime codeExpiresAt;
    int codeAttempts = 0;
};

class PhoneRepository {
public:
    explicit PhoneRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// A new (unverified) number with a fresh code.
    void set(qint64 userId, const QString &number, const QString &codeHash, int ttlSeconds);
    std::optional<Phone> get(qint64 userId, bool forUpdate = false);
    void countAttempt(qint64 userId);
    void markVerified(qint64 userId);
    bool remove(qint64 userId);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Notifications
