// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "sessionservice.h"

#include "community/clock.h"

#include "authlog.h"
#include "authstate.h"
#include "crypto.h"
#include "twofactorservice.h"

#include "community/contracts/events/auth.h"
#include "community/database.h"
#include "community/http.h"

#include <QDateTime>
#include <QHostAddress>

using namespace Community;
using Community::Contracts::AccountState;
namespace AuthEvents = Community::Contracts::Events::Auth;

namespace Auth {

Result<LoginResult> SessionService::login(const QString &login, const QString &password, const QString &userAgent,
                                          const QString &ip)
{
    return m_deps.db.transact<LoginResult>([&](pqxx::work &tx) { return passwordLogin(tx, login, password, userAgent, ip); });
}

// Failed attempts are committed with the answer: the lockout counts them. Three counters:
// the (account, address) pair locks first, so a stranger who knows a username locks only
// himself out, not its owner; the account-wide one stops guessing spread over many
// addresses at a much higher count; the address one stops spraying many accounts. Unknown
// names are counted under the login string with the same limits, so they answer alike.
Result<LoginResult> SessionService::passwordLogin(pqxx::work &tx, const QString &login, const QString &password,
                                                  const QString &userAgent, const QString &ip)
{
    const auto &lockout = m_deps.config.lockout;
    AccountRepository accounts(tx);
    const auto found = accounts.forLogin(login);
    const QString accountKey = found ? lockoutAccountKey(found->first.id) : QStringLiteral("login:") + login.toLower();
    // Counted per address group: an IPv6 client by its /64, which it could otherwise rotate through.
    const QString where = Community::Http::addressGroup(QHostAddress(ip));
    const QString pairKey = lockoutPairPrefix(accountKey) + where;
    const QString ipKey = QStringLiteral("ip:") + where;
    LoginResult out;
    if (const auto wait = LockoutRepository(tx).lockedFor({pairKey, accountKey, ipKey})) {
        out.kind = LoginResult::Kind::Locked;
        out.retryAfter = qMax<qint64>(1, *wait);
        return out;
    }
    bool ok = false;
    if (!found || found->second.isEmpty())
        m_deps.hasher.dummyVerify(password);   // the same time as a real check
    else
        ok = m_deps.hasher.verify(found->second, password);
    if (!ok) {
        recordFailure(tx, pairKey, lockout.maxFailures, lockout.delayAfter);
        recordFailure(tx, accountKey, lockout.accountMaxFailures, 0);
        recordFailure(tx, ipKey, lockout.ipMaxFailures, 0);
        return out;
    }
    // The account-wide count stays: it measures guessing from elsewhere, which the
    // owner's success does not end.
    LockoutRepository(tx).clear({pairKey});
    out.account = found->first;
    if (out.account.state != AccountState::Active) {
        out.kind = LoginResult::Kind::Suspended;
        return out;
    }
    if (m_deps.hasher.needsRehash(found->second)) {
        if (auto h = m_deps.hasher.hash(password))
            accounts.rehash(out.account.id, *h);
    }
    // A second factor is due: no tokens yet, a single-use challenge for POST /v1/auth/login/2fa.
    auto totp = Mfa::totpEnabled(tx, out.account.id);
    if (!totp)
        return tl::unexpected(totp.error());
    if (*totp) {
        auto token = Mfa::createChallenge(tx, out.account.id, userAgent, ip, m_mfaChallengeTtl);
        if (!token)
            return tl::unexpected(token.error());
        out.kind = LoginResult::Kind::MfaRequired;
        out.mfaToken = *token;
        return out;
    }
    auto session = startSession(tx, out.account.id, userAgent, ip);
    if (!session)
        return tl::unexpected(session.error());
    out.kind = LoginResult::Kind::Tokens;
    out.account = session->first;
    out.tokens = session->second;
    return out;
}

// From `delayAfter` failures an escalating wait, from `max` failures a lock of lockSeconds.
void SessionService::recordFailure(pqxx::work &tx, const QString &key, int max, int delayAfter)
{
    LockoutRepository lockouts(tx);
    const int failures = lockouts.addFailure(key, m_deps.config.lockout.windowSeconds);
    qint64 lockFor = 0;
    if (failures >= max)
        lockFor = m_deps.config.lockout.lockSeconds;
    else if (delayAfter > 0 && failures >= delayAfter)
        lockFor = qMin<qint64>(qint64(1) << qMin(failures - delayAfter, 6), 60);
    if (lockFor > 0)
        lockouts.lock(key, lockFor);
}

Result<std::pair<Account, TokenPair>> SessionService::startSession(pqxx::work &tx, qint64 userId,
                                                                   const QString &userAgent, const QString &ip)
{
    const auto account = AccountRepository(tx).byId(userId);
    if (!account)
        return tl::unexpected(notFound(QStringLiteral("No such user.")));
    if (account->state != AccountState::Active)
        return fail(ErrorCode::Forbidden, account->state == AccountState::Suspended ? QStringLiteral("This account is suspended.")
                                                                                   : QStringLiteral("This account is disabled."));
    auto tokens = issue(tx, userId, account->username, userAgent, ip);
    if (!tokens)
        return tl::unexpected(tokens.error());
    if (auto r = publish(m_deps.events, tx, AuthEvents::SessionStarted{userId, tokens->sessionId}); !r)
        return tl::unexpected(r.error());
    return std::pair{*account, *tokens};
}

Result<TokenPair> SessionService::issue(pqxx::work &tx, qint64 userId, const QString &username, const QString &userAgent,
                                        const QString &ip)
{
    SessionRepository sessions(tx);
    const qint64 days = m_deps.config.refreshTokenTtlDays;
    const qint64 sid = sessions.create(userId, userAgent, ip, days);
    const QByteArray refresh = randomToken(32);
    sessions.addRefreshToken(sha256(refresh), sid, days);
    auto access = accessToken(userId, username, sid);
    if (!access)
        return tl::unexpected(access.error());
    return TokenPair{*access, QString::fromLatin1(refresh), m_deps.config.accessTokenTtlSeconds, sid};
}

Result<QString> SessionService::accessToken(qint64 userId, const QString &username, qint64 sessionId)
{
    AccessClaims c;
    c.userId = userId;
    c.username = username;
    c.sessionId = sessionId;
    c.issuedAt = QDateTime::currentSecsSinceEpoch();
    c.expiresAt = c.issuedAt + m_deps.config.accessTokenTtlSeconds;
    auto t = m_deps.signer.sign(c);
    if (!t)
        return tl::unexpected(t.error());
    return QString::fromLatin1(*t);
}

Result<RefreshResult> SessionService::refresh(const QString &refreshToken)
{
    return transactThen<RefreshResult>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) {
        return rotate(tx, after, refreshToken);
    });
}

