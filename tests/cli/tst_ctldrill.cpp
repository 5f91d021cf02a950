// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// `communityctl chaos ...` and `communityctl drill ...` against a real daemon with
// chaos.enabled and every plugin (docs/adr/0019-chaos-faults-and-drills.md).
#include "adminhttp.h"

#include <QEventLoop>
#include <QTimer>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <csignal>

using namespace Admin::Test;

class TstCtlDrill : public QObject {
    Q_OBJECT
    AdminHttp h;
    QTemporaryDir state;

    /// The built communityctl with the operator token, waited for in an event loop: the
    /// daemon's output keeps being read meanwhile (a full pipe would stall the daemon's
    /// logging, and so its requests, for the rest of a long drill).
    AdminHttp::CtlRun ctl(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"),
                QStringList{"--server", h.daemon.baseUrl().toString(), "--token", h.daemon.operatorToken()} + args);
        AdminHttp::CtlRun r;
        if (!p.waitForStarted(10'000))
            return r;
        p.closeWriteChannel();
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(240'000, &loop, &QEventLoop::quit);
        if (p.state() != QProcess::NotRunning)
            loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }
    QJsonObject report(const AdminHttp::CtlRun &run) { return QJsonDocument::fromJson(run.out.toUtf8()).object(); }
    int activeFaults() { return h.op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray().size(); }
    QString drillFile(const QString &name, const QJsonObject &drill)
    {
        const QString path = state.filePath(name + QStringLiteral(".json"));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(QJsonDocument(drill).toJson());
        return path;
    }
    /// A drill that holds an http.abort fault on post reads for `seconds`.
    QJsonObject abortDrill(int seconds, const QJsonArray &abortWhen)
    {
        return QJsonObject{{"name", "abort-reads"},
                           {"fault", QJsonObject{{"kind", "http.abort"}, {"status", 500}, {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}}}},
                           {"load", QJsonObject{{"kind", "reads"}, {"concurrency", 2}, {"ratePerSecond", 40}, {"steadySeconds", 1}, {"durationSeconds", seconds}}},
                           {"hypothesis", QJsonArray{QJsonObject{{"metric", "hung"}, {"max", 0}}}},
                           {"abortWhen", abortWhen},
                           {"recovery", QJsonObject{{"budgetSeconds", 5}}}};
    }

    /// Starts a 60 s drill in the background; true once its fault is in place.
    bool startLongDrill(QProcess &p, const QString &name)
    {
        p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"),
                {"--server", h.daemon.baseUrl().toString(), "--token", h.daemon.operatorToken(), "drill", "run",
                 drillFile(name, abortDrill(60, {}))});
        if (!p.waitForStarted())
            return false;
        QTest::qWaitFor([&] { return activeFaults() == 1; }, 20000);
        return activeFaults() == 1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(state.isValid());
        qputenv("XDG_STATE_HOME", state.path().toUtf8());
        // Drills send thousands of requests: no access log into the harness's pipe.
        h.extraSets << QStringLiteral("chaos.enabled=true") << QStringLiteral("events.pollIntervalMs=100")
                    << QStringLiteral("log.access=off");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
    }

    void chaosCommands()
    {
        auto run = ctl({"chaos", "inject", "http.delay", "--route", "/v1/posts/{id}", "--delay-ms", "50", "--ttl", "30"});
        QVERIFY2(run.exitCode == 0 && run.out.startsWith("injected f-"), qPrintable(run.err + run.out));
        const QString id = run.out.section(QLatin1Char(' '), 1, 1);
        run = ctl({"chaos", "faults"});
        QVERIFY2(run.out.contains(id) && run.out.contains("route=/v1/posts/{id}"), qPrintable(run.out));
        QCOMPARE(ctl({"chaos", "clear", id}).exitCode, 0);
        QCOMPARE(ctl({"chaos", "clear", id}).exitCode, 1);
        ctl({"chaos", "inject", "db.latency", "--delay-ms", "1", "--route", "/v1/nowhere"});
        ctl({"chaos", "inject", "event.pause", "--plugin", "nobody"});
        run = ctl({"chaos", "stop-all"});
        QVERIFY2(run.out.contains("2 fault(s) cleared"), qPrintable(run.out));
        QCOMPARE(activeFaults(), 0);
        QCOMPARE(ctl({"chaos", "inject", "no.such"}).exitCode, 1);
    }

