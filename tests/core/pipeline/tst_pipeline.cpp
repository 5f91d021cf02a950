// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Every middleware behaviour, through real HTTP against a real communityd with the
// probe fixture plugin and the test PostgreSQL.

#include "daemonprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

using namespace Community::Test;

class TstPipeline : public QObject {
    Q_OBJECT

    DaemonProcess m_daemon;

    static void verifyProblem(const HttpResult &r, int status, const QString &slug)
    {
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("status")).toInt(), status);
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("https://community.example/problems/") + slug);
        QVERIFY(!o.value(QStringLiteral("title")).toString().isEmpty());
        QCOMPARE(o.value(QStringLiteral("requestId")).toString(), QString::fromLatin1(r.header("x-request-id")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("http.cors.allowedOrigins=[\"https://app.example\"]")};
        QVERIFY2(m_daemon.start(o), qPrintable(m_daemon.errorString()));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_daemon.stop(), 0);
    }

    void healthAndReady()
    {
        auto h = m_daemon.get(QStringLiteral("/healthz"));
        QCOMPARE(h.status, 200);
        QCOMPARE(h.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        auto r = m_daemon.get(QStringLiteral("/readyz"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("checks")).toObject().value(QStringLiteral("database")).toString(),
                 QStringLiteral("ok"));
    }

    void requestIdAcceptedOrCreated()
    {
        auto given = m_daemon.get(QStringLiteral("/healthz"), {{"X-Request-Id", "abc-123"}});
        QCOMPARE(given.header("x-request-id"), QByteArray("abc-123"));
        auto created = m_daemon.get(QStringLiteral("/healthz"));
        QCOMPARE(created.header("x-request-id").size(), 32);
        // A hostile id (control characters, too long) is replaced, not echoed.
        auto hostile = m_daemon.get(QStringLiteral("/healthz"), {{"X-Request-Id", QByteArray(300, 'a')}});
        QCOMPARE(hostile.header("x-request-id").size(), 32);
        QVERIFY(created.header("x-request-id") != m_daemon.get(QStringLiteral("/healthz")).header("x-request-id"));
    }

    void traceparentPropagated()
    {
        const QByteArray incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        auto r = m_daemon.get(QStringLiteral("/healthz"), {{"traceparent", incoming}});
        const QByteArray tp = r.header("traceparent");
        QCOMPARE(tp.size(), 55);
        QVERIFY(tp.startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
        QVERIFY(!tp.contains("00f067aa0ba902b7"));  // our own span id
        QVERIFY(tp.endsWith("-01"));
        auto fresh = m_daemon.get(QStringLiteral("/healthz"), {{"traceparent", "garbage"}});
        QVERIFY(QRegularExpression(QStringLiteral("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$"))
                    .match(QString::fromLatin1(fresh.header("traceparent"))).hasMatch());
    }

    void accessLogLinePerRequest()
    {
        auto r = m_daemon.get(QStringLiteral("/v1/probe/items/a"), {{"X-Request-Id", "log-line-probe"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("count")).toInt(), 2);
        QJsonObject line;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            for (const QByteArray &l : m_daemon.output().split('\n')) {
                if (l.contains("\"log-line-probe\"")) {
                    line = QJsonDocument::fromJson(l).object();
                    return true;
                }
            }
            return false;
        }()), 5000);
        QCOMPARE(line.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
        QCOMPARE(line.value(QStringLiteral("route")).toString(), QStringLiteral("/v1/probe/items/{name}"));
        QCOMPARE(line.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/probe/items/a"));
        QCOMPARE(line.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(line.value(QStringLiteral("bytes")).toInt(), r.body.size());
        QVERIFY(line.value(QStringLiteral("durationMs")).toDouble() > 0);
        QCOMPARE(line.value(QStringLiteral("traceId")).toString().size(), 32);
    }

    void notFoundIsProblem()
    {
        auto r = m_daemon.get(QStringLiteral("/v1/nothing/here"));
        verifyProblem(r, 404, QStringLiteral("not-found"));
    }

    void methodNotAllowedHasAllow()
    {
        auto r = httpRequest(m_daemon.url(QStringLiteral("/healthz")), "DELETE");
        verifyProblem(r, 405, QStringLiteral("method-not-allowed"));
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD"));
    }

    void bodyLimitPerRoute()
    {
        const QByteArray big = "{\"x\":\"" + QByteArray(2000, 'a') + "\"}";
        auto r = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "POST", big);
        verifyProblem(r, 413, QStringLiteral("payload-too-large"));
        auto ok = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "POST", R"({"x":1})");
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value(QStringLiteral("x")).toInt(), 1);
    }

    void serverBodyLimit()
    {
        // Over the server-wide 1 MiB limit: refused before the handler runs.
        const QByteArray huge(2 * 1024 * 1024, 'a');
        auto r = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "POST", huge);
        QCOMPARE(r.status, 413);
    }

    void unsupportedMediaType()
    {
        auto r = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "POST", "x=1",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
        verifyProblem(r, 415, QStringLiteral("unsupported-media-type"));
    }

    void malformedJson()
    {
        auto r = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "POST", "{\"x\":");
        verifyProblem(r, 400, QStringLiteral("malformed-json"));
    }

    void internalErrorLeaksNothing()
    {
        auto r = m_daemon.get(QStringLiteral("/v1/probe/throw"));
        verifyProblem(r, 500, QStringLiteral("internal"));
        QVERIFY(!r.body.contains("hunter2"));
        QVERIFY(!r.body.contains("secret"));
        // The server keeps serving.
        QCOMPARE(m_daemon.get(QStringLiteral("/healthz")).status, 200);
    }

    void corsAllowedOriginAndPreflight()
    {
        auto r = m_daemon.get(QStringLiteral("/healthz"), {{"Origin", "https://app.example"}});
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example"));
        QCOMPARE(r.header("vary"), QByteArray("Origin"));
        auto other = m_daemon.get(QStringLiteral("/healthz"), {{"Origin", "https://evil.example"}});
        QVERIFY(other.header("access-control-allow-origin").isEmpty());
        auto pre = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "OPTIONS", {},
                               {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(pre.status, 204);
        QCOMPARE(pre.header("access-control-allow-methods"), QByteArray("POST"));
        QCOMPARE(pre.header("access-control-allow-origin"), QByteArray("https://app.example"));
        auto denied = httpRequest(m_daemon.url(QStringLiteral("/v1/probe/echo")), "OPTIONS", {},
                                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(denied.status, 403);
    }

    void operatorRoutesNeedToken()
    {
        auto anon = m_daemon.get(QStringLiteral("/v1/system/info"));
        verifyProblem(anon, 401, QStringLiteral("unauthorized"));
        QVERIFY(anon.header("www-authenticate").startsWith("Bearer"));
        auto wrong = m_daemon.get(QStringLiteral("/v1/system/info"), {{"Authorization", "Bearer nope"}});
        QCOMPARE(wrong.status, 401);
        auto ok = m_daemon.operatorRequest("GET", QStringLiteral("/v1/system/info"));
        QCOMPARE(ok.status, 200);
        const QJsonObject info = ok.json();
        QCOMPARE(info.value(QStringLiteral("version")).toString(), QStringLiteral("0.1.0"));
        QCOMPARE(info.value(QStringLiteral("database")).toObject().value(QStringLiteral("mode")).toString(),
                 QStringLiteral("external"));
        const QJsonArray plugins = info.value(QStringLiteral("plugins")).toArray();
        QCOMPARE(plugins.size(), 1);
        QCOMPARE(plugins[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("probe"));
        QCOMPARE(plugins[0].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QVERIFY(info.value(QStringLiteral("uptimeSeconds")).toDouble() >= 0);
    }

    void migrationsAppliedAtStart()
    {
        auto r = m_daemon.operatorRequest("GET", QStringLiteral("/v1/system/migrations"));
        QCOMPARE(r.status, 200);
        const QJsonArray m = r.json().value(QStringLiteral("migrations")).toArray();
        // The core's own sets (events: the outbox and its actor columns; realtime: durable
        // frames; settings: the runtime layer, ADR 0032) come first, then the probe's two.
        QCOMPARE(m.size(), 6);
        QCOMPARE(m[0].toObject().value(QStringLiteral("plugin")).toString(), QStringLiteral("events"));
        QCOMPARE(m[1].toObject().value(QStringLiteral("plugin")).toString(), QStringLiteral("events"));
        QCOMPARE(m[2].toObject().value(QStringLiteral("plugin")).toString(), QStringLiteral("realtime"));
        QCOMPARE(m[3].toObject().value(QStringLiteral("plugin")).toString(), QStringLiteral("settings"));
        QCOMPARE(m[4].toObject().value(QStringLiteral("plugin")).toString(), QStringLiteral("probe"));
        QCOMPARE(m[4].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("applied"));
        auto dry = m_daemon.operatorRequest("POST", QStringLiteral("/v1/system/migrations"), R"({"dryRun":true})");
        QCOMPARE(dry.status, 200);
        QCOMPARE(dry.json().value(QStringLiteral("applied")).toArray().size(), 0);
        auto bad = m_daemon.operatorRequest("POST", QStringLiteral("/v1/system/migrations"), R"({"dryRun":"yes","x":1})");
        verifyProblem(bad, 400, QStringLiteral("validation"));
        QCOMPARE(bad.json().value(QStringLiteral("errors")).toArray().size(), 2);
    }

    void metricsExposeRequestsAndPool()
    {
        m_daemon.get(QStringLiteral("/v1/probe/items/b"));
        auto r = m_daemon.operatorRequest("GET", QStringLiteral("/metrics"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/plain"));
        const QByteArray text = r.body;
        QVERIFY(text.contains(R"(community_http_requests_total{method="GET",route="/v1/probe/items/{name}",status="200"})"));
        QVERIFY(text.contains("community_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/probe/items/{name}\""));
        QVERIFY(text.contains(R"(community_http_requests_total{method="GET",route="unmatched",status="404"})"));
        QVERIFY(text.contains("community_db_pool_in_use"));
        QVERIFY(text.contains("community_db_pool_waiting"));
        QVERIFY(text.contains("community_worker_queue_depth"));
        QVERIFY(text.contains(R"(community_plugin_state{plugin="probe",state="running"} 1)"));
        QVERIFY(text.contains("community_build_info{"));
    }

    // Issue 10 (8): /metrics is for the operator (or an allowlisted scraper, tst_daemon).
    void metricsNeedOperatorToken()
    {
        auto anonymous = m_daemon.get(QStringLiteral("/metrics"));
        verifyProblem(anonymous, 401, QStringLiteral("unauthorized"));
        QVERIFY(anonymous.header("www-authenticate").startsWith("Bearer"));
        QVERIFY(!anonymous.body.contains("community_"));
        auto wrong = m_daemon.get(QStringLiteral("/metrics"), {{"Authorization", "Bearer " + QByteArray(64, 'a')}});
        QCOMPARE(wrong.status, 401);
        auto op = m_daemon.operatorRequest("GET", QStringLiteral("/metrics"));
        QCOMPARE(op.status, 200);
        // The HTTP server's refusals are exported, each reason from the start.
        for (const char *reason : {"max_connections", "per_ip_connections", "header_timeout", "body_timeout",
                                   "body_too_slow", "too_many_headers", "draining"})
            QVERIFY2(op.body.contains(QByteArray("community_http_refusals_total{reason=\"") + reason + "\"}"), reason);
    }

    void systemTimeQueriesDatabase()
    {
        auto r = m_daemon.get(QStringLiteral("/v1/system/time"));
        QCOMPARE(r.status, 200);
        const QDateTime t = QDateTime::fromString(r.json().value(QStringLiteral("now")).toString(), Qt::ISODateWithMs);
        QVERIFY(t.isValid());
        QVERIFY(qAbs(t.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }
};

QTEST_GUILESS_MAIN(TstPipeline)
#include "tst_pipeline.moc"