Result<RefreshResult> SessionService::rotate(pqxx::work &tx, AfterCommit &after, const QString &refreshToken)
{
    SessionRepository sessions(tx);
    const QByteArray hash = sha256(refreshToken.toLatin1());
    const auto row = sessions.refreshTokenForUpdate(hash, Clock::nowUtc(QStringLiteral("auth")));
    RefreshResult out;
    if (!row)
        return out;
    if (row->used) {
        // A used token came back: someone holds a copy. End the whole family (committed).
        sessions.revokeFamily(row->sessionId);
        after.push_back([this, sid = row->sessionId, uid = row->userId] {
            m_deps.state.revokeSession(sid);
            qCWarning(lcAuth, "refresh token reuse: session %lld of user %lld revoked", sid, uid);
        });
        if (!row->revoked) {
            const AuthEvents::SessionRevoked event{row->userId, {row->sessionId}, QStringLiteral("token_reuse")};
            if (auto r = publish(m_deps.events, tx, event); !r)
                return tl::unexpected(r.error());
        }
        return out;
    }
    if (row->expired || row->revoked)
        return out;
    if (parseState(row->accountState) != AccountState::Active) {
        out.kind = RefreshResult::Kind::Suspended;
        return out;
    }
    sessions.markUsed(hash);
    const QByteArray next = randomToken(32);
    sessions.addRefreshToken(sha256(next), row->sessionId, m_deps.config.refreshTokenTtlDays);
    sessions.touch(row->sessionId);
    auto access = accessToken(row->userId, row->username, row->sessionId);
    if (!access)
        return tl::unexpected(access.error());
    out.kind = RefreshResult::Kind::Tokens;
    out.tokens = TokenPair{*access, QString::fromLatin1(next), m_deps.config.accessTokenTtlSeconds, row->sessionId};
    return out;
}

Result<void> SessionService::logout(qint64 userId, qint64 sessionId)
{
    return transactThen<void>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<void> {
        const bool wasActive = SessionRepository(tx).revoke(sessionId, userId);
        // Memory in any case: the access token of this session stops working now.
        after.push_back([this, sessionId] { m_deps.state.revokeSession(sessionId); });
        if (!wasActive)
            return {};
        return revoked(tx, after, userId, {sessionId}, QStringLiteral("logout"));
    });
}

Result<QList<SessionRow>> SessionService::sessions(qint64 userId)
{
    return m_deps.db.read<QList<SessionRow>>([&](pqxx::nontransaction &tx) -> Result<QList<SessionRow>> {
        return SessionRepository(tx).active(userId);
    });
}

Result<void> SessionService::revoke(qint64 userId, qint64 sessionId)
{
    return transactThen<void>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<void> {
        if (!SessionRepository(tx).revoke(sessionId, userId))
            return tl::unexpected(notFound(QStringLiteral("No such session.")));
        return revoked(tx, after, userId, {sessionId}, QStringLiteral("revoked"));
    });
}

Result<qint64> SessionService::revokeOthers(qint64 userId, qint64 currentSessionId)
{
    return transactThen<qint64>(m_deps.db, [&](pqxx::work &tx, AfterCommit &after) -> Result<qint64> {
        const QList<qint64> ids = SessionRepository(tx).revokeAll(userId, currentSessionId);
        if (auto r = revoked(tx, after, userId, ids, QStringLiteral("revoked")); !r)
            return tl::unexpected(r.error());
        return qint64(ids.size());
    });
}

Result<void> SessionService::revokeAll(pqxx::work &tx, AfterCommit &after, qint64 userId, qint64 keep,
                                       const QString &reason)
{
    return revoked(tx, after, userId, SessionRepository(tx).revokeAll(userId, keep), reason);
}

Result<void> SessionService::revoked(pqxx::work &tx, AfterCommit &after, qint64 userId, const QList<qint64> &ids,
                                     const QString &reason)
{
    if (ids.isEmpty())
        return {};
    after.push_back([this, ids] {
        for (qint64 id : ids)
            m_deps.state.revokeSession(id);
    });
    return publish(m_deps.events, tx, AuthEvents::SessionRevoked{userId, ids, reason});
}

} // namespace Auth
