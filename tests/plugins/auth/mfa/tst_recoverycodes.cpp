// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "recoverycodes.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace Auth::Mfa;

class TstRecoveryCodes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tenDistinctWellFormed()
    {
        RecoveryCodes rc(Community::Secret(QStringLiteral("pepper")));
        const QStringList codes = rc.generate();
        QCOMPARE(codes.size(), 10);
        QCOMPARE(QSet<QString>(codes.begin(), codes.end()).size(), 10);
        static const QRegularExpression format(QStringLiteral("^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$"));
        for (const QString &c : codes)
            QVERIFY2(format.match(c).hasMatch(), qPrintable(c));
        QVERIFY(rc.generate() != codes);
    }
    void hashedAndVerifiedOnce()
    {
        RecoveryCodes rc(Community::Secret(QStringLiteral("pepper")));
        const QStringList codes = rc.generate();
        QStringList stored;
        for (const QString &c : codes) {
            const auto h = rc.hash(42, c);
            QVERIFY(h);
            QCOMPARE(h->size(), 64);
            QVERIFY(!h->contains(QString(c).remove(QLatin1Char('-'))));
            stored.append(*h);
        }
        // Typed loosely (upper case, no dashes, spaces) still matches.
        const QString typed = codes.at(3).toUpper().remove(QLatin1Char('-')).insert(6, QLatin1Char(' '));
        const int i = rc.match(42, typed, stored);
        QCOMPARE(i, 3);
        stored.removeAt(i);  // what the caller does: single use
        QCOMPARE(rc.match(42, codes.at(3), stored), -1);
        QCOMPARE(rc.match(42, codes.at(4), stored), 3);
    }
    void wrongCodesRefused()
    {
        RecoveryCodes rc(Community::Secret(QStringLiteral("pepper")));
        const QStringList codes = rc.generate();
        QStringList stored;
        for (const QString &c : codes)
            stored.append(*rc.hash(7, c));
        QCOMPARE(rc.match(7, QStringLiteral("aaaa-aaaa-aaaa"), stored), -1);
        QCOMPARE(rc.match(7, QStringLiteral("not a code"), stored), -1);
        QCOMPARE(rc.match(7, QString(), stored), -1);
        QCOMPARE(rc.match(8, codes.at(0), stored), -1);  // bound to the user
        RecoveryCodes otherInstall(Community::Secret(QStringLiteral("another pepper")));
        QCOMPARE(otherInstall.match(7, codes.at(0), stored), -1);  // bound to the pepper
        QVERIFY(!RecoveryCodes::normalize(QStringLiteral("abcd-efgh-ijk1")));
        QVERIFY(!RecoveryCodes::normalize(QStringLiteral("abcd-efgh-ijk")));
    }
};

QTEST_GUILESS_MAIN(TstRecoveryCodes)
#include "tst_recoverycodes.moc"
