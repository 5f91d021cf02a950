// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "twofactorservice.h"

#include "mfarepository.h"
#include "pkce.h"
#include "totp.h"

#include "community/database.h"

#include <QDateTime>

using namespace Community;

namespace Auth::Mfa {

Result<bool> totpEnabled(pqxx::work &tx, qint64 userId)
{
    return MfaRepository(tx).totpEnabled(userId);
}

Result<QString> createChallenge(pqxx::work &tx, qint64 userId, const QString &userAgent, const QString &ip, int ttlSeconds)
{
    const QString token = Pkce::generateState();
    MfaRepository(tx).addChallenge(Pkce::sha256Hex(token), userId, userAgent, ip, ttlSeconds);
    return token;
}

TwoFactorService::TwoFactorService(Db::Database &db, const Hooks &hooks, const Config &config)
    : m_db(db), m_hooks(hooks), m_config(config), m_codes(config.recoveryCodePepper)
{
}

qint64 TwoFactorService::now() const
{
    return m_config.clock ? m_config.clock() : QDateTime::currentSecsSinceEpoch();
}

Result<Enrolment> TwoFactorService::enrol(qint64 userId, const QString &fallbackAccountName)
{
    return m_db.transact<Enrolment>([&](pqxx::work &tx) -> Result<Enrolment> {
        MfaRepository repo(tx);
        const auto current = repo.totpForUpdate(userId);
        if (current && current->enabled)
            return fail(ErrorCode::Conflict, QStringLiteral("Two-factor authentication is already enabled."));
        const QByteArray secret = generateTotpSecret();
        // A pending (not yet enabled) secret is replaced: only the newest QR code works.
        repo.setPendingSecret(userId, secret);
        const QString account = repo.username(userId).value_or(fallbackAccountName);
        return Enrolment{QString::fromLatin1(Base32::encode(secret, false)), otpauthUri(m_config.issuer, account, secret)};
    });
}

Result<QStringList> TwoFactorService::enable(qint64 userId, const QString &code)
{
    return m_db.transact<QStringList>([&](pqxx::work &tx) -> Result<QStringList> {
        MfaRepository repo(tx);
        const auto totp = repo.totpForUpdate(userId);
        if (!totp)
            return fail(ErrorCode::Conflict, QStringLiteral("Start with POST /v1/auth/2fa/enrol."));
        if (totp->enabled)
            return fail(ErrorCode::Conflict, QStringLiteral("Two-factor authentication is already enabled."));
        const auto step = verifyTotp(totp->secret, code, now(), totp->lastStep);
        if (!step)
            return tl::unexpected(invalidField(QStringLiteral("code"), QStringLiteral("is not the current code"),
                                            QStringLiteral("incorrect")));
        repo.enableTotp(userId, *step);
        return storeNewRecoveryCodes(tx, userId);
    });
}

Result<SecondFactorLogin> TwoFactorService::login(const QString &mfaToken, const QString &code,
                                                  const QString &recoveryCode, const QString &userAgent, const QString &ip)
{
    const QString tokenHash = Pkce::sha256Hex(mfaToken);
    return m_db.transact<SecondFactorLogin>([&](pqxx::work &tx) -> Result<SecondFactorLogin> {
        MfaRepository repo(tx);
        const auto challenge = repo.unusedChallengeForUpdate(tokenHash);
        if (!challenge || !challenge->live)
            return fail(ErrorCode::Unauthorized, QStringLiteral("The sign-in attempt expired; please sign in again."));
        // Single use whatever the outcome: a wrong code sends the client back to the
        // password step, so guessing codes is bounded by the password lockout.
        repo.useChallenge(tokenHash);
        SecondFactorLogin out;
        const Factor factor = consumeSecondFactor(tx, challenge->userId, code, recoveryCode, &out.recoveryCodesRemaining);
        if (factor == Factor::None)
            return out;   // committed: the challenge is used up
        auto login = m_hooks.issueSession(tx, challenge->userId, userAgent, ip);
        if (!login)
            return tl::unexpected(login.error());
        out.accepted = true;
        out.login = *login;
        return out;
    });
}

Result<void> TwoFactorService::disable(qint64 userId, const QString &password, const QString &code)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (auto ok = confirmWithPasswordAndCode(tx, userId, password, code); !ok)
            return ok;
        MfaRepository repo(tx);
        repo.deleteRecoveryCodes(userId);
        repo.deleteTotp(userId);
        repo.deleteUnusedChallenges(userId);
        return {};
    });
}

