// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "webpushcrypto.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <memory>

using namespace Community;

namespace Notifications::WebPush {

namespace {

template<typename T, void (*F)(T *)>
struct Deleter {
    void operator()(T *p) const { F(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Bn = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Sig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

constexpr char kCurve[] = "prime256v1";

tl::unexpected<Error> sslError(const char *what)
{
    return fail(ErrorCode::Internal, QStringLiteral("web push crypto failed"), QString::fromLatin1(what));
}

/// An EVP_PKEY from raw parts (public only when `privateKey` is empty).
Pkey makeKey(const QByteArray &privateKey, const QByteArray &publicKey)
{
    ParamBld bld(OSSL_PARAM_BLD_new());
    Bn priv(privateKey.isEmpty() ? nullptr
                                 : BN_bin2bn(reinterpret_cast<const unsigned char *>(privateKey.constData()), int(privateKey.size()), nullptr));
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kCurve, 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, publicKey.constData(), size_t(publicKey.size()))
        || (priv && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get())))
        return {};
    Params params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *out = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
        || EVP_PKEY_fromdata(ctx.get(), &out, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
        return {};
    return Pkey(out);
}

QByteArray hmac(const QByteArray &key, const QByteArray &data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

Result<QByteArray> ecdh(const KeyPair &own, const QByteArray &peerPublic)
{
    Pkey mine = makeKey(own.privateKey, own.publicKey), peer = makeKey({}, peerPublic);
    if (!mine || !peer)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("not a P-256 key"));
    PkeyCtx ctx(EVP_PKEY_CTX_new(mine.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) <= 0
        || EVP_PKEY_derive(ctx.get(), nullptr, &len) <= 0)
        return sslError("ECDH");
    QByteArray secret(qsizetype(len), Qt::Uninitialized);
    if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char *>(secret.data()), &len) <= 0)
        return sslError("ECDH");
    secret.resize(qsizetype(len));
    return secret;
}

Result<QByteArray> aes128gcm(const QByteArray &key, const QByteArray &nonce, const QByteArray &plain)
{
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    QByteArray out(plain.size() + 16, Qt::Uninitialized);
    int len = 0, tail = 0;
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, int(nonce.size()), nullptr) != 1
        || EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                              reinterpret_cast<const unsigned char *>(nonce.constData())) != 1
        || EVP_EncryptUpdate(ctx.get(), o, &len, reinterpret_cast<const unsigned char *>(plain.constData()), int(plain.size())) != 1
        || EVP_EncryptFinal_ex(ctx.get(), o + len, &tail) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, o + len + tail) != 1)
        return sslError("AES-128-GCM");
    out.resize(len + tail + 16);
    return out;
}

} // namespace

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> fromBase64Url(const QString &text)
{
    QByteArray t = text.toLatin1();
    while (t.endsWith('='))
        t.chop(1);
    auto r = QByteArray::fromBase64Encoding(t, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!r || text.isEmpty())
        return std::nullopt;
    return *r;
}

Result<KeyPair> keyPairOf(const QByteArray &privateKey)
{
    Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    Bn priv(BN_bin2bn(reinterpret_cast<const unsigned char *>(privateKey.constData()), int(privateKey.size()), nullptr));
    if (!group || !priv || privateKey.size() != 32)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("not a P-256 private key"));
    Point pub(EC_POINT_new(group.get()));
    QByteArray out(65, Qt::Uninitialized);
    if (!pub || EC_POINT_mul(group.get(), pub.get(), priv.get(), nullptr, nullptr, nullptr) != 1
        || EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                              reinterpret_cast<unsigned char *>(out.data()), 65, nullptr) != 65)
        return sslError("public key");
    return KeyPair{privateKey, out};
}

