// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// BodyReader: strict parsing, typed getters with field errors, unknown fields refused.
#include "community/request.h"

#include <QTest>

using namespace Community;
using namespace Community::Http;

namespace {

QStringList codes(const Result<void> &r)
{
    QStringList out;
    if (!r) {
        for (const FieldError &e : r.error().fields)
            out << e.field + QLatin1Char(':') + e.code;
    }
    return out;
}

BodyReader reader(const QByteArray &json)
{
    auto r = BodyReader::parse(json);
    if (!r)
        qFatal("fixture body does not parse: %s", json.constData());
    return *r;
}

} // namespace

class TstBodyReader : public QObject {
    Q_OBJECT
private slots:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("allowEmpty");
        QTest::addColumn<QString>("code");   // empty = parses
        QTest::addColumn<QString>("type");
        QTest::newRow("object") << QByteArray(R"({"a":1})") << false << QString() << QString();
        QTest::newRow("korean") << QStringLiteral(R"({"a":"김민수"})").toUtf8() << false << QString() << QString();
        QTest::newRow("empty allowed") << QByteArray("  ") << true << QString() << QString();
        QTest::newRow("empty refused") << QByteArray() << false << "malformed_json" << "malformed-json";
        QTest::newRow("array") << QByteArray("[1]") << false << "type" << "malformed-json";
        QTest::newRow("truncated") << QByteArray(R"({"a":)") << false << "malformed_json" << "malformed-json";
        QTest::newRow("bad utf-8") << QByteArray("{\"a\":\"\xff\xfe\"}") << false << "invalid_utf8" << QString();
        QTest::newRow("truncated utf-8") << QByteArray("{\"a\":\"\xc3\"}") << false << "invalid_utf8" << QString();
        QTest::newRow("overlong") << QByteArray("{\"a\":\"\xc0\xaf\"}") << false << "invalid_utf8" << QString();
        QTest::newRow("surrogate") << QByteArray("{\"a\":\"\xed\xa0\x80\"}") << false << "invalid_utf8" << QString();
    }
    void parse()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, allowEmpty);
        QFETCH(QString, code);
        QFETCH(QString, type);
        const auto r = BodyReader::parse(body, allowEmpty);
        QCOMPARE(bool(r), code.isEmpty());
        if (!r) {
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
            QCOMPARE(r.error().fields.size(), 1);
            QCOMPARE(r.error().fields[0].field, QStringLiteral("body"));
            QCOMPARE(r.error().fields[0].code, code);
            QCOMPARE(r.error().type, type);
        }
    }

    void text_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("multiline");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("code");
        QTest::newRow("trimmed") << QByteArray(R"({"t":"  hi  "})") << false << "hi" << QString();
        QTest::newRow("multiline kept") << QByteArray(R"({"t":" a\nb "})") << true << " a\nb " << QString();
        QTest::newRow("newline single-line") << QByteArray(R"({"t":"a\nb"})") << false << QString() << "invalid_characters";
        QTest::newRow("nul") << QByteArray(R"({"t":"a\u0000b"})") << true << QString() << "invalid_characters";
        QTest::newRow("line separator") << QByteArray(R"({"t":"a\u2028b"})") << true << QString() << "invalid_characters";
        QTest::newRow("blank") << QByteArray(R"({"t":"   "})") << false << QString() << "required";
        QTest::newRow("absent") << QByteArray(R"({})") << false << QString() << "required";
        QTest::newRow("null") << QByteArray(R"({"t":null})") << false << QString() << "required";
        QTest::newRow("number") << QByteArray(R"({"t":5})") << false << QString() << "type";
        QTest::newRow("6 code points") << QStringLiteral(R"({"t":"가나다라마바"})").toUtf8() << false << QString() << "too_long";
        QTest::newRow("5 emoji fit") << QStringLiteral(R"({"t":"😀😀😀😀😀"})").toUtf8() << false << "😀😀😀😀😀" << QString();
    }
    void text()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, multiline);
        QFETCH(QString, value);
        QFETCH(QString, code);
        BodyReader r = reader(body);
        const auto t = r.text(QStringLiteral("t"), {5, Presence::Required, multiline, false});
        const auto done = r.finish();
        if (code.isEmpty()) {
            QVERIFY(t);
            QCOMPARE(*t, value);
            QVERIFY(done);
        } else {
            QVERIFY(!t);
            QCOMPARE(codes(done), QStringList{QStringLiteral("t:") + code});
        }
    }

    void typedGetters()
    {
        BodyReader r = reader(R"({"n":7,"big":1e6,"frac":1.5,"b":true,"id":"42","nid":43,"bad":"4x",)"
                              R"("list":["a","b"],"obj":{"k":1},"arr":[1],"s":"x"})");
        QCOMPARE(r.integer(QStringLiteral("n"), Presence::Required, 1, 10).value_or(-1), 7);
        QVERIFY(!r.integer(QStringLiteral("big"), Presence::Required, 1, 10));
        QVERIFY(!r.integer(QStringLiteral("frac"), Presence::Required, 1, 10));
        QCOMPARE(r.boolean(QStringLiteral("b"), Presence::Required), std::optional<bool>(true));
        QCOMPARE(r.id(QStringLiteral("id"), Presence::Required), std::optional<qint64>(42));
        QCOMPARE(r.id(QStringLiteral("nid"), Presence::Required), std::optional<qint64>(43));
        QVERIFY(!r.id(QStringLiteral("bad"), Presence::Required));
        QCOMPARE(r.stringList(QStringLiteral("list"), Presence::Required, 2, 5).value_or(QStringList()),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(r.object(QStringLiteral("obj"), Presence::Required));
        QVERIFY(r.array(QStringLiteral("arr"), Presence::Required));
        QVERIFY(!r.boolean(QStringLiteral("missing"), Presence::Optional));
        QCOMPARE(codes(r.finish()), (QStringList{QStringLiteral("big:out_of_range"), QStringLiteral("frac:type"),
                                                 QStringLiteral("bad:invalid"), QStringLiteral("s:unknown_field")}));
    }

    void stringKeepsSecretsAsSent()
    {
        BodyReader r = reader(R"({"password":"  pass word\t"})");
        QCOMPARE(r.string(QStringLiteral("password"), Presence::Required, 64).value_or(QString()),
                 QStringLiteral("  pass word\t"));
        QVERIFY(r.finish());
    }

    void unknownFieldsAndAccept()
    {
        BodyReader r = reader(R"({"a":1,"b":2,"c":3})");
        r.accept(QStringLiteral("a"));
        QVERIFY(r.has(QStringLiteral("b")));
        QCOMPARE(codes(r.finish()), QStringList{QStringLiteral("c:unknown_field")});
    }

    void collectsEveryError()
    {
        BodyReader r = reader(R"({"x":1})");
        r.string(QStringLiteral("a"), Presence::Required, 5);
        r.boolean(QStringLiteral("b"), Presence::Required);
        r.addError(QStringLiteral("c"), QStringLiteral("custom"), QStringLiteral("custom"));
        QVERIFY(r.hasError(QStringLiteral("c")));
        QCOMPARE(codes(r.finish()), (QStringList{QStringLiteral("a:required"), QStringLiteral("b:required"),
                                                 QStringLiteral("c:custom"), QStringLiteral("x:unknown_field")}));
    }
};

QTEST_GUILESS_MAIN(TstBodyReader)
#include "tst_bodyreader.moc"
