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

private:
    QString codeHash(qint64 userId, const QString &code) const;

    Community::Db::Database &m_db;
    NotificationsConfig m_config;
    std::unique_ptr<SmsProvider> m_provider;
};

} // namespace Notifications
