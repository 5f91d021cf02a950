// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "unsubscribetoken.h"

#include <QMessageAuthenticationCode>
#include <QRegularExpression>

namespace Notifications {

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray mac(const QByteArray &payload, const QByteArray &key)
{
    return QMessageAuthenticationCode::hash("unsubscribe/1:" + payload, key, QCryptographicHash::Sha256);
}

/// Constant time: the comparison must not tell how much of a forged MAC was right.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

QString signUnsubscribe(const Unsubscribe &u, const QByteArray &key)
{
    const QByteArray payload = QByteArray::number(u.userId) + ':' + u.kind.toLatin1();
    return QString::fromLatin1(payload.toBase64(kB64) + '.' + mac(payload, key).toBase64(kB64));
}

std::optional<Unsubscribe> verifyUnsubscribe(const QString &token, const QByteArray &key)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    if (parts.size() != 2 || key.isEmpty())
        return std::nullopt;
    const auto payload = QByteArray::fromBase64Encoding(parts[0].toLatin1(), kB64 | QByteArray::AbortOnBase64DecodingErrors);
    const auto sig = QByteArray::fromBase64Encoding(parts[1].toLatin1(), kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!payload || !sig || !sameBytes(*sig, mac(*payload, key)))
        return std::nullopt;
    static const QRegularExpression re(QStringLiteral("^([1-9][0-9]{0,18}):([a-z_]+|\\*)$"));
    const auto m = re.match(QString::fromLatin1(*payload));
    if (!m.hasMatch())
        return std::nullopt;
    return Unsubscribe{m.captured(1).toLongLong(), m.captured(2)};
}

} // namespace Notifications
