// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "accountservice.h"

#include "authlog.h"
#include "crypto.h"
#include "mailtokenrepository.h"
#include "sessionservice.h"
#include "userdirectory.h"
#include "validation.h"

#include "community/contracts/events/auth.h"
#include "community/database.h"

#include <sodium.h>

using namespace Community;
using Community::Contracts::UserChange;
namespace AuthEvents = Community::Contracts::Events::Auth;

namespace Auth {

namespace {

Error takenError(const Taken &t)
{
    Error e = Error::make(ErrorCode::Conflict, QStringLiteral("The username or email is already taken."));
    if (t.username)
        e.fields.append({QStringLiteral("username"), QStringLiteral("This username is taken."), QStringLiteral("taken")});
    else if (t.confusable)
        e.fields.append({QStringLiteral("username"), QStringLiteral("This username looks like one that is taken."),
                         QStringLiteral("confusable")});
    if (t.email)
        e.fields.append({QStringLiteral("email"), QStringLiteral("This email is already registered."), QStringLiteral("taken")});
    return e;
}

Error badToken(const QString &message)
{
    return invalidField(QStringLiteral("token"), message, QStringLiteral("invalid_token"));
}

Error noSuchUser()
{
    return notFound(QStringLiteral("No such user."));
}

AuthEvents::AccountRegistered registered(const Account &a, const QString &source)
{
    return {a.id, a.username, roleName(a.role), source};
}

/// `base` as a LIKE prefix (wildcards escaped, lower case).
QString likePrefix(const QString &base)
{
    QString pattern = base.toLower();
    return pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
}

/// The first of base, base2, base3, ... that is free (by name and by skeleton) and valid.
QString freeUsername(const QString &base, const QSet<QString> &taken, AccountRepository &accounts)
{
    for (int n = 1; n < 10000; ++n) {
        const QString candidate = n == 1 ? base : usernameWithSuffix(base, QString::number(n));
        if (!taken.contains(candidate.toLower()) && !checkUsername(candidate)
            && !accounts.skeletonTaken(usernameSkeleton(candidate)))
            return candidate;
    }
    return usernameWithSuffix(base, QString::number(100000 + randombytes_uniform(900000)));
}

} // namespace

Result<Account> AccountService::create(const NewAccount &account, const QString &password, const QString &source,
                                       const std::function<Result<void>(pqxx::work &)> &admit, const QString &mailLanguage)
{
    return transactThen<Account>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<Account> {
        if (admit) {
            if (auto allowed = admit(tx); !allowed)
                return tl::unexpected(allowed.error());
        }
        AccountRepository accounts(tx);
        NewAccount row = account;
        row.username = normalizeUsername(account.username);
        row.usernameSkeleton = usernameSkeleton(row.username);
        if (const auto t = accounts.taken(row.username, row.usernameSkeleton, row.email); t && (t->username || t->email || t->confusable))
            return tl::unexpected(takenError(*t));
        auto hash = m_deps.hasher.hash(password);
        if (!hash)
            return tl::unexpected(hash.error());
        row.passwordHash = *hash;
        const Account created = accounts.insert(row);
        if (auto r = publish(m_deps.events, tx, registered(created, source)); !r)
            return tl::unexpected(r.error());
        if (m_verifyEmailOnRegister && source == QLatin1String("register") && !created.email.isEmpty() && !created.emailVerified)
            queueMailToken(tx, created.id, created.email, QStringLiteral("verify"), 24 * 3600,
                           QStringLiteral("auth.email_verification_requested"), mailLanguage);
        m_deps.directory.changed(after, created, UserChange::Kind::Registered);
        return created;
    });
}

Result<Account> AccountService::account(qint64 userId)
{
    return m_deps.db.read<Account>([&](pqxx::nontransaction &tx) -> Result<Account> {
        const auto a = AccountRepository(tx).byId(userId);
        if (!a)
            return tl::unexpected(noSuchUser());
        return *a;
    });
}

Result<void> AccountService::changePassword(qint64 userId, qint64 sessionId, const QString &current, const QString &next)
{
    return transactThen<void>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<void> {
        const auto a = AccountRepository(tx).byId(userId, true);
        if (!a)
            return tl::unexpected(noSuchUser());
        auto ok = verifyPassword(tx, userId, current);
        if (!ok)
            return tl::unexpected(ok.error());
        if (!*ok)
            return tl::unexpected(invalidField(QStringLiteral("currentPassword"), QStringLiteral("The current password is wrong."),
                                               QStringLiteral("wrong_password")));
        if (next == current)
            return tl::unexpected(invalidField(QStringLiteral("newPassword"), QStringLiteral("Choose a new password."),
                                               QStringLiteral("same_as_current")));
        if (auto e = checkPassword(next, a->username, a->email))
            return tl::unexpected(invalidField(QStringLiteral("newPassword"), e->message, e->code));
        auto changed = setPassword(tx, after, userId, next, false, sessionId, QStringLiteral("changed"));
        if (!changed)
            return tl::unexpected(changed.error());
        return {};
    });
}

