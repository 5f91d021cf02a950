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
