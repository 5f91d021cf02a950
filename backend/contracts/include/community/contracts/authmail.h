// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Auth's transactional mail (email verification, password reset) handed to a mailer
/// (docs/adr/0028-auth-mail-through-notifications.md).
///
/// Auth writes each mail, with its single-use token, to its own queue in the transaction
/// that created the token, and provides IAuthMailOutbox. A mailer plugin that depends on
/// auth (notifications, when email is configured) takes the pending mails, stores them
/// durably in its own delivery outbox, and then calls handedOver(): from then on auth
/// keeps no copy of the token (only its hash) and the mailer delivers with retry and
/// backoff. A crash between the mailer's commit and handedOver() lists the mails again;
/// the mailer's unique key per mail id makes the second take a no-op. Without a mailer
/// the mails simply stay in auth's queue for operators (GET /v1/admin/auth/outbox).
/// Never through the event bus: the token must not reach the operator-readable event log.
/// Blocking (database): call from worker threads, outside your own transaction.

#include "community/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Community::Contracts {

struct AuthMail {
    enum class Kind { VerifyEmail, ResetPassword };
    qint64 id = 0;                  ///< auth's queue id: the mailer's idempotency key
    Kind kind = Kind::VerifyEmail;
    qint64 userId = 0;
    QString email;                  ///< the address the token was issued for
    QString token;                  ///< secret: never log it, never put it in an event
    qint64 expiresInSeconds = 0;
    QDateTime createdAt;
    /// The language the request that caused the mail preferred among those auth knows ("en",
    /// "ko"; from Accept-Language), empty without one: for an account with no language of
    /// its own yet.
    QString languageHint;
};

class IAuthMailOutbox {
public:
    static constexpr const char *interfaceId() { return "community.auth.MailOutbox/2"; }
    virtual ~IAuthMailOutbox() = default;

    /// Mails not handed over yet whose token is still valid, oldest first, at most `limit`.
    virtual Result<QList<AuthMail>> pending(int limit) = 0;
    /// The mailer has committed these: auth drops the token from its queue. Idempotent.
    virtual Result<void> handedOver(const QList<qint64> &ids) = 0;
};

} // namespace Community::Contracts
