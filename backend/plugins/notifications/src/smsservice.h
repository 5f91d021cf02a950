// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SMS: a user's number (E.164, verified by a 6-digit code before any notification goes
/// to it), SMS rows only for kinds the user opted in to (SMS is off by default), and the
/// worker round. The row (with its unique key) is the intent written before sending; a
/// timeout after the request went out marks the row dead instead of sending again.
/// Blocking: worker threads only.

#include "deliveryrepository.h"
#include "notificationsconfig.h"
#include "phonerepository.h"
#include "preferences.h"
#include "smsprovider.h"

#include <memory>

namespace Community::Db { class Database; }

namespace Notifications {

struct Draft;

class SmsService {
public:
    SmsService(Community::Db::Database &db, NotificationsConfig config, std::unique_ptr<SmsProvider> provider)
        : m_db(db), m_config(std::move(config)), m_provider(std::move(provider)) {}

    bool enabled() const { return m_config.sms.enabled(); }
    /// Stores the number unverified and texts it a code. Field error for a non-E.164 number.
    Community::Result<void> setNumber(qint64 userId, const QString &number);
    /// InvalidArgument (field "code") for a wrong or expired code, or after 5 attempts.
    Community::Result<void> verify(qint64 userId, const QString &code);
    Community::Result<std::optional<Phone>> phone(qint64 userId);
    Community::Result<void> removeNumber(qint64 userId);

    void enqueue(pqxx::transaction_base &tx, const Preferences &prefs, const Draft &draft, const QJsonObject &notification,
                 qint64 itemId);
    Community::Result<int> runRound();
    /// Texts a test message to the user's verified number at once (no row). NotFound
    /// without a verified number; Conflict when SMS is off.
    Community::Result<void> sendTest(qint64 userId);

    /// What a status callback changed.
    struct StatusOutcome {
        bool applied = false;       ///< false: stale or repeated (an earlier status never replaces a later one)
        QString status;             ///< the row's provider status now
    };
    /// A signed provider status callback for delivery `deliveryId` (the `d` of the URL we
    /// gave the provider). NotFound when callbacks are off or the row is unknown,
    /// Forbidden for a bad signature, InvalidArgument for a bad form, Conflict when the
    /// message id is not the row's. Nothing is written unless the status moves forward.
    Community::Result<StatusOutcome> statusCallback(const QString &deliveryId, const QList<std::pair<QString, QString>> &form,
                                                    const QByteArray &signature);
    bool callbacksEnabled() const { return enabled() && !m_config.sms.statusCallbackUrl.isEmpty(); }

private:
    QString callbackUrl(qint64 deliveryId) const;
    /// Records one send: sent (with the provider's id and status), retried, or dead; an
    /// ambiguous timeout whose callback already came is sent.
    void record(const DeliveryRow &row, const Community::Result<SmsResult> &sent);
    QString codeHash(qint64 userId, const QString &code) const;

    Community::Db::Database &m_db;
    NotificationsConfig m_config;
    std::unique_ptr<SmsProvider> m_provider;
};

} // namespace Notifications
