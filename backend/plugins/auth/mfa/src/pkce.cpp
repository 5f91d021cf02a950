// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "pkce.h"

#include <QCryptographicHash>

#include <sodium.h>

namespace Auth::Mfa::Pkce {

namespace {
QByteArray randomBytes(int n)
{
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialise");
    QByteArray b(n, '\0');
    randombytes_buf(b.data(), size_t(n));
    return b;
}
} // namespace

QString base64Url(QByteArrayView data)
{
    return QString::fromLatin1(data.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString generateVerifier()
{
    return base64Url(randomBytes(32));
}

bool isValidVerifier(const QString &verifier)
{
    if (verifier.size() < 43 || verifier.size() > 128)
        return false;
    for (QChar c : verifier) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-'
                        || u == '.' || u == '_' || u == '~';
        if (!ok)
            return false;
    }
    return true;
}

QString challengeS256(const QString &verifier)
{
    return base64Url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256));
}

QString generateState()
{
    return base64Url(randomBytes(32));
}

QString sha256Hex(const QString &value)
{
    return QString::fromLatin1(QCryptographicHash::hash(value.toUtf8(), QCryptographicHash::Sha256).toHex());
}

} // namespace Auth::Mfa::Pkce
