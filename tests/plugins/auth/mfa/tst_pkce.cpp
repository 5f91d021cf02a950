// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "pkce.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace Auth::Mfa;

class TstPkce : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rfc7636AppendixB()
    {
        const QString verifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        QVERIFY(Pkce::isValidVerifier(verifier));
        // RFC 7636 appendix B prints this challenge (independently checked with Python's
        // hashlib); "...WbuEUw9-cQFM", quoted in some places, is a misprint.
        QCOMPARE(Pkce::challengeS256(verifier), QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        // Appendix B's octets base64url-encode to the same verifier.
        const unsigned char raw[32] = {116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
                                       22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121};
        QCOMPARE(Pkce::base64Url(QByteArray(reinterpret_cast<const char *>(raw), 32)), verifier);
    }
    void verifierLengthAndCharset()
    {
        static const QRegularExpression charset(QStringLiteral("^[A-Za-z0-9_-]+$"));
        QSet<QString> seen;
        for (int i = 0; i < 100; ++i) {
            const QString v = Pkce::generateVerifier();
            QVERIFY(v.size() >= 43 && v.size() <= 128);
            QCOMPARE(v.size(), 43);
            QVERIFY(charset.match(v).hasMatch());
            QVERIFY(Pkce::isValidVerifier(v));
            QVERIFY(!seen.contains(v));
            seen.insert(v);
            const QString c = Pkce::challengeS256(v);
            QCOMPARE(c.size(), 43);
            QVERIFY(charset.match(c).hasMatch());
        }
        QVERIFY(!Pkce::isValidVerifier(QString(42, QLatin1Char('a'))));
        QVERIFY(Pkce::isValidVerifier(QString(128, QLatin1Char('~'))));
        QVERIFY(!Pkce::isValidVerifier(QString(129, QLatin1Char('a'))));
        QVERIFY(!Pkce::isValidVerifier(QString(43, QLatin1Char('a')) + QLatin1Char('+')));
    }
    void stateIsRandom()
    {
        const QString a = Pkce::generateState(), b = Pkce::generateState();
        QCOMPARE(a.size(), 43);
        QVERIFY(a != b);
        QCOMPARE(Pkce::sha256Hex(QStringLiteral("abc")),
                 QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
};

QTEST_GUILESS_MAIN(TstPkce)
#include "tst_pkce.moc"
