// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "userdirectory.h"

#include "authlog.h"
#include "authstate.h"

#include "community/database.h"

#include <algorithm>


using namespace Community;
using Community::Contracts::UserChange;
using Community::Contracts::UserRecord;

namespace Auth {

namespace {

Result<UserRecord> found(const std::optional<Account> &a)
{
    if (!a)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    return a->record();
}

} // namespace

void UserDirectory::changed(AfterCommit &after, const Account &account, UserChange::Kind kind)
{
    after.push_back([this, account, kind] { notify(account, kind); });
}

void UserDirectory::notify(const Account &account, UserChange::Kind kind)
{
    m_state.setUser(account.id, UserFlags{account.role, account.state, account.mustChangePassword});
    QList<std::function<void(const UserChange &)>> listeners;
    {
        QMutexLocker lock(&m_mutex);
        listeners = m_listeners;
    }
    const UserChange change{kind, account.record()};
    for (const auto &l : listeners)
        l(change);
}

void UserDirectory::accountCreated(qint64 userId)
{
    auto a = m_db.read<std::optional<Account>>([&](pqxx::nontransaction &tx) -> Result<std::optional<Account>> {
        return AccountRepository(tx).byId(userId);
    });
    if (!a || !*a) {
        qCWarning(lcAuth) << "reading new account" << userId << "failed:" << (a ? QString() : a.error().logDetail);
        return;
    }
    notify(**a, UserChange::Kind::Registered);
}

Result<UserRecord> UserDirectory::findByUsername(const QString &username) const
{
    return m_db.read<UserRecord>([&](pqxx::nontransaction &tx) { return found(AccountRepository(tx).byUsername(username)); });
}

Result<UserRecord> UserDirectory::findById(qint64 id) const
{
    return m_db.read<UserRecord>([&](pqxx::nontransaction &tx) { return found(AccountRepository(tx).byId(id)); });
}

Result<QList<UserRecord>> UserDirectory::findByIds(const QList<qint64> &ids) const
{
    return m_db.read<QList<UserRecord>>([&](pqxx::nontransaction &tx) -> Result<QList<UserRecord>> {
        QList<UserRecord> out;
        for (const Account &a : AccountRepository(tx).byIds(ids))
            out.append(a.record());
        return out;
    });
}

Result<QList<qint64>> UserDirectory::activeIdsAfter(qint64 afterId, int limit) const
{
    return m_db.read<QList<qint64>>([&](pqxx::nontransaction &tx) -> Result<QList<qint64>> {
        return AccountRepository(tx).activeIdsAfter(afterId, std::clamp(limit, 1, 10'000));
    });
}

void UserDirectory::subscribe(std::function<void(const UserChange &)> listener)
{
    QMutexLocker lock(&m_mutex);
    m_listeners.append(std::move(listener));
}

} // namespace Auth
