// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The built communityctl binary against a live communityd. The daemon starts with
// --no-migrate so that `migrate up` has something to do (when plugins ship migrations).
#include "community/client/blockingclient.h"
#include "daemonprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;

namespace {

struct CtlRun
{
    int exitCode = -1;
    QString out;
    QString err;

    QJsonDocument json() const { return QJsonDocument::fromJson(out.toUtf8()); }
};

qsizetype countState(const QJsonArray &migrations, const QString &state)
{
    qsizetype n = 0;
    for (const QJsonValue &m : migrations)
        n += m.toObject().value("state").toString() == state ? 1 : 0;
    return n;
}

} // namespace

class TestCommunityCtl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void statusTable();
    void statusJson();
    void pluginsListMatchesSystemInfo();
    void migrateCycle();
    void tokenFromFileAndEnvironment();
    void wrongTokenIsExit1();
    void missingTokenIsExit1();
    void unreachableIsExit3();
    void badUsageIsExit2_data();
    void badUsageIsExit2();
    void topShowsLiveFrames();

private:
    CtlRun ctl(QStringList args, const QProcessEnvironment &extraEnv = {}, bool withServer = true,
               bool withToken = true);

    Community::Test::DaemonProcess m_daemon;
    QString m_server;
    QString m_token;
};

void TestCommunityCtl::initTestCase()
{
    QVERIFY2(QFileInfo::exists(COMMUNITY_BIN_DIR "/communityctl"), "communityctl is not built");
    Community::Test::DaemonProcess::Options options;
    options.extraArgs = QStringList{"--no-migrate"};
    // With the built service plugins `migrate up` has real work; without any, the
    // commands are still exercised on the empty lists.
    const QDir plugins(COMMUNITY_PLUGIN_DIR);
    if (plugins.exists() && !plugins.entryList(QDir::Files).isEmpty())
        options.pluginDirs = QStringList{plugins.absolutePath()};
    QVERIFY2(m_daemon.start(options), qPrintable(m_daemon.errorString()));
    m_server = m_daemon.baseUrl().toString();
    m_token = m_daemon.operatorToken();
    QVERIFY(!m_token.isEmpty());
}

void TestCommunityCtl::cleanupTestCase()
{
    m_daemon.stop();
}

CtlRun TestCommunityCtl::ctl(QStringList args, const QProcessEnvironment &extraEnv,
                             bool withServer, bool withToken)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Nothing from the developer's shell may steer the binary under test.
    for (const QString &key : env.keys()) {
        if (key.startsWith("COMMUNITY_") || key.compare("http_proxy", Qt::CaseInsensitive) == 0)
            env.remove(key);
    }
    for (const QString &key : extraEnv.keys())
        env.insert(key, extraEnv.value(key));
    if (withToken)
        args.prepend(m_token), args.prepend("--token");
    if (withServer)
        args.prepend(m_server), args.prepend("--server");

    QProcess process;
    process.setProcessEnvironment(env);
    process.start(COMMUNITY_BIN_DIR "/communityctl", args);
    CtlRun r;
    if (!process.waitForStarted(10000) || !process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        r.err = "communityctl did not finish: " + process.errorString();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

#define CTL_EXPECT(run, code)                                                                \
    QVERIFY2((run).exitCode == (code),                                                       \
             qPrintable(QString("exit %1, expected %2\nstdout:\n%3\nstderr:\n%4\ndaemon:\n%5") \
                            .arg((run).exitCode)                                             \
                            .arg(code)                                                       \
                            .arg((run).out, (run).err, QString(m_daemon.output()).right(4000))))

void TestCommunityCtl::statusTable()
{
    const CtlRun r = ctl({"status"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression("^version +0\\.1\\.0$",
                                               QRegularExpression::MultilineOption)),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("^uptime +(\\d+[dhm] )*\\d+s$",
                                               QRegularExpression::MultilineOption)),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("^readiness +(ready|not ready)$",
                                               QRegularExpression::MultilineOption)),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("^plugins +\\d+ \\(\\d+ running\\)$",
                                               QRegularExpression::MultilineOption)),
             qPrintable(r.out));
    QVERIFY2(!r.out.contains(m_token), "the operator token must never be printed");
}

void TestCommunityCtl::statusJson()
{
    const CtlRun r = ctl({"-o", "json", "status"});
    CTL_EXPECT(r, 0);
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(r.out));
    QCOMPARE(json.value("health").toObject().value("status").toString(), QString("ok"));
    QCOMPARE(json.value("info").toObject().value("version").toString(), QString("0.1.0"));
    const QString mode =
        json.value("info").toObject().value("database").toObject().value("mode").toString();
    QVERIFY2(mode == "embedded" || mode == "external", qPrintable(mode));
    QVERIFY(json.value("readiness").isObject());
    // Stable shape: the same command twice prints the same keys.
    const CtlRun again = ctl({"-o", "json", "status"});
    CTL_EXPECT(again, 0);
    QCOMPARE(again.json().object().keys(), json.keys());
}