Result<Account> AccountService::setPassword(pqxx::work &tx, AfterCommit &after, qint64 userId, const QString &password,
                                            bool mustChange, qint64 keepSession, const QString &method)
{
    auto hash = m_deps.hasher.hash(password);
    if (!hash)
        return tl::unexpected(hash.error());
    const Account a = AccountRepository(tx).setPassword(userId, *hash, mustChange);
    if (auto r = m_deps.sessions.revokeAll(tx, after, userId, keepSession, QStringLiteral("password_") + method); !r)
        return tl::unexpected(r.error());
    m_deps.directory.changed(after, a, UserChange::Kind::Updated);
    if (auto r = publish(m_deps.events, tx, AuthEvents::PasswordChanged{userId, method}); !r)
        return tl::unexpected(r.error());
    return a;
}

void AccountService::queueMailToken(pqxx::work &tx, qint64 userId, const QString &email, const QString &purpose,
                                    qint64 ttlSeconds, const QString &mailType, const QString &language)
{
    MailTokenRepository mail(tx);
    const QByteArray token = randomToken(32);
    mail.addToken(sha256(token), userId, purpose, email, ttlSeconds);
    // The mail queue carries the token to the address (only its hash is kept above).
    QJsonObject payload{{QStringLiteral("userId"), userId},
                        {QStringLiteral("email"), email},
                        {QStringLiteral("token"), QString::fromLatin1(token)},
                        {QStringLiteral("expiresInSeconds"), ttlSeconds}};
    if (!language.isEmpty())
        payload.insert(QStringLiteral("language"), language);
    mail.queueMail(mailType, payload);
}

Result<void> AccountService::requestEmailVerification(qint64 userId, const QString &mailLanguage)
{
    return m_deps.db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        const auto email = AccountRepository(tx).email(userId);
        if (!email)
            return tl::unexpected(noSuchUser());
        if (email->first.isEmpty())
            return fail(ErrorCode::Conflict, QStringLiteral("The account has no email address."));
        if (email->second)
            return fail(ErrorCode::Conflict, QStringLiteral("The email address is already verified."));
        queueMailToken(tx, userId, email->first, QStringLiteral("verify"), 24 * 3600,
                       QStringLiteral("auth.email_verification_requested"), mailLanguage);
        return {};
    });
}

Result<Account> AccountService::verifyEmail(const QString &token)
{
    return transactThen<Account>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<Account> {
        const auto t = MailTokenRepository(tx).consume(sha256(token.toLatin1()), QStringLiteral("verify"));
        if (!t)
            return tl::unexpected(badToken(QStringLiteral("The token is invalid, used or expired.")));
        const auto a = AccountRepository(tx).markEmailVerified(t->first, t->second);
        if (!a)
            return tl::unexpected(badToken(QStringLiteral("The email address has changed.")));
        m_deps.directory.changed(after, *a, UserChange::Kind::Updated);
        if (auto r = publish(m_deps.events, tx, AuthEvents::EmailVerified{a->id}); !r)
            return tl::unexpected(r.error());
        return *a;
    });
}

Result<void> AccountService::requestPasswordReset(const QString &email, const QString &mailLanguage)
{
    return m_deps.db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (const auto a = AccountRepository(tx).activeByEmail(email))
            queueMailToken(tx, a->first, a->second, QStringLiteral("reset"), 3600, QStringLiteral("auth.password_reset_requested"),
                           mailLanguage);
        return {};
    });
}

Result<void> AccountService::resetPassword(const QString &token, const QString &next)
{
    return transactThen<void>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<void> {
        const auto t = MailTokenRepository(tx).consume(sha256(token.toLatin1()), QStringLiteral("reset"));
        if (!t)
            return tl::unexpected(badToken(QStringLiteral("The token is invalid, used or expired.")));
        const auto a = AccountRepository(tx).byId(t->first);
        if (!a)
            return tl::unexpected(noSuchUser());
        if (auto e = checkPassword(next, a->username, a->email))
            return tl::unexpected(invalidField(QStringLiteral("newPassword"), e->message, e->code));
        auto changed = setPassword(tx, after, a->id, next, false, 0, QStringLiteral("reset"));
        if (!changed)
            return tl::unexpected(changed.error());
        // The reset also lifts the account's login locks (account-wide and per address).
        LockoutRepository lockouts(tx);
        lockouts.clear({lockoutAccountKey(a->id)});
        lockouts.clearPrefix(lockoutPairPrefix(lockoutAccountKey(a->id)));
        return {};
    });
}

