// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The audit chain's hash rule: every recorded field is covered, the previous hash is
// covered, and the canonical form does not depend on the order fields were set in.

#include "auditchain.h"

#include <QtTest>

using namespace Admin;

namespace {

AuditEntry sample()
{
    AuditEntry e;
    e.seq = 7;
    e.occurredAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
    e.actorId = 42;
    e.actorName = QStringLiteral("mod");
    e.actorKind = QStringLiteral("user");
    e.action = QStringLiteral("user.suspend");
    e.targetType = QStringLiteral("user");
    e.targetId = QStringLiteral("9");
    e.reason = QStringLiteral("스팸 spam");
    e.requestId = QStringLiteral("req-1");
    e.before = QStringLiteral("{\"state\":\"active\"}");
    e.after = QStringLiteral("{\"state\":\"suspended\"}");
    e.source = QStringLiteral("admin");
    return e;
}

} // namespace

class TstAuditChain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void genesisIs64Zeros()
    {
        QCOMPARE(genesisHash(), QString(64, QLatin1Char('0')));
    }

    void hashIsStableAndHex()
    {
        const AuditEntry e = sample();
        const QString h = chainHash(genesisHash(), e);
        QCOMPARE(h.size(), kHashHexLength);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(h).hasMatch());
        QCOMPARE(chainHash(genesisHash(), sample()), h);
        // Independent of the stored hashes themselves.
        AuditEntry withHashes = e;
        withHashes.hash = QStringLiteral("x");
        withHashes.prevHash = QStringLiteral("y");
        QCOMPARE(chainHash(genesisHash(), withHashes), h);
    }

    void everyFieldIsCovered_data()
    {
        QTest::addColumn<int>("field");
        for (int i = 0; i < 13; ++i)
            QTest::newRow(qPrintable(QString::number(i))) << i;
    }

    void everyFieldIsCovered()
    {
        QFETCH(int, field);
        AuditEntry e = sample();
        const QString before = chainHash(genesisHash(), e);
        switch (field) {
        case 0: e.seq = 8; break;
        case 1: e.occurredAt = e.occurredAt.addMSecs(1); break;
        case 2: e.actorId = 43; break;
        case 3: e.actorName = QStringLiteral("mod2"); break;
        case 4: e.actorKind = QStringLiteral("operator"); break;
        case 5: e.action = QStringLiteral("user.unsuspend"); break;
        case 6: e.targetType = QStringLiteral("post"); break;
        case 7: e.targetId = QStringLiteral("10"); break;
        case 8: e.reason = QStringLiteral("스팸 spam!"); break;
        case 9: e.requestId = QStringLiteral("req-2"); break;
        case 10: e.before = QStringLiteral("null"); break;
        case 11: e.after = QStringLiteral("{\"state\":\"active\"}"); break;
        case 12: e.source = QStringLiteral("event:1"); break;
        }
        QVERIFY(chainHash(genesisHash(), e) != before);
    }

    void previousHashIsCovered()
    {
        const AuditEntry e = sample();
        QVERIFY(chainHash(genesisHash(), e) != chainHash(QString(64, QLatin1Char('1')), e));
    }

    void fieldBoundariesCannotBeShifted()
    {
        // "ab" + "c" and "a" + "bc" must not hash alike (JSON quoting keeps fields apart).
        AuditEntry a = sample(), b = sample();
        a.targetType = QStringLiteral("ab");
        a.targetId = QStringLiteral("c");
        b.targetType = QStringLiteral("a");
        b.targetId = QStringLiteral("bc");
        QVERIFY(chainHash(genesisHash(), a) != chainHash(genesisHash(), b));
    }

    void compactJsonOfValues()
    {
        QCOMPARE(compactJson(QJsonValue()), QStringLiteral("null"));
        QCOMPARE(compactJson(QJsonValue(QStringLiteral("a\"b"))), QStringLiteral("\"a\\\"b\""));
        QCOMPARE(compactJson(QJsonObject{{QStringLiteral("b"), 1}, {QStringLiteral("a"), true}}),
                 QStringLiteral("{\"a\":true,\"b\":1}"));
        QCOMPARE(compactJson(QJsonArray{1, QStringLiteral("x")}), QStringLiteral("[1,\"x\"]"));
    }
};

QTEST_GUILESS_MAIN(TstAuditChain)
#include "tst_auditchain.moc"
