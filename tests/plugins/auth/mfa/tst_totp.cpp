// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// RFC 6238 appendix B, RFC 4648 base32 vectors, verification window, replay, otpauth URI.

#include "totp.h"

#include <QUrl>
#include <QUrlQuery>
#include <QtTest>

using namespace Auth::Mfa;

class TstTotp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rfc6238_data()
    {
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("expected");
        const struct {
            qint64 t;
            const char *sha1, *sha256, *sha512;
        } rows[] = {
            {59, "94287082", "46119246", "90693936"},
            {1111111109, "07081804", "68084774", "25091201"},
            {1111111111, "14050471", "67062674", "99943326"},
            {1234567890, "89005924", "91819424", "93441116"},
            {2000000000, "69279037", "90698825", "38618901"},
            {20000000000, "65353130", "77737706", "47863826"},
        };
        for (const auto &r : rows) {
            QTest::addRow("SHA1 %lld", r.t) << int(TotpAlgorithm::Sha1) << r.t << QString::fromLatin1(r.sha1);
            QTest::addRow("SHA256 %lld", r.t) << int(TotpAlgorithm::Sha256) << r.t << QString::fromLatin1(r.sha256);
            QTest::addRow("SHA512 %lld", r.t) << int(TotpAlgorithm::Sha512) << r.t << QString::fromLatin1(r.sha512);
        }
    }
    void rfc6238()
    {
        QFETCH(int, algorithm);
        QFETCH(qint64, time);
        QFETCH(QString, expected);
        const auto alg = TotpAlgorithm(algorithm);
        // Appendix B seeds: the ASCII digits repeated to the hash's block-ish length.
        const QByteArray seed = alg == TotpAlgorithm::Sha1     ? QByteArray("12345678901234567890")
                                : alg == TotpAlgorithm::Sha256 ? QByteArray("12345678901234567890123456789012")
                                                               : QByteArray("1234567890123456789012345678901234567890"
                                                                            "123456789012345678901234");
        const TotpParams p{alg, 8, 30};
        QCOMPARE(totpAt(seed, time, p), expected);
        // And it verifies at that time, returning the step.
        QCOMPARE(verifyTotp(seed, expected, time, -1, p), std::optional<qint64>(time / 30));
    }

    void base32Vectors_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("MY======");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("MZXQ====");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("MZXW6===");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("MZXW6YQ=");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("MZXW6YTB");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("MZXW6YTBOI======");
    }
    void base32Vectors()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, encoded);
        QCOMPARE(Base32::encode(plain), encoded);
        QCOMPARE(Base32::decode(encoded), std::optional<QByteArray>(plain));
        // Unpadded and lower case (as people type it) decode too.
        QCOMPARE(Base32::decode(encoded.toLower().replace('=', "")), std::optional<QByteArray>(plain));
    }
    void base32RoundTrip()
    {
        for (int n = 0; n < 64; ++n) {
            QByteArray data(n, '\0');
            for (int i = 0; i < n; ++i)
                data[i] = char((i * 37 + n * 11) & 0xff);
            QCOMPARE(Base32::decode(Base32::encode(data)), std::optional<QByteArray>(data));
            QCOMPARE(Base32::decode(Base32::encode(data, false)), std::optional<QByteArray>(data));
        }
        const QByteArray s = generateTotpSecret();
        QCOMPARE(s.size(), 20);
        QVERIFY(s != generateTotpSecret());
        QCOMPARE(Base32::decode(Base32::encode(s, false)), std::optional<QByteArray>(s));
    }
    void base32Rejects()
    {
        QVERIFY(!Base32::decode("MZ1W6==="));   // '1' is not in the alphabet
        QVERIFY(!Base32::decode("M"));          // 1 symbol cannot end a group
        QVERIFY(!Base32::decode("MZXW6Y"));     // 6 symbols neither
        QVERIFY(!Base32::decode("MY==MY"));     // data after padding
    }

    void windowPlusMinusOne()
    {
        const QByteArray secret = generateTotpSecret();
        const qint64 t = 1'700'000'000;
        const qint64 step = t / 30;
        QCOMPARE(totpAt(secret, t).size(), 6);
        QCOMPARE(verifyTotp(secret, hotp(secret, step), t, -1), std::optional<qint64>(step));
        QCOMPARE(verifyTotp(secret, hotp(secret, step - 1), t, -1), std::optional<qint64>(step - 1));
        QCOMPARE(verifyTotp(secret, hotp(secret, step + 1), t, -1), std::optional<qint64>(step + 1));
        QVERIFY(!verifyTotp(secret, hotp(secret, step - 2), t, -1));
        QVERIFY(!verifyTotp(secret, hotp(secret, step + 2), t, -1));
        QVERIFY(!verifyTotp(secret, QStringLiteral("12345"), t, -1));
        QVERIFY(!verifyTotp(secret, QStringLiteral("abcdef"), t, -1));
        QVERIFY(!verifyTotp(QByteArray(), QStringLiteral("123456"), t, -1));
    }
    void replayRefused()
    {
        const QByteArray secret = generateTotpSecret();
        const qint64 t = 1'700'000'010;
        const qint64 step = t / 30;
        const QString code = hotp(secret, step);
        const auto first = verifyTotp(secret, code, t, -1);
        QCOMPARE(first, std::optional<qint64>(step));
        QVERIFY(!verifyTotp(secret, code, t, *first));        // same code again
        QVERIFY(!verifyTotp(secret, code, t + 15, *first));   // still within the window
        QVERIFY(!verifyTotp(secret, hotp(secret, step - 1), t, *first));  // older step
        QCOMPARE(verifyTotp(secret, hotp(secret, step + 1), t + 30, *first), std::optional<qint64>(step + 1));
    }

    void otpauthUriFormat()
    {
        const QByteArray secret("12345678901234567890");
        const QString uri = otpauthUri(QStringLiteral("Community"), QStringLiteral("alice"), secret);
        QCOMPARE(uri, QStringLiteral("otpauth://totp/Community:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                                     "&issuer=Community&algorithm=SHA1&digits=6&period=30"));
        const QString odd = otpauthUri(QStringLiteral("My Forum"), QStringLiteral("bob@example.org"), secret);
        QVERIFY2(odd.startsWith(QStringLiteral("otpauth://totp/My%20Forum:bob%40example.org?")), qPrintable(odd));
        const QUrl u(odd);
        QVERIFY(u.isValid());
        QCOMPARE(u.scheme(), QStringLiteral("otpauth"));
        QCOMPARE(QUrlQuery(u).queryItemValue(QStringLiteral("issuer"), QUrl::FullyDecoded), QStringLiteral("My Forum"));
    }
};

QTEST_GUILESS_MAIN(TstTotp)
#include "tst_totp.moc"
