// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The SDK's JSON formatting: timestamps, ids, nulls and the string escaper.
#include "community/json.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace Community;

class TstJson : public QObject {
    Q_OBJECT
private slots:
    void timestamps()
    {
        const QDateTime seoul(QDate(2026, 11, 24), QTime(8, 24, 13, 903), QTimeZone("Asia/Seoul"));
        QCOMPARE(Json::iso(seoul), QStringLiteral("2026-11-23T23:24:13.903Z"));
        QCOMPARE(Json::isoOrNull(QDateTime()), QJsonValue(QJsonValue::Null));
        QCOMPARE(Json::fromMicros(1'764'000'000'123'456).toMSecsSinceEpoch(), 1'764'000'000'123LL);
        QCOMPARE(Json::fromMicros(0).timeSpec(), Qt::UTC);
    }

    void idsAndNulls()
    {
        QCOMPARE(Json::idString(9007199254740993LL), QStringLiteral("9007199254740993"));
        QCOMPARE(Json::orNull(QString()), QJsonValue(QJsonValue::Null));
        QCOMPARE(Json::orNull(QStringLiteral("x")), QJsonValue(QStringLiteral("x")));
    }

    void escaping_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << QStringLiteral("hello");
        QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c");
        QTest::newRow("controls") << QStringLiteral("a\nb\tc\x01\x1f");
        QTest::newRow("korean and emoji") << QStringLiteral("회원 😀");
        QTest::newRow("line separator") << QStringLiteral("a\u2028b");
    }
    void escaping()
    {
        QFETCH(QString, text);
        QByteArray doc = "{\"k\":";
        Json::appendString(doc, text.toUtf8());
        doc += ",\"e\":\"" + Json::escape(text) + "\"}";
        QJsonParseError err{};
        const QJsonObject o = QJsonDocument::fromJson(doc, &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("k")).toString(), text);
        QCOMPARE(o.value(QStringLiteral("e")).toString(), text);
    }
};

QTEST_GUILESS_MAIN(TstJson)
#include "tst_json.moc"
