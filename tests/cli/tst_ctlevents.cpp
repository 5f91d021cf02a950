// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The built communityctl's event-bus commands (events tail|consumers|replay|retry-dead)
// against a live communityd. This test process is a second node on the daemon's database:
// it publishes events and runs the consumers ("ctl.proj" fails on aggregate "bad" while
// told to, so it has a dead letter; "ctl.idle" subscribes to a type nobody publishes).
// stdin of the binary is a pipe, never a terminal: replay without --yes must refuse.
#include "community/database.h"
#include "community/host/postgreseventbus.h"
#include "daemonprocess.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>

using namespace Community;
using Community::Test::DaemonProcess;

namespace {

struct CtlRun
{
    int exitCode = -1;
    QString out;
    QString err;

    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith("COMMUNITY_") || key.compare("http_proxy", Qt::CaseInsensitive) == 0)
            env.remove(key);
    }
    return env;
}

} // namespace

class TestCtlEvents : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void tailTableAndJson();
    void usageErrors_data();
    void usageErrors();
    void consumersTableAndJson();
    void retryDeadOneAndAll();
    void replayDryRunRefuseApply();
    void followPrintsNewEventsUntilInterrupted_data();
    void followPrintsNewEventsUntilInterrupted();
    void unreachableAndUnauthorized();

private:
    /// communityctl with --server and (unless @p withToken is false) --token prepended.
    CtlRun ctl(QStringList args, bool withToken = true);
    qint64 publish(const QString &aggregate, const QString &type = QStringLiteral("ctl.test"));
    QJsonObject consumer(const QString &name);
    int handled(qint64 id);

    DaemonProcess m_daemon;
    QString m_server;
    QString m_token;
    std::unique_ptr<Db::Database> m_db;
    std::unique_ptr<Events::PostgresEventBus> m_bus;
    std::atomic_bool m_failBad{true};
    std::mutex m_mutex;
    std::map<qint64, int> m_handled; // event id -> successful handler calls of ctl.proj
    QList<qint64> m_ids;              // published in initTestCase: post:1, bad, post:2
};

#define CTL_EXPECT(run, code)                                                                \
    QVERIFY2((run).exitCode == (code),                                                       \
             qPrintable(QString("exit %1, expected %2\nstdout:\n%3\nstderr:\n%4\ndaemon:\n%5") \
                            .arg((run).exitCode)                                             \
                            .arg(code)                                                       \
                            .arg((run).out, (run).err, QString(m_daemon.output()).right(3000))))

void TestCtlEvents::initTestCase()
{
    QVERIFY2(QFileInfo::exists(COMMUNITY_BIN_DIR "/communityctl"), "communityctl is not built");
    QVERIFY2(m_daemon.start(DaemonProcess::Options{}), qPrintable(m_daemon.errorString()));
    m_server = m_daemon.baseUrl().toString();
    m_token = m_daemon.operatorToken();
    QVERIFY(!m_token.isEmpty());

    m_db = std::make_unique<Db::Database>(m_daemon.database()->config(4));
    QVERIFY(m_db->open().has_value());
    Events::EventBusConfig cfg;
    cfg.pollIntervalMs = 100;
    cfg.maxAttempts = 1;
    m_bus = std::make_unique<Events::PostgresEventBus>(*m_db, cfg);
    m_bus->subscribe(QStringLiteral("ctl.proj"), {QStringLiteral("ctl.test")}, [this](const Events::Event &e) -> Result<void> {
        if (m_failBad && e.aggregate == QLatin1String("bad"))
            return fail(ErrorCode::Unavailable, QStringLiteral("projection down"));
        std::lock_guard l(m_mutex);
        ++m_handled[e.id];
        return {};
    });
    m_bus->subscribe(QStringLiteral("ctl.idle"), {QStringLiteral("never.published")},
                     [](const Events::Event &) -> Result<void> { return {}; });
    QVERIFY(m_bus->start().has_value());
    for (const char *agg : {"post:1", "bad", "post:2"})
        m_ids << publish(QString::fromLatin1(agg));
    QVERIFY(m_ids[0] > 0 && m_ids[2] > m_ids[1]);
    // Both consumers are at the end; ctl.proj has one dead letter.
    QTRY_VERIFY_WITH_TIMEOUT(consumer("ctl.proj").value("lastId").toDouble() == double(m_ids[2])
                                 && consumer("ctl.proj").value("dead").toInt() == 1
                                 && consumer("ctl.idle").value("lastId").toDouble() == double(m_ids[2]),
                             10000);
}

