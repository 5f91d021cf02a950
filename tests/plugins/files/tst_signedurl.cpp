// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Signed expiring URLs: valid, expired, tampered, wrong path, key rotation.

#include "signedurl.h"

#include <QTest>

using namespace Files;

class TstSignedUrl : public QObject {
    Q_OBJECT
    const SigningKey k1{QStringLiteral("k1"), "0123456789abcdef-one"};
    const SigningKey k2{QStringLiteral("k2"), "0123456789abcdef-two"};
    const QString path = QStringLiteral("/v1/files/7/content");

private Q_SLOTS:
    void validUntilExpiry()
    {
        const UrlSigner s({k1});
        const QUrlQuery q(s.sign(path, 1000));
        QCOMPARE(q.queryItemValue("kid"), QStringLiteral("k1"));
        QCOMPARE(s.verify(path, q, 999), UrlSigner::Check::Valid);
        QCOMPARE(s.verify(path, q, 1000), UrlSigner::Check::Valid);
        QCOMPARE(s.verify(path, q, 1001), UrlSigner::Check::Expired);
        QCOMPARE(s.verify(path, QUrlQuery(), 0), UrlSigner::Check::Absent);
    }

    void tamperingIsInvalid()
    {
        const UrlSigner s({k1});
        QUrlQuery q(s.sign(path, 1000));
        QCOMPARE(s.verify(QStringLiteral("/v1/files/8/content"), q, 0), UrlSigner::Check::Invalid);
        QUrlQuery later = q;
        later.removeQueryItem("expires");
        later.addQueryItem("expires", "99999");
        QCOMPARE(s.verify(path, later, 0), UrlSigner::Check::Invalid);
        QUrlQuery otherKey = q;
        otherKey.removeQueryItem("kid");
        otherKey.addQueryItem("kid", "nope");
        QCOMPARE(s.verify(path, otherKey, 0), UrlSigner::Check::Invalid);
        QCOMPARE(UrlSigner({k2}).verify(path, q, 0), UrlSigner::Check::Invalid);
    }

    void rotation()
    {
        // Old URLs (k1) keep working while k2 signs; once k1 is dropped they stop.
        const QUrlQuery old(UrlSigner({k1}).sign(path, 1000));
        const UrlSigner rotated({k2, k1});
        QCOMPARE(QUrlQuery(rotated.sign(path, 1000)).queryItemValue("kid"), QStringLiteral("k2"));
        QCOMPARE(rotated.verify(path, old, 0), UrlSigner::Check::Valid);
        QCOMPARE(UrlSigner({k2}).verify(path, old, 0), UrlSigner::Check::Invalid);
    }
};

QTEST_APPLESS_MAIN(TstSignedUrl)
#include "tst_signedurl.moc"