void TestCommunityCtl::pluginsListMatchesSystemInfo()
{
    Community::Client::BlockingClient client(m_daemon.baseUrl(), m_token, 10s);
    const Community::Client::ApiReply info = client.get("/v1/system/info");
    QVERIFY2(info.ok(), info.body.constData());
    const QJsonArray expected = info.jsonObject()->value("plugins").toArray();

    const CtlRun json = ctl({"plugins", "list", "-o", "json"});
    CTL_EXPECT(json, 0);
    QVERIFY(json.json().isArray());
    QCOMPARE(json.json().array(), expected);

    const CtlRun table = ctl({"plugins", "list"});
    CTL_EXPECT(table, 0);
    if (expected.isEmpty()) {
        QCOMPARE(table.out, QString("no plugins\n"));
    } else {
        QVERIFY2(table.out.contains(QRegularExpression("\\AID +VERSION +STATE +DEPENDENCIES\n")),
                 qPrintable(table.out));
        QCOMPARE(table.out.count('\n'), expected.size() + 1);
        for (const QJsonValue &p : expected) {
            const QString id = p.toObject().value("id").toString();
            QVERIFY2(table.out.contains(QRegularExpression("^" + QRegularExpression::escape(id) + " ",
                                                           QRegularExpression::MultilineOption)),
                     qPrintable(table.out));
        }
    }
}

void TestCommunityCtl::migrateCycle()
{
    // Before: whatever the plugins ship is pending (the daemon runs with --no-migrate).
    CtlRun before = ctl({"migrate", "status", "-o", "json"});
    CTL_EXPECT(before, 0);
    const QJsonArray migrations = before.json().object().value("migrations").toArray();
    const qsizetype pending = countState(migrations, "pending");
    QCOMPARE(countState(migrations, "changed"), qsizetype(0));
    const bool withAuth = QFileInfo::exists(COMMUNITY_PLUGIN_DIR "/community_auth.so");

    // While migrations are pending the plugins wait: their routes answer 503.
    if (withAuth && pending > 0) {
        const CtlRun waiting = ctl({"users", "list"});
        CTL_EXPECT(waiting, 1);
        QVERIFY2(waiting.err.startsWith("communityctl: 503 "), qPrintable(waiting.err));
    }

    const CtlRun table = ctl({"migrate", "status"});
    CTL_EXPECT(table, 0);
    if (migrations.isEmpty())
        QCOMPARE(table.out, QString("no migrations\n"));
    else
        QVERIFY2(table.out.contains(QRegularExpression("\\APLUGIN +VERSION +NAME +STATE +APPLIED AT\n")),
                 qPrintable(table.out));

    // Dry run: lists exactly the pending ones and changes nothing.
    const CtlRun dryJson = ctl({"migrate", "up", "--dry-run", "-o", "json"});
    CTL_EXPECT(dryJson, 0);
    QCOMPARE(dryJson.json().object().value("dryRun").toBool(), true);
    QCOMPARE(dryJson.json().object().value("applied").toArray().size(), pending);
    const CtlRun dryTable = ctl({"migrate", "up", "--dry-run"});
    CTL_EXPECT(dryTable, 0);
    if (pending == 0)
        QCOMPARE(dryTable.out, QString("nothing to apply\n"));
    else
        QVERIFY2(dryTable.out.startsWith(QString("would apply %1 migration").arg(pending)),
                 qPrintable(dryTable.out));
    const CtlRun still = ctl({"migrate", "status", "-o", "json"});
    CTL_EXPECT(still, 0);
    QCOMPARE(countState(still.json().object().value("migrations").toArray(), "pending"), pending);

    // Apply for real.
    const CtlRun up = ctl({"migrate", "up"});
    CTL_EXPECT(up, 0);
    if (pending == 0)
        QCOMPARE(up.out, QString("nothing to apply\n"));
    else
        QVERIFY2(up.out.startsWith(QString("applied %1 migration").arg(pending)), qPrintable(up.out));

    const CtlRun after = ctl({"migrate", "status", "-o", "json"});
    CTL_EXPECT(after, 0);
    const QJsonArray applied = after.json().object().value("migrations").toArray();
    QCOMPARE(applied.size(), migrations.size());
    QCOMPARE(countState(applied, "applied"), applied.size());
    for (const QJsonValue &m : applied)
        QVERIFY2(m.toObject().value("appliedAt").isString(), QJsonDocument(m.toObject()).toJson().constData());
    const CtlRun afterTable = ctl({"migrate", "status"});
    CTL_EXPECT(afterTable, 0);
    QVERIFY2(!afterTable.out.contains(" pending "), qPrintable(afterTable.out));

    // Idempotent, and the node is ready once everything is applied.
    const CtlRun again = ctl({"migrate", "up"});
    CTL_EXPECT(again, 0);
    QCOMPARE(again.out, QString("nothing to apply\n"));
    const CtlRun status = ctl({"status"});
    CTL_EXPECT(status, 0);
    QVERIFY2(status.out.contains(QRegularExpression("^readiness +ready$",
                                                    QRegularExpression::MultilineOption)),
             qPrintable(status.out));

    // ... and the plugins start after `migrate up`: the auth plugin's admin routes answer.
    if (withAuth) {
        QTRY_COMPARE_WITH_TIMEOUT(ctl({"users", "list"}).exitCode, 0, 30000);
        const CtlRun users = ctl({"users", "list", "-o", "json"});
        CTL_EXPECT(users, 0);
        QVERIFY2(users.json().object().value("items").isArray(), qPrintable(users.out));
    }
}

