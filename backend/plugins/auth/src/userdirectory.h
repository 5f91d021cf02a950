// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The IUserDirectory contract (account lookups for other plugins) and the in-process
/// change listeners behind it. changed() queues, for after the commit, the account's
/// flags into the authenticator's memory and the listeners' call.
/// Threading: lookups block (worker threads); listeners run on the committing thread.

#include "accountrepository.h"
#include "aftercommit.h"

#include "community/contracts/auth.h"

#include <QMutex>

namespace Community::Db { class Database; }

namespace Auth {

class AuthState;

class UserDirectory : public Community::Contracts::IUserDirectory {
public:
    UserDirectory(Community::Db::Database &db, AuthState &state) : m_db(db), m_state(state) {}

    /// After commit: the account's flags into memory, then every listener.
    void changed(AfterCommit &after, const Account &account, Community::Contracts::UserChange::Kind kind);
    /// For an account created in a transaction that is already committed (OAuth): reads
    /// it and tells the listeners.
    void accountCreated(qint64 userId);

    Community::Result<Community::Contracts::UserRecord> findByUsername(const QString &username) const override;
    Community::Result<Community::Contracts::UserRecord> findById(qint64 id) const override;
    Community::Result<QList<Community::Contracts::UserRecord>> findByIds(const QList<qint64> &ids) const override;
    Community::Result<QList<qint64>> activeIdsAfter(qint64 afterId, int limit) const override;
    void subscribe(std::function<void(const Community::Contracts::UserChange &)> listener) override;

private:
    void notify(const Account &account, Community::Contracts::UserChange::Kind kind);

    Community::Db::Database &m_db;
    AuthState &m_state;
    mutable QMutex m_mutex;
    QList<std::function<void(const Community::Contracts::UserChange &)>> m_listeners;
};

} // namespace Auth
