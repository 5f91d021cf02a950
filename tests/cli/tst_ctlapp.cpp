// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commands.h"
#include "ctlapp.h"
#include "fakehttpserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace Community::Ctl;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(QStringList args)
{
    args.prepend("communityctl");
    std::vector<QByteArray> storage;
    std::vector<const char *> argv;
    for (const QString &a : args)
        storage.push_back(a.toLocal8Bit());
    for (const QByteArray &a : storage)
        argv.push_back(a.constData());
    std::ostringstream out;
    std::ostringstream err;
    Run r;
    r.exitCode = runCtl(int(argv.size()), argv.data(), out, err);
    r.out = QString::fromStdString(out.str());
    r.err = QString::fromStdString(err.str());
    return r;
}

const QByteArray kInfo =
    R"({"version":"0.1.0","node":"n1","startedAt":"2024-05-01T10:00:00Z","uptimeSeconds":42,)"
    R"("database":{"mode":"embedded"},"services":["auth"],)"
    R"("plugins":[{"id":"auth","version":"1.0.0","state":"running","dependencies":[]}]})";

void serveHealthyNode(FakeHttpServer &server)
{
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    server.route("GET /readyz", 200,
                 R"({"status":"ready","checks":{"database":"ok","migrations":"ok","plugins":"ok"}})");
    server.route("GET /v1/system/info", 200, kInfo);
}

} // namespace

class TestCtlApp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void statusTable();
    void statusJson();
    void statusNotReadyIsStillAnAnswer();
    void unauthorizedIsOneLineExit1();
    void unreachableIsOneLineExit3();
    void usageErrors_data();
    void usageErrors();
    void helpExitsZero();
    void tokenFromFileAndEnvironment();
    void unreadableTokenFile();
    void pluginsListJson();
    void migrateUpDryRun();
};

void TestCtlApp::initTestCase()
{
    for (const char *name : {"COMMUNITY_SERVER", "COMMUNITY_TOKEN", "COMMUNITY_TOKEN_FILE"})
        qunsetenv(name);
}

