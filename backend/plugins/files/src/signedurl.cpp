// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "signedurl.h"

#include <QMessageAuthenticationCode>

#include <sodium.h>

namespace Files {

namespace {

QByteArray mac(const QByteArray &secret, const QString &path, qint64 expires)
{
    const QByteArray message = "GET\n" + path.toUtf8() + '\n' + QByteArray::number(expires);
    return QMessageAuthenticationCode::hash(message, secret, QCryptographicHash::Sha256).toHex();
}

} // namespace

QString UrlSigner::sign(const QString &path, qint64 expiresAt) const
{
    const SigningKey &k = m_keys.first();
    return QStringLiteral("expires=%1&kid=%2&sig=%3")
        .arg(expiresAt)
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(k.id)), QString::fromLatin1(mac(k.secret, path, expiresAt)));
}

UrlSigner::Check UrlSigner::verify(const QString &path, const QUrlQuery &query, qint64 now) const
{
    if (!query.hasQueryItem(QStringLiteral("sig")))
        return Check::Absent;
    bool ok = false;
    const qint64 expires = query.queryItemValue(QStringLiteral("expires")).toLongLong(&ok);
    const QString kid = query.queryItemValue(QStringLiteral("kid"), QUrl::FullyDecoded);
    const QByteArray sig = query.queryItemValue(QStringLiteral("sig")).toLatin1();
    if (!ok)
        return Check::Invalid;
    for (const SigningKey &k : m_keys) {
        if (k.id != kid)
            continue;
        const QByteArray expected = mac(k.secret, path, expires);
        if (sig.size() != expected.size() || sodium_memcmp(sig.constData(), expected.constData(), size_t(sig.size())) != 0)
            return Check::Invalid;
        return expires < now ? Check::Expired : Check::Valid;
    }
    return Check::Invalid;
}

} // namespace Files
