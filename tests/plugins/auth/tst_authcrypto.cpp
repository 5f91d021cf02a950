// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Access-token signing and Argon2id password hashing, linked directly from auth_core.

#include "crypto.h"
#include "validation.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace Auth;

class TstAuthCrypto : public QObject {
    Q_OBJECT

    static AccessClaims claims(qint64 exp)
    {
        AccessClaims c;
        c.userId = 42;
        c.sessionId = 7;
        c.username = QStringLiteral("김민수");
        c.issuedAt = 1000;
        c.expiresAt = exp;
        return c;
    }

private Q_SLOTS:
    void signAndVerify()
    {
        TokenSigner s;
        s.addKey(QStringLiteral("k1"), randomBytes(32), true);
        const QByteArray t = *s.sign(claims(2000));
        const auto v = s.verify(t, 1500);
        QVERIFY(v.has_value());
        QCOMPARE(v->userId, 42);
        QCOMPARE(v->sessionId, 7);
        QCOMPARE(v->username, QStringLiteral("김민수"));
        QCOMPARE(v->kid, QStringLiteral("k1"));
    }

    void tampered_data()
    {
        QTest::addColumn<int>("part");
        QTest::newRow("header") << 0;
        QTest::newRow("payload") << 1;
        QTest::newRow("signature") << 2;
    }
    void tampered()
    {
        QFETCH(int, part);
        TokenSigner s;
        s.addKey(QStringLiteral("k1"), randomBytes(32), true);
        QList<QByteArray> parts = s.sign(claims(2000))->split('.');
        if (part == 1) {
            // A different user id with the old signature.
            AccessClaims other = claims(2000);
            other.userId = 1;
            parts[1] = s.sign(other)->split('.')[1];
        } else {
            QByteArray &p = parts[part];
            p[p.size() / 2] = p[p.size() / 2] == 'A' ? 'B' : 'A';
        }
        const auto v = s.verify(parts.join('.'), 1500);
        QVERIFY(!v.has_value());
        QCOMPARE(v.error().code, Community::ErrorCode::Unauthorized);
        QVERIFY(!s.verify("garbage", 1500));
        QVERIFY(!s.verify("a.b.c", 1500));
        QVERIFY(!s.verify("", 1500));
    }

    // Issue 10: a signature whose last character differs only in its unused bits decoded
    // to the same bytes and was accepted. Each of the other spellings is refused now.
    void nonCanonicalSignatureRefused()
    {
        TokenSigner s;
        s.addKey(QStringLiteral("k1"), randomBytes(32), true);
        const QByteArray t = *s.sign(claims(2000));
        QVERIFY(s.verify(t, 1500).has_value());
        const QByteArray alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        const qsizetype last = t.size() - 1;
        // 32 bytes are 43 characters: the last carries 4 bits, its 2 low bits are unused.
        QCOMPARE(int(t.size() - t.lastIndexOf('.') - 1), 43);
        const int value = int(alphabet.indexOf(t[last]));
        QCOMPARE(value & 3, 0);
        for (int unused = 1; unused < 4; ++unused) {
            QByteArray forged = t;
            forged[last] = alphabet[value | unused];
            QVERIFY2(QByteArray::fromBase64(forged.mid(forged.lastIndexOf('.') + 1), QByteArray::Base64UrlEncoding)
                         == QByteArray::fromBase64(t.mid(t.lastIndexOf('.') + 1), QByteArray::Base64UrlEncoding),
                     "a lenient decoder sees the same signature");
            const auto v = s.verify(forged, 1500);
            QVERIFY2(!v.has_value(), forged.constData());
            QCOMPARE(v.error().code, Community::ErrorCode::Unauthorized);
        }
        // Padding, the standard alphabet and trailing garbage are refused as well.
        QVERIFY(!s.verify(t + "=", 1500).has_value());
        QVERIFY(!s.verify(t + "A", 1500).has_value());
        QVERIFY(!s.verify(t + "\n", 1500).has_value());
    }

