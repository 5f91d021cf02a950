// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL of the 2FA / OAuth module: auth.totp, auth.recovery_codes (keyed hashes),
/// auth.mfa_challenges and auth.oauth_states (SHA-256 hex of the token only) and
/// auth.oauth_identities. Works inside a transaction the caller owns.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <pqxx/pqxx>

#include <optional>

namespace Auth::Mfa {

struct TotpRow {
    QByteArray secret;
    bool enabled = false;
    qint64 lastStep = -1;   ///< -1 = none used yet
};

struct ChallengeRow {
    qint64 userId = 0;
    bool live = false;      ///< not expired
};

/// An OAuth authorization in flight (auth.oauth_states).
struct PendingLogin {
    QString provider;
    QString verifier;
    QString redirectUri;
    qint64 linkUser = 0;    ///< > 0: link the identity to this account instead of logging in
    bool live = false;      ///< not expired
};

struct IdentityRow {
    QString provider;
    QString email;
    QDateTime createdAt;
};

class MfaRepository {
public:
    explicit MfaRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    // TOTP
    bool totpEnabled(qint64 userId);
    std::optional<TotpRow> totpForUpdate(qint64 userId);
    /// Stores a new pending secret unless TOTP is already enabled (a pending one is replaced).
    void setPendingSecret(qint64 userId, const QByteArray &secret);
    void enableTotp(qint64 userId, qint64 step);
    void setLastStep(qint64 userId, qint64 step);
    /// Whether there was a TOTP row.
    bool deleteTotp(qint64 userId);
    std::optional<QString> username(qint64 userId);

    // Recovery codes
    void replaceRecoveryCodes(qint64 userId, const QStringList &hashes);
    QStringList unusedRecoveryCodesForUpdate(qint64 userId);
    void useRecoveryCode(qint64 userId, const QString &hash);
    void deleteRecoveryCodes(qint64 userId);

    // Second-factor challenges
    void addChallenge(const QString &tokenHash, qint64 userId, const QString &userAgent, const QString &ip,
                      int ttlSeconds);
    std::optional<ChallengeRow> unusedChallengeForUpdate(const QString &tokenHash);
    void useChallenge(const QString &tokenHash);
    void deleteUnusedChallenges(qint64 userId);

    // OAuth
    /// Stores a pending login (and drops expired ones).
    void addPendingLogin(const QString &stateHash, const QString &provider, const QString &verifier,
                         const QString &redirectUri, qint64 linkUser, int ttlSeconds);
    /// Deletes and returns the pending login (single use).
    std::optional<PendingLogin> takePendingLogin(const QString &stateHash);
    std::optional<qint64> identityOwnerForUpdate(const QString &provider, const QString &subject);
    bool hasIdentityOf(const QString &provider, qint64 userId);
    void addIdentity(const QString &provider, const QString &subject, qint64 userId, const QString &email);
    void setIdentityEmail(const QString &provider, const QString &subject, const QString &email);
    QList<IdentityRow> identities(qint64 userId);
    /// Locks the account row: serialises identity changes of one account.
    void lockAccount(qint64 userId);
    QStringList linkedProviders(qint64 userId);
    void deleteIdentity(qint64 userId, const QString &provider);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Auth::Mfa