    /// Each chaos operation once over plain HTTP (the answers are recorded for
    /// tst_responseschemas; the CLI's are not).
    void chaosApiAnswersAsDescribed()
    {
        const auto lease = h.op("POST", QStringLiteral("/v1/admin/chaos/leases"), R"({"ttlSeconds":10})");
        QCOMPARE(lease.status, 201);
        const QString leaseId = lease.json().value("id").toString();
        QCOMPARE(h.op("POST", QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(leaseId)).status, 200);
        const auto fault = h.op("POST", QStringLiteral("/v1/admin/chaos/faults"),
                                QJsonDocument(QJsonObject{{"kind", "http.delay"}, {"lease", leaseId}, {"ttlSeconds", 30},
                                                          {"selector", QJsonObject{{"route", "/v1/nowhere"}}}}).toJson());
        QCOMPARE(fault.status, 201);
        QCOMPARE(h.op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray().size(), 1);
        QCOMPARE(h.op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + fault.json().value("id").toString()).status, 204);
        QCOMPARE(h.op("DELETE", QStringLiteral("/v1/admin/chaos/leases/") + leaseId).status, 200);
        QCOMPARE(h.op("POST", QStringLiteral("/v1/admin/chaos/stop-all")).json().value("cleared").toInt(), 0);
    }

    void listsShippedDrills()
    {
        const auto run = ctl({"drill", "list"});
        for (const char *name : {"db-drop-comment-writes", "duplicate-event-delivery", "slow-db-reads", "consumer-pause", "websocket-mass-disconnect"})
            QVERIFY2(run.out.contains(QLatin1String(name)), name);
    }

    void shippedDrillPassesOnAHealthyNode_data()
    {
        QTest::addColumn<QString>("drill");
        for (const char *name : {"db-drop-comment-writes", "duplicate-event-delivery", "slow-db-reads", "consumer-pause", "websocket-mass-disconnect"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void shippedDrillPassesOnAHealthyNode()
    {
        QFETCH(QString, drill);
        const auto run = ctl({"-o", "json", "drill", "run", drill});
        const QJsonObject r = report(run);
        QVERIFY2(run.exitCode == 0 && r.value("verdict") == QLatin1String("PASS"), qPrintable(run.out + run.err));
        const QJsonObject under = r.value("underFault").toObject(), ledger = r.value("ledger").toObject();
        qInfo().noquote() << QStringLiteral("%1: %2, under fault %3 requests / %4 5xx / %5 hung, %6 fault hits, ledger %7 checked / "
                                            "%8 lost / %9 duplicates, recovery %10 s")
                                 .arg(drill, r.value("verdict").toString()).arg(under.value("requests").toInt())
                                 .arg(under.value("errors5xx").toInt()).arg(under.value("hung").toInt())
                                 .arg(r.value("faultHits").toDouble()).arg(ledger.value("checked").toInt())
                                 .arg(ledger.value("lost").toInt()).arg(ledger.value("duplicates").toInt())
                                 .arg(r.value("recoverySeconds").toDouble());
        QVERIFY(r.value("faultHits").toDouble() > 0);
        if (drill != QLatin1String("slow-db-reads"))   // the others write: their ledger is reconciled
            QVERIFY2(r.value("ledger").toObject().value("checked").toDouble() > 0, qPrintable(run.out));
        QVERIFY(r.value("recoverySeconds").isDouble());
        QCOMPARE(activeFaults(), 0);
    }

    void impossibleHypothesisFailsNamingTheCheck()
    {
        QJsonObject drill{{"name", "impossible-reads"},
                          {"fault", QJsonObject{{"kind", "db.latency"}, {"delayMs", 300}, {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}}}},
                          {"load", QJsonObject{{"kind", "reads"}, {"concurrency", 2}, {"steadySeconds", 2}, {"durationSeconds", 3}}},
                          {"hypothesis", QJsonArray{QJsonObject{{"metric", "p95"}, {"route", "GET /v1/posts/{id}"}, {"max", 0.1}}}}};
        const auto run = ctl({"drill", "run", drillFile("impossible", drill)});
        QVERIFY2(run.exitCode == 4, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains("verdict:      FAIL") || run.out.contains("FAIL"), qPrintable(run.out));
        QVERIFY2(run.out.contains("inject (p95(GET /v1/posts/{id}) <= 0.1)"), qPrintable(run.out));
        QCOMPARE(activeFaults(), 0);
    }

    void steadyStateThatDoesNotHoldIsInvalid()
    {
        QJsonObject drill = abortDrill(2, {});
        drill.insert("hypothesis", QJsonArray{QJsonObject{{"metric", "p95"}, {"route", "GET /v1/posts/{id}"}, {"max", 0.0000001}}});
        const auto run = ctl({"-o", "json", "drill", "run", drillFile("invalid", drill)});
        QCOMPARE(run.exitCode, 6);
        QCOMPARE(report(run).value("phase").toString(), QStringLiteral("steady-state"));
        QCOMPARE(report(run).value("faultId").toString(), QString());   // nothing injected
    }

    void abortConditionAborts()
    {
        const auto run = ctl({"-o", "json", "drill", "run",
                                drillFile("abort", abortDrill(20, {QJsonObject{{"metric", "errorRatio"}, {"max", 0.2}}}))});
        const QJsonObject r = report(run);
        QVERIFY2(run.exitCode == 5, qPrintable(run.out + run.err));
        QCOMPARE(r.value("failedCheck").toString(), QStringLiteral("errorRatio <= 0.2"));
        QVERIFY(r.value("recoverySeconds").isDouble());
        QCOMPARE(activeFaults(), 0);
        QCOMPARE(h.call("GET", QStringLiteral("/v1/communities/drills")).status, 200);
    }

    void abortOnRequestRemovesTheFault()
    {
        QProcess p;
        QVERIFY(startLongDrill(p, QStringLiteral("long")));
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 5);
        QCOMPARE(activeFaults(), 0);
        QVERIFY(ctl({"drill", "status"}).out.contains("ABORTED"));
    }

    void killedRunnerLeavesNothingBehind()
    {
        QProcess p;
        QVERIFY(startLongDrill(p, QStringLiteral("long2")));
        p.kill();   // SIGKILL: no cleanup; the lease lapses (dead-man switch)
        p.waitForFinished();
        QTRY_VERIFY_WITH_TIMEOUT(activeFaults() == 0, 10000);
    }

    void killedDaemonMidDrillHasNoFaultAfterRestart()
    {
        QProcess p;
        QVERIFY(startLongDrill(p, QStringLiteral("long3")));
        h.daemon.kill();
        QVERIFY2(h.daemon.restart(), qPrintable(h.daemon.errorString()));
        QCOMPARE(activeFaults(), 0);
        QCOMPARE(h.daemon.get(QStringLiteral("/readyz")).json().value("chaos").toObject().value("activeFaults").toInt(), 0);
        p.waitForFinished(30000);
        QVERIFY(p.exitCode() != 0);
        p.kill();
    }

    void historyKeepsEveryRun()
    {
        const auto run = ctl({"-o", "json", "drill", "history", "--limit", "50"});
        const QJsonArray runs = QJsonDocument::fromJson(run.out.toUtf8()).array();
        QVERIFY2(runs.size() >= 7, qPrintable(run.out));
        QStringList verdicts;
        for (const QJsonValue &v : runs)
            verdicts << v.toObject().value("verdict").toString();
        for (const char *v : {"PASS", "FAIL", "INVALID", "ABORTED"})
            QVERIFY2(verdicts.contains(QLatin1String(v)), v);
    }
};

QTEST_GUILESS_MAIN(TstCtlDrill)
#include "tst_ctldrill.moc"
