// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Path ids, limits, query parameters and keyset cursors (community/request.h).
#include "community/request.h"

#include <QTest>

#include <bit>

using namespace Community;
using namespace Community::Http;

namespace {

HttpRequest requestWith(const QString &query, QHash<QString, QString> params = {})
{
    HttpRequest r;
    r.query = QUrlQuery(query);
    r.pathParams = std::move(params);
    return r;
}

} // namespace

class TstRequestParams : public QObject {
    Q_OBJECT
private slots:
    void ids_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("id");   // 0 = refused
        QTest::newRow("plain") << "42" << qint64(42);
        QTest::newRow("max") << "9223372036854775807" << qint64(9223372036854775807);
        QTest::newRow("overflow") << "9223372036854775808" << qint64(0);
        QTest::newRow("zero") << "0" << qint64(0);
        QTest::newRow("sign") << "+4" << qint64(0);
        QTest::newRow("negative") << "-4" << qint64(0);
        QTest::newRow("space") << " 4" << qint64(0);
        QTest::newRow("hex") << "0x10" << qint64(0);
        QTest::newRow("arabic digit") << QStringLiteral("٤") << qint64(0);
        QTest::newRow("empty") << "" << qint64(0);
    }
    void ids()
    {
        QFETCH(QString, text);
        QFETCH(qint64, id);
        QCOMPARE(parseId(text).value_or(0), id);
    }

    void pathIdIsNotFound()
    {
        const auto ok = pathId(requestWith({}, {{QStringLiteral("id"), QStringLiteral("7")}}), QStringLiteral("id"),
                               QStringLiteral("post"));
        QCOMPARE(ok.value_or(0), 7);
        const auto bad = pathId(requestWith({}, {{QStringLiteral("id"), QStringLiteral("x")}}), QStringLiteral("id"),
                                QStringLiteral("post"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::NotFound);
        QCOMPARE(bad.error().message, QStringLiteral("No such post."));
    }

    void limits_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("limit");   // 0 = refused
        QTest::newRow("default") << "" << 25;
        QTest::newRow("one") << "limit=1" << 1;
        QTest::newRow("max") << "limit=100" << 100;
        QTest::newRow("over") << "limit=101" << 0;
        QTest::newRow("zero") << "limit=0" << 0;
        QTest::newRow("word") << "limit=ten" << 0;
    }
    void limits()
    {
        QFETCH(QString, query);
        QFETCH(int, limit);
        const auto r = queryLimit(requestWith(query), 25, 100);
        QCOMPARE(r.value_or(0), limit);
        if (!r)
            QCOMPARE(r.error().fields.value(0).code, QStringLiteral("out_of_range"));
    }

    void checkQueryNamesUnknownParameters()
    {
        QVERIFY(checkQuery(requestWith(QStringLiteral("a=1&b=2")), {QStringLiteral("a"), QStringLiteral("b")}));
        const auto r = checkQuery(requestWith(QStringLiteral("a=1&zz=2")), {QStringLiteral("a")});
        QVERIFY(!r);
        QCOMPARE(r.error().fields.value(0).field, QStringLiteral("zz"));
        QCOMPARE(r.error().fields.value(0).code, QStringLiteral("unknown_parameter"));
    }

    void cursorsRoundTrip()
    {
        const qint64 score = std::bit_cast<qint64>(3.75);
        const QString c = encodeCursor(QLatin1StringView("hot"), {score, -5, 9223372036854775807LL});
        QVERIFY(!c.contains(QLatin1Char('=')) && !c.contains(QLatin1Char('+')) && !c.contains(QLatin1Char('/')));
        const auto keys = decodeCursor(QLatin1StringView("hot"), c, 3);
        QVERIFY(keys);
        QCOMPARE(std::bit_cast<double>(keys->at(0)), 3.75);
        QCOMPARE(keys->at(1), -5);
        QVERIFY(!decodeCursor(QLatin1StringView("new"), c, 3));   // another kind
        QVERIFY(!decodeCursor(QLatin1StringView("hot"), c, 2));   // another key count
        QVERIFY(!decodeCursor(QLatin1StringView("hot"), QStringLiteral("!!!"), 3));
        QVERIFY(!decodeCursor(QLatin1StringView("hot"), QString(300, QLatin1Char('a')), 3));
    }

    void queryCursor()
    {
        const QString c = encodeCursor(QLatin1StringView("new"), {1, 2});
        const auto none = Http::queryCursor(requestWith({}), QLatin1StringView("new"), 2);
        QVERIFY(none && !*none);
        const auto some = Http::queryCursor(requestWith(QStringLiteral("cursor=") + c), QLatin1StringView("new"), 2);
        QVERIFY(some && *some && (*some)->at(1) == 2);
        const auto bad = Http::queryCursor(requestWith(QStringLiteral("cursor=abc")), QLatin1StringView("new"), 2);
        QVERIFY(!bad);
        QCOMPARE(bad.error().fields.value(0).field, QStringLiteral("cursor"));
    }
};

QTEST_GUILESS_MAIN(TstRequestParams)
#include "tst_requestparams.moc"
