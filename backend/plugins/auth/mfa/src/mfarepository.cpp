// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mfarepository.h"

namespace Auth::Mfa {

namespace {

QString text(const pqxx::field &f)
{
    return QString::fromStdString(f.as<std::string>());
}

std::string str(const QString &s)
{
    return s.toStdString();
}

} // namespace

bool MfaRepository::totpEnabled(qint64 userId)
{
    return !m_tx.exec_params("SELECT 1 FROM auth.totp WHERE user_id = $1 AND enabled_at IS NOT NULL", userId).empty();
}

std::optional<TotpRow> MfaRepository::totpForUpdate(qint64 userId)
{
    const pqxx::result r = m_tx.exec_params("SELECT encode(secret, 'hex'), enabled_at IS NOT NULL, "
                                            "COALESCE(last_used_step, -1) FROM auth.totp WHERE user_id = $1 FOR UPDATE",
                                            userId);
    if (r.empty())
        return std::nullopt;
    return TotpRow{QByteArray::fromHex(QByteArray::fromStdString(r[0][0].as<std::string>())), r[0][1].as<bool>(),
                   r[0][2].as<qint64>()};
}

void MfaRepository::setPendingSecret(qint64 userId, const QByteArray &secret)
{
    m_tx.exec_params("INSERT INTO auth.totp (user_id, secret, enabled_at, created_at, last_used_step) "
                     "VALUES ($1, decode($2, 'hex'), NULL, now(), NULL) "
                     "ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now(), "
                     "last_used_step = NULL WHERE auth.totp.enabled_at IS NULL",
                     userId, secret.toHex().toStdString());
}

void MfaRepository::enableTotp(qint64 userId, qint64 step)
{
    m_tx.exec_params("UPDATE auth.totp SET enabled_at = now(), last_used_step = $2 WHERE user_id = $1", userId, step);
}

void MfaRepository::setLastStep(qint64 userId, qint64 step)
{
    m_tx.exec_params("UPDATE auth.totp SET last_used_step = $2 WHERE user_id = $1", userId, step);
}

bool MfaRepository::deleteTotp(qint64 userId)
{
    return !m_tx.exec_params("DELETE FROM auth.totp WHERE user_id = $1 RETURNING 1", userId).empty();
}

std::optional<QString> MfaRepository::username(qint64 userId)
{
    const pqxx::result u = m_tx.exec_params("SELECT username FROM auth.users WHERE id = $1", userId);
    if (u.empty() || u[0][0].is_null())
        return std::nullopt;
    return text(u[0][0]);
}

void MfaRepository::replaceRecoveryCodes(qint64 userId, const QStringList &hashes)
{
    deleteRecoveryCodes(userId);
    for (const QString &h : hashes)
        m_tx.exec_params("INSERT INTO auth.recovery_codes (user_id, code_hash) VALUES ($1, $2)", userId, str(h));
}

QStringList MfaRepository::unusedRecoveryCodesForUpdate(qint64 userId)
{
    QStringList out;
    for (const auto &row : m_tx.exec_params("SELECT code_hash FROM auth.recovery_codes "
                                            "WHERE user_id = $1 AND used_at IS NULL FOR UPDATE", userId))
        out.append(text(row[0]));
    return out;
}

void MfaRepository::useRecoveryCode(qint64 userId, const QString &hash)
{
    m_tx.exec_params("UPDATE auth.recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2", userId, str(hash));
}

void MfaRepository::deleteRecoveryCodes(qint64 userId)
{
    m_tx.exec_params("DELETE FROM auth.recovery_codes WHERE user_id = $1", userId);
}

void MfaRepository::addChallenge(const QString &tokenHash, qint64 userId, const QString &userAgent, const QString &ip,
                                 int ttlSeconds)
{
    m_tx.exec_params("INSERT INTO auth.mfa_challenges (token_hash, user_id, user_agent, ip, expires_at) "
                     "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
                     str(tokenHash), userId, str(userAgent.left(512)), str(ip), ttlSeconds);
}

std::optional<ChallengeRow> MfaRepository::unusedChallengeForUpdate(const QString &tokenHash)
{
    const pqxx::result c = m_tx.exec_params("SELECT user_id, expires_at > now() FROM auth.mfa_challenges "
                                            "WHERE token_hash = $1 AND used_at IS NULL FOR UPDATE", str(tokenHash));
    if (c.empty())
        return std::nullopt;
    return ChallengeRow{c[0][0].as<qint64>(), c[0][1].as<bool>()};
}

void MfaRepository::useChallenge(const QString &tokenHash)
{
    m_tx.exec_params("UPDATE auth.mfa_challenges SET used_at = now() WHERE token_hash = $1", str(tokenHash));
}

void MfaRepository::deleteUnusedChallenges(qint64 userId)
{
    m_tx.exec_params("DELETE FROM auth.mfa_challenges WHERE user_id = $1 AND used_at IS NULL", userId);
}

void MfaRepository::addPendingLogin(const QString &stateHash, const QString &provider, const QString &verifier,
                                    const QString &redirectUri, qint64 linkUser, int ttlSeconds)
{
    m_tx.exec("DELETE FROM auth.oauth_states WHERE expires_at < now()");
    m_tx.exec_params("INSERT INTO auth.oauth_states (state, provider, code_verifier, redirect_uri, link_user_id, expires_at) "
                     "VALUES ($1, $2, $3, $4, NULLIF($5, 0), now() + make_interval(secs => $6))",
                     str(stateHash), str(provider), str(verifier), str(redirectUri), linkUser, ttlSeconds);
}

std::optional<PendingLogin> MfaRepository::takePendingLogin(const QString &stateHash)
{
    const pqxx::result r = m_tx.exec_params(
        "DELETE FROM auth.oauth_states WHERE state = $1 "
        "RETURNING provider, code_verifier, COALESCE(redirect_uri, ''), COALESCE(link_user_id, 0), expires_at > now()",
        str(stateHash));
    if (r.empty())
        return std::nullopt;
    return PendingLogin{text(r[0][0]), text(r[0][1]), text(r[0][2]), r[0][3].as<qint64>(), r[0][4].as<bool>()};
}

std::optional<qint64> MfaRepository::identityOwnerForUpdate(const QString &provider, const QString &subject)
{
    const pqxx::result r = m_tx.exec_params("SELECT user_id FROM auth.oauth_identities "
                                            "WHERE provider = $1 AND subject = $2 FOR UPDATE", str(provider), str(subject));
    if (r.empty())
        return std::nullopt;
    return r[0][0].as<qint64>();
}

bool MfaRepository::hasIdentityOf(const QString &provider, qint64 userId)
{
    return !m_tx.exec_params("SELECT 1 FROM auth.oauth_identities WHERE provider = $1 AND user_id = $2", str(provider),
                             userId).empty();
}

void MfaRepository::addIdentity(const QString &provider, const QString &subject, qint64 userId, const QString &email)
{
    m_tx.exec_params("INSERT INTO auth.oauth_identities (provider, subject, user_id, email, created_at) "
                     "VALUES ($1, $2, $3, NULLIF($4, ''), now())",
                     str(provider), str(subject), userId, str(email));
}

void MfaRepository::setIdentityEmail(const QString &provider, const QString &subject, const QString &email)
{
    m_tx.exec_params("UPDATE auth.oauth_identities SET email = $3 WHERE provider = $1 AND subject = $2", str(provider),
                     str(subject), str(email));
}

QList<IdentityRow> MfaRepository::identities(qint64 userId)
{
    QList<IdentityRow> out;
    for (const auto &row : m_tx.exec_params("SELECT provider, COALESCE(email, ''), (extract(epoch FROM created_at) * 1000)::bigint "
                                            "FROM auth.oauth_identities WHERE user_id = $1 ORDER BY created_at, provider",
                                            userId))
        out.append(IdentityRow{text(row[0]), text(row[1]), QDateTime::fromMSecsSinceEpoch(row[2].as<qint64>(), Qt::UTC)});
    return out;
}

void MfaRepository::lockAccount(qint64 userId)
{
    m_tx.exec_params("SELECT 1 FROM auth.users WHERE id = $1 FOR UPDATE", userId);
}

QStringList MfaRepository::linkedProviders(qint64 userId)
{
    QStringList out;
    for (const auto &row : m_tx.exec_params("SELECT provider FROM auth.oauth_identities WHERE user_id = $1", userId))
        out.append(text(row[0]));
    return out;
}

void MfaRepository::deleteIdentity(qint64 userId, const QString &provider)
{
    m_tx.exec_params("DELETE FROM auth.oauth_identities WHERE user_id = $1 AND provider = $2", userId, str(provider));
}

} // namespace Auth::Mfa
