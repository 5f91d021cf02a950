// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
//
// `communityctl top`'s screen for one admin:metrics frame (the live path runs against a
// real daemon in tst_communityctl::topShowsLiveFrames).
#include "topcommands.h"

#include <QJsonDocument>
#include <QTest>

using namespace Community::Ctl;

class TestCtlTop : public QObject
{
    Q_OBJECT

private slots:
    void screenOfAFrame()
    {
        const QJsonObject frame = QJsonDocument::fromJson(R"({"requestsPerSecond":152,"clientErrorsPerSecond":1,
            "serverErrorsPerSecond":0.5,"wsConnections":311,"dbPool":{"size":8,"inUse":2,"waiting":0},"workerQueue":3,
            "byArea":{"users":{"requestsPerSecond":40,"clientErrorsPerSecond":1,"serverErrorsPerSecond":0,"p50Ms":1.2,"p99Ms":8.5},
                      "content":{"requestsPerSecond":100,"serverErrorsPerSecond":0.5,"p50Ms":2,"p99Ms":19.26}},
            "eventLag":{"search.index":4}})").object();
        const QString s = renderTop(frame, QStringLiteral("context prod (http://h:1)"),
                                    QDateTime(QDate(2026, 12, 3), QTime(12, 0, 1)));
        QCOMPARE(s, QStringLiteral(
            "communityd top — context prod (http://h:1) — 12:00:01\n"
            "requests 152.0/s   4xx 1.0/s   5xx 0.5/s   websockets 311   pool 2/8 in use, 0 waiting   worker queue 3\n"
            "\n"
            "AREA     REQ/S  4XX/S  5XX/S  P50 MS  P99 MS\n"
            "content  100.0  0.0    0.5    2.0     19.3\n"
            "users    40.0   1.0    0.0    1.2     8.5\n"
            "\n"
            "CONSUMER      LAG\n"
            "search.index  4\n"));
    }

    void quietIntervalAndHostileNames()
    {
        const QString quiet = renderTop(QJsonObject{}, QStringLiteral("t"), QDateTime(QDate(2026, 1, 1), QTime(0, 0)));
        QVERIFY(quiet.contains(QStringLiteral("(no requests in this interval)")));
        // Names come from the server: no terminal escapes get through.
        const QJsonObject frame{{QStringLiteral("byArea"), QJsonObject{{QStringLiteral("x\u001b[2Jy"), QJsonObject{}}}}};
        QVERIFY(!renderTop(frame, QStringLiteral("t"), QDateTime::currentDateTime()).contains(QChar(0x1b)));
    }
};

QTEST_GUILESS_MAIN(TestCtlTop)
#include "tst_ctltop.moc"
