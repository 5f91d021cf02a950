// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "apiclient.h"
#include "fakehttpserver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

using namespace Community::Ctl;
using namespace std::chrono_literals;

class TestApiClient : public QObject
{
    Q_OBJECT

private slots:
    void urlFor_data();
    void urlFor();
    void getJsonWithBearerToken();
    void noTokenNoAuthorizationHeader();
    void postSendsJson();
    void httpErrorKeepsStatusAndBody();
    void refusedIsUnreachable();
    void silentServerTimesOut();
};

void TestApiClient::urlFor_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("root") << QString("http://h:1") << QString("/healthz")
                          << QString("http://h:1/healthz");
    QTest::newRow("root slash") << QString("http://h:1/") << QString("/healthz")
                                << QString("http://h:1/healthz");
    QTest::newRow("prefix") << QString("https://h/community/") << QString("/v1/system/info")
                            << QString("https://h/community/v1/system/info");
    QTest::newRow("relative path") << QString("http://h:1/p") << QString("readyz")
                                   << QString("http://h:1/p/readyz");
}

void TestApiClient::urlFor()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    ApiClient client(QUrl(base), {}, 1s);
    QCOMPARE(client.urlFor(path).toString(), expected);
}

void TestApiClient::getJsonWithBearerToken()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    ApiClient client(QUrl(server.url()), "s3cret", 5s);
    const ApiReply reply = client.get("/healthz");
    QCOMPARE(reply.outcome, ApiReply::Outcome::Ok);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.jsonObject().has_value());
    QCOMPARE(reply.jsonObject()->value("status").toString(), QString("ok"));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests[0].headers.value("authorization"), QByteArray("Bearer s3cret"));
    QVERIFY(server.requests[0].headers.value("user-agent").startsWith("communityctl/"));
}

void TestApiClient::noTokenNoAuthorizationHeader()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    ApiClient client(QUrl(server.url()), {}, 5s);
    QVERIFY(client.get("/healthz").ok());
    QVERIFY(!server.requests.value(0).headers.contains("authorization"));
}

void TestApiClient::postSendsJson()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /v1/system/migrations", 200, R"({"dryRun":true,"applied":[]})");
    ApiClient client(QUrl(server.url()), "t", 5s);
    const ApiReply reply = client.post("/v1/system/migrations", QJsonObject{{"dryRun", true}});
    QVERIFY(reply.ok());
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests[0].headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(QJsonDocument::fromJson(server.requests[0].body).object(),
             QJsonObject({{"dryRun", true}}));
}

void TestApiClient::httpErrorKeepsStatusAndBody()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/system/info", 401, R"({"title":"Unauthorized","status":401})",
                 "Unauthorized", "application/problem+json");
    ApiClient client(QUrl(server.url()), "wrong", 5s);
    const ApiReply reply = client.get("/v1/system/info");
    QCOMPARE(reply.outcome, ApiReply::Outcome::HttpError);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.reasonPhrase, QString("Unauthorized"));
    QCOMPARE(reply.jsonObject()->value("title").toString(), QString("Unauthorized"));
}

void TestApiClient::refusedIsUnreachable()
{
    quint16 port = 0;
    {
        QTcpServer probe; // grab a free port, then free it again
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    ApiClient client(QUrl(QString("http://127.0.0.1:%1").arg(port)), {}, 5s);
    const ApiReply reply = client.get("/healthz");
    QCOMPARE(reply.outcome, ApiReply::Outcome::Unreachable);
    QCOMPARE(reply.status, 0);
    QVERIFY2(reply.transportError.contains("refused", Qt::CaseInsensitive),
             qPrintable(reply.transportError));
}

void TestApiClient::silentServerTimesOut()
{
    FakeHttpServer server;
    server.silent = true;
    QVERIFY(server.start());
    ApiClient client(QUrl(server.url()), {}, 300ms);
    QElapsedTimer timer;
    timer.start();
    const ApiReply reply = client.get("/healthz");
    QCOMPARE(reply.outcome, ApiReply::Outcome::Unreachable);
    QCOMPARE(reply.transportError, QString("timed out after 0.3 s"));
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
