// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "format.h"
#include "views.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Community::Ctl;

namespace {

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonArray parseArray(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).array();
}

} // namespace

class TestCtlFormat : public QObject
{
    Q_OBJECT

private slots:
    void table_data();
    void table();
    void tableWithoutHeadersIsKeyValue();
    void displayWidth_data();
    void displayWidth();
    void oneLine_data();
    void oneLine();
    void errorLine_data();
    void errorLine();
    void unreachableLine();
    void formatDuration_data();
    void formatDuration();
    void prettyJsonIsStable();
    void prettyJsonArrayAndScalar();
    void dependencies_data();
    void dependencies();
    void pluginsTable();
    void migrationsTable();
    void migrateUp_data();
    void migrateUp();
    void statusReady();
    void statusNotReady();
    void statusJsonShape();
};

void TestCtlFormat::table_data()
{
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::addColumn<QString>("expected");

    QTest::newRow("aligned") << QStringList{"ID", "VERSION", "STATE"}
                             << QList<QStringList>{{"auth", "1.0.0", "running"},
                                                   {"notifications", "10.2.3", "stopped"}}
                             << QString("ID             VERSION  STATE\n"
                                        "auth           1.0.0    running\n"
                                        "notifications  10.2.3   stopped\n");
    QTest::newRow("header only") << QStringList{"A", "BB"} << QList<QStringList>{}
                                 << QString("A  BB\n");
    QTest::newRow("missing cells and no trailing blanks")
        << QStringList{"A", "B", "C"} << QList<QStringList>{{"x"}, {"long", "y", ""}}
        << QString("A     B  C\nx\nlong  y\n");
    QTest::newRow("wide characters") << QStringList{"NAME", "N"}
                                     << QList<QStringList>{{QString::fromUtf8("한국"), "1"},
                                                           {"abcde", "2"}}
                                     << QString::fromUtf8("NAME   N\n한국   1\nabcde  2\n");
    QTest::newRow("cells are one line") << QStringList{"A", "B"}
                                        << QList<QStringList>{{"x\ny", "z"}}
                                        << QString("A    B\nx y  z\n");
    QTest::newRow("empty") << QStringList{} << QList<QStringList>{} << QString();
}

void TestCtlFormat::table()
{
    QFETCH(QStringList, headers);
    QFETCH(QList<QStringList>, rows);
    QFETCH(QString, expected);
    Table t(headers);
    for (const QStringList &row : rows)
        t.addRow(row);
    QCOMPARE(t.render(), expected);
    QCOMPARE(t.rowCount(), rows.size());
}

void TestCtlFormat::tableWithoutHeadersIsKeyValue()
{
    Table t;
    t.addRow({"version", "0.1.0"});
    t.addRow({"readiness", "ready"});
    QCOMPARE(t.render(), QString("version    0.1.0\nreadiness  ready\n"));
}

void TestCtlFormat::displayWidth_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("width");
    QTest::newRow("ascii") << QString("abc") << 3;
    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("hangul") << QString::fromUtf8("커뮤니티") << 8;
    QTest::newRow("cjk") << QString::fromUtf8("漢字") << 4;
    QTest::newRow("combining mark") << QString::fromUtf8("e\u0301") << 1;
    QTest::newRow("latin-1") << QString::fromUtf8("café") << 4;
}

void TestCtlFormat::displayWidth()
{
    QFETCH(QString, text);
    QFETCH(int, width);
    QCOMPARE(Community::Ctl::displayWidth(text), width);
}

void TestCtlFormat::oneLine_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QString("hello") << QString("hello");
    QTest::newRow("newlines") << QString("a\nb\r\nc") << QString("a b c");
    QTest::newRow("tabs and runs") << QString("  a\t\t b  ") << QString("a b");
    QTest::newRow("terminal escape dropped") << QString("x\x1b[31mred") << QString("x[31mred");
    QTest::newRow("empty") << QString() << QString();
}

void TestCtlFormat::oneLine()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(Community::Ctl::oneLine(input), expected);
}

