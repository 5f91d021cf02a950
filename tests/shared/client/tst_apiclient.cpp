// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/apiclient.h"
#include "community/client/blockingclient.h"
#include "community/client/communityapi.h"
#include "community/client/endpoints.h"
#include "fakehttpserver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Community;
using namespace Community::Client;
using namespace std::chrono_literals;

class TestApiClient : public QObject
{
    Q_OBJECT

private slots:
    // Blocking adapter (what communityctl relies on).
    void urlFor_data();
    void urlFor();
    void pathSegment();
    void getJsonWithBearerToken();
    void neutralUserAgentUnlessSet();
    void noTokenNoAuthorizationHeader();
    void postSendsJson();
    void patchSendsJson();
    void customHeadersReplaceDefaults();
    void httpErrorKeepsStatusAndBody();
    void refusedIsUnreachable();
    void silentServerTimesOut();
    void perRequestTimeout();

    // problem+json -> Error.
    void statusMapsToErrorCode_data();
    void statusMapsToErrorCode();
    void problemBecomesError();
    void errorWithoutProblemBody();
    void transportErrorIsUnavailableOrTimeout();

    // Asynchronous core.
    void asyncCallbackAndSignal();
    void cancelEndsWithCancelled();
    void cancelAfterFinishIsNoOp();
    void fetchSendsTheTokenOnlyToTheApiOrigin();
    void fetchRefusesLargeBodies();
    void noDiskCache();

    // Typed calls.
    void typedSystemInfo();
    void typedReadinessTakes503AsAnswer();
    void typedCallKeepsProblem();
    void typedCallRejectsNonObject();
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
    QTest::newRow("encoded query") << QString("http://h:1/p") << QString("/v1/search?q=a%20b&x=1")
                                   << QString("http://h:1/p/v1/search?q=a%20b&x=1");
}

void TestApiClient::urlFor()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    BlockingClient client(QUrl(base), {}, 1s);
    QCOMPARE(client.urlFor(path).toString(QUrl::FullyEncoded), expected);
}

void TestApiClient::pathSegment()
{
    QCOMPARE(BlockingClient::pathSegment("a/b"), QString("a%2Fb"));
    QCOMPARE(BlockingClient::pathSegment(QString::fromUtf8("김")), QString("%EA%B9%80"));
    BlockingClient client(QUrl("http://h:1"), {}, 1s);
    QCOMPARE(client.urlFor("/v1/admin/users/" + BlockingClient::pathSegment("a/b")).path(QUrl::FullyEncoded),
             QString("/v1/admin/users/a%2Fb"));
}

void TestApiClient::getJsonWithBearerToken()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    BlockingClient client(QUrl(server.url()), "s3cret", 5s);
    const ApiReply reply = client.get("/healthz");
    QCOMPARE(reply.outcome, ApiReply::Outcome::Ok);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.jsonObject().has_value());
    QCOMPARE(reply.jsonObject()->value("status").toString(), QString("ok"));
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests[0].headers.value("authorization"), QByteArray("Bearer s3cret"));
}

void TestApiClient::neutralUserAgentUnlessSet()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    BlockingClient client(QUrl(server.url()), {}, 5s);
    QVERIFY(client.get("/healthz").ok());
    QCOMPARE(server.requests.value(0).headers.value("user-agent"), ApiClient::defaultUserAgent());
    QVERIFY(ApiClient::defaultUserAgent().startsWith("community-client/"));

    client.async().setUserAgent("communityctl/9");
    QVERIFY(client.get("/healthz").ok());
    QCOMPARE(server.requests.value(1).headers.value("user-agent"), QByteArray("communityctl/9"));
}

void TestApiClient::noTokenNoAuthorizationHeader()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    BlockingClient client(QUrl(server.url()), {}, 5s);
    QVERIFY(client.get("/healthz").ok());
    QVERIFY(!server.requests.value(0).headers.contains("authorization"));
}