Result<KeyPair> generateKeyPair()
{
    Pkey key(EVP_EC_gen(kCurve));
    BIGNUM *raw = nullptr;
    if (!key || EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1)
        return sslError("key generation");
    Bn priv(raw);
    QByteArray bytes(32, Qt::Uninitialized);
    if (BN_bn2binpad(priv.get(), reinterpret_cast<unsigned char *>(bytes.data()), 32) != 32)
        return sslError("key generation");
    return keyPairOf(bytes);
}

bool isValidPublicKey(const QByteArray &publicKey)
{
    if (publicKey.size() != 65 || publicKey[0] != 0x04)
        return false;
    Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    Point p(group ? EC_POINT_new(group.get()) : nullptr);
    return p && EC_POINT_oct2point(group.get(), p.get(), reinterpret_cast<const unsigned char *>(publicKey.constData()),
                                   size_t(publicKey.size()), nullptr) == 1
           && EC_POINT_is_on_curve(group.get(), p.get(), nullptr) == 1;
}

Result<QByteArray> encrypt(const QByteArray &plaintext, const QByteArray &uaPublic, const QByteArray &authSecret,
                           const KeyPair &sender, const QByteArray &salt, quint32 recordSize)
{
    if (!isValidPublicKey(uaPublic) || authSecret.size() != 16 || salt.size() != 16)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("bad subscription keys"));
    if (plaintext.size() + 17 + 16 > qsizetype(recordSize))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("payload too large for one record"));
    auto secret = ecdh(sender, uaPublic);
    if (!secret)
        return tl::unexpected(secret.error());
    // RFC 8291 section 3.4: HKDF steps written out (each "expand" is one HMAC block).
    const QByteArray prkKey = hmac(authSecret, *secret);
    const QByteArray ikm = hmac(prkKey, QByteArray("WebPush: info\0", 14) + uaPublic + sender.publicKey + '\x01');
    const QByteArray prk = hmac(salt, ikm);
    const QByteArray cek = hmac(prk, QByteArray("Content-Encoding: aes128gcm\0", 28) + '\x01').left(16);
    const QByteArray nonce = hmac(prk, QByteArray("Content-Encoding: nonce\0", 24) + '\x01').left(12);
    auto record = aes128gcm(cek, nonce, plaintext + '\x02');   // 0x02: the last (only) record, no padding
    if (!record)
        return tl::unexpected(record.error());
    QByteArray header = salt;
    for (int shift = 24; shift >= 0; shift -= 8)
        header.append(char((recordSize >> shift) & 0xff));
    header.append(char(sender.publicKey.size()));
    return header + sender.publicKey + *record;
}

Result<QString> vapidJwt(const QString &audience, const QString &subject, qint64 expiresAtSeconds, const KeyPair &key)
{
    const QByteArray head = base64Url(R"({"typ":"JWT","alg":"ES256"})");
    const QByteArray claims = base64Url(QJsonDocument(QJsonObject{{QStringLiteral("aud"), audience},
                                                                  {QStringLiteral("exp"), expiresAtSeconds},
                                                                  {QStringLiteral("sub"), subject}})
                                            .toJson(QJsonDocument::Compact));
    const QByteArray input = head + '.' + claims;
    Pkey pkey = makeKey(key.privateKey, key.publicKey);
    MdCtx md(EVP_MD_CTX_new());
    size_t len = 0;
    if (!pkey || !md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1
        || EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size())) != 1)
        return sslError("ES256");
    QByteArray der(qsizetype(len), Qt::Uninitialized);
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char *>(der.data()), &len,
                       reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size())) != 1)
        return sslError("ES256");
    // JWS wants r || s (32 bytes each), OpenSSL gives DER.
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    Sig sig(d2i_ECDSA_SIG(nullptr, &p, long(len)));
    QByteArray raw(64, Qt::Uninitialized);
    if (!sig || BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char *>(raw.data()), 32) != 32
        || BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char *>(raw.data()) + 32, 32) != 32)
        return sslError("ES256");
    return QString::fromLatin1(input + '.' + base64Url(raw));
}

} // namespace Notifications::WebPush
