// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The delivery outbox: rows written in the notification's transaction (email now, on the
/// user's quiet-hours end, or at the digest time), one worker round that claims due rows
/// (SKIP LOCKED, leased), sends them and records the outcome with backoff, the operator
/// views (list, retry, test send) and the one-click unsubscribe. Email is at-least-once:
/// a crash between the SMTP answer and the commit re-sends the same message with the same
/// Message-ID. Blocking: worker threads only. Errors are values.

#include "deliveryrepository.h"
#include "notificationsconfig.h"
#include "preferences.h"
#include "smtpmailer.h"
#include "unsubscribetoken.h"

#include <QByteArray>

#include <atomic>
#include <functional>

namespace Community::Db { class Database; }
namespace Community::Contracts { class IUserDirectory; class IAuthMailOutbox; struct UserRecord; }

namespace Notifications {

struct Draft;

/// When attempt `attempts` + 1 may run: base * 4^(attempts-1), at most an hour.
QDateTime backoffAt(const DeliveryConfig &config, int attempts);

/// Records one push or SMS send: sent, or failed (retried with backoff when the error is
/// Unavailable and attempts remain, dead otherwise). `alsoOnFailure` runs in the same
/// transaction (e.g. removing a gone subscription). A failure to record is logged: the
/// lease runs out and the row is taken again.
void recordSend(Community::Db::Database &db, const DeliveryConfig &config, const DeliveryRow &row,
                const Community::Result<void> &outcome, const std::function<void(pqxx::transaction_base &)> &alsoOnFailure = {});

class DeliveryService {
public:
    DeliveryService(Community::Db::Database &db, NotificationsConfig config)
        : m_db(db), m_config(std::move(config)), m_mailer(m_config.email) {}

    /// Without a directory (no auth plugin on this node) email rows wait.
    void setDirectory(Community::Contracts::IUserDirectory *directory) { m_directory = directory; }
    /// Auth's verification and reset mails (ADR 0028); null: auth keeps them in its queue.
    void setAuthMail(Community::Contracts::IAuthMailOutbox *outbox) { m_authMail = outbox; }
    /// Loads or creates the signing key (start(), blocking).
    Community::Result<void> loadKey();

    /// The rows for one stored notification, inside the caller's transaction.
    void enqueue(pqxx::transaction_base &tx, const Preferences &prefs, const Draft &draft, const QJsonObject &notification,
                 qint64 itemId);
    /// Takes auth's pending mails into the delivery outbox (one row per mail, keyed by its
    /// id, token in the row until it is sent), then tells auth they are handed over.
    /// Returns mails taken. Nothing without email or without auth on this node.
    Community::Result<int> takeOverAuthMail();
    /// One worker round: claims, sends and records up to a batch. Returns rows handled.
    Community::Result<int> runEmailRound();

    Community::Result<QList<DeliveryRow>> list(const DeliveryFilter &filter);
    Community::Result<void> retry(qint64 id);
    /// Sends a test email at once (no row) to a user given by id or username; the address
    /// is never returned.
    Community::Result<void> sendTest(const QString &user);
    /// The account id of a user given by id or username (NotFound), through the directory.
    Community::Result<qint64> resolveUser(const QString &user) const;
    /// A user given by id or username, through the directory (Unavailable without one).
    Community::Result<Community::Contracts::UserRecord> findUser(const QString &user) const;
    /// Applies a one-click unsubscribe token: email off for its kind (or every kind).
    Community::Result<Unsubscribe> unsubscribe(const QString &token);
    /// Checks a token without applying it (the GET of the link).
    Community::Result<Unsubscribe> checkToken(const QString &token) const;

    QString unsubscribeUrl(qint64 userId, const QString &kind) const;
    const NotificationsConfig &config() const { return m_config; }

private:
    QString messageId(qint64 userId, const QString &sourceKey, const QString &channel) const;
    /// Sends the claimed rows of one user (a digest when they are digest rows).
    void sendUserRows(const QList<DeliveryRow> &rows, const QString &address, const Preferences &prefs);
    void record(const QList<DeliveryRow> &rows, const Community::Result<void> &outcome);
    /// Sends one of auth's mails to the address its token was issued for.
    void sendAuthMail(const DeliveryRow &row, const QString &language);

    Community::Db::Database &m_db;
    NotificationsConfig m_config;
    SmtpMailer m_mailer;
    Community::Contracts::IUserDirectory *m_directory = nullptr;
    Community::Contracts::IAuthMailOutbox *m_authMail = nullptr;
    QByteArray m_key;
};

} // namespace Notifications