void TestCtlApp::statusTable()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    serveHealthyNode(server);
    const Run r = run({"--server", server.url(), "--token", "t", "status"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    QVERIFY2(r.out.contains("version    0.1.0\n"), qPrintable(r.out));
    QVERIFY2(r.out.contains("uptime     42s\n"), qPrintable(r.out));
    QVERIFY2(r.out.contains("readiness  ready\n"), qPrintable(r.out));
    QVERIFY2(r.out.contains("plugins    1 (1 running)\n"), qPrintable(r.out));
    QVERIFY2(!r.out.contains("t\n"), "the token must never be printed");
    // The shared client's requests, naming communityctl, with the token.
    QCOMPARE(server.requests.size(), 3);
    for (const FakeRequest &request : std::as_const(server.requests)) {
        QVERIFY(request.headers.value("user-agent").startsWith("communityctl/"));
        QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer t"));
    }
}

void TestCtlApp::statusJson()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    serveHealthyNode(server);
    // Global options after the subcommand work too.
    const Run r = run({"status", "--server", server.url(), "-o", "json"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(doc.object().value("info").toObject(), QJsonDocument::fromJson(kInfo).object());
    QCOMPARE(doc.object().value("ready").toBool(), true);
}

void TestCtlApp::statusNotReadyIsStillAnAnswer()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    serveHealthyNode(server);
    server.route("GET /readyz", 503,
                 R"({"title":"Not ready","status":503,"reasons":["migrations pending"]})",
                 "Service Unavailable", "application/problem+json");
    const Run r = run({"--server", server.url(), "status"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY2(r.out.contains("readiness  not ready\n"), qPrintable(r.out));
    QVERIFY2(r.out.contains("reasons    migrations pending\n"), qPrintable(r.out));
}

void TestCtlApp::unauthorizedIsOneLineExit1()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    serveHealthyNode(server);
    server.route("GET /v1/system/info", 401,
                 R"({"title":"Unauthorized","status":401,"detail":"invalid operator token"})",
                 "Unauthorized", "application/problem+json");
    const Run r = run({"--server", server.url(), "--token", "wrong-token", "status"});
    QCOMPARE(r.exitCode, int(ExitServerError));
    QCOMPARE(r.err, QString("communityctl: 401 Unauthorized: invalid operator token\n"));
    QVERIFY(r.out.isEmpty());
}

void TestCtlApp::unreachableIsOneLineExit3()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const QString url = QString("http://127.0.0.1:%1").arg(port);
    const Run r = run({"--server", url, "migrate", "status"});
    QCOMPARE(r.exitCode, int(ExitUnreachable));
    QVERIFY2(r.err.startsWith("communityctl: cannot reach " + url + ": "), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
}

void TestCtlApp::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{"frobnicate"};
    QTest::newRow("unknown option") << QStringList{"--bogus", "status"};
    QTest::newRow("bad output") << QStringList{"-o", "xml", "status"};
    QTest::newRow("zero timeout") << QStringList{"--timeout", "0", "status"};
    QTest::newRow("migrate without subcommand") << QStringList{"migrate"};
    QTest::newRow("bad server url") << QStringList{"--server", "127.0.0.1:8080", "status"};
    QTest::newRow("dry-run on status") << QStringList{"migrate", "status", "--dry-run"};
}

void TestCtlApp::usageErrors()
{
    QFETCH(QStringList, args);
    const Run r = run(args);
    QCOMPARE(r.exitCode, int(ExitUsage));
    QVERIFY(!r.err.isEmpty());
}

void TestCtlApp::helpExitsZero()
{
    const Run r = run({"--help"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY2(r.out.contains("--token-file"), qPrintable(r.out));
    QVERIFY2(r.out.contains("COMMUNITY_SERVER"), qPrintable(r.out));
}

void TestCtlApp::tokenFromFileAndEnvironment()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    serveHealthyNode(server);
    QTemporaryDir dir;
    QFile file(dir.filePath("operator.token"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("from-file\n");
    file.close();

    qputenv("COMMUNITY_SERVER", server.url().toUtf8());
    qputenv("COMMUNITY_TOKEN_FILE", file.fileName().toUtf8());
    Run r = run({"plugins", "list"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(server.requests.last().headers.value("authorization"), QByteArray("Bearer from-file"));

    // An explicit token wins over the file.
    r = run({"--token", "explicit", "plugins", "list"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(server.requests.last().headers.value("authorization"), QByteArray("Bearer explicit"));
    qunsetenv("COMMUNITY_SERVER");
    qunsetenv("COMMUNITY_TOKEN_FILE");
}

void TestCtlApp::unreadableTokenFile()
{
    const Run r = run({"--token-file", "/nonexistent/operator.token", "status"});
    QCOMPARE(r.exitCode, int(ExitUsage));
    QVERIFY2(r.err.startsWith("communityctl: cannot read token file /nonexistent/operator.token"),
             qPrintable(r.err));
}

void TestCtlApp::pluginsListJson()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    serveHealthyNode(server);
    const Run r = run({"--server", server.url(), "-o", "json", "plugins", "list"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array(),
             QJsonDocument::fromJson(kInfo).object().value("plugins").toArray());
}

void TestCtlApp::migrateUpDryRun()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /v1/system/migrations", 200, R"({"dryRun":true,"applied":[]})");
    const Run r = run({"--server", server.url(), "migrate", "up", "--dry-run"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(r.out, QString("nothing to apply\n"));
    QCOMPARE(QJsonDocument::fromJson(server.requests.value(0).body).object(),
             QJsonObject({{"dryRun", true}}));
}

QTEST_GUILESS_MAIN(TestCtlApp)
#include "tst_ctlapp.moc"
