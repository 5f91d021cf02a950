// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// RFC 4648 base32 and RFC 6238 TOTP (on RFC 4226 HOTP). Pure functions, thread-safe.
/// Defaults are what authenticator apps expect: HMAC-SHA1, 6 digits, 30 s steps.

#include <QByteArray>
#include <QString>

#include <optional>

namespace Auth::Mfa {

namespace Base32 {
/// RFC 4648 section 6 alphabet (A-Z2-7); `padding` appends '=' to a multiple of 8.
QByteArray encode(QByteArrayView data, bool padding = true);
/// Case-insensitive; ignores spaces, dashes and trailing '='. nullopt on any other
/// character or an impossible length.
std::optional<QByteArray> decode(QByteArrayView text);
} // namespace Base32

enum class TotpAlgorithm { Sha1, Sha256, Sha512 };

struct TotpParams {
    TotpAlgorithm algorithm = TotpAlgorithm::Sha1;
    int digits = 6;    ///< 6..10
    int period = 30;   ///< seconds
};

/// "SHA1", "SHA256", "SHA512" (as in otpauth URIs).
QString algorithmName(TotpAlgorithm algorithm);

/// The time step counter for a Unix time (floor(t / period)).
qint64 totpStep(qint64 unixTime, const TotpParams &params = {});
/// HOTP value for a counter, zero-padded to params.digits.
QString hotp(QByteArrayView secret, qint64 counter, const TotpParams &params = {});
/// TOTP value at a Unix time.
QString totpAt(QByteArrayView secret, qint64 unixTime, const TotpParams &params = {});

/// Checks `code` against the steps around `unixTime` (±`window`), never accepting a step
/// at or before `lastUsedStep` (replay protection; pass -1 when nothing was used yet).
/// Returns the matched step, which the caller must store as the new last used step.
/// Comparison is constant-time per candidate.
std::optional<qint64> verifyTotp(QByteArrayView secret, const QString &code, qint64 unixTime,
                                 qint64 lastUsedStep, const TotpParams &params = {}, int window = 1);

/// 20 random bytes (160 bits, RFC 4226's recommendation) from libsodium.
QByteArray generateTotpSecret();

/// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
/// with issuer and account percent-encoded.
QString otpauthUri(const QString &issuer, const QString &account, QByteArrayView secret,
                   const TotpParams &params = {});

} // namespace Auth::Mfa
