// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Web push cryptography with OpenSSL 3: P-256 key pairs (raw 32-byte private keys,
/// 65-byte uncompressed public keys), the RFC 8291 "aes128gcm" message encryption (one
/// record) and the RFC 8292 VAPID token (an ES256 JWT). Pure functions; thread-safe.
/// Errors: InvalidArgument for a bad key, Internal for an OpenSSL failure.

#include "community/result.h"

#include <QByteArray>
#include <QString>

namespace Notifications::WebPush {

struct KeyPair {
    QByteArray privateKey;   ///< 32 bytes
    QByteArray publicKey;    ///< 65 bytes, 0x04 || X || Y
};

Community::Result<KeyPair> generateKeyPair();
/// The key pair of a raw private key.
Community::Result<KeyPair> keyPairOf(const QByteArray &privateKey);
/// Whether `publicKey` is an uncompressed point on P-256.
bool isValidPublicKey(const QByteArray &publicKey);

/// The aes128gcm body for a user agent (`uaPublic` = p256dh, `authSecret` = auth): header
/// (salt, record size, the sender's public key) and one record. `salt` is 16 random bytes
/// (fixed only in tests).
Community::Result<QByteArray> encrypt(const QByteArray &plaintext, const QByteArray &uaPublic, const QByteArray &authSecret,
                                      const KeyPair &sender, const QByteArray &salt, quint32 recordSize = 4096);

/// The VAPID JWT for a push service origin (`audience`, e.g. "https://push.example.net").
Community::Result<QString> vapidJwt(const QString &audience, const QString &subject, qint64 expiresAtSeconds,
                                    const KeyPair &key);

QByteArray base64Url(const QByteArray &data);
/// Decodes base64url with or without padding; nullopt when it is not.
std::optional<QByteArray> fromBase64Url(const QString &text);

} // namespace Notifications::WebPush
