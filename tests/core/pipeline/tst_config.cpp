// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/config.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Community;

class TstConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fileEnvAndSetsLayer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"http": {"listen": "127.0.0.1:1", "maxBodyBytes": 10}, "plugins": {"auth": {"x": 1}}})");
        f.close();
        QProcessEnvironment env;
        env.insert(QStringLiteral("COMMUNITY_HTTP__LISTEN"), QStringLiteral("127.0.0.1:2"));
        env.insert(QStringLiteral("COMMUNITY_HTTP__MAXBODYBYTES"), QStringLiteral("20"));
        env.insert(QStringLiteral("COMMUNITY_SERVER"), QStringLiteral("ignored: a tool's variable"));
        auto c = Config::load(path, env, {QStringLiteral("http.listen=127.0.0.1:3"), QStringLiteral("plugins.auth.y=true")});
        QVERIFY(c);
        QCOMPARE(c->subtree(QStringLiteral("http")).value(QStringLiteral("listen")).toString(), QStringLiteral("127.0.0.1:3"));
        // The environment variable matched the existing camelCase key.
        QCOMPARE(c->subtree(QStringLiteral("http")).value(QStringLiteral("maxBodyBytes")).toInt(), 20);
        QCOMPARE(c->subtree(QStringLiteral("plugins.auth")).value(QStringLiteral("y")).toBool(), true);
        QCOMPARE(c->subtree(QStringLiteral("plugins.auth")).value(QStringLiteral("x")).toInt(), 1);
        QVERIFY(!c->root().contains(QStringLiteral("server")));
    }

    void badFileNamesLine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"http\": {\n    \"listen\": ,\n  }\n}\n");
        f.close();
        auto c = Config::load(path, {}, {});
        QVERIFY(!c);
        QVERIFY2(c.error().message.contains(path + QStringLiteral(":3:")), qPrintable(c.error().message));
        QVERIFY(!Config::load(dir.filePath(QStringLiteral("missing.json")), {}, {}));
        QVERIFY(!Config::load({}, {}, {QStringLiteral("novalue")}));
    }

    void readerRejectsUnknownKeysWithFullPath()
    {
        ConfigReader r(QJsonObject{{QStringLiteral("poolSize"), 4}, {QStringLiteral("poolSzie"), 5},
                                   {QStringLiteral("nested"), QJsonObject{{QStringLiteral("typo"), 1}}}},
                       QStringLiteral("plugins.auth"));
        QCOMPARE(r.integer(QStringLiteral("poolSize"), 1, 1, 10), 4);
        ConfigReader nested = r.child(QStringLiteral("nested"));
        auto res = r.finish();
        QVERIFY(!res);
        QCOMPARE(res.error().fields.size(), 1);
        QCOMPARE(res.error().fields[0].field, QStringLiteral("plugins.auth.poolSzie"));
        auto nres = nested.finish();
        QVERIFY(!nres);
        QCOMPARE(nres.error().fields[0].field, QStringLiteral("plugins.auth.nested.typo"));
    }

    void readerTypeAndRangeErrors_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("code");
        QTest::newRow("string for int") << QJsonValue(QStringLiteral("8")) << QStringLiteral("type");
        QTest::newRow("fraction") << QJsonValue(1.5) << QStringLiteral("type");
        QTest::newRow("too big") << QJsonValue(100) << QStringLiteral("range");
        QTest::newRow("too small") << QJsonValue(0) << QStringLiteral("range");
    }
    void readerTypeAndRangeErrors()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, code);
        ConfigReader r(QJsonObject{{QStringLiteral("n"), value}}, QStringLiteral("db"));
        QCOMPARE(r.integer(QStringLiteral("n"), 7, 1, 10), 7);
        auto res = r.finish();
        QVERIFY(!res);
        QCOMPARE(res.error().fields[0].field, QStringLiteral("db.n"));
        QCOMPARE(res.error().fields[0].code, code);
    }

    void secretsFromFilesAndNeverPrinted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secret"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("s3cret\n");
        f.close();
        ConfigReader r(QJsonObject{{QStringLiteral("urlFile"), path}}, QStringLiteral("database"));
        const Secret s = r.secret(QStringLiteral("url"));
        QVERIFY(r.finish());
        QCOMPARE(s.reveal(), QStringLiteral("s3cret"));
        QCOMPARE(s.toString(), QStringLiteral("***"));

        ConfigReader both(QJsonObject{{QStringLiteral("url"), QStringLiteral("x")}, {QStringLiteral("urlFile"), path}},
                          QStringLiteral("database"));
        both.secret(QStringLiteral("url"));
        QVERIFY(!both.finish());
    }
};

QTEST_GUILESS_MAIN(TstConfig)
#include "tst_config.moc"