Result<QStringList> TwoFactorService::regenerateRecoveryCodes(qint64 userId, const QString &password, const QString &code)
{
    return m_db.transact<QStringList>([&](pqxx::work &tx) -> Result<QStringList> {
        if (auto ok = confirmWithPasswordAndCode(tx, userId, password, code); !ok)
            return tl::unexpected(ok.error());
        return storeNewRecoveryCodes(tx, userId);
    });
}

Result<QJsonObject> TwoFactorService::completeLogin(pqxx::work &tx, qint64 userId, const QString &userAgent,
                                                    const QString &ip) const
{
    if (MfaRepository(tx).totpEnabled(userId)) {
        auto token = createChallenge(tx, userId, userAgent, ip, m_config.challengeTtlSeconds);
        if (!token)
            return tl::unexpected(token.error());
        return QJsonObject{{QStringLiteral("mfaRequired"), true}, {QStringLiteral("mfaToken"), *token}};
    }
    return m_hooks.issueSession(tx, userId, userAgent, ip);
}

QStringList TwoFactorService::storeNewRecoveryCodes(pqxx::work &tx, qint64 userId) const
{
    const QStringList codes = m_codes.generate();
    QStringList hashes;
    for (const QString &c : codes)
        hashes.append(*m_codes.hash(userId, c));
    MfaRepository(tx).replaceRecoveryCodes(userId, hashes);
    return codes;
}

TwoFactorService::Factor TwoFactorService::consumeSecondFactor(pqxx::work &tx, qint64 userId, const QString &code,
                                                               const QString &recoveryCode, int *remaining) const
{
    MfaRepository repo(tx);
    if (!code.isEmpty()) {
        const auto totp = repo.totpForUpdate(userId);
        if (!totp || !totp->enabled)
            return Factor::None;
        const auto step = verifyTotp(totp->secret, code, now(), totp->lastStep);
        if (!step)
            return Factor::None;
        repo.setLastStep(userId, *step);
        return Factor::Totp;
    }
    const QStringList hashes = repo.unusedRecoveryCodesForUpdate(userId);
    const int i = m_codes.match(userId, recoveryCode, hashes);
    if (i < 0)
        return Factor::None;
    repo.useRecoveryCode(userId, hashes.at(i));
    if (remaining)
        *remaining = int(hashes.size()) - 1;
    return Factor::Recovery;
}

Result<void> TwoFactorService::checkPassword(pqxx::work &tx, qint64 userId, const QString &password) const
{
    auto has = m_hooks.hasPassword(tx, userId);
    if (!has)
        return tl::unexpected(has.error());
    if (!*has && password.isEmpty())
        return {};
    if (password.isEmpty())
        return tl::unexpected(invalidField(QStringLiteral("password"), QStringLiteral("is required"), QStringLiteral("required")));
    auto ok = m_hooks.verifyPassword(tx, userId, password);
    if (!ok)
        return tl::unexpected(ok.error());
    if (!*ok)
        return tl::unexpected(invalidField(QStringLiteral("password"), QStringLiteral("is not correct"), QStringLiteral("incorrect")));
    return {};
}

Result<void> TwoFactorService::confirmWithPasswordAndCode(pqxx::work &tx, qint64 userId, const QString &password,
                                                          const QString &code) const
{
    if (!MfaRepository(tx).totpEnabled(userId))
        return fail(ErrorCode::Conflict, QStringLiteral("Two-factor authentication is not enabled."));
    if (auto pw = checkPassword(tx, userId, password); !pw)
        return pw;
    // The code field takes a TOTP code or a recovery code: losing the phone must not
    // lock anyone into 2FA.
    const bool looksLikeTotp = code.size() <= 10;
    if (consumeSecondFactor(tx, userId, looksLikeTotp ? code : QString(), looksLikeTotp ? QString() : code) == Factor::None)
        return tl::unexpected(invalidField(QStringLiteral("code"), QStringLiteral("is not correct"), QStringLiteral("incorrect")));
    return {};
}

} // namespace Auth::Mfa
