// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for auth.email_tokens (email verification and password reset, stored as SHA-256
/// hashes) and auth.outbox, the mail queue that carries each token to its address until
/// the notifications plugin delivers mail. Account events go to the event bus, not here.
/// Works inside a transaction the caller owns.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <pqxx/pqxx>

#include <optional>

namespace Auth {

struct OutboxMail {
    qint64 id = 0;
    QString type;
    QJsonObject payload;            ///< without "token" once handed over
    QDateTime createdAt;
    QDateTime handedOverAt;         ///< invalid: still waiting for a mailer
};

class MailTokenRepository {
public:
    explicit MailTokenRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// purpose: "verify" or "reset".
    void addToken(const QByteArray &tokenHash, qint64 userId, const QString &purpose, const QString &email,
                  qint64 ttlSeconds);
    /// Marks a live token of `purpose` used; returns (user id, email it was sent to).
    std::optional<std::pair<qint64, QString>> consume(const QByteArray &tokenHash, const QString &purpose);

    void queueMail(const QString &type, const QJsonObject &payload);
    QList<OutboxMail> mail(qint64 afterId, int limit);
    /// Mails not handed over whose token has not expired, oldest first.
    QList<OutboxMail> pending(int limit);
    /// Marks the mails handed over and removes the token from their payload.
    void handOver(const QList<qint64> &ids);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Auth