void TestCtlEvents::cleanupTestCase()
{
    if (m_bus)
        m_bus->stop();
    m_bus.reset();
    m_db.reset();
    m_daemon.stop();
}

CtlRun TestCtlEvents::ctl(QStringList args, bool withToken)
{
    args = (withToken ? QStringList{"--server", m_server, "--token", m_token} : QStringList{"--server", m_server}) + args;
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment());
    process.start(COMMUNITY_BIN_DIR "/communityctl", args);
    CtlRun r;
    if (!process.waitForStarted(10000)) {
        r.err = "communityctl did not start: " + process.errorString();
        return r;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        r.err = "communityctl did not finish";
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

qint64 TestCtlEvents::publish(const QString &aggregate, const QString &type)
{
    auto id = m_db->transact<qint64>([&](pqxx::work &tx) {
        return m_bus->publish(tx, type, aggregate, {{QStringLiteral("aggregate"), aggregate}});
    });
    return id ? *id : -1;
}

QJsonObject TestCtlEvents::consumer(const QString &name)
{
    const auto r = m_daemon.operatorRequest("GET", QStringLiteral("/v1/system/events/consumers"));
    for (const QJsonValue &v : r.json().value("consumers").toArray()) {
        if (v.toObject().value("consumer").toString() == name)
            return v.toObject();
    }
    return {};
}

int TestCtlEvents::handled(qint64 id)
{
    std::lock_guard l(m_mutex);
    const auto it = m_handled.find(id);
    return it == m_handled.end() ? 0 : it->second;
}

void TestCtlEvents::tailTableAndJson()
{
    CtlRun r = ctl({"events", "tail"});
    CTL_EXPECT(r, 0);
    QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + m_ids.size());
    QVERIFY2(QRegularExpression("^ID +CREATED +TYPE +AGGREGATE +PAYLOAD$").match(lines[0]).hasMatch(), qPrintable(lines[0]));
    QVERIFY2(QRegularExpression(QString("^%1 +\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z +ctl\\.test +bad +\\{\"aggregate\":\"bad\"\\}$").arg(m_ids[1]))
                 .match(lines[2]).hasMatch(), qPrintable(lines[2]));
    QVERIFY(r.err.isEmpty());

    // A page after an id, as JSON: the server's answer as is.
    r = ctl({"events", "tail", "--after", QString::number(m_ids[0]), "--limit", "1", "-o", "json"});
    CTL_EXPECT(r, 0);
    const QJsonArray events = r.json().value("events").toArray();
    QCOMPARE(events.size(), 1);
    QCOMPARE(qint64(events[0].toObject().value("id").toDouble()), m_ids[1]);
    QCOMPARE(events[0].toObject().value("payload").toObject().value("aggregate").toString(), QStringLiteral("bad"));

    // A full page in the table: where to continue goes to stderr.
    r = ctl({"events", "tail", "--after", QString::number(m_ids[0]), "--limit", "1"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out.split('\n', Qt::SkipEmptyParts).size(), 2);
    QCOMPARE(r.err, QString("communityctl: more events may follow: --after %1\n").arg(m_ids[1]));

    r = ctl({"events", "tail", "--after", QString::number(m_ids[2] + 1000)});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QStringLiteral("no events\n"));
}

void TestCtlEvents::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("events alone") << QStringList{"events"};
    QTest::newRow("tail limit 0") << QStringList{"events", "tail", "--limit", "0"};
    QTest::newRow("tail limit 1001") << QStringList{"events", "tail", "--limit", "1001"};
    QTest::newRow("tail negative after") << QStringList{"events", "tail", "--after", "-1"};
    QTest::newRow("replay without --from") << QStringList{"events", "replay", "--consumer", "ctl.proj", "--yes"};
    QTest::newRow("replay without --consumer") << QStringList{"events", "replay", "--from", "1", "--yes"};
    QTest::newRow("replay from 0") << QStringList{"events", "replay", "--consumer", "ctl.proj", "--from", "0", "--yes"};
    QTest::newRow("consumers extra arg") << QStringList{"events", "consumers", "ctl.proj"};
}

