// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Cryptographic building blocks of the auth plugin (libsodium): random tokens, hashes,
/// Argon2id password hashing and HMAC-SHA256 signed access tokens.
/// Threading: PasswordHasher is immutable after construction; TokenSigner is internally
/// locked (verify() takes a shared lock and is safe on I/O threads).

#include "community/result.h"

#include <QByteArray>
#include <QHash>
#include <QReadWriteLock>
#include <QString>

#include <mutex>

namespace Auth {

/// Calls sodium_init() once; false if libsodium cannot be used.
bool initSodium();
QByteArray randomBytes(int n);
QByteArray base64Url(const QByteArray &raw);
/// Strict base64url decoding (no padding, no other alphabet, unused bits zero: one
/// spelling per byte string); empty on malformed input.
QByteArray fromBase64Url(QByteArrayView text);
QByteArray sha256(QByteArrayView data);
/// Random opaque token: `bytes` random bytes, base64url.
QByteArray randomToken(int bytes = 32);
bool constantTimeEqual(QByteArrayView a, QByteArrayView b);

/// Argon2id through crypto_pwhash_str. Blocking and slow by design: worker threads only.
class PasswordHasher {
public:
    // Measured on the 2-core build machine (libsodium 1.0.18, Argon2id, under load):
    //   ops=1 mem=19 MiB  28 ms | ops=2 mem=32 MiB  45 ms | ops=3 mem=32 MiB  73 ms
    //   ops=2 mem=64 MiB 166 ms | ops=3 mem=64 MiB 159 ms
    // Default: ops=3, 32 MiB -> ~70 ms per hash, ~14 hashes/s per core (docs/auth.md).
    static constexpr unsigned long long DefaultOpsLimit = 3;
    static constexpr size_t DefaultMemLimit = size_t(32) << 20;

    PasswordHasher(unsigned long long opsLimit = DefaultOpsLimit, size_t memLimit = DefaultMemLimit);

    Community::Result<QString> hash(const QString &password) const;
    bool verify(const QString &storedHash, const QString &password) const;
    /// True when the stored hash was made with other parameters (rehash after login).
    bool needsRehash(const QString &storedHash) const;
    /// Spends one verification against a fixed hash: unknown logins cost the same time.
    void dummyVerify(const QString &password) const;

    unsigned long long opsLimit() const { return m_ops; }
    size_t memLimit() const { return m_mem; }

private:
    unsigned long long m_ops;
    size_t m_mem;
    mutable QString m_dummy;
    mutable std::once_flag m_dummyOnce;
};

struct AccessClaims {
    qint64 userId = 0;
    qint64 sessionId = 0;
    QString username;
    qint64 issuedAt = 0;   ///< unix seconds
    qint64 expiresAt = 0;  ///< unix seconds
    QString kid;
};

/// HS256 JWTs with a `kid` header. Every key it holds verifies; the active one signs.
class TokenSigner {
public:
    /// Replaces the key set; `activeKid` must be one of them.
    void setKeys(const QHash<QString, QByteArray> &keys, const QString &activeKid);
    void addKey(const QString &kid, const QByteArray &secret, bool makeActive);
    QString activeKid() const;
    bool hasKeys() const;

    Community::Result<QByteArray> sign(const AccessClaims &claims) const;
    /// Unauthorized for a malformed, tampered, unknown-kid or expired token.
    Community::Result<AccessClaims> verify(QByteArrayView token, qint64 nowSecs) const;

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, QByteArray> m_keys;
    QString m_active;
};

} // namespace Auth
