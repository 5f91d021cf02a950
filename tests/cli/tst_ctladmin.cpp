// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's admin commands without a daemon: confirmation logic, table views and the
// command line against a canned server (which requests go out, in which order, exit codes).
#include "adminviews.h"
#include "commands.h"
#include "confirm.h"
#include "ctlapp.h"
#include "ctlrun.h"
#include "fakehttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <sstream>

using namespace Community::Ctl;
using Community::Ctl::Test::Run;
using Community::Ctl::Test::run;

namespace {

const QByteArray kAlice =
    R"({"user":{"id":7,"username":"alice","email":"alice@example.org","role":"user",)"
    R"("state":"active","emailVerified":false,"mustChangePassword":true,)"
    R"("createdAt":"2024-05-01T10:00:00Z"}})";

const QByteArray kAliceAdmin =
    R"({"user":{"id":7,"username":"alice","email":"alice@example.org","role":"admin",)"
    R"("state":"active","emailVerified":false,"mustChangePassword":true,)"
    R"("createdAt":"2024-05-01T10:00:00Z"}})";

const QByteArray kKeys =
    R"({"items":[{"id":"3","name":"ci","scopes":["admin","users:read"],"createdBy":"admin",)"
    R"("createdAt":"2024-05-01T10:00:00Z","lastUsedAt":null,"revoked":false},)"
    R"({"id":"4","name":"old","scopes":[],"createdBy":"admin",)"
    R"("createdAt":"2024-05-01T10:00:00Z","lastUsedAt":null,"revoked":true}]})";

QJsonObject body(const FakeRequest &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

QStringList requestLines(const FakeHttpServer &server)
{
    QStringList lines;
    for (const FakeRequest &r : server.requests)
        lines << QString::fromUtf8(r.method + ' ' + r.path);
    return lines;
}

} // namespace

class TestCtlAdmin : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // confirmation logic
    void isYes_data();
    void isYes();
    void confirmYesNeverReads();
    void confirmRefusesWithoutTerminal();
    void confirmAsksOnTerminal_data();
    void confirmAsksOnTerminal();

    // views
    void usersTable();
    void usersTableEmpty();
    void userBlock();
    void apiKeysTable();
    void createdKeyShowsSecret();
    void outboxTable();
    void plans();
    void planJsonShape();

    // command line against a canned server
    void usage_data();
    void usage();
    void usersCreateSendsBody();
    void usersCreatePasswordStdin();
    void usersCreateEmptyStdinIsUsage();
    void usersListQueryAndHint();
    void usersListAllFollowsCursors();
    void usersShowEncodesName();
    void setRoleDryRunOnlyGets();
    void setRoleDryRunJson();
    void setRoleWithoutTtyIsRefused();
    void setRoleConfirmedOnTerminal();
    void setRoleDeclinedOnTerminal();
    void setRoleYes();
    void suspendSendsReason();
    void resetPasswordPrintsPasswordOnce();
    void notFoundIsExit1();
    void keysCreateWarns();
    void keysCreateRepeatedScope();
    void keysRevoke();
    void keysRevokeUnknownOrRevoked();
    void outboxQuery();
};

void TestCtlAdmin::initTestCase()
{
    for (const char *name : {"COMMUNITY_SERVER", "COMMUNITY_TOKEN", "COMMUNITY_TOKEN_FILE"})
        qunsetenv(name);
}

void TestCtlAdmin::isYes_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<bool>("yes");
    QTest::newRow("y") << "y" << true;
    QTest::newRow("Y") << "Y" << true;
    QTest::newRow("yes") << "yes" << true;
    QTest::newRow("YES blanks") << "  YES \r" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("n") << "n" << false;
    QTest::newRow("no") << "no" << false;
    QTest::newRow("yess") << "yess" << false;
    QTest::newRow("y es") << "y es" << false;
}

void TestCtlAdmin::isYes()
{
    QFETCH(QString, answer);
    QFETCH(bool, yes);
    QCOMPARE(Community::Ctl::isYes(answer), yes);
}