void TestCtlFormat::errorLine_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("expected");

    QTest::newRow("problem+json")
        << 401
        << QByteArray(R"({"type":"https://community/problems/unauthorized","title":"Unauthorized",)"
                      R"("status":401,"detail":"missing or invalid operator token","requestId":"abc"})")
        << QString("Unauthorized")
        << QString("communityctl: 401 Unauthorized: missing or invalid operator token");
    QTest::newRow("field errors")
        << 400
        << QByteArray(R"({"title":"Invalid request","status":400,"detail":"2 fields are invalid",)"
                      R"("errors":[{"field":"dryRun","message":"must be a boolean","code":"type"},)"
                      R"({"field":"","message":"unknown key x"}]})")
        << QString()
        << QString("communityctl: 400 Invalid request: 2 fields are invalid "
                   "(dryRun: must be a boolean; unknown key x)");
    QTest::newRow("readyz reasons")
        << 503 << QByteArray(R"({"title":"Not ready","status":503,"reasons":["database: down"]})")
        << QString() << QString("communityctl: 503 Not ready: (database: down)");
    QTest::newRow("multi-line detail")
        << 500 << QByteArray(R"({"title":"Internal error","detail":"line one\nline two"})")
        << QString() << QString("communityctl: 500 Internal error: line one line two");
    QTest::newRow("plain text body") << 502 << QByteArray("upstream\nfailed\n")
                                     << QString("Bad Gateway")
                                     << QString("communityctl: 502 Bad Gateway: upstream failed");
    QTest::newRow("no body, reason phrase") << 404 << QByteArray() << QString("Not Found")
                                            << QString("communityctl: 404 Not Found");
    QTest::newRow("no body, no phrase") << 429 << QByteArray() << QString()
                                        << QString("communityctl: 429 Too Many Requests");
    QTest::newRow("unknown status") << 599 << QByteArray() << QString()
                                    << QString("communityctl: 599 HTTP error");
    QTest::newRow("long body is cut")
        << 500 << QByteArray(300, 'x') << QString("Internal Server Error")
        << QString("communityctl: 500 Internal Server Error: ") + QString(200, 'x')
               + QString::fromUtf8("…");
}

void TestCtlFormat::errorLine()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    QFETCH(QString, expected);
    const QString line = Community::Ctl::errorLine(status, body, reason);
    QCOMPARE(line, expected);
    QVERIFY(!line.contains('\n'));
}

void TestCtlFormat::unreachableLine()
{
    QCOMPARE(Community::Ctl::unreachableLine("http://127.0.0.1:1", "Connection refused"),
             QString("communityctl: cannot reach http://127.0.0.1:1: Connection refused"));
    QCOMPARE(Community::Ctl::unreachableLine("http://h:2", "a\nb"),
             QString("communityctl: cannot reach http://h:2: a b"));
}

void TestCtlFormat::formatDuration_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << QString("0s");
    QTest::newRow("negative") << qint64(-5) << QString("0s");
    QTest::newRow("seconds") << qint64(59) << QString("59s");
    QTest::newRow("minutes") << qint64(60) << QString("1m 0s");
    QTest::newRow("hours") << qint64(3725) << QString("1h 2m 5s");
    QTest::newRow("days keep zero units") << qint64(86400 + 5) << QString("1d 0h 0m 5s");
}

void TestCtlFormat::formatDuration()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, expected);
    QCOMPARE(Community::Ctl::formatDuration(seconds), expected);
}

void TestCtlFormat::prettyJsonIsStable()
{
    const QByteArray a = prettyJson(parse(R"({"b":1,"a":{"y":true,"x":null},"c":[3,2]})"));
    const QByteArray b = prettyJson(parse(R"({"c":[3,2],"a":{"x":null,"y":true},"b":1})"));
    QCOMPARE(a, b);
    QVERIFY(a.endsWith("}\n"));
    QVERIFY(a.indexOf("\"a\"") < a.indexOf("\"b\""));
    QVERIFY(a.indexOf("\"b\"") < a.indexOf("\"c\""));
    QVERIFY(a.contains('\n'));
    // Round-trips to the same document.
    QCOMPARE(QJsonDocument::fromJson(a).object(), parse(R"({"b":1,"a":{"y":true,"x":null},"c":[3,2]})"));
}

void TestCtlFormat::prettyJsonArrayAndScalar()
{
    const QByteArray array = prettyJson(parseArray(R"([{"id":"a"}])"));
    QVERIFY(array.startsWith('['));
    QCOMPARE(QJsonDocument::fromJson(array).array(), parseArray(R"([{"id":"a"}])"));
    QCOMPARE(prettyJson(QJsonValue(42)), QByteArray("42\n"));
    QCOMPARE(prettyJson(QJsonValue(QString("x"))), QByteArray("\"x\"\n"));
}

void TestCtlFormat::dependencies_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("none") << QByteArray("[]") << QString("-");
    QTest::newRow("required") << QByteArray(R"([{"id":"auth","minVersion":"1.0.0","optional":false}])")
                              << QString("auth>=1.0.0");
    QTest::newRow("optional, no version")
        << QByteArray(R"([{"id":"auth","minVersion":"1.0.0"},{"id":"search","optional":true}])")
        << QString("auth>=1.0.0, search (optional)");
}

void TestCtlFormat::dependencies()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QCOMPARE(formatDependencies(QJsonDocument::fromJson(json).array()), expected);
}

void TestCtlFormat::pluginsTable()
{
    const QJsonArray plugins = parseArray(
        R"([{"id":"auth","version":"1.0.0","state":"running","dependencies":[]},)"
        R"({"id":"content","version":"1.2.0","state":"running",)"
        R"("dependencies":[{"id":"auth","minVersion":"1.0.0","optional":false}]}])");
    QCOMPARE(renderPlugins(plugins),
             QString("ID       VERSION  STATE    DEPENDENCIES\n"
                     "auth     1.0.0    running  -\n"
                     "content  1.2.0    running  auth>=1.0.0\n"));
    QCOMPARE(renderPlugins({}), QString("no plugins\n"));
}