void TestApiClient::postSendsJson()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /v1/system/migrations", 200, R"({"dryRun":true,"applied":[]})");
    BlockingClient client(QUrl(server.url()), "t", 5s);
    const ApiReply reply = client.post("/v1/system/migrations", QJsonObject{{"dryRun", true}});
    QVERIFY(reply.ok());
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests[0].headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(QJsonDocument::fromJson(server.requests[0].body).object(),
             QJsonObject({{"dryRun", true}}));
}

void TestApiClient::patchSendsJson()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    BlockingClient client(QUrl(server.url() + "/prefix"), "t", 5s);
    server.route("PATCH /prefix/v1/users/me", 200, R"({"displayName":"Kim"})");
    const ApiReply reply = client.patch("/v1/users/me", QJsonObject{{"displayName", "Kim"}});
    QVERIFY2(reply.ok(), reply.body.constData());
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests[0].method, QByteArray("PATCH"));
    QCOMPARE(server.requests[0].path, QByteArray("/prefix/v1/users/me"));
    QCOMPARE(server.requests[0].headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(QJsonDocument::fromJson(server.requests[0].body).object(),
             QJsonObject({{"displayName", "Kim"}}));
    QCOMPARE(reply.jsonObject()->value("displayName").toString(), QString("Kim"));
}

void TestApiClient::customHeadersReplaceDefaults()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /upload", 201, R"({})", "Created");
    BlockingClient client(QUrl(server.url()), "default-token", 5s);
    ApiRequest request;
    request.method = "POST";
    request.path = "/upload";
    request.body = "plain text";
    request.headers = {{"Content-Type", "text/plain"}, {"Authorization", "Bearer other"}};
    QVERIFY(client.send(request).ok());
    QCOMPARE(server.requests.value(0).headers.value("content-type"), QByteArray("text/plain"));
    QCOMPARE(server.requests.value(0).headers.value("authorization"), QByteArray("Bearer other"));
    QCOMPARE(server.requests.value(0).body, QByteArray("plain text"));
}

void TestApiClient::httpErrorKeepsStatusAndBody()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/system/info", 401, R"({"title":"Unauthorized","status":401})",
                 "Unauthorized", "application/problem+json");
    BlockingClient client(QUrl(server.url()), "wrong", 5s);
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
    BlockingClient client(QUrl(QString("http://127.0.0.1:%1").arg(port)), {}, 5s);
    const ApiReply reply = client.get("/healthz");
    QCOMPARE(reply.outcome, ApiReply::Outcome::Unreachable);
    QCOMPARE(reply.status, 0);
    QVERIFY(!reply.timedOut);
    QVERIFY2(reply.transportError.contains("refused", Qt::CaseInsensitive),
             qPrintable(reply.transportError));
}