void TestCtlAdmin::confirmYesNeverReads()
{
    std::istringstream in("n\n");
    std::ostringstream prompt;
    QCOMPARE(confirm(true, Terminal{in, true}, prompt), Confirmation::Proceed);
    QCOMPARE(confirm(true, Terminal{in, false}, prompt), Confirmation::Proceed);
    QVERIFY(prompt.str().empty());
    QCOMPARE(in.tellg(), std::streampos(0));
    QCOMPARE(precheckConfirmation(true, false), Confirmation::Proceed);
}

void TestCtlAdmin::confirmRefusesWithoutTerminal()
{
    std::istringstream in("y\n"); // even a "y" in a pipe is not a confirmation
    std::ostringstream prompt;
    QCOMPARE(confirm(false, Terminal{in, false}, prompt), Confirmation::Refused);
    QVERIFY(prompt.str().empty());
    QCOMPARE(precheckConfirmation(false, false), Confirmation::Refused);
    QCOMPARE(refusedLine().count('\n'), 0);
    QVERIFY(refusedLine().contains("--yes"));
}

void TestCtlAdmin::confirmAsksOnTerminal_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("expected");
    QTest::newRow("y") << "y\n" << int(Confirmation::Proceed);
    QTest::newRow("yes no newline") << "yes" << int(Confirmation::Proceed);
    QTest::newRow("enter") << "\n" << int(Confirmation::Declined);
    QTest::newRow("n") << "n\n" << int(Confirmation::Declined);
    QTest::newRow("eof") << "" << int(Confirmation::Declined);
}

void TestCtlAdmin::confirmAsksOnTerminal()
{
    QFETCH(QString, input);
    QFETCH(int, expected);
    std::istringstream in(input.toStdString());
    std::ostringstream prompt;
    QCOMPARE(int(confirm(false, Terminal{in, true}, prompt)), expected);
    QVERIFY2(QString::fromStdString(prompt.str()).startsWith("Proceed? [y/N] "),
             prompt.str().c_str());
}

void TestCtlAdmin::usersTable()
{
    const QJsonArray users = QJsonDocument::fromJson(
        R"([{"id":1,"username":"admin","email":"admin@localhost","role":"admin","state":"active",)"
        R"("emailVerified":true,"createdAt":"2024-05-01T10:00:00Z"},)"
        R"({"id":12,"username":"김민수","email":"kim@example.org","role":"user","state":"suspended",)"
        R"("emailVerified":false,"createdAt":"2024-05-02T10:00:00Z"}])").array();
    QCOMPARE(renderUsers(users),
             QString("ID  USERNAME  EMAIL            ROLE   STATE      VERIFIED  CREATED\n"
                     "1   admin     admin@localhost  admin  active     yes       2024-05-01T10:00:00Z\n"
                     "12  김민수    kim@example.org  user   suspended  no        2024-05-02T10:00:00Z\n"));
}

void TestCtlAdmin::usersTableEmpty()
{
    QCOMPARE(renderUsers({}), QString("no users\n"));
    QCOMPARE(renderApiKeys({}), QString("no API keys\n"));
    QCOMPARE(renderOutbox({}), QString("no events\n"));
}

void TestCtlAdmin::userBlock()
{
    QJsonObject user = QJsonDocument::fromJson(kAlice).object().value("user").toObject();
    user.insert("state", "suspended");
    user.insert("suspendedReason", "spam\n\x1b[31mred");
    const QString text = renderUser(user);
    QVERIFY2(text.startsWith("id                    7\nusername              alice\n"), qPrintable(text));
    QVERIFY2(text.contains("suspended reason      spam [31mred\n"), qPrintable(text));
    QVERIFY2(text.contains("must change password  yes\n"), qPrintable(text));
    QVERIFY(!text.contains('\x1b'));
}

