// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// IAuthMailOutbox over auth.outbox (ADR 0028): the verification and reset mails a mailer
/// plugin takes over. Blocking: worker threads only.

#include "community/contracts/authmail.h"

namespace Community::Db { class Database; }

namespace Auth {

class AuthMailOutbox final : public Community::Contracts::IAuthMailOutbox {
public:
    explicit AuthMailOutbox(Community::Db::Database &db) : m_db(db) {}

    Community::Result<QList<Community::Contracts::AuthMail>> pending(int limit) override;
    Community::Result<void> handedOver(const QList<qint64> &ids) override;

private:
    Community::Db::Database &m_db;
};

} // namespace Auth