void TestCtlEvents::usageErrors()
{
    QFETCH(QStringList, args);
    const qint64 before = qint64(consumer("ctl.proj").value("lastId").toDouble());
    const CtlRun r = ctl(args);
    CTL_EXPECT(r, 2);
    QVERIFY(!r.err.isEmpty());
    QVERIFY(r.out.isEmpty());
    QCOMPARE(qint64(consumer("ctl.proj").value("lastId").toDouble()), before);
}

void TestCtlEvents::consumersTableAndJson()
{
    CtlRun r = ctl({"events", "consumers"});
    CTL_EXPECT(r, 0);
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(QRegularExpression("^CONSUMER +OFFSET +LAG +DEAD +RETRYING +UPDATED$").match(lines[0]).hasMatch(), qPrintable(lines[0]));
    QVERIFY2(QRegularExpression(QString("^ctl\\.idle +%1 +0 +0 +0 +\\d{4}-").arg(m_ids[2])).match(lines[1]).hasMatch(), qPrintable(lines[1]));
    QVERIFY2(QRegularExpression(QString("^ctl\\.proj +%1 +0 +1 +0 +\\d{4}-").arg(m_ids[2])).match(lines[2]).hasMatch(), qPrintable(lines[2]));

    r = ctl({"-o", "json", "events", "consumers"});
    CTL_EXPECT(r, 0);
    const QJsonArray consumers = r.json().value("consumers").toArray();
    QCOMPARE(consumers.size(), 2);
    const QJsonObject proj = consumers[1].toObject();
    QCOMPARE(proj.value("consumer").toString(), QStringLiteral("ctl.proj"));
    QCOMPARE(qint64(proj.value("lastId").toDouble()), m_ids[2]);
    QCOMPARE(proj.value("dead").toInt(), 1);
    QCOMPARE(proj.value("retrying").toInt(), 0);
}

void TestCtlEvents::retryDeadOneAndAll()
{
    // An unknown consumer: the server's 404, one line, exit 1.
    CtlRun r = ctl({"events", "retry-dead", "--consumer", "nobody"});
    CTL_EXPECT(r, 1);
    QVERIFY2(r.err.startsWith("communityctl: 404"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);

    // Every consumer: the dead letter of ctl.proj is delivered once the projection is back.
    QCOMPARE(handled(m_ids[1]), 0);
    m_failBad = false;
    r = ctl({"-o", "json", "events", "retry-dead"});
    CTL_EXPECT(r, 0);
    const QJsonObject json = r.json();
    QCOMPARE(json.value("retried").toInt(), 1);
    const QJsonArray results = json.value("consumers").toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].toObject(), (QJsonObject{{"consumer", "ctl.idle"}, {"retried", 0}}));
    QCOMPARE(results[1].toObject(), (QJsonObject{{"consumer", "ctl.proj"}, {"retried", 1}}));
    QTRY_COMPARE_WITH_TIMEOUT(handled(m_ids[1]), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(consumer("ctl.proj").value("dead").toInt(), 0, 5000);

    // One consumer, table: nothing left to retry.
    r = ctl({"events", "retry-dead", "--consumer", "ctl.proj"});
    CTL_EXPECT(r, 0);
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(QRegularExpression("^CONSUMER +RETRIED$").match(lines[0]).hasMatch());
    QVERIFY2(QRegularExpression("^ctl\\.proj +0$").match(lines[1]).hasMatch(), qPrintable(lines[1]));
}

