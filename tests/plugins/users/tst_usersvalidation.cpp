// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Validators, cursor codec and config of the users service, without a database.

#include "cursor.h"
#include "usersservice.h"
#include "validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Users;

class TstUsersValidation : public QObject {
    Q_OBJECT

    static QJsonObject obj(const char *json) { return QJsonDocument::fromJson(json).object(); }

private Q_SLOTS:
    void patchTable_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");   // empty = valid
        QTest::addColumn<QString>("code");
        const QString dn = QStringLiteral("displayName");
        QTest::newRow("empty body") << QByteArray("{}") << QString() << QString();
        QTest::newRow("all fields") << QByteArray("{\"displayName\":\"김민수\",\"bio\":\"hi\\nthere\",\"avatarUrl\":\"https:\\/\\/img.example/a.png\",\"locale\":\"ko-KR\",\"timeZone\":\"Asia/Seoul\",\"settings\":{\"theme\":\"dark\",\"emailNotifications\":false,\"language\":\"en\"}}") << QString() << QString();
        QTest::newRow("clear nullable") << QByteArray("{\"avatarUrl\":null,\"locale\":null,\"timeZone\":null}") << QString() << QString();
        QTest::newRow("64 Hangul") << QByteArray("{\"displayName\":\"" + QString(64, QChar(0xAE40)).toUtf8() + "\"}") << QString() << QString();
        QTest::newRow("65 chars") << QByteArray("{\"displayName\":\"" + QByteArray(65, 'a') + "\"}") << dn << QStringLiteral("too_long");
        QTest::newRow("blank name") << QByteArray("{\"displayName\":\"   \"}") << dn << QStringLiteral("required");
        QTest::newRow("null name") << QByteArray("{\"displayName\":null}") << dn << QStringLiteral("type");
        QTest::newRow("number name") << QByteArray("{\"displayName\":5}") << dn << QStringLiteral("type");
        QTest::newRow("control char") << QByteArray("{\"displayName\":\"a\\u0007b\"}") << dn << QStringLiteral("invalid_characters");
        QTest::newRow("newline in name") << QByteArray("{\"displayName\":\"a\\nb\"}") << dn << QStringLiteral("invalid_characters");
        QTest::newRow("nul in bio") << QByteArray("{\"bio\":\"a\\u0000b\"}") << QStringLiteral("bio") << QStringLiteral("invalid_characters");
        QTest::newRow("lone surrogate") << QByteArray("{\"displayName\":\"a\\ud800b\"}") << dn << QStringLiteral("invalid_characters");
        QTest::newRow("bio too long") << QByteArray("{\"bio\":\"" + QByteArray(2001, 'b') + "\"}") << QStringLiteral("bio") << QStringLiteral("too_long");
        QTest::newRow("bio 2000") << QByteArray("{\"bio\":\"" + QByteArray(2000, 'b') + "\"}") << QString() << QString();
        QTest::newRow("http avatar") << QByteArray("{\"avatarUrl\":\"http:\\/\\/img.example/a.png\"}") << QStringLiteral("avatarUrl") << QStringLiteral("invalid_url");
        QTest::newRow("javascript avatar") << QByteArray("{\"avatarUrl\":\"javascript:alert(1)\"}") << QStringLiteral("avatarUrl") << QStringLiteral("invalid_url");
        QTest::newRow("avatar no host") << QByteArray("{\"avatarUrl\":\"https:\\/\\/\\/x\"}") << QStringLiteral("avatarUrl") << QStringLiteral("invalid_url");
        QTest::newRow("avatar too long") << QByteArray("{\"avatarUrl\":\"https://a.example/" + QByteArray(490, 'x') + "\"}") << QStringLiteral("avatarUrl") << QStringLiteral("too_long");
        QTest::newRow("bad locale") << QByteArray("{\"locale\":\"k\"}") << QStringLiteral("locale") << QStringLiteral("invalid_format");
        QTest::newRow("locale injection") << QByteArray("{\"locale\":\"en'; DROP\"}") << QStringLiteral("locale") << QStringLiteral("invalid_format");
        QTest::newRow("locale en") << QByteArray("{\"locale\":\"en\"}") << QString() << QString();
        QTest::newRow("bad time zone") << QByteArray("{\"timeZone\":\"Mars/Olympus\"}") << QStringLiteral("timeZone") << QStringLiteral("invalid_time_zone");
        QTest::newRow("tz number") << QByteArray("{\"timeZone\":9}") << QStringLiteral("timeZone") << QStringLiteral("type");
        QTest::newRow("unknown field") << QByteArray("{\"role\":\"admin\"}") << QStringLiteral("role") << QStringLiteral("unknown_field");
        QTest::newRow("settings not object") << QByteArray("{\"settings\":[1]}") << QStringLiteral("settings") << QStringLiteral("type");
        QTest::newRow("unknown setting") << QByteArray("{\"settings\":{\"x\":1}}") << QStringLiteral("settings.x") << QStringLiteral("unknown_field");
        QTest::newRow("setting wrong type") << QByteArray("{\"settings\":{\"emailNotifications\":\"yes\"}}") << QStringLiteral("settings.emailNotifications") << QStringLiteral("type");
        QTest::newRow("theme choice") << QByteArray("{\"settings\":{\"theme\":\"neon\"}}") << QStringLiteral("settings.theme") << QStringLiteral("invalid_choice");
        QTest::newRow("setting removed") << QByteArray("{\"settings\":{\"theme\":null}}") << QString() << QString();
    }

    void patchTable()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QFETCH(QString, code);
        QJsonParseError pe{};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
        QCOMPARE(pe.error, QJsonParseError::NoError);
        auto r = validateProfilePatch(doc.object());
        if (field.isEmpty()) {
            QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().fields.value(0).field + QLatin1Char(' ') + r.error().fields.value(0).code));
            return;
        }
        QVERIFY(!r);
        QCOMPARE(r.error().code, Community::ErrorCode::InvalidArgument);
        QCOMPARE(r.error().fields.size(), 1);
        QCOMPARE(r.error().fields[0].field, field);
        QCOMPARE(r.error().fields[0].code, code);
        QVERIFY(!r.error().fields[0].message.isEmpty());
    }

    void everyErrorReported()
    {
        auto r = validateProfilePatch(obj("{\"displayName\":\"\",\"bio\":3,\"extra\":1,\"settings\":{\"a\":1,\"b\":2}}"));
        QVERIFY(!r);
        QStringList fields;
        for (const auto &f : r.error().fields)
            fields << f.field;
        fields.sort();
        QCOMPARE(fields, (QStringList{"bio", "displayName", "extra", "settings.a", "settings.b"}));
    }

    void patchValuesNormalised()
    {
        auto r = validateProfilePatch(obj("{\"displayName\":\"  Ann  \",\"avatarUrl\":null}"));
        QVERIFY(r);
        QCOMPARE(r->displayName.value, QStringLiteral("Ann"));
        QVERIFY(r->avatarUrl.present && r->avatarUrl.null);
        QVERIFY(!r->bio.present);
        // NFC like every text field: a decomposed name is stored composed.
        auto nfd = validateProfilePatch(QJsonObject{{QStringLiteral("displayName"), QString::fromUtf16(u"\u1112\u1161\u11ab")}});
        QVERIFY(nfd);
        QCOMPARE(nfd->displayName.value, QString::fromUtf16(u"\ud55c"));
    }

    // Through the SDK's parse, as the route reads it: what QJsonDocument alone would let by.
    void patchThroughBodyReader()
    {
        auto parsed = Community::Http::BodyReader::parse(R"({"bio":"a","bio":"b"})");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().fields.value(0).code, QStringLiteral("duplicate_key"));
        parsed = Community::Http::BodyReader::parse(R"({"bio":"\ud800"})");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().fields.value(0).code, QStringLiteral("invalid_characters"));
        auto reader = Community::Http::BodyReader::parse(R"({"bio":"line\nnext","displayName":"x\u0000y"})");
        QVERIFY(reader);
        auto r = validateProfilePatch(*reader);
        QVERIFY(!r);
        QCOMPARE(r.error().fields.size(), 1);
        QCOMPARE(r.error().fields[0].field, QStringLiteral("displayName"));
        QCOMPARE(r.error().fields[0].code, QStringLiteral("invalid_characters"));
    }


    void searchQuery_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expected");   // empty = rejected
        QTest::newRow("plain") << QStringLiteral("  Alice ") << QStringLiteral("alice");
        QTest::newRow("hangul") << QStringLiteral("김민") << QStringLiteral("김민");
        QTest::newRow("with percent") << QStringLiteral("a%b") << QStringLiteral("a%b");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("spaces") << QStringLiteral("   ") << QString();
        QTest::newRow("punctuation only") << QStringLiteral("%_%'\";--") << QString();
        QTest::newRow("percent") << QStringLiteral("%") << QString();
        QTest::newRow("underscore") << QStringLiteral("_") << QString();
        QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << QString(64, QLatin1Char('a'));
        QTest::newRow("65 chars") << QString(65, QLatin1Char('a')) << QString();
        QTest::newRow("10 kB") << QString(10'000, QLatin1Char('a')) << QString();
        QTest::newRow("control") << QStringLiteral("a\u0001b") << QString();
    }

    void searchQuery()
    {
        QFETCH(QString, raw);
        QFETCH(QString, expected);
        auto r = normalizeSearchQuery(raw);
        if (expected.isEmpty()) {
            QVERIFY(!r);
            QCOMPARE(r.error().code, Community::ErrorCode::InvalidArgument);
            QCOMPARE(r.error().fields.value(0).field, QStringLiteral("q"));
        } else {
            QVERIFY(r);
            QCOMPARE(*r, expected);
        }
    }

    void likeEscaping()
    {
        QCOMPARE(escapeLike(QStringLiteral("a%b_c\\d")), QStringLiteral("a\\%b\\_c\\\\d"));
        QCOMPARE(escapeLike(QStringLiteral("김민")), QStringLiteral("김민"));
    }

    void limits()
    {
        QCOMPARE(*parseLimit(QString(), 20, 100), 20);
        QCOMPARE(*parseLimit(QStringLiteral("1"), 20, 100), 1);
        QCOMPARE(*parseLimit(QStringLiteral("100"), 20, 100), 100);
        for (const char *bad : {"0", "101", "-1", "abc", "1.5", "99999999999999"}) {
            auto r = parseLimit(QString::fromLatin1(bad), 20, 100);
            QVERIFY2(!r, bad);
            QCOMPARE(r.error().fields.value(0).field, QStringLiteral("limit"));
        }
    }

    void keysetCursorRoundTrip()
    {
        const KeysetCursor c{1'700'000'000'123'456, 42};
        const QString text = encodeKeysetCursor(c);
        QVERIFY(!text.contains(QLatin1Char(':')));   // opaque
        QCOMPARE(decodeKeysetCursor(text), std::optional<KeysetCursor>(c));
        QVERIFY(!decodeKeysetCursor(QString()));
        QVERIFY(!decodeKeysetCursor(QStringLiteral("garbage!")));
        QVERIFY(!decodeKeysetCursor(encodeOffsetCursor(3)));    // wrong kind
        QVERIFY(!decodeKeysetCursor(QString::fromLatin1(QByteArray("k1:1:x").toBase64())));
        QVERIFY(!decodeKeysetCursor(QString::fromLatin1(QByteArray("k1:1:-5").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))));
        QVERIFY(!decodeKeysetCursor(QString(500, QLatin1Char('A'))));
    }

    void offsetCursorRoundTrip()
    {
        QCOMPARE(decodeOffsetCursor(encodeOffsetCursor(40), 1000), std::optional<int>(40));
        QVERIFY(!decodeOffsetCursor(encodeOffsetCursor(2000), 1000));
        QVERIFY(!decodeOffsetCursor(encodeKeysetCursor({1, 2}), 1000));
    }

    void config()
    {
        auto def = readUsersConfig({}, QStringLiteral("plugins.users"));
        QVERIFY(def);
        QCOMPARE(def->maxPageSize, 100);
        auto custom = readUsersConfig(obj("{\"maxPageSize\":50,\"defaultPageSize\":10}"), QStringLiteral("plugins.users"));
        QVERIFY(custom);
        QCOMPARE(custom->maxPageSize, 50);
        QCOMPARE(custom->defaultPageSize, 10);
        auto unknown = readUsersConfig(obj("{\"maxPageSzie\":50}"), QStringLiteral("plugins.users"));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().fields.value(0).field, QStringLiteral("plugins.users.maxPageSzie"));
        auto bad = readUsersConfig(obj("{\"maxPageSize\":0}"), QStringLiteral("plugins.users"));
        QVERIFY(!bad);
        auto inverted = readUsersConfig(obj("{\"maxPageSize\":10,\"defaultPageSize\":20}"), QStringLiteral("plugins.users"));
        QVERIFY(!inverted);
    }
};

QTEST_GUILESS_MAIN(TstUsersValidation)
#include "tst_usersvalidation.moc"
