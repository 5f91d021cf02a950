// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// TOTP two-factor authentication: enrolment, enabling with a first code, the second
/// step of a login (a TOTP or a recovery code against a single-use challenge), turning it
/// off and new recovery codes (both need the password and a code). Codes are checked in
/// constant time; a TOTP step is accepted once; recovery codes are stored as keyed hashes.
/// Threading: blocking (worker threads); immutable after construction.

#include "mfaconfig.h"
#include "mfahooks.h"
#include "recoverycodes.h"

#include "community/result.h"

#include <QJsonObject>
#include <QStringList>

namespace Community::Db { class Database; }

namespace Auth::Mfa {

/// For POST /v1/auth/login: whether the user must pass a second factor.
Community::Result<bool> totpEnabled(pqxx::work &tx, qint64 userId);
/// For POST /v1/auth/login: stores a single-use challenge (only its SHA-256 is kept) and
/// returns the token for {"mfaRequired":true,"mfaToken":"<token>"}.
Community::Result<QString> createChallenge(pqxx::work &tx, qint64 userId, const QString &userAgent, const QString &ip,
                                           int ttlSeconds = 300);

struct Enrolment {
    QString secret;       ///< base32, for manual entry
    QString otpauthUri;   ///< for the QR code
};

/// The second step of a login.
struct SecondFactorLogin {
    bool accepted = false;           ///< false: the code was wrong (the challenge is used up all the same)
    QJsonObject login;               ///< the login response (Hooks::issueSession)
    int recoveryCodesRemaining = -1; ///< >= 0 when a recovery code was used
};

class TwoFactorService {
public:
    TwoFactorService(Community::Db::Database &db, const Hooks &hooks, const Config &config);

    /// A new pending secret (replacing a pending one); Conflict once enabled.
    Community::Result<Enrolment> enrol(qint64 userId, const QString &fallbackAccountName);
    /// Enables TOTP with the current code; returns the recovery codes (shown once).
    Community::Result<QStringList> enable(qint64 userId, const QString &code);
    /// `code` or `recoveryCode` (exactly one) against the challenge `mfaToken`.
    Community::Result<SecondFactorLogin> login(const QString &mfaToken, const QString &code, const QString &recoveryCode,
                                               const QString &userAgent, const QString &ip);
    Community::Result<void> disable(qint64 userId, const QString &password, const QString &code);
    Community::Result<QStringList> regenerateRecoveryCodes(qint64 userId, const QString &password, const QString &code);

    /// For logins that pass no password (OAuth): a challenge when TOTP is on, else the
    /// session (Hooks::issueSession).
    Community::Result<QJsonObject> completeLogin(pqxx::work &tx, qint64 userId, const QString &userAgent,
                                                 const QString &ip) const;

private:
    enum class Factor { None, Totp, Recovery };
    qint64 now() const;
    QStringList storeNewRecoveryCodes(pqxx::work &tx, qint64 userId) const;
    /// Checks a TOTP code (or, if given instead, a recovery code) and consumes it;
    /// `remaining` gets the unused recovery codes left after a recovery code.
    Factor consumeSecondFactor(pqxx::work &tx, qint64 userId, const QString &code, const QString &recoveryCode,
                               int *remaining = nullptr) const;
    /// Password check for the sensitive routes; accounts without a password (OAuth only)
    /// prove themselves with the second factor alone.
    Community::Result<void> checkPassword(pqxx::work &tx, qint64 userId, const QString &password) const;
    /// 2FA on, the password right, and the code a valid TOTP or recovery code (consumed).
    Community::Result<void> confirmWithPasswordAndCode(pqxx::work &tx, qint64 userId, const QString &password,
                                                       const QString &code) const;

    Community::Db::Database &m_db;
    const Hooks &m_hooks;
    const Config &m_config;
    RecoveryCodes m_codes;
};

} // namespace Auth::Mfa