void TestCtlAdmin::apiKeysTable()
{
    const QString text = renderApiKeys(QJsonDocument::fromJson(kKeys).object().value("items").toArray());
    QCOMPARE(text,
             QString("ID  NAME  SCOPES            CREATED BY  CREATED               LAST USED  REVOKED\n"
                     "3   ci    admin,users:read  admin       2024-05-01T10:00:00Z  -          no\n"
                     "4   old   -                 admin       2024-05-01T10:00:00Z  -          yes\n"));
}

void TestCtlAdmin::createdKeyShowsSecret()
{
    const QJsonObject key{{"id", "5"}, {"name", "ci"}, {"scopes", QJsonArray{"admin"}},
                          {"createdAt", "2024-05-01T10:00:00Z"}, {"key", "cpk_5_secret"}};
    QCOMPARE(renderCreatedKey(key), QString("id       5\nname     ci\nscopes   admin\n"
                                            "created  2024-05-01T10:00:00Z\nkey      cpk_5_secret\n"));
}

void TestCtlAdmin::outboxTable()
{
    const QJsonArray items = QJsonDocument::fromJson(
        R"([{"id":9,"type":"auth.password_reset_requested","createdAt":"2024-05-01T10:00:00Z",)"
        R"("payload":{"userId":7,"email":"alice@example.org","token":"tok","expiresInSeconds":3600}}])").array();
    QCOMPARE(renderOutbox(items),
             QString("ID  TYPE                           CREATED               USER  EMAIL              TOKEN  EXPIRES IN\n"
                     "9   auth.password_reset_requested  2024-05-01T10:00:00Z  7     alice@example.org  tok    1h 0m 0s\n"));
}

void TestCtlAdmin::plans()
{
    const QJsonObject alice = QJsonDocument::fromJson(kAlice).object().value("user").toObject();
    QCOMPARE(renderPlan(planSetRole(alice, "admin"), true),
             QString("would set role of alice: user -> admin (dry run, nothing changed)\n"));
    QCOMPARE(renderPlan(planSetRole(alice, "user"), false),
             QString("about to set role of alice: user -> user (no change: already user)\n"));
    QCOMPARE(renderPlan(planSuspend(alice, "spam"), true),
             QString("would suspend alice: active -> suspended (reason: spam) (dry run, nothing changed)\n"));
    QCOMPARE(planUnsuspend(alice).description, QString("unsuspend alice: active -> active (no change: already active)"));
    QVERIFY(planResetPassword(alice).description.startsWith("reset the password of alice"));
    QVERIFY(planDisableTwoFactor(alice).description.startsWith("disable two-factor authentication of alice"));
    const QJsonObject key = QJsonDocument::fromJson(kKeys).object().value("items").toArray().at(0).toObject();
    QCOMPARE(planRevokeKey(key).description,
             QString("revoke API key 3 (ci, scopes admin,users:read, created by admin)"));
}

void TestCtlAdmin::planJsonShape()
{
    const QJsonObject alice = QJsonDocument::fromJson(kAlice).object().value("user").toObject();
    const QJsonObject json = planJson(planSetRole(alice, "moderator"), true);
    QCOMPARE(json.keys(), (QStringList{"action", "change", "current", "dryRun"}));
    QCOMPARE(json.value("action").toString(), QString("set-role"));
    QCOMPARE(json.value("current").toObject(), alice);
    QCOMPARE(json.value("change").toObject(),
             QJsonObject({{"role", QJsonObject{{"from", "user"}, {"to", "moderator"}}}}));
    const QJsonObject suspend = planJson(planSuspend(alice, {}), true);
    QVERIFY(suspend.value("change").toObject().value("suspendedReason").isNull());
}

