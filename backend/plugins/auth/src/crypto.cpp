// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "crypto.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sodium.h>

#include <mutex>

using namespace Community;

namespace Auth {

bool initSodium()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

QByteArray randomBytes(int n)
{
    initSodium();
    QByteArray b(n, Qt::Uninitialized);
    randombytes_buf(b.data(), size_t(n));
    return b;
}

QByteArray base64Url(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fromBase64Url(QByteArrayView text)
{
    // libsodium's decoder is strict where QByteArray's is not: it refuses a length of 4n+1
    // and a last character with non-zero unused bits, so every byte string has exactly one
    // accepted spelling. Qt accepted the four spellings of a signature's last character
    // ("...A", "...B", "...C", "...D" all decode alike), issue 10.
    initSodium();
    if (text.isEmpty())
        return {};
    QByteArray out(text.size() * 3 / 4 + 1, Qt::Uninitialized);
    size_t length = 0;
    const char *end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char *>(out.data()), size_t(out.size()), text.data(),
                          size_t(text.size()), nullptr, &length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING)
            != 0
        || end != text.data() + text.size())
        return {};
    out.truncate(qsizetype(length));
    return out;
}

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(crypto_hash_sha256_BYTES, Qt::Uninitialized);
    crypto_hash_sha256(reinterpret_cast<unsigned char *>(out.data()),
                       reinterpret_cast<const unsigned char *>(data.data()), quint64(data.size()));
    return out;
}

QByteArray randomToken(int bytes)
{
    return base64Url(randomBytes(bytes));
}

bool constantTimeEqual(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

PasswordHasher::PasswordHasher(unsigned long long opsLimit, size_t memLimit)
    : m_ops(opsLimit), m_mem(memLimit)
{
    initSodium();
}

Result<QString> PasswordHasher::hash(const QString &password) const
{
    const QByteArray pw = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pw.constData(), quint64(pw.size()), m_ops, m_mem) != 0)
        return fail(ErrorCode::Internal, QStringLiteral("Password hashing failed."),
                    QStringLiteral("crypto_pwhash_str: out of memory"));
    return QString::fromLatin1(out);
}

bool PasswordHasher::verify(const QString &storedHash, const QString &password) const
{
    const QByteArray h = storedHash.toLatin1();
    const QByteArray pw = password.toUtf8();
    return crypto_pwhash_str_verify(h.constData(), pw.constData(), quint64(pw.size())) == 0;
}

bool PasswordHasher::needsRehash(const QString &storedHash) const
{
    const QByteArray h = storedHash.toLatin1();
    return crypto_pwhash_str_needs_rehash(h.constData(), m_ops, m_mem) != 0;
}

void PasswordHasher::dummyVerify(const QString &password) const
{
    std::call_once(m_dummyOnce, [this] {
        auto h = hash(QString::fromLatin1(randomToken(16)));
        m_dummy = h ? *h : QString();
    });
    (void)verify(m_dummy, password);
}

void TokenSigner::setKeys(const QHash<QString, QByteArray> &keys, const QString &activeKid)
{
    QWriteLocker lock(&m_lock);
    m_keys = keys;
    m_active = activeKid;
}

void TokenSigner::addKey(const QString &kid, const QByteArray &secret, bool makeActive)
{
    QWriteLocker lock(&m_lock);
    m_keys.insert(kid, secret);
    if (makeActive)
        m_active = kid;
}

QString TokenSigner::activeKid() const
{
    QReadLocker lock(&m_lock);
    return m_active;
}

bool TokenSigner::hasKeys() const
{
    QReadLocker lock(&m_lock);
    return !m_active.isEmpty();
}

static QByteArray hmac(const QByteArray &key, QByteArrayView data)
{
    QByteArray mac(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char *>(key.constData()), size_t(key.size()));
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char *>(data.data()), quint64(data.size()));
    crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char *>(mac.data()));
    return mac;
}

Result<QByteArray> TokenSigner::sign(const AccessClaims &claims) const
{
    QString kid;
    QByteArray key;
    {
        QReadLocker lock(&m_lock);
        kid = m_active;
        key = m_keys.value(kid);
    }
    if (kid.isEmpty())
        return fail(ErrorCode::Unavailable, QStringLiteral("No signing key is available."));
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), kid}};
    const QJsonObject payload{{QStringLiteral("sub"), QString::number(claims.userId)},
                              {QStringLiteral("sid"), QString::number(claims.sessionId)},
                              {QStringLiteral("name"), claims.username},
                              {QStringLiteral("iat"), claims.issuedAt},
                              {QStringLiteral("exp"), claims.expiresAt}};
    QByteArray out = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
                     + base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    out += '.' + base64Url(hmac(key, out));
    return out;
}

Result<AccessClaims> TokenSigner::verify(QByteArrayView token, qint64 nowSecs) const
{
    auto bad = [] { return fail(ErrorCode::Unauthorized, QStringLiteral("Invalid or expired credentials.")); };
    const qsizetype d1 = token.indexOf('.');
    const qsizetype d2 = d1 < 0 ? -1 : token.sliced(d1 + 1).indexOf('.');
    if (d1 <= 0 || d2 <= 0 || token.size() > 4096)
        return bad();
    const qsizetype sigStart = d1 + 1 + d2 + 1;
    const QByteArrayView signedPart = token.first(sigStart - 1);
    const QJsonObject header = QJsonDocument::fromJson(fromBase64Url(token.first(d1))).object();
    if (header.value(QStringLiteral("alg")).toString() != QLatin1String("HS256"))
        return bad();
    const QString kid = header.value(QStringLiteral("kid")).toString();
    QByteArray key;
    {
        QReadLocker lock(&m_lock);
        auto it = m_keys.constFind(kid);
        if (it == m_keys.constEnd())
            return bad();
        key = *it;
    }
    if (!constantTimeEqual(fromBase64Url(token.sliced(sigStart)), hmac(key, signedPart)))
        return bad();
    const QJsonObject p = QJsonDocument::fromJson(fromBase64Url(token.sliced(d1 + 1, d2))).object();
    AccessClaims c;
    c.userId = p.value(QStringLiteral("sub")).toString().toLongLong();
    c.sessionId = p.value(QStringLiteral("sid")).toString().toLongLong();
    c.username = p.value(QStringLiteral("name")).toString();
    c.issuedAt = p.value(QStringLiteral("iat")).toInteger();
    c.expiresAt = p.value(QStringLiteral("exp")).toInteger();
    c.kid = kid;
    if (c.userId <= 0 || c.expiresAt <= nowSecs)
        return bad();
    return c;
}

} // namespace Auth