    void strictBase64Url_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("decoded");   // empty: refused
        QTest::newRow("canonical 1") << QByteArray("QQ") << QByteArray("A");
        QTest::newRow("unused bits 1") << QByteArray("QR") << QByteArray();
        QTest::newRow("canonical 2") << QByteArray("QUI") << QByteArray("AB");
        QTest::newRow("unused bits 2") << QByteArray("QUJ") << QByteArray();
        QTest::newRow("full") << QByteArray("QUJD") << QByteArray("ABC");
        QTest::newRow("length 4n+1") << QByteArray("QUJDR") << QByteArray();
        QTest::newRow("padding") << QByteArray("QQ==") << QByteArray();
        QTest::newRow("standard alphabet") << QByteArray("+/+/") << QByteArray();
        QTest::newRow("url alphabet") << QByteArray("-_-_") << QByteArray("\xfb\xff\xbf");
        QTest::newRow("space") << QByteArray("QU JD") << QByteArray();
        QTest::newRow("non-ascii") << QByteArray("QUJ\xc3\xa9") << QByteArray();
    }
    void strictBase64Url()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, decoded);
        QCOMPARE(fromBase64Url(text), decoded);
        if (!decoded.isEmpty())
            QCOMPARE(base64Url(decoded), text);
    }

    void expired()
    {
        TokenSigner s;
        s.addKey(QStringLiteral("k1"), randomBytes(32), true);
        const QByteArray t = *s.sign(claims(2000));
        QVERIFY(s.verify(t, 1999));
        QVERIFY(!s.verify(t, 2000));
        QVERIFY(!s.verify(t, 5000));
    }

    void unknownKid()
    {
        TokenSigner a, b;
        a.addKey(QStringLiteral("k1"), randomBytes(32), true);
        b.addKey(QStringLiteral("k2"), randomBytes(32), true);
        QVERIFY(!b.verify(*a.sign(claims(2000)), 1500));
        // Same kid, other secret: the signature does not match.
        TokenSigner c;
        c.addKey(QStringLiteral("k1"), randomBytes(32), true);
        QVERIFY(!c.verify(*a.sign(claims(2000)), 1500));
        TokenSigner empty;
        QVERIFY(!empty.sign(claims(2000)));
    }

    void rotatedKid()
    {
        TokenSigner s;
        s.addKey(QStringLiteral("k1"), randomBytes(32), true);
        const QByteArray old = *s.sign(claims(2000));
        s.addKey(QStringLiteral("k2"), randomBytes(32), true);
        QCOMPARE(s.activeKid(), QStringLiteral("k2"));
        const QByteArray fresh = *s.sign(claims(2000));
        QCOMPARE(s.verify(old, 1500)->kid, QStringLiteral("k1"));
        QCOMPARE(s.verify(fresh, 1500)->kid, QStringLiteral("k2"));
        // Retiring k1 (a reload without it) ends its tokens.
        const QHash<QString, QByteArray> only2{{QStringLiteral("k2"), QByteArray()}};
        s.setKeys(only2, QStringLiteral("k2"));
        QVERIFY(!s.verify(old, 1500));
    }

    void passwordHashFast()
    {
        PasswordHasher h(1, 65536);
        const QString hash = *h.hash(QStringLiteral("correct horse 한국어"));
        QVERIFY(hash.startsWith(QStringLiteral("$argon2id$")));
        QVERIFY(h.verify(hash, QStringLiteral("correct horse 한국어")));
        QVERIFY(!h.verify(hash, QStringLiteral("correct horse")));
        QVERIFY(!h.verify(QStringLiteral("not a hash"), QStringLiteral("x")));
        QVERIFY(!h.needsRehash(hash));
        PasswordHasher stronger(2, 65536);
        QVERIFY(stronger.needsRehash(hash));
        QVERIFY(*h.hash(QStringLiteral("same")) != *h.hash(QStringLiteral("same")));   // salted
    }

    void passwordHashRealParameters()
    {
        PasswordHasher h;   // the production defaults
        QElapsedTimer t;
        t.start();
        const QString hash = *h.hash(QStringLiteral("a real password"));
        const qint64 hashMs = t.restart();
        QVERIFY(h.verify(hash, QStringLiteral("a real password")));
        const qint64 verifyMs = t.elapsed();
        qInfo("Argon2id ops=%llu mem=%zu MiB: hash %lld ms, verify %lld ms",
              h.opsLimit(), h.memLimit() >> 20, hashMs, verifyMs);
        QVERIFY(hash.contains(QStringLiteral("m=32768,t=3")));
        QVERIFY(hashMs >= 10);   // not accidentally trivial
        // Unknown logins cost a verification too.
        t.restart();
        h.dummyVerify(QStringLiteral("x"));   // first call also creates the dummy hash
        t.restart();
        h.dummyVerify(QStringLiteral("x"));
        QVERIFY(t.elapsed() >= hashMs / 4);
    }

    void helpers()
    {
        QCOMPARE(fromBase64Url(base64Url(QByteArray("\xff\xfe\x00x", 4))), QByteArray("\xff\xfe\x00x", 4));
        QVERIFY(fromBase64Url("ab+/").isEmpty());
        QCOMPARE(randomToken(32).size(), 43);
        QVERIFY(constantTimeEqual("abc", "abc"));
        QVERIFY(!constantTimeEqual("abc", "abd"));
        QVERIFY(!constantTimeEqual("abc", "ab"));
    }
};

QTEST_GUILESS_MAIN(TstAuthCrypto)
#include "tst_authcrypto.moc"