void TestCtlAdmin::usage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("users without subcommand") << QStringList{"users"};
    QTest::newRow("create without email") << QStringList{"users", "create", "bob"};
    QTest::newRow("create without username") << QStringList{"users", "create", "--email", "b@x.org"};
    QTest::newRow("create bad role") << QStringList{"users", "create", "bob", "--email", "b@x.org", "--role", "root"};
    QTest::newRow("set-role bad role") << QStringList{"users", "set-role", "bob", "superuser", "--yes"};
    QTest::newRow("set-role without role") << QStringList{"users", "set-role", "bob"};
    QTest::newRow("list limit 0") << QStringList{"users", "list", "--limit", "0"};
    QTest::newRow("list limit 101") << QStringList{"users", "list", "--limit", "101"};
    QTest::newRow("show without name") << QStringList{"users", "show"};
    QTest::newRow("dry-run on show") << QStringList{"users", "show", "bob", "--dry-run"};
    QTest::newRow("yes on list") << QStringList{"users", "list", "--yes"};
    QTest::newRow("keys create without scope") << QStringList{"keys", "create", "ci"};
    QTest::newRow("keys revoke without id") << QStringList{"keys", "revoke", "--yes"};
    QTest::newRow("outbox negative after") << QStringList{"auth", "outbox", "--after", "-1"};
    QTest::newRow("outbox limit 501") << QStringList{"auth", "outbox", "--limit", "501"};
    QTest::newRow("auth without subcommand") << QStringList{"auth"};
}

void TestCtlAdmin::usage()
{
    QFETCH(QStringList, args);
    FakeHttpServer server;
    QVERIFY(server.start());
    const Run r = run(QStringList{"--server", server.url()} + args);
    QCOMPARE(r.exitCode, int(ExitUsage));
    QVERIFY(!r.err.isEmpty());
    QVERIFY(server.requests.isEmpty());
}

void TestCtlAdmin::usersCreateSendsBody()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    QByteArray created = kAlice;
    created.insert(created.size() - 1, R"(,"password":"Generated-Pass-1")");
    server.route("POST /v1/admin/users", 201, created, "Created");
    Run r = run({"--server", server.url(), "users", "create", "alice", "--email", "alice@example.org",
                 "--role", "moderator"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(body(server.requests.value(0)),
             QJsonObject({{"username", "alice"}, {"email", "alice@example.org"}, {"role", "moderator"}}));
    QVERIFY2(r.out.contains("username              alice\n"), qPrintable(r.out));
    QVERIFY2(r.out.endsWith("password: Generated-Pass-1\n"), qPrintable(r.out));
    QVERIFY2(r.err.contains("shown only now"), qPrintable(r.err));

    r = run({"--server", server.url(), "-o", "json", "users", "create", "alice", "--email", "alice@example.org"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object(), QJsonDocument::fromJson(created).object());
    QVERIFY(!body(server.requests.value(1)).contains("role"));
    QVERIFY(!body(server.requests.value(1)).contains("password"));
}

void TestCtlAdmin::usersCreatePasswordStdin()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /v1/admin/users", 201, kAlice, "Created");
    const Run r = run({"--server", server.url(), "users", "create", "alice", "--email", "a@x.org",
                       "--password-stdin"},
                      "s3cret pass phrase\r\nignored\n");
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(body(server.requests.value(0)).value("password").toString(), QString("s3cret pass phrase"));
    QVERIFY(!r.out.contains("s3cret"));
    QVERIFY(!r.out.contains("password:"));
}

void TestCtlAdmin::usersCreateEmptyStdinIsUsage()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    const Run r = run({"--server", server.url(), "users", "create", "alice", "--email", "a@x.org",
                       "--password-stdin"});
    QCOMPARE(r.exitCode, int(ExitUsage));
    QCOMPARE(r.err, QString("communityctl: --password-stdin: no password on stdin\n"));
    QVERIFY(server.requests.isEmpty());
}