void TestApiClient::silentServerTimesOut()
{
    FakeHttpServer server;
    server.silent = true;
    QVERIFY(server.start());
    BlockingClient client(QUrl(server.url()), {}, 300ms);
    QElapsedTimer timer;
    timer.start();
    const ApiReply reply = client.get("/healthz");
    QCOMPARE(reply.outcome, ApiReply::Outcome::Unreachable);
    QVERIFY(reply.timedOut);
    QCOMPARE(reply.transportError, QString("timed out after 0.3 s"));
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void TestApiClient::perRequestTimeout()
{
    FakeHttpServer server;
    server.silent = true;
    QVERIFY(server.start());
    BlockingClient client(QUrl(server.url()), {}, 60s);
    ApiRequest request;
    request.path = "/slow";
    request.timeout = 200ms;
    QElapsedTimer timer;
    timer.start();
    const ApiReply reply = client.send(request);
    QVERIFY(reply.timedOut);
    QCOMPARE(reply.transportError, QString("timed out after 0.2 s"));
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void TestApiClient::statusMapsToErrorCode_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("400") << 400 << ErrorCode::InvalidArgument;
    QTest::newRow("401") << 401 << ErrorCode::Unauthorized;
    QTest::newRow("403") << 403 << ErrorCode::Forbidden;
    QTest::newRow("404") << 404 << ErrorCode::NotFound;
    QTest::newRow("409") << 409 << ErrorCode::Conflict;
    QTest::newRow("412") << 412 << ErrorCode::Conflict;
    QTest::newRow("413") << 413 << ErrorCode::PayloadTooLarge;
    QTest::newRow("415 other 4xx") << 415 << ErrorCode::InvalidArgument;
    QTest::newRow("422") << 422 << ErrorCode::InvalidArgument;
    QTest::newRow("429") << 429 << ErrorCode::RateLimited;
    QTest::newRow("500") << 500 << ErrorCode::Internal;
    QTest::newRow("502") << 502 << ErrorCode::Unavailable;
    QTest::newRow("503") << 503 << ErrorCode::Unavailable;
    QTest::newRow("504") << 504 << ErrorCode::Timeout;
}

void TestApiClient::statusMapsToErrorCode()
{
    QFETCH(int, status);
    QFETCH(ErrorCode, code);
    QCOMPARE(errorCodeForStatus(status), code);
}

void TestApiClient::problemBecomesError()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /v1/auth/register", 400, R"({
        "type": "https://community.example/problems/validation",
        "title": "Invalid request", "status": 400,
        "detail": "2 fields are invalid",
        "errors": [{"field": "username", "message": "too short", "code": "too_short"},
                   {"field": "settings.locale", "message": "unknown", "code": "unknown_locale"}]})",
                 "Bad Request", "application/problem+json");
    BlockingClient client(QUrl(server.url()), {}, 5s);
    const ApiReply reply = client.post("/v1/auth/register", QJsonObject{{"username", "a"}});
    const ApiError e = reply.error();
    QCOMPARE(e.code, ErrorCode::InvalidArgument);
    QCOMPARE(e.status, 400);
    QCOMPARE(e.problemType, QString("https://community.example/problems/validation"));
    QCOMPARE(e.type, QString("validation"));
    QCOMPARE(e.title, QString("Invalid request"));
    QCOMPARE(e.detail, QString("2 fields are invalid"));
    QCOMPARE(e.message, QString("2 fields are invalid"));
    QCOMPARE(e.fields.size(), 2);
    QCOMPARE(e.fields[1].field, QString("settings.locale"));
    QCOMPARE(e.fields[1].message, QString("unknown"));
    QCOMPARE(e.fields[1].code, QString("unknown_locale"));
    QVERIFY2(e.logDetail.contains("/v1/auth/register"), qPrintable(e.logDetail));
    QCOMPARE(reply.problem()->slug(), QString("validation"));

    const Error &plain = e; // callers that only know Error see the same values
    QCOMPARE(plain.code, ErrorCode::InvalidArgument);
    QCOMPARE(errorCodeName(plain.code), QString("invalid_argument"));
}

void TestApiClient::errorWithoutProblemBody()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /readyz", 503, "busy", "Service Unavailable", "text/plain");
    BlockingClient client(QUrl(server.url()), {}, 5s);
    const ApiError e = client.get("/readyz").error();
    QCOMPARE(e.code, ErrorCode::Unavailable);
    QCOMPARE(e.status, 503);
    QVERIFY(e.problemType.isEmpty());
    QCOMPARE(e.message, QString("Service Unavailable"));
    QVERIFY(e.fields.isEmpty());
}

void TestApiClient::transportErrorIsUnavailableOrTimeout()
{
    FakeHttpServer server;
    server.silent = true;
    QVERIFY(server.start());
    BlockingClient client(QUrl(server.url()), {}, 100ms);
    const ApiError timedOut = client.get("/healthz").error();
    QCOMPARE(timedOut.code, ErrorCode::Timeout);
    QCOMPARE(timedOut.status, 0);
    QCOMPARE(timedOut.message, QString("timed out after 0.1 s"));

    server.close();
    const ApiError refused = client.get("/healthz").error();
    QCOMPARE(refused.code, ErrorCode::Unavailable);
    QVERIFY(!refused.message.isEmpty());
}