void TestCtlEvents::replayDryRunRefuseApply()
{
    const QString from = QString::number(m_ids[0]);
    const qint64 offset = qint64(consumer("ctl.proj").value("lastId").toDouble());
    QCOMPARE(offset, m_ids[2]);

    // stdin is a pipe and there is no --yes: refused before any request, nothing moves.
    CtlRun r = ctl({"events", "replay", "--consumer", "ctl.proj", "--from", from});
    CTL_EXPECT(r, 2);
    QVERIFY2(r.err.contains("--yes"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());

    r = ctl({"events", "replay", "--consumer", "ctl.proj", "--from", from, "--dry-run"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("would replay consumer ctl.proj from event %1: offset %2 -> %3 "
                            "(re-delivers its events among ids %1..%2) (dry run, nothing changed)\n")
                        .arg(m_ids[0]).arg(offset).arg(m_ids[0] - 1));

    r = ctl({"-o", "json", "events", "replay", "--consumer", "ctl.proj", "--from", from, "--dry-run"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.json().value("dryRun").toBool(), true);
    QCOMPARE(r.json().value("action").toString(), QStringLiteral("replay"));
    QCOMPARE(r.json().value("current").toObject().value("consumer").toString(), QStringLiteral("ctl.proj"));
    QCOMPARE(r.json().value("change").toObject(),
             (QJsonObject{{"lastId", QJsonObject{{"from", double(offset)}, {"to", double(m_ids[0] - 1)}}}}));
    QCOMPARE(qint64(consumer("ctl.proj").value("lastId").toDouble()), offset);
    QCOMPARE(handled(m_ids[0]), 1);

    r = ctl({"events", "replay", "--consumer", "nobody", "--from", from, "--yes"});
    CTL_EXPECT(r, 1);
    QCOMPARE(r.err, QStringLiteral("communityctl: 404 Not Found: no consumer nobody\n"));

    // Applied: the three events are delivered again, in order.
    r = ctl({"events", "replay", "--consumer", "ctl.proj", "--from", from, "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("ctl.proj: delivery resumes at event %1\n").arg(m_ids[0]));
    QTRY_VERIFY_WITH_TIMEOUT(handled(m_ids[0]) == 2 && handled(m_ids[1]) == 2 && handled(m_ids[2]) == 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(qint64(consumer("ctl.proj").value("lastId").toDouble()), offset, 5000);
}

void TestCtlEvents::followPrintsNewEventsUntilInterrupted_data()
{
    QTest::addColumn<bool>("json");
    QTest::newRow("table") << false;
    QTest::newRow("json lines") << true;
}

void TestCtlEvents::followPrintsNewEventsUntilInterrupted()
{
    QFETCH(bool, json);
    const qint64 start = publish(QStringLiteral("follow:start"));
    QStringList args{"--server", m_server, "--token", m_token, "events", "tail", "--follow", "--after", QString::number(start)};
    if (json)
        args << "-o" << "json";
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment());
    process.start(COMMUNITY_BIN_DIR "/communityctl", args);
    QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
    process.closeWriteChannel();

    QString out;
    auto readOut = [&] {
        process.waitForReadyRead(50);
        out += QString::fromUtf8(process.readAllStandardOutput());
        return out;
    };
    // Nothing after `start` yet: it waits without printing (not even a header).
    QTest::qWait(1500);
    QVERIFY2(readOut().isEmpty(), qPrintable(out));
    QCOMPARE(process.state(), QProcess::Running);

    const qint64 first = publish(QStringLiteral("follow:1"));
    QTRY_VERIFY_WITH_TIMEOUT(readOut().contains(QStringLiteral("follow:1")), 10000);
    const qint64 second = publish(QStringLiteral("follow:2"));
    const qint64 third = publish(QStringLiteral("follow:3"));
    QTRY_VERIFY_WITH_TIMEOUT(readOut().contains(QStringLiteral("follow:3")), 10000);

    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    out += QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(process.readAllStandardError().isEmpty(), "stderr not empty");

    const QStringList lines = out.split('\n', Qt::SkipEmptyParts);
    QList<qint64> ids;
    if (json) {
        QCOMPARE(lines.size(), 3);
        for (const QString &line : lines) {
            const QJsonObject e = QJsonDocument::fromJson(line.toUtf8()).object();
            QCOMPARE(e.value("type").toString(), QStringLiteral("ctl.test"));
            ids << qint64(e.value("id").toDouble());
        }
    } else {
        // One header, then one row per event, however many polls it took.
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[0].startsWith("ID "), qPrintable(lines[0]));
        for (const QString &line : lines.mid(1))
            ids << line.section(' ', 0, 0).toLongLong();
    }
    QCOMPARE(ids, (QList<qint64>{first, second, third}));
}

void TestCtlEvents::unreachableAndUnauthorized()
{
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment());
    process.start(COMMUNITY_BIN_DIR "/communityctl", {"--server", "http://127.0.0.1:1", "events", "consumers"});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 3);

    const CtlRun r = ctl({"--token", "wrong", "events", "tail"}, false);
    CTL_EXPECT(r, 1);
    QVERIFY2(r.err.startsWith("communityctl: 401"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCtlEvents)
#include "tst_ctlevents.moc"
