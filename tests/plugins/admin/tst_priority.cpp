// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The queue's priority score: a table of report sets → score.

#include "priority.h"

#include <QtTest>

using namespace Admin;

Q_DECLARE_METATYPE(QList<ReportSignal>)

class TstPriority : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void score_data()
    {
        QTest::addColumn<QList<ReportSignal>>("reports");
        QTest::addColumn<int>("expected");
        const ReportSignal spam{QStringLiteral("spam"), QStringLiteral("user"), 0, 0};
        QTest::newRow("none") << QList<ReportSignal>{} << 0;
        QTest::newRow("one spam") << QList<ReportSignal>{spam} << 10 + 15;
        QTest::newRow("two reasons: the most severe counts")
            << QList<ReportSignal>{spam, {QStringLiteral("illegal"), QStringLiteral("user"), 0, 0}} << 20 + 40;
        QTest::newRow("staff reporter") << QList<ReportSignal>{{QStringLiteral("other"), QStringLiteral("moderator"), 0, 0}}
                                        << 10 + 5 + 15;
        QTest::newRow("accurate reporter") << QList<ReportSignal>{{QStringLiteral("spam"), QStringLiteral("user"), 2, 0}}
                                           << 10 + 15 + 6;
        QTest::newRow("accuracy is capped") << QList<ReportSignal>{{QStringLiteral("spam"), QStringLiteral("user"), 50, 1}}
                                            << 10 + 15 + 9;
        QTest::newRow("serial false reporter") << QList<ReportSignal>{{QStringLiteral("harassment"), QStringLiteral("user"), 0, 7}}
                                               << 10 + 25 - 9;
        QTest::newRow("unknown reason counts as other") << QList<ReportSignal>{{QStringLiteral("weird"), QStringLiteral("user"), 0, 0}}
                                                        << 10 + 5;
    }

    void score()
    {
        QFETCH(QList<ReportSignal>, reports);
        QFETCH(int, expected);
        QCOMPARE(priorityScore(reports), expected);
    }

    void moreReportsNeverLowerTheScore()
    {
        QList<ReportSignal> reports;
        int last = 0;
        for (int i = 0; i < 20; ++i) {
            reports.append({QStringLiteral("off-topic"), QStringLiteral("user"), 0, 0});
            const int now = priorityScore(reports);
            QVERIFY(now > last);
            last = now;
        }
    }
};

QTEST_GUILESS_MAIN(TstPriority)
#include "tst_priority.moc"