void TestCommunityCtl::tokenFromFileAndEnvironment()
{
    QTemporaryDir dir;
    QFile file(dir.filePath("operator.token"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_token.toUtf8() + '\n');
    file.close();

    CtlRun r = ctl({"--token-file", file.fileName(), "plugins", "list"}, {}, true, false);
    CTL_EXPECT(r, 0);

    QProcessEnvironment env;
    env.insert("COMMUNITY_SERVER", m_server);
    env.insert("COMMUNITY_TOKEN", m_token);
    r = ctl({"plugins", "list"}, env, false, false);
    CTL_EXPECT(r, 0);
}

void TestCommunityCtl::wrongTokenIsExit1()
{
    const CtlRun r = ctl({"--token", "not-the-token", "status"}, {}, true, false);
    CTL_EXPECT(r, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("communityctl: 401 "), qPrintable(r.err));
    QVERIFY(!r.err.contains("not-the-token"));

    const CtlRun migrate = ctl({"--token", "not-the-token", "migrate", "up"}, {}, true, false);
    CTL_EXPECT(migrate, 1);
    QVERIFY2(migrate.err.contains("401"), qPrintable(migrate.err));
}

void TestCommunityCtl::missingTokenIsExit1()
{
    const CtlRun r = ctl({"migrate", "status"}, {}, true, false);
    CTL_EXPECT(r, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains("401"), qPrintable(r.err));
}

void TestCommunityCtl::unreachableIsExit3()
{
    quint16 port = 0;
    {
        QTcpServer probe; // a port that was free a moment ago, with nothing listening now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const QString url = QString("http://127.0.0.1:%1").arg(port);
    const CtlRun r = ctl({"--server", url, "--timeout", "5", "status"}, {}, false, true);
    CTL_EXPECT(r, 3);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("communityctl: cannot reach " + url + ": "), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCommunityCtl::badUsageIsExit2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{"frobnicate"};
    QTest::newRow("bad output format") << QStringList{"-o", "yaml", "status"};
    QTest::newRow("plugins without subcommand") << QStringList{"plugins"};
    QTest::newRow("negative timeout") << QStringList{"--timeout", "-1", "status"};
}

void TestCommunityCtl::badUsageIsExit2()
{
    QFETCH(QStringList, args);
    const CtlRun r = ctl(args);
    CTL_EXPECT(r, 2);
    QVERIFY(!r.err.isEmpty());
    QVERIFY(r.out.isEmpty());
}

// Issue 16: `top` reads the admin:metrics stream of the realtime hub; plain blocks when
// stdout is not a terminal; a bad token ends it with exit 1.
void TestCommunityCtl::topShowsLiveFrames()
{
    const CtlRun r = ctl({"top", "--count", "2"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out.count("communityd top — " + m_server), 2);
    QVERIFY2(r.out.contains(QRegularExpression("requests [0-9.]+/s   4xx [0-9.]+/s   5xx [0-9.]+/s   websockets 1   pool \\d+/\\d+ in use")),
             qPrintable(r.out));
    QVERIFY2(!r.out.contains('\033'), "no terminal escapes when stdout is not a terminal");
    const CtlRun bad = ctl({"--token", "not-the-token", "top", "--count", "1", "--wait", "5"}, {}, true, false);
    CTL_EXPECT(bad, 1);
    QVERIFY(!bad.out.contains("communityd top"));
}

QTEST_GUILESS_MAIN(TestCommunityCtl)
#include "tst_communityctl.moc"