void TestApiClient::asyncCallbackAndSignal()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /a", 200, R"({"n":1})");
    server.route("GET /b", 404, R"({"title":"Not Found","status":404})", "Not Found",
                 "application/problem+json");
    ApiClient client(QUrl(server.url()), {}, 5s);

    QList<int> statuses;
    client.send(Endpoints::health(), [&](const ApiReply &) {}); // not routed: 404, ignored
    PendingReply *a = client.get("/a");
    QSignalSpy spy(a, &PendingReply::finished);
    PendingReply *b = client.send(ApiRequest{"GET", "/b"},
                                  [&](const ApiReply &reply) { statuses << reply.status; });
    QVERIFY(!a->isFinished() && !b->isFinished()); // nothing is delivered synchronously
    QTRY_COMPARE(spy.size(), 1);
    QTRY_COMPARE(statuses, QList<int>{404});
    const auto reply = spy.at(0).at(0).value<ApiReply>();
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.jsonObject()->value("n").toInt(), 1);
}

// An image a post links to lives on another host: it must not receive the user's token.
void TestApiClient::fetchSendsTheTokenOnlyToTheApiOrigin()
{
    FakeHttpServer api, elsewhere;
    QVERIFY(api.start());
    QVERIFY(elsewhere.start());
    api.route("GET /v1/files/1/content", 200, "png", "OK", "image/png");
    elsewhere.route("GET /cat.png", 200, "png", "OK", "image/png");
    ApiClient client(QUrl(api.url()), "s3cret", 5s);
    QSignalSpy own(client.fetch(QUrl(api.url() + "/v1/files/1/content"), 1024), &PendingReply::finished);
    QSignalSpy other(client.fetch(QUrl(elsewhere.url() + "/cat.png"), 1024), &PendingReply::finished);
    QTRY_COMPARE(own.size(), 1);
    QTRY_COMPARE(other.size(), 1);
    QCOMPARE(own.at(0).at(0).value<ApiReply>().body, QByteArray("png"));
    QCOMPARE(other.at(0).at(0).value<ApiReply>().body, QByteArray("png"));
    QCOMPARE(api.requests.value(0).headers.value("authorization"), QByteArray("Bearer s3cret"));
    QCOMPARE(elsewhere.requests.size(), 1);
    QVERIFY(!elsewhere.requests.value(0).headers.contains("authorization"));
}

void TestApiClient::fetchRefusesLargeBodies()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /big.png", 200, QByteArray(64 * 1024, 'x'), "OK", "image/png");
    ApiClient client(QUrl(server.url()), {}, 5s);
    QSignalSpy done(client.fetch(QUrl(server.url() + "/big.png"), 1000), &PendingReply::finished);
    QTRY_COMPARE(done.size(), 1);
    const auto reply = done.at(0).at(0).value<ApiReply>();
    QCOMPARE(reply.outcome, ApiReply::Outcome::Unreachable);
    QVERIFY2(reply.transportError.contains("larger than 1000 bytes"), qPrintable(reply.transportError));
    QVERIFY(reply.body.isEmpty());
}

// What the client receives stays in memory (the console shows reported media with it).
void TestApiClient::noDiskCache()
{
    ApiClient client(QUrl("http://127.0.0.1:1"), {}, 5s);
    QVERIFY(client.network()->cache() == nullptr);
}

