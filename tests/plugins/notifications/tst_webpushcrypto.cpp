// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Web push cryptography (src/webpushcrypto.h): the RFC 8291 Appendix A example encrypts to
// the published bytes; key pairs; public key checks; the VAPID JWT's shape (its signature
// is verified by an independent library, npm jose, in tst_notificationspush).

#include "webpushcrypto.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Notifications::WebPush;

namespace {

QByteArray b64(const char *text)
{
    return fromBase64Url(QString::fromLatin1(text)).value_or(QByteArray());
}

} // namespace

class TstWebPushCrypto : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rfc8291AppendixA()
    {
        const QByteArray plaintext = "When I grow up, I want to be a watermelon";
        const QByteArray asPrivate = b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw");
        const QByteArray asPublic = b64("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
        const QByteArray uaPublic = b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
        const QByteArray authSecret = b64("BTBZMqHH6r4Tts7J_aSIgg");
        const QByteArray salt = b64("DGv6ra1nlYgDCS1FRnbzlw");
        auto sender = keyPairOf(asPrivate);
        QVERIFY(sender);
        QCOMPARE(sender->publicKey, asPublic);
        auto body = encrypt(plaintext, uaPublic, authSecret, *sender, salt, 4096);
        QVERIFY(body);
        QCOMPARE(base64Url(*body), QByteArray("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"));
    }

    void keyPairs()
    {
        auto a = generateKeyPair();
        auto b = generateKeyPair();
        QVERIFY(a && b);
        QCOMPARE(a->privateKey.size(), 32);
        QCOMPARE(a->publicKey.size(), 65);
        QVERIFY(a->publicKey != b->publicKey);
        QVERIFY(isValidPublicKey(a->publicKey));
        QCOMPARE(keyPairOf(a->privateKey)->publicKey, a->publicKey);
    }

    void publicKeyChecks()
    {
        auto a = generateKeyPair();
        QByteArray offCurve = a->publicKey;
        offCurve[64] = char(offCurve[64] ^ 1);
        QVERIFY(!isValidPublicKey(offCurve));
        QVERIFY(!isValidPublicKey(a->publicKey.left(33)));
        QVERIFY(!isValidPublicKey(QByteArray(65, '\0')));
        const QByteArray salt(16, 'x'), auth(16, 'y');
        QVERIFY(!encrypt("hi", offCurve, auth, *a, salt));
        QVERIFY(!encrypt("hi", a->publicKey, auth.left(8), *a, salt));
        QVERIFY(!encrypt(QByteArray(5000, 'z'), a->publicKey, auth, *a, salt));
    }

    void vapidShape()
    {
        auto key = generateKeyPair();
        auto jwt = vapidJwt(QStringLiteral("https://push.example.net"), QStringLiteral("mailto:ops@forum.test"), 1'900'000'000, *key);
        QVERIFY(jwt);
        const QStringList parts = jwt->split(QLatin1Char('.'));
        QCOMPARE(parts.size(), 3);
        const QJsonObject head = QJsonDocument::fromJson(*fromBase64Url(parts[0])).object();
        const QJsonObject claims = QJsonDocument::fromJson(*fromBase64Url(parts[1])).object();
        QCOMPARE(head.value("alg").toString(), QStringLiteral("ES256"));
        QCOMPARE(claims.value("aud").toString(), QStringLiteral("https://push.example.net"));
        QCOMPARE(claims.value("exp").toInteger(), 1'900'000'000);
        QCOMPARE(fromBase64Url(parts[2])->size(), 64);
    }

    void base64UrlForms()
    {
        QCOMPARE(fromBase64Url(QStringLiteral("BTBZMqHH6r4Tts7J_aSIgg==")).value_or(QByteArray()).size(), 16);
        QVERIFY(!fromBase64Url(QStringLiteral("not base64!")));
        QVERIFY(!fromBase64Url(QString()));
    }
};

QTEST_APPLESS_MAIN(TstWebPushCrypto)
#include "tst_webpushcrypto.moc"