void TestCtlAdmin::usersListQueryAndHint()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users?query=al%20i%26x&limit=1", 200,
                 R"({"items":[{"id":7,"username":"alice"}],"nextCursor":"7"})");
    const Run r = run({"--server", server.url(), "users", "list", "--query", "al i&x", "--limit", "1"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(requestLines(server), QStringList{"GET /v1/admin/users?query=al%20i%26x&limit=1"});
    QVERIFY2(r.out.startsWith("ID  USERNAME  EMAIL  ROLE  STATE  VERIFIED  CREATED\n7   alice"), qPrintable(r.out));
    QCOMPARE(r.err, QString("communityctl: more users: --cursor 7 (or --all)\n"));
}

void TestCtlAdmin::usersListAllFollowsCursors()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users?limit=2", 200,
                 R"({"items":[{"id":1,"username":"a"},{"id":2,"username":"b"}],"nextCursor":"2"})");
    server.route("GET /v1/admin/users?limit=2&cursor=2", 200,
                 R"({"items":[{"id":3,"username":"c"},{"id":4,"username":"d"}],"nextCursor":"4"})");
    server.route("GET /v1/admin/users?limit=2&cursor=4", 200,
                 R"({"items":[{"id":5,"username":"e"}],"nextCursor":null})");
    Run r = run({"--server", server.url(), "-o", "json", "users", "list", "--all", "--limit", "2"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(server.requests.size(), 3);
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value("items").toArray().size(), 5);
    QCOMPARE(json.value("items").toArray().at(4).toObject().value("username").toString(), QString("e"));
    QVERIFY(json.value("nextCursor").isNull());

    r = run({"--server", server.url(), "users", "list", "--all", "--limit", "2"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(r.out.count('\n'), 6);
    QVERIFY(r.err.isEmpty());

    // Without --limit, --all asks for the largest page.
    server.requests.clear();
    r = run({"--server", server.url(), "users", "list", "--all"});
    QCOMPARE(requestLines(server).value(0), QString("GET /v1/admin/users?limit=100"));
}

void TestCtlAdmin::usersShowEncodesName()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/%EA%B9%80%2Fx", 200, kAlice);
    const Run r = run({"--server", server.url(), "users", "show", "김/x"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY2(r.out.contains("email                 alice@example.org\n"), qPrintable(r.out));
}

void TestCtlAdmin::setRoleDryRunOnlyGets()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    // No --yes and no terminal: a dry run still works, it changes nothing.
    const Run r = run({"--server", server.url(), "users", "set-role", "alice", "admin", "--dry-run"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(requestLines(server), QStringList{"GET /v1/admin/users/alice"});
    QCOMPARE(r.out, QString("would set role of alice: user -> admin (dry run, nothing changed)\n"));
}

void TestCtlAdmin::setRoleDryRunJson()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    const Run r = run({"--server", server.url(), "-o", "json", "users", "set-role", "alice", "admin",
                       "--dry-run", "--yes"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(server.requests.size(), 1);
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value("dryRun").toBool(), true);
    QCOMPARE(json.value("current").toObject(), QJsonDocument::fromJson(kAlice).object().value("user").toObject());
}

void TestCtlAdmin::setRoleWithoutTtyIsRefused()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    const Run r = run({"--server", server.url(), "users", "set-role", "alice", "admin"}, "y\n", false);
    QCOMPARE(r.exitCode, int(ExitUsage));
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("communityctl: stdin is not a terminal; pass --yes"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    QVERIFY(server.requests.isEmpty());
}

void TestCtlAdmin::setRoleConfirmedOnTerminal()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    server.route("PUT /v1/admin/users/alice/role", 200, kAliceAdmin);
    const Run r = run({"--server", server.url(), "users", "set-role", "alice", "admin"}, "y\n", true);
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(requestLines(server), (QStringList{"GET /v1/admin/users/alice", "PUT /v1/admin/users/alice/role"}));
    QCOMPARE(body(server.requests.value(1)), QJsonObject({{"role", "admin"}}));
    // The question names what it acts on (the server; with a context, its name too).
    QCOMPARE(r.err, QString("about to set role of alice: user -> admin\nTarget: " + server.url() + "\nProceed? [y/N] "));
    QCOMPARE(r.out, QString("alice: role is now admin\n"));
}

void TestCtlAdmin::setRoleDeclinedOnTerminal()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    const Run r = run({"--server", server.url(), "users", "set-role", "alice", "admin"}, "n\n", true);
    QCOMPARE(r.exitCode, int(ExitUsage));
    QCOMPARE(requestLines(server), QStringList{"GET /v1/admin/users/alice"});
    QVERIFY2(r.err.endsWith("Proceed? [y/N] communityctl: aborted; nothing was changed\n"), qPrintable(r.err));
}

void TestCtlAdmin::setRoleYes()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    server.route("PUT /v1/admin/users/alice/role", 200, kAliceAdmin);
    const Run r = run({"--server", server.url(), "-o", "json", "users", "set-role", "alice", "admin", "--yes"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY(r.err.isEmpty());
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object(), QJsonDocument::fromJson(kAliceAdmin).object());
}

void TestCtlAdmin::suspendSendsReason()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    server.route("POST /v1/admin/users/alice/suspend", 200,
                 R"({"user":{"username":"alice","state":"suspended","suspendedReason":"spam"}})");
    server.route("POST /v1/admin/users/alice/unsuspend", 200, kAlice);
    Run r = run({"--server", server.url(), "users", "suspend", "alice", "--reason", "spam", "-y"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(body(server.requests.value(1)), QJsonObject({{"reason", "spam"}}));
    QCOMPARE(r.out, QString("alice: suspended (reason: spam)\n"));

    r = run({"--server", server.url(), "users", "unsuspend", "alice", "--yes"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(r.out, QString("alice: active\n"));
}

void TestCtlAdmin::resetPasswordPrintsPasswordOnce()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/alice", 200, kAlice);
    QByteArray reset = kAlice;
    reset.insert(reset.size() - 1, R"(,"password":"NewPass123")");
    server.route("POST /v1/admin/users/alice/reset-password", 200, reset);
    server.route("POST /v1/admin/users/alice/disable-2fa", 200,
                 R"({"user":{"username":"alice"},"disabled":false})");
    Run r = run({"--server", server.url(), "users", "reset-password", "alice", "--yes"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(r.out, QString("new password for alice: NewPass123\n"));
    QVERIFY2(r.err.contains("shown only now"), qPrintable(r.err));

    r = run({"--server", server.url(), "users", "disable-2fa", "alice", "--yes"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(r.out, QString("alice: two-factor authentication was not enabled\n"));
}

void TestCtlAdmin::notFoundIsExit1()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/users/nobody", 404,
                 R"({"title":"Not Found","status":404,"detail":"No such user."})", "Not Found",
                 "application/problem+json");
    for (const QStringList &cmd : {QStringList{"users", "show", "nobody"},
                                   QStringList{"users", "suspend", "nobody", "--yes"},
                                   QStringList{"users", "reset-password", "nobody", "--dry-run"}}) {
        const Run r = run(QStringList{"--server", server.url()} + cmd);
        QCOMPARE(r.exitCode, int(ExitServerError));
        QCOMPARE(r.err, QString("communityctl: 404 Not Found: No such user.\n"));
    }
    // A conflict with field errors: one line with everything.
    server.route("POST /v1/admin/users", 409,
                 R"({"title":"Conflict","status":409,"detail":"The username or email is already taken.",)"
                 R"("errors":[{"field":"username","message":"This username is taken."}]})",
                 "Conflict", "application/problem+json");
    const Run r = run({"--server", server.url(), "users", "create", "alice", "--email", "a@x.org"});
    QCOMPARE(r.exitCode, int(ExitServerError));
    QCOMPARE(r.err, QString("communityctl: 409 Conflict: The username or email is already taken. "
                            "(username: This username is taken.)\n"));
}

void TestCtlAdmin::keysCreateWarns()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    const QByteArray created = R"({"id":"5","name":"ci","scopes":["admin"],"createdBy":1,)"
                               R"("createdAt":"2024-05-01T10:00:00Z","key":"cpk_5_abc"})";
    server.route("POST /v1/admin/api-keys", 201, created, "Created");
    Run r = run({"--server", server.url(), "keys", "create", "ci", "--scope", "admin"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(body(server.requests.value(0)), QJsonObject({{"name", "ci"}, {"scopes", QJsonArray{"admin"}}}));
    QVERIFY2(r.out.contains("key      cpk_5_abc\n"), qPrintable(r.out));
    QCOMPARE(r.err, QString("communityctl: store the key now: it is not shown again\n"));

    r = run({"--server", server.url(), "-o", "json", "keys", "create", "ci", "--scope", "admin"});
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object(), QJsonDocument::fromJson(created).object());
    QVERIFY(r.err.contains("not shown again"));
}

void TestCtlAdmin::keysCreateRepeatedScope()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("POST /v1/admin/api-keys", 201, R"({"id":"6","key":"cpk_6_x"})", "Created");
    const Run r = run({"--server", server.url(), "keys", "create", "--scope", "users:read", "bot",
                       "--scope", "admin"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(body(server.requests.value(0)),
             QJsonObject({{"name", "bot"}, {"scopes", QJsonArray{"users:read", "admin"}}}));
}

void TestCtlAdmin::keysRevoke()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/api-keys", 200, kKeys);
    server.route("DELETE /v1/admin/api-keys/3", 204, {}, "No Content");
    Run r = run({"--server", server.url(), "keys", "revoke", "3", "--dry-run"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(r.out, QString("would revoke API key 3 (ci, scopes admin,users:read, created by admin) "
                            "(dry run, nothing changed)\n"));
    QCOMPARE(requestLines(server), QStringList{"GET /v1/admin/api-keys"});

    r = run({"--server", server.url(), "keys", "revoke", "3"}, "", false);
    QCOMPARE(r.exitCode, int(ExitUsage));
    QCOMPARE(server.requests.size(), 1);

    r = run({"--server", server.url(), "-o", "json", "keys", "revoke", "3", "--yes"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(requestLines(server).last(), QString("DELETE /v1/admin/api-keys/3"));
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value("id").toString(), QString("3"));
    QCOMPARE(json.value("revoked").toBool(), true);

    r = run({"--server", server.url(), "keys", "revoke", "3", "--yes"});
    QCOMPARE(r.out, QString("revoked API key 3 (ci)\n"));

    r = run({"--server", server.url(), "keys", "list"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY(r.out.startsWith("ID  NAME  SCOPES"));
}

void TestCtlAdmin::keysRevokeUnknownOrRevoked()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/api-keys", 200, kKeys);
    Run r = run({"--server", server.url(), "keys", "revoke", "99", "--yes"});
    QCOMPARE(r.exitCode, int(ExitServerError));
    QCOMPARE(r.err, QString("communityctl: 404 Not Found: no API key with id 99\n"));
    r = run({"--server", server.url(), "keys", "revoke", "4", "--yes"});
    QCOMPARE(r.exitCode, int(ExitServerError));
    QCOMPARE(r.err, QString("communityctl: API key 4 is already revoked\n"));
    QCOMPARE(server.requests.size(), 2); // no DELETE
}

void TestCtlAdmin::outboxQuery()
{
    FakeHttpServer server;
    QVERIFY(server.start());
    server.route("GET /v1/admin/auth/outbox?after=8&limit=1", 200,
                 R"({"items":[{"id":9,"type":"auth.password_reset_requested","payload":{"token":"t"}}],"nextAfter":9})");
    server.route("GET /v1/admin/auth/outbox", 200, R"({"items":[],"nextAfter":0})");
    Run r = run({"--server", server.url(), "auth", "outbox", "--after", "8", "--limit", "1"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QVERIFY2(r.out.contains("auth.password_reset_requested"), qPrintable(r.out));
    QCOMPARE(r.err, QString("communityctl: more events may follow: --after 9\n"));

    r = run({"--server", server.url(), "-o", "json", "auth", "outbox"});
    QCOMPARE(r.exitCode, int(ExitOk));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("nextAfter").toInt(), 0);
    r = run({"--server", server.url(), "auth", "outbox"});
    QCOMPARE(r.out, QString("no events\n"));
}

QTEST_GUILESS_MAIN(TestCtlAdmin)
#include "tst_ctladmin.moc"
