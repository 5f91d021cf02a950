// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Range, If-Range and If-None-Match decisions (RFC 9110 13-14), table-driven.

#include "ranges.h"

#include <QTest>

using namespace Files;

Q_DECLARE_METATYPE(QList<Files::ByteRange>)

class TstRanges : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("status");
        QTest::addColumn<QList<ByteRange>>("ranges");
        using L = QList<ByteRange>;
        QTest::newRow("first 100") << QByteArray("bytes=0-99") << 206 << L{{0, 99}};
        QTest::newRow("open end") << QByteArray("bytes=900-") << 206 << L{{900, 999}};
        QTest::newRow("suffix") << QByteArray("bytes=-100") << 206 << L{{900, 999}};
        QTest::newRow("suffix longer than file") << QByteArray("bytes=-5000") << 206 << L{{0, 999}};
        QTest::newRow("last past end clipped") << QByteArray("bytes=990-5000") << 206 << L{{990, 999}};
        QTest::newRow("two ranges") << QByteArray("bytes=0-9, 20-29") << 206 << L{{0, 9}, {20, 29}};
        QTest::newRow("overlap coalesced") << QByteArray("bytes=0-50,40-99") << 206 << L{{0, 99}};
        QTest::newRow("adjacent coalesced") << QByteArray("bytes=0-9,10-19") << 206 << L{{0, 19}};
        QTest::newRow("sorted") << QByteArray("bytes=500-509,0-9") << 206 << L{{0, 9}, {500, 509}};
        QTest::newRow("one unsatisfiable of two") << QByteArray("bytes=0-9,2000-2009") << 206 << L{{0, 9}};
        QTest::newRow("start past end") << QByteArray("bytes=1000-") << 416 << L{};
        QTest::newRow("zero suffix") << QByteArray("bytes=-0") << 416 << L{};
        QTest::newRow("inverted is ignored") << QByteArray("bytes=50-10") << 200 << L{};
        QTest::newRow("other unit ignored") << QByteArray("items=0-5") << 200 << L{};
        QTest::newRow("garbage ignored") << QByteArray("bytes=a-b") << 200 << L{};
        QTest::newRow("no dash ignored") << QByteArray("bytes=5") << 200 << L{};
        QTest::newRow("too many ranges ignored") << QByteArray("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,22-22,24-24,26-26,28-28,30-30,32-32") << 200 << L{};
        QTest::newRow("huge number ignored") << QByteArray("bytes=0-99999999999999999999") << 200 << L{};
    }
    void parse()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, status);
        QFETCH(QList<ByteRange>, ranges);
        const RangeDecision d = parseRange(header, 1000);
        QCOMPARE(d.status, status);
        QCOMPARE(d.ranges, ranges);
    }

    void conditionals()
    {
        const QByteArray etag = "\"abc\"";
        QCOMPARE(decideDownload(100, etag, "\"abc\"", {}, {}).status, 304);
        QCOMPARE(decideDownload(100, etag, "W/\"abc\"", {}, {}).status, 304);
        QCOMPARE(decideDownload(100, etag, "\"x\", \"abc\"", {}, {}).status, 304);
        QCOMPARE(decideDownload(100, etag, "*", {}, {}).status, 304);
        QCOMPARE(decideDownload(100, etag, "\"x\"", {}, {}).status, 200);
        QCOMPARE(decideDownload(100, etag, {}, {}, "bytes=0-9").status, 206);
        QCOMPARE(decideDownload(100, etag, {}, "\"abc\"", "bytes=0-9").status, 206);
        // If-Range with another tag or a date: the whole representation.
        QCOMPARE(decideDownload(100, etag, {}, "\"old\"", "bytes=0-9").status, 200);
        QCOMPARE(decideDownload(100, etag, {}, "Wed, 21 Oct 2015 07:28:00 GMT", "bytes=0-9").status, 200);
        QCOMPARE(decideDownload(100, etag, {}, {}, "bytes=100-").status, 416);
        QCOMPARE(contentRange({0, 9}, 100), QByteArray("bytes 0-9/100"));
    }
};

QTEST_APPLESS_MAIN(TstRanges)
#include "tst_ranges.moc"
