// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "totp.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QUrl>

#include <sodium.h>

namespace Auth::Mfa {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

QCryptographicHash::Algorithm hashFor(TotpAlgorithm a)
{
    switch (a) {
    case TotpAlgorithm::Sha1: return QCryptographicHash::Sha1;
    case TotpAlgorithm::Sha256: return QCryptographicHash::Sha256;
    case TotpAlgorithm::Sha512: return QCryptographicHash::Sha512;
    }
    return QCryptographicHash::Sha1;
}
} // namespace

namespace Base32 {

QByteArray encode(QByteArrayView data, bool padding)
{
    QByteArray out;
    out.reserve((data.size() + 4) / 5 * 8);
    quint64 buffer = 0;
    int bits = 0;
    for (char ch : data) {
        buffer = (buffer << 8) | quint8(ch);
        bits += 8;
        while (bits >= 5) {
            out.append(kAlphabet[(buffer >> (bits - 5)) & 0x1f]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out.append(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
    if (padding)
        while (out.size() % 8 != 0)
            out.append('=');
    return out;
}

std::optional<QByteArray> decode(QByteArrayView text)
{
    QByteArray out;
    quint64 buffer = 0;
    int bits = 0;
    int symbols = 0;
    bool padSeen = false;
    for (char c : text) {
        if (c == ' ' || c == '-')
            continue;
        if (c == '=') {
            padSeen = true;
            continue;
        }
        const int v = base32Value(c);
        if (v < 0 || padSeen)
            return std::nullopt;
        buffer = (buffer << 5) | quint64(v);
        bits += 5;
        ++symbols;
        if (bits >= 8) {
            out.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    // Valid group tails have 2, 4, 5 or 7 symbols; 1, 3 or 6 cannot come from whole bytes.
    const int tail = symbols % 8;
    if (tail == 1 || tail == 3 || tail == 6)
        return std::nullopt;
    return out;
}

} // namespace Base32

QString algorithmName(TotpAlgorithm algorithm)
{
    switch (algorithm) {
    case TotpAlgorithm::Sha1: return QStringLiteral("SHA1");
    case TotpAlgorithm::Sha256: return QStringLiteral("SHA256");
    case TotpAlgorithm::Sha512: return QStringLiteral("SHA512");
    }
    return QStringLiteral("SHA1");
}

qint64 totpStep(qint64 unixTime, const TotpParams &params)
{
    const qint64 p = params.period > 0 ? params.period : 30;
    return unixTime >= 0 ? unixTime / p : -((-unixTime + p - 1) / p);
}

QString hotp(QByteArrayView secret, qint64 counter, const TotpParams &params)
{
    QByteArray msg(8, '\0');
    for (int i = 7; i >= 0; --i) {
        msg[i] = char(counter & 0xff);
        counter >>= 8;
    }
    const QByteArray mac = QMessageAuthenticationCode::hash(msg, secret.toByteArray(), hashFor(params.algorithm));
    const int offset = mac.at(mac.size() - 1) & 0x0f;
    const quint32 binary = (quint32(quint8(mac[offset]) & 0x7f) << 24) | (quint32(quint8(mac[offset + 1])) << 16)
                           | (quint32(quint8(mac[offset + 2])) << 8) | quint32(quint8(mac[offset + 3]));
    const int digits = qBound(6, params.digits, 10);
    quint64 mod = 1;
    for (int i = 0; i < digits; ++i)
        mod *= 10;
    return QStringLiteral("%1").arg(quint64(binary) % mod, digits, 10, QLatin1Char('0'));
}

QString totpAt(QByteArrayView secret, qint64 unixTime, const TotpParams &params)
{
    return hotp(secret, totpStep(unixTime, params), params);
}

std::optional<qint64> verifyTotp(QByteArrayView secret, const QString &code, qint64 unixTime,
                                 qint64 lastUsedStep, const TotpParams &params, int window)
{
    const QByteArray given = code.trimmed().remove(QLatin1Char(' ')).toLatin1();
    if (given.size() != qBound(6, params.digits, 10) || secret.isEmpty())
        return std::nullopt;
    const qint64 now = totpStep(unixTime, params);
    std::optional<qint64> matched;
    // Every candidate is computed and compared, so timing does not reveal which matched.
    for (qint64 step = now - window; step <= now + window; ++step) {
        const QByteArray expected = hotp(secret, step, params).toLatin1();
        const bool equal = sodium_memcmp(expected.constData(), given.constData(), size_t(given.size())) == 0;
        if (equal && step > lastUsedStep && !matched)
            matched = step;
    }
    return matched;
}

QByteArray generateTotpSecret()
{
    QByteArray secret(20, '\0');
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialise");
    randombytes_buf(secret.data(), size_t(secret.size()));
    return secret;
}

QString otpauthUri(const QString &issuer, const QString &account, QByteArrayView secret,
                   const TotpParams &params)
{
    const QByteArray enc = Base32::encode(secret, false);
    // The label's colon separates issuer and account, so neither may carry a raw one.
    const QByteArray label = QUrl::toPercentEncoding(issuer) + ':' + QUrl::toPercentEncoding(account);
    const QByteArray uri = "otpauth://totp/" + label + "?secret=" + enc + "&issuer=" + QUrl::toPercentEncoding(issuer)
                           + "&algorithm=" + algorithmName(params.algorithm).toLatin1()
                           + "&digits=" + QByteArray::number(params.digits)
                           + "&period=" + QByteArray::number(params.period);
    return QString::fromLatin1(uri);
}

} // namespace Auth::Mfa
