// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// BodyReader: strict parsing, typed getters with field errors, unknown fields refused, and
// the one text rule of issue 10 (controls, lone surrogates, NFC, duplicate keys, integer tokens).
#include "community/request.h"

#include <QJsonArray>
#include <QJsonDocument>
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
        QCOMPARE(codes(r.finish()), (QStringList{QStringLiteral("big:type"), QStringLiteral("frac:type"),
                                                 QStringLiteral("bad:invalid"), QStringLiteral("s:unknown_field")}));
    }

    // What QJsonDocument does on its own, which is why parse() looks at the raw body: it
    // keeps the last of two equal keys, keeps a lone surrogate escape in the QString (which
    // toUtf8() — and so PostgreSQL — sees as '?'), keeps a NUL inside the string (libpq
    // cuts the stored text there), and reads 1e1 and 10.0 as the integer 10.
    void qjsonDocumentAloneHidesThese()
    {
        const QJsonObject dup = QJsonDocument::fromJson(R"({"a":1,"a":2})").object();
        QCOMPARE(dup.size(), 1);
        QCOMPARE(dup.value(QStringLiteral("a")).toInt(), 2);
        const QString lone = QJsonDocument::fromJson(R"({"t":"a\ud800b"})").object().value(QStringLiteral("t")).toString();
        QCOMPARE(lone.size(), 3);
        QCOMPARE(lone.at(1).unicode(), char16_t(0xd800));
        QVERIFY(!QStringView(lone).isValidUtf16());
        QCOMPARE(lone.toUtf8(), QByteArray("a?b"));
        const QString nul = QJsonDocument::fromJson(R"({"t":"visible\u0000 **HIDDEN**"})").object().value(QStringLiteral("t")).toString();
        QCOMPARE(nul.indexOf(QChar(0)), 7);
        QVERIFY(nul.endsWith(QStringLiteral("**HIDDEN**")));
        const QJsonObject nums = QJsonDocument::fromJson(R"({"a":1e1,"b":10.0})").object();
        QCOMPARE(nums.value(QStringLiteral("a")).toInteger(), 10);
        QCOMPARE(nums.value(QStringLiteral("b")).toInteger(), 10);
    }

    void rawBodyRules_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");   // field:code, empty = parses
        QTest::newRow("duplicate key") << QByteArray(R"({"a":1,"a":2})") << "a:duplicate_key";
        QTest::newRow("duplicate, other value") << QByteArray(R"({"title":"t","title":"u","body":"x"})") << "title:duplicate_key";
        QTest::newRow("duplicate via escape") << QByteArray(R"({"a":1,"\u0061":2})") << "a:duplicate_key";
        QTest::newRow("duplicate nested") << QByteArray(R"({"s":{"k":true,"k":false}})") << "s.k:duplicate_key";
        QTest::newRow("duplicate in array item") << QByteArray(R"({"r":[{"x":1},{"x":1,"x":2}]})") << "r[1].x:duplicate_key";
        QTest::newRow("same key, two objects") << QByteArray(R"({"a":{"k":1},"b":{"k":1}})") << QString();
        QTest::newRow("case differs") << QByteArray(R"({"a":1,"A":2})") << QString();
        QTest::newRow("lone high surrogate") << QByteArray(R"({"title":"a\ud800b"})") << "title:invalid_characters";
        QTest::newRow("lone low surrogate") << QByteArray(R"({"bio":"\udc00"})") << "bio:invalid_characters";
        QTest::newRow("high at end") << QByteArray(R"({"t":"x\uD83D"})") << "t:invalid_characters";
        QTest::newRow("reversed pair") << QByteArray(R"({"t":"\ude00\ud83d"})") << "t:invalid_characters";
        QTest::newRow("surrogate in array") << QByteArray(R"({"tags":["ok","\ud800"]})") << "tags[1]:invalid_characters";
        QTest::newRow("surrogate in nested value") << QByteArray(R"({"s":{"k":"\ud800"}})") << "s.k:invalid_characters";
        QTest::newRow("escaped pair is fine") << QByteArray(R"({"t":"\ud83d\ude00"})") << QString();
        // Not a raw string: moc (Qt 6.4) loses the class after a raw string holding \".
        QTest::newRow("escaped quote and backslash") << QByteArray("{\"t\":\"a\\\"\\\\\\ud83d\\ude00\",\"u\":\"\\\\\"}") << QString();
        QTest::newRow("nul parses (the getters refuse it)") << QByteArray(R"({"t":"a\u0000b"})") << QString();
        QTest::newRow("utf-8 and escapes mixed") << QStringLiteral(R"({"t":"한\n글\u00e9","t2":1})").toUtf8() << QString();
    }
    void rawBodyRules()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        const auto r = BodyReader::parse(body);
        if (error.isEmpty()) {
            QVERIFY(r);
            return;
        }
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(r.error().type, QString());   // "validation", not "malformed-json"
        QCOMPARE(r.error().fields.size(), 1);
        QCOMPARE(r.error().fields[0].field + QLatin1Char(':') + r.error().fields[0].code, error);
    }

    void surrogateInAKey()
    {
        const auto r = BodyReader::parse(R"({"\ud800":1})");
        QVERIFY(!r);
        QCOMPARE(r.error().fields.value(0).code, QStringLiteral("invalid_characters"));
    }

    void integerTokens_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");   // empty = 10
        QTest::newRow("10") << QByteArray(R"({"n":10})") << QString();
        QTest::newRow("10.0") << QByteArray(R"({"n":10.0})") << "type";
        QTest::newRow("1e1") << QByteArray(R"({"n":1e1})") << "type";
        QTest::newRow("1E1") << QByteArray(R"({"n":1E1})") << "type";
        QTest::newRow("100e-1") << QByteArray(R"({"n":100e-1})") << "type";
        QTest::newRow("string") << QByteArray(R"({"n":"10"})") << "type";
        QTest::newRow("-0") << QByteArray(R"({"n":-0})") << "out_of_range";
        QTest::newRow("beyond int64") << QByteArray(R"({"n":99999999999999999999})") << "out_of_range";
        QTest::newRow("11") << QByteArray(R"({"n":11})") << "out_of_range";
    }
    void integerTokens()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        BodyReader r = reader(body);
        const auto n = r.integer(QStringLiteral("n"), Presence::Required, 1, 10);
        const auto done = r.finish();
        if (code.isEmpty()) {
            QCOMPARE(n.value_or(-1), 10);
            QVERIFY(done);
        } else {
            QVERIFY(!n);
            QCOMPARE(codes(done), QStringList{QStringLiteral("n:") + code});
        }
    }

    void idTokens()
    {
        BodyReader r = reader(R"({"a":42,"b":42.0,"c":4.2e1,"d":"42","e":"42.0","f":1e300})");
        QCOMPARE(r.id(QStringLiteral("a"), Presence::Required), std::optional<qint64>(42));
        QVERIFY(!r.id(QStringLiteral("b"), Presence::Required));
        QVERIFY(!r.id(QStringLiteral("c"), Presence::Required));
        QCOMPARE(r.id(QStringLiteral("d"), Presence::Required), std::optional<qint64>(42));
        QVERIFY(!r.id(QStringLiteral("e"), Presence::Required));
        QVERIFY(!r.id(QStringLiteral("f"), Presence::Required));
        QCOMPARE(codes(r.finish()), (QStringList{QStringLiteral("b:invalid"), QStringLiteral("c:invalid"),
                                                 QStringLiteral("e:invalid"), QStringLiteral("f:invalid")}));
    }

    // Every C0 and C1 control, DEL and the line/paragraph separators are refused by every
    // getter that returns text; multi-line text (and string(), for secrets) allows exactly
    // \t, \n and \r.
    void controlsRefusedEverywhere()
    {
        QList<char16_t> controls;
        for (char16_t u = 0; u < 0x20; ++u)
            controls << u;
        for (char16_t u = 0x7f; u < 0xa0; ++u)
            controls << u;
        controls << 0x2028 << 0x2029;
        for (const char16_t u : controls) {
            const QString value = QStringLiteral("a") + QChar(u) + QStringLiteral("b");
            const QJsonObject o{{QStringLiteral("t"), value}, {QStringLiteral("m"), value}, {QStringLiteral("s"), value},
                                {QStringLiteral("l"), QJsonArray{value}}};
            BodyReader r(o);
            const bool lineBreakOrTab = u == u'\n' || u == u'\r' || u == u'\t';
            QVERIFY2(!r.text(QStringLiteral("t"), {10, Presence::Required}), qPrintable(QString::number(u, 16)));
            QCOMPARE(bool(r.text(QStringLiteral("m"), {10, Presence::Required, true})), lineBreakOrTab);
            QCOMPARE(bool(r.string(QStringLiteral("s"), Presence::Required, 10)), lineBreakOrTab);
            QVERIFY(!r.stringList(QStringLiteral("l"), Presence::Required, 1, 10));
        }
    }

    void nulInMultilineBody()
    {
        BodyReader r = reader(R"({"title":"t","body":"visible\u0000 **HIDDEN**"})");
        QVERIFY(r.text(QStringLiteral("title"), {300, Presence::Required}));
        QVERIFY(!r.text(QStringLiteral("body"), {65536, Presence::Optional, true, true}));
        QCOMPARE(codes(r.finish()), QStringList{QStringLiteral("body:invalid_characters")});
    }

    void loneSurrogateFromAnObjectReader()
    {
        // A reader built from a QJsonObject (no raw body) still refuses it in the getters.
        const QString lone = QStringLiteral("a") + QChar(0xd800);
        BodyReader r(QJsonObject{{QStringLiteral("t"), lone}, {QStringLiteral("s"), lone}});
        QVERIFY(!r.text(QStringLiteral("t"), {10, Presence::Required}));
        QVERIFY(!r.string(QStringLiteral("s"), Presence::Required, 10));
        QCOMPARE(codes(r.finish()), (QStringList{QStringLiteral("t:invalid_characters"), QStringLiteral("s:invalid_characters")}));
    }

    void textIsNfc()
    {
        // "한글" sent decomposed (6 jamo) comes back composed, and counts as 2 code points.
        const QString nfd = QString::fromUtf16(u"\u1112\u1161\u11ab\u1100\u1173\u11af");
        const QString nfc = QString::fromUtf16(u"\ud55c\uae00");
        QCOMPARE(nfd.normalized(QString::NormalizationForm_C), nfc);
        BodyReader r(QJsonObject{{QStringLiteral("t"), nfd}, {QStringLiteral("m"), QString::fromUtf16(u"e\u0301")},
                                 {QStringLiteral("l"), QJsonArray{nfd}}});
        QCOMPARE(r.text(QStringLiteral("t"), {2, Presence::Required}).value_or(QString()), nfc);
        QCOMPARE(r.text(QStringLiteral("m"), {1, Presence::Required, true}).value_or(QString()), QString::fromUtf16(u"\u00e9"));
        QCOMPARE(r.stringList(QStringLiteral("l"), Presence::Required, 1, 2).value_or(QStringList()), QStringList{nfc});
        QVERIFY(r.finish());
        // string() keeps secrets exactly as sent.
        BodyReader s(QJsonObject{{QStringLiteral("p"), nfd}});
        QCOMPARE(s.string(QStringLiteral("p"), Presence::Required, 10).value_or(QString()), nfd);
    }

    void nullableText()
    {
        BodyReader r = reader(R"({"a":null,"b":"  x  ","c":"a\u0007","d":5,"e":"","e2":""})");
        const TextRule rule{10, Presence::Optional};
        const NullableText a = r.nullableText(QStringLiteral("a"), rule);
        QVERIFY(a.present && a.null);
        const NullableText b = r.nullableText(QStringLiteral("b"), rule);
        QVERIFY(b.present && !b.null);
        QCOMPARE(b.value, QStringLiteral("x"));
        QVERIFY(!r.nullableText(QStringLiteral("c"), rule).present);
        QVERIFY(!r.nullableText(QStringLiteral("d"), rule).present);
        QVERIFY(!r.nullableText(QStringLiteral("e"), rule).present);
        const NullableText e2 = r.nullableText(QStringLiteral("e2"), {10, Presence::Optional, false, true});
        QVERIFY(e2.present && !e2.null && e2.value.isEmpty());
        QVERIFY(!r.nullableText(QStringLiteral("absent"), rule).present);
        r.nullableText(QStringLiteral("needed"), {10, Presence::Required});
        QCOMPARE(codes(r.finish()), (QStringList{QStringLiteral("c:invalid_characters"), QStringLiteral("d:type"),
                                                 QStringLiteral("e:required"), QStringLiteral("needed:required")}));
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