void TestApiClient::cancelEndsWithCancelled()
{
    FakeHttpServer server;
    server.silent = true;
    QVERIFY(server.start());
    ApiClient client(QUrl(server.url()), {}, 30s);
    std::optional<ApiReply> result;
    PendingReply *pending = client.get("/never");
    connect(pending, &PendingReply::finished, this, [&](const ApiReply &r) { result = r; });
    QTRY_VERIFY(!server.findChildren<QTcpSocket *>().isEmpty()); // the request is on the wire
    QElapsedTimer timer;
    timer.start();
    pending->cancel();
    QTRY_VERIFY(result.has_value());
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(result->outcome, ApiReply::Outcome::Cancelled);
    QVERIFY(!result->timedOut);
    QCOMPARE(result->transportError, QString("cancelled"));
    QVERIFY(!result->ok());
}

void TestApiClient::cancelAfterFinishIsNoOp()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    ApiClient client(QUrl(server.url()), {}, 5s);
    QPointer<PendingReply> pending = client.get("/healthz");
    int calls = 0;
    connect(pending, &PendingReply::finished, this, [&](const ApiReply &r) {
        ++calls;
        QCOMPARE(r.outcome, ApiReply::Outcome::Ok);
        pending->cancel(); // inside the signal: already finished
    });
    QTRY_COMPARE(calls, 1);
    QTRY_VERIFY(pending.isNull()); // deletes itself after delivering
    QCOMPARE(calls, 1);
}

void TestApiClient::typedSystemInfo()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/system/info", 200, R"({
        "version": "0.1.0", "node": "n1", "uptimeSeconds": 42, "database": {"mode": "external"},
        "services": ["auth"],
        "plugins": [{"id": "auth", "version": "1.0.0", "state": "running",
                     "dependencies": [{"id": "core", "minVersion": "1.0", "optional": true}]}]})");
    BlockingClient blocking(QUrl(server.url()), "t", 5s);
    CommunityApi api(blocking);
    const ApiResult<SystemInfo> info = api.systemInfo();
    QVERIFY(info.has_value());
    QCOMPARE(info->version, QString("0.1.0"));
    QCOMPARE(info->uptimeSeconds, qint64(42));
    QCOMPARE(info->databaseMode, QString("external"));
    QCOMPARE(info->services, QStringList{"auth"});
    QCOMPARE(info->plugins.size(), 1);
    QCOMPARE(info->plugins[0].state, QString("running"));
    QCOMPARE(info->plugins[0].dependencies.value(0).minVersion, QString("1.0"));
    QVERIFY(info->plugins[0].dependencies.value(0).optional);
    QCOMPARE(api.plugins()->value(0).id, QString("auth"));
}

void TestApiClient::typedReadinessTakes503AsAnswer()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /readyz", 503, R"({"status":"not ready","reasons":["database"]})",
                 "Service Unavailable");
    BlockingClient blocking(QUrl(server.url()), {}, 5s);
    const auto ready = CommunityApi(blocking).readiness();
    QVERIFY(ready.has_value());
    QVERIFY(!ready->ready);
    QCOMPARE(ready->reasons, QStringList{"database"});
}

void TestApiClient::typedCallKeepsProblem()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/a%2Fb", 404,
                 R"({"type":"https://community.example/problems/not-found","title":"Not Found",
                     "status":404,"detail":"no user a/b"})",
                 "Not Found", "application/problem+json");
    BlockingClient blocking(QUrl(server.url()), "t", 5s);
    const auto user = CommunityApi(blocking).user("a/b");
    QVERIFY(!user.has_value());
    QCOMPARE(user.error().code, ErrorCode::NotFound);
    QCOMPARE(user.error().detail, QString("no user a/b"));
    QCOMPARE(user.error().problemType, QString("https://community.example/problems/not-found"));
}

void TestApiClient::typedCallRejectsNonObject()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/search/status", 200, "[1,2]");
    BlockingClient blocking(QUrl(server.url()), {}, 5s);
    const auto status = CommunityApi(blocking).searchStatus();
    QVERIFY(!status.has_value());
    QCOMPARE(status.error().code, ErrorCode::Internal);
    QCOMPARE(status.error().status, 200);
}

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
