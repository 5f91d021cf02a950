// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "adminservice.h"

#include "crypto.h"
#include "mfarepository.h"
#include "userdirectory.h"

#include "community/contracts/events/auth.h"
#include "community/database.h"

using namespace Community;
using Community::Contracts::AccountState;
using Community::Contracts::UserChange;
namespace AuthEvents = Community::Contracts::Events::Auth;

namespace Auth {

namespace {

tl::unexpected<Error> noSuchUser()
{
    return tl::unexpected(notFound(QStringLiteral("No such user.")));
}

} // namespace

Result<AccountPage> AdminService::list(const QString &prefix, qint64 afterId, int limit)
{
    return m_deps.db.read<AccountPage>([&](pqxx::nontransaction &tx) -> Result<AccountPage> {
        AccountPage page;
        page.items = AccountRepository(tx).list(afterId, prefix, limit + 1);
        if (page.items.size() > limit) {
            page.items.resize(limit);
            page.nextAfterId = page.items.last().id;
        }
        return page;
    });
}

Result<Account> AdminService::account(const QString &username)
{
    return m_deps.db.read<Account>([&](pqxx::nontransaction &tx) -> Result<Account> {
        const auto a = AccountRepository(tx).byUsername(username);
        if (!a)
            return noSuchUser();
        return *a;
    });
}

Result<Account> AdminService::setRole(const QString &username, Role role)
{
    return transactThen<Account>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<Account> {
        const auto a = AccountRepository(tx).setRole(username, role);
        if (!a)
            return noSuchUser();
        m_deps.directory.changed(after, *a, UserChange::Kind::RoleChanged);
        if (auto r = publish(m_deps.events, tx, AuthEvents::RoleChanged{a->id, a->username, roleName(a->role)}); !r)
            return tl::unexpected(r.error());
        return *a;
    });
}

Result<Account> AdminService::setState(const QString &username, AccountState state, const QString &reason, qint64 actorId)
{
    return transactThen<Account>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<Account> {
        AccountRepository accounts(tx);
        const auto a = accounts.setState(username, state, reason, actorId);
        if (!a) {
            if (accounts.exists(username))
                return fail(ErrorCode::Conflict, QStringLiteral("You cannot suspend yourself."));
            return noSuchUser();
        }
        const bool active = state == AccountState::Active;
        m_deps.directory.changed(after, *a, active ? UserChange::Kind::Unsuspended : UserChange::Kind::Suspended);
        const auto published = active ? publish(m_deps.events, tx, AuthEvents::AccountUnsuspended{a->id, a->username})
                                      : publish(m_deps.events, tx, AuthEvents::AccountSuspended{a->id, a->username, reason});
        if (!published)
            return tl::unexpected(published.error());
        return *a;
    });
}

Result<std::pair<Account, QString>> AdminService::resetPassword(const QString &username)
{
    const QString password = QString::fromLatin1(randomToken(12));
    using Reset = std::pair<Account, QString>;
    return transactThen<Reset>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<Reset> {
        const auto a = AccountRepository(tx).byUsername(username);
        if (!a)
            return noSuchUser();
        auto changed = m_accounts.setPassword(tx, after, a->id, password, true, 0, QStringLiteral("admin_reset"));
        if (!changed)
            return tl::unexpected(changed.error());
        return Reset{*changed, password};
    });
}

Result<std::pair<Account, bool>> AdminService::disableTwoFactor(const QString &username)
{
    using Disabled = std::pair<Account, bool>;
    return m_deps.db.transact<Disabled>([&](pqxx::work &tx) -> Result<Disabled> {
        const auto a = AccountRepository(tx).byUsername(username);
        if (!a)
            return noSuchUser();
        Mfa::MfaRepository mfa(tx);
        const bool had = mfa.deleteTotp(a->id);
        mfa.deleteRecoveryCodes(a->id);
        return Disabled{*a, had};
    });
}

Result<QList<OutboxMail>> AdminService::mail(qint64 afterId, int limit)
{
    return m_deps.db.read<QList<OutboxMail>>([&](pqxx::nontransaction &tx) -> Result<QList<OutboxMail>> {
        return MailTokenRepository(tx).mail(afterId, limit);
    });
}

} // namespace Auth