Result<QString> AccountService::ensureAdmin()
{
    const QString password = QString::fromLatin1(randomToken(15));
    auto hash = m_deps.hasher.hash(password);
    if (!hash)
        return tl::unexpected(hash.error());
    return transactThen<QString>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<QString> {
        AccountRepository accounts(tx);
        accounts.lockFirstAdmin();
        if (accounts.anyAdmin())
            return QString();
        const auto admin = accounts.insertFirstAdmin(*hash, usernameSkeleton(QStringLiteral("admin")));
        if (!admin)
            return fail(ErrorCode::Conflict, QStringLiteral("A user named admin exists but no admin does."));
        if (auto r = publish(m_deps.events, tx, registered(*admin, QStringLiteral("bootstrap"))); !r)
            return tl::unexpected(r.error());
        m_deps.directory.changed(after, *admin, UserChange::Kind::Registered);
        return password;
    });
}

Result<bool> AccountService::verifyPassword(pqxx::work &tx, qint64 userId, const QString &password)
{
    const auto hash = AccountRepository(tx).passwordHash(userId);
    if (!hash)
        return tl::unexpected(noSuchUser());
    if (hash->isEmpty()) {   // an account without a password (OAuth only)
        m_deps.hasher.dummyVerify(password);
        return false;
    }
    return m_deps.hasher.verify(*hash, password);
}

Result<bool> AccountService::hasPassword(pqxx::work &tx, qint64 userId)
{
    const auto hash = AccountRepository(tx).passwordHash(userId);
    if (!hash)
        return tl::unexpected(noSuchUser());
    return !hash->isEmpty();
}

Result<qint64> AccountService::createExternal(pqxx::work &tx, const QString &preferredUsername, const QString &email)
{
    AccountRepository accounts(tx);
    auto emailTaken = [&] { return !email.isEmpty() && accounts.emailTaken(email); };
    auto conflict = [] {
        Error e = Error::make(ErrorCode::Conflict,
                              QStringLiteral("An account with this email address exists; sign in to it and link the identity."));
        e.fields = {{QStringLiteral("email"), QStringLiteral("This email is already registered."), QStringLiteral("taken")}};
        return tl::unexpected(e);
    };
    if (emailTaken())
        return conflict();
    const QString base = derivedUsername(preferredUsername, email);
    for (int attempt = 0; attempt < 5; ++attempt) {
        // Every name that could clash with base + digits, in one query.
        const QString name = freeUsername(base, accounts.usernamesLike(likePrefix(base)), accounts);
        if (const auto id = accounts.insertExternal(name, usernameSkeleton(name), email)) {
            const AuthEvents::AccountRegistered event{*id, name, roleName(Role::User), QStringLiteral("oauth")};
            if (auto r = publish(m_deps.events, tx, event); !r)
                return tl::unexpected(r.error());
            return *id;
        }
        if (emailTaken())   // taken by a concurrent registration
            return conflict();
    }
    return fail(ErrorCode::Unavailable, QStringLiteral("Could not choose a username; please retry."));
}

int fillUsernameKeys(pqxx::transaction_base &tx, QList<qint64> *clashes)
{
    AccountRepository accounts(tx);
    int filled = 0;
    for (const StoredUsername &row : accounts.withoutSkeleton(1'000'000)) {
        const QString name = normalizeUsername(row.username);
        if (accounts.setUsernameKey(row.id, name, usernameSkeleton(name)))
            ++filled;
        else if (clashes)
            clashes->append(row.id);
    }
    return filled;
}

Result<int> AccountService::backfillUsernames()
{
    return m_deps.db.transact<int>([&](pqxx::work &tx) -> Result<int> {
        AccountRepository(tx).lockFirstAdmin();   // one node at a time, like the first-start admin
        QList<qint64> clashes;
        const int filled = fillUsernameKeys(tx, &clashes);
        for (const qint64 id : clashes)
            qCWarning(lcAuth, "the username of account %lld looks like another account's; its skeleton stays empty "
                              "until an operator renames one of them (ADR 0009)",
                      id);
        return filled;
    });
}

} // namespace Auth