void TestCtlFormat::migrationsTable()
{
    const QJsonArray migrations = parseArray(
        R"([{"plugin":"auth","version":1,"name":"init","checksum":"ab","state":"applied",)"
        R"("appliedAt":"2024-05-01T10:00:00Z"},)"
        R"({"plugin":"auth","version":2,"name":"sessions","checksum":"cd","state":"pending","appliedAt":null}])");
    QCOMPARE(renderMigrations(migrations),
             QString("PLUGIN  VERSION  NAME      STATE    APPLIED AT\n"
                     "auth    1        init      applied  2024-05-01T10:00:00Z\n"
                     "auth    2        sessions  pending  -\n"));
    QCOMPARE(renderMigrations({}), QString("no migrations\n"));
}

void TestCtlFormat::migrateUp_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nothing") << QByteArray(R"({"dryRun":false,"applied":[]})")
                             << QString("nothing to apply\n");
    QTest::newRow("nothing, dry run") << QByteArray(R"({"dryRun":true,"applied":[]})")
                                      << QString("nothing to apply\n");
    QTest::newRow("dry run")
        << QByteArray(R"({"dryRun":true,"applied":[{"plugin":"auth","version":1,"name":"init",)"
                      R"("checksum":"0123456789abcdef0123","state":"pending","appliedAt":null}]})")
        << QString("would apply 1 migration (dry run):\n"
                   "PLUGIN  VERSION  NAME  CHECKSUM\n"
                   "auth    1        init  0123456789ab\n");
    QTest::newRow("applied")
        << QByteArray(R"({"dryRun":false,"applied":[)"
                      R"({"plugin":"auth","version":1,"name":"init","checksum":"aa"},)"
                      R"({"plugin":"users","version":1,"name":"init","checksum":"bb"}]})")
        << QString("applied 2 migrations:\n"
                   "PLUGIN  VERSION  NAME  CHECKSUM\n"
                   "auth    1        init  aa\n"
                   "users   1        init  bb\n");
}

void TestCtlFormat::migrateUp()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QCOMPARE(renderMigrateUp(QJsonDocument::fromJson(json).object()), expected);
}

void TestCtlFormat::statusReady()
{
    StatusSnapshot s;
    s.server = "http://127.0.0.1:8080";
    s.health = parse(R"({"status":"ok"})");
    s.ready = true;
    s.readiness = parse(
        R"({"status":"ready","checks":{"database":"ok","migrations":"ok","plugins":"ok"}})");
    s.info = parse(R"({"version":"0.1.0","node":"n1","startedAt":"2024-05-01T10:00:00Z",)"
                   R"("uptimeSeconds":3725,"database":{"mode":"embedded"},"services":["auth","users"],)"
                   R"("plugins":[{"id":"auth","state":"running"},{"id":"users","state":"stopped"}]})");
    QCOMPARE(renderStatus(s),
             QString("server     http://127.0.0.1:8080\n"
                     "version    0.1.0\n"
                     "node       n1\n"
                     "started    2024-05-01T10:00:00Z\n"
                     "uptime     1h 2m 5s\n"
                     "database   embedded\n"
                     "health     ok\n"
                     "readiness  ready\n"
                     "checks     database=ok, migrations=ok, plugins=ok\n"
                     "services   auth, users\n"
                     "plugins    2 (1 running)\n"));
}

void TestCtlFormat::statusNotReady()
{
    StatusSnapshot s;
    s.ready = false;
    s.readiness = parse(R"({"title":"Not ready","status":503,)"
                        R"("reasons":["migrations pending: auth 2","plugin search failed"]})");
    const QString text = renderStatus(s);
    QVERIFY2(text.contains("readiness  not ready\n"), qPrintable(text));
    QVERIFY2(text.contains("reasons    migrations pending: auth 2\n"
                           "           plugin search failed\n"),
             qPrintable(text));
    // Fields the server did not send show as "-", never as empty or garbage.
    QVERIFY2(text.contains("version    -\n"), qPrintable(text));
    QVERIFY2(text.contains("uptime     -\n"), qPrintable(text));
    QVERIFY2(text.contains("plugins    0 (0 running)\n"), qPrintable(text));
}

void TestCtlFormat::statusJsonShape()
{
    StatusSnapshot s;
    s.server = "http://x:1";
    s.ready = true;
    s.info = parse(R"({"version":"0.1.0"})");
    const QJsonObject json = statusJson(s);
    QCOMPARE(json.keys(), (QStringList{"health", "info", "readiness", "ready", "server"}));
    QCOMPARE(json.value("info").toObject().value("version").toString(), QString("0.1.0"));
    QCOMPARE(json.value("ready").toBool(), true);
}

QTEST_GUILESS_MAIN(TestCtlFormat)
#include "tst_ctlformat.moc"
