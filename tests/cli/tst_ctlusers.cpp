// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The built communityctl's admin commands (users, keys, auth outbox) against a live
// communityd with the auth plugin. stdin of the binary is a pipe, never a terminal: a
// destructive command without --yes must refuse (exit 2) and change nothing.
#include "daemonprocess.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using Community::Test::HttpResult;

namespace {

struct CtlRun
{
    int exitCode = -1;
    QString out;
    QString err;

    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

const QRegularExpression::PatternOption kLines = QRegularExpression::MultilineOption;

} // namespace

class TestCtlUsers : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void createAndShow();
    void createWithPasswordFromStdin();
    void createConflictIsOneLineExit1();
    void showUnknownIsExit1();
    void listPagesAndAll();
    void setRoleDryRunRefuseApply();
    void suspendAndUnsuspend();
    void resetPassword();
    void disableTwoFactor();
    void apiKeysCycle();
    void outboxShowsPasswordReset();

private:
    CtlRun ctl(QStringList args, const QByteArray &stdinData = {});
    QJsonObject user(const QString &name);
    HttpResult post(const QString &path, const QJsonObject &body, const QByteArray &bearer = {});
    bool createUser(const QString &name, const QString &password = {});

    Community::Test::DaemonProcess m_daemon;
    QString m_server;
    QString m_token;
};

void TestCtlUsers::initTestCase()
{
    QVERIFY2(QFileInfo::exists(COMMUNITY_BIN_DIR "/communityctl"), "communityctl is not built");
    Community::Test::DaemonProcess::Options options{.pluginDirs = {COMMUNITY_PLUGIN_DIR}};
    options.extraArgs = QStringList{
        "--set", "plugins.auth.passwordHash.opsLimit=1",
        "--set", "plugins.auth.passwordHash.memLimitBytes=65536",
        "--set", "gateway.rateLimits.auth.perIp.rate=10000",
        "--set", "gateway.rateLimits.auth.perIp.burst=10000",
    };
    QVERIFY2(m_daemon.start(options), qPrintable(m_daemon.errorString()));
    m_server = m_daemon.baseUrl().toString();
    m_token = m_daemon.operatorToken();
    QVERIFY(!m_token.isEmpty());
    // The auth plugin must be up (its routes answer 503 while it waits for migrations).
    QTRY_COMPARE_WITH_TIMEOUT(m_daemon.operatorRequest("GET", "/v1/admin/users").status, 200, 30000);
}

void TestCtlUsers::cleanupTestCase()
{
    m_daemon.stop();
}

CtlRun TestCtlUsers::ctl(QStringList args, const QByteArray &stdinData)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith("COMMUNITY_") || key.compare("http_proxy", Qt::CaseInsensitive) == 0)
            env.remove(key);
    }
    args = QStringList{"--server", m_server, "--token", m_token} + args;
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(COMMUNITY_BIN_DIR "/communityctl", args);
    CtlRun r;
    if (!process.waitForStarted(10000)) {
        r.err = "communityctl did not start: " + process.errorString();
        return r;
    }
    process.write(stdinData);
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

QJsonObject TestCtlUsers::user(const QString &name)
{
    const HttpResult r = m_daemon.operatorRequest("GET", "/v1/admin/users/" + name);
    return r.status == 200 ? r.json().value("user").toObject() : QJsonObject{};
}

HttpResult TestCtlUsers::post(const QString &path, const QJsonObject &body, const QByteArray &bearer)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!bearer.isEmpty())
        headers.append({"Authorization", "Bearer " + bearer});
    return Community::Test::httpRequest(m_daemon.url(path), "POST",
                                        QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}

bool TestCtlUsers::createUser(const QString &name, const QString &password)
{
    QJsonObject body{{"username", name}, {"email", name + "@example.org"}};
    if (!password.isEmpty())
        body.insert("password", password);
    const HttpResult r = m_daemon.operatorRequest("POST", "/v1/admin/users",
                                                  QJsonDocument(body).toJson(QJsonDocument::Compact));
    return r.status == 201;
}

#define CTL_EXPECT(run, code)                                                                \
    QVERIFY2((run).exitCode == (code),                                                       \
             qPrintable(QString("exit %1, expected %2\nstdout:\n%3\nstderr:\n%4\ndaemon:\n%5") \
                            .arg((run).exitCode)                                             \
                            .arg(code)                                                       \
                            .arg((run).out, (run).err, QString(m_daemon.output()).right(3000))))

void TestCtlUsers::createAndShow()
{
    const CtlRun json = ctl({"-o", "json", "users", "create", "carol", "--email", "carol@example.org",
                             "--role", "moderator"});
    CTL_EXPECT(json, 0);
    const QJsonObject created = json.json();
    QCOMPARE(created.value("user").toObject().value("username").toString(), QString("carol"));
    QCOMPARE(created.value("user").toObject().value("role").toString(), QString("moderator"));
    QCOMPARE(created.value("user").toObject().value("mustChangePassword").toBool(), true);
    const QString password = created.value("password").toString();
    QVERIFY2(password.size() >= 10, qPrintable(json.out));
    QVERIFY2(json.err.contains("shown only now"), qPrintable(json.err));
    // The generated password works once for a login.
    const HttpResult login = post("/v1/auth/login", {{"login", "carol"}, {"password", password}});
    QVERIFY2(login.status == 200, login.body.constData());

    const CtlRun table = ctl({"users", "show", "carol"});
    CTL_EXPECT(table, 0);
    QVERIFY2(table.out.contains(QRegularExpression("^role +moderator$", kLines)), qPrintable(table.out));
    QVERIFY2(table.out.contains(QRegularExpression("^email +carol@example.org$", kLines)), qPrintable(table.out));

    const CtlRun show = ctl({"users", "show", "CAROL", "-o", "json"});
    CTL_EXPECT(show, 0);
    QCOMPARE(show.json().value("user").toObject(), user("carol"));
    QCOMPARE(show.json().value("user").toObject().keys(), user("carol").keys());

    // A table create prints the generated password after the user block.
    const CtlRun plain = ctl({"users", "create", "carol2", "--email", "carol2@example.org"});
    CTL_EXPECT(plain, 0);
    QVERIFY2(plain.out.contains(QRegularExpression("^username +carol2$", kLines)), qPrintable(plain.out));
    QVERIFY2(plain.out.contains(QRegularExpression("^password: \\S{10,}$", kLines)), qPrintable(plain.out));
}

void TestCtlUsers::createWithPasswordFromStdin()
{
    const CtlRun r = ctl({"users", "create", "dave", "--email", "dave@example.org", "--password-stdin"},
                         "Dave-Chooses-A-Long-One-42\n");
    CTL_EXPECT(r, 0);
    QVERIFY2(!r.out.contains("password:"), qPrintable(r.out));
    QVERIFY(!r.out.contains("Dave-Chooses"));
    const HttpResult login = post("/v1/auth/login", {{"login", "dave"}, {"password", "Dave-Chooses-A-Long-One-42"}});
    QVERIFY2(login.status == 200, login.body.constData());

    const CtlRun weak = ctl({"users", "create", "dave2", "--email", "dave2@example.org", "--password-stdin"},
                            "short\n");
    CTL_EXPECT(weak, 1);
    QCOMPARE(weak.err.count('\n'), 1);
    QVERIFY2(weak.err.startsWith("communityctl: 400 ") && weak.err.contains("password"), qPrintable(weak.err));
    QVERIFY(user("dave2").isEmpty());
}

void TestCtlUsers::createConflictIsOneLineExit1()
{
    QVERIFY(createUser("erin"));
    const CtlRun r = ctl({"users", "create", "erin", "--email", "erin-other@example.org"});
    CTL_EXPECT(r, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("communityctl: 409 ") && r.err.contains("username: This username is taken."),
             qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCtlUsers::showUnknownIsExit1()
{
    CtlRun r = ctl({"users", "show", "nobody-here"});
    CTL_EXPECT(r, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("communityctl: 404 "), qPrintable(r.err));
    // Destructive commands fail the same way before asking anything.
    r = ctl({"users", "suspend", "nobody-here", "--yes"});
    CTL_EXPECT(r, 1);
    QVERIFY2(r.err.startsWith("communityctl: 404 "), qPrintable(r.err));
}

void TestCtlUsers::listPagesAndAll()
{
    for (int i = 1; i <= 5; ++i)
        QVERIFY(createUser(QString("pager%1").arg(i)));

    const CtlRun page = ctl({"-o", "json", "users", "list", "--query", "PAGER", "--limit", "2"});
    CTL_EXPECT(page, 0);
    QCOMPARE(page.json().value("items").toArray().size(), 2);
    const QString cursor = page.json().value("nextCursor").toString();
    QVERIFY2(!cursor.isEmpty(), qPrintable(page.out));

    const CtlRun next = ctl({"-o", "json", "users", "list", "--query", "pager", "--limit", "2", "--cursor", cursor});
    CTL_EXPECT(next, 0);
    QCOMPARE(next.json().value("items").toArray().at(0).toObject().value("username").toString(), QString("pager3"));

    const CtlRun all = ctl({"-o", "json", "users", "list", "--query", "pager", "--limit", "2", "--all"});
    CTL_EXPECT(all, 0);
    const QJsonArray items = all.json().value("items").toArray();
    QCOMPARE(items.size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(items.at(i).toObject().value("username").toString(), QString("pager%1").arg(i + 1));
    QVERIFY(all.json().value("nextCursor").isNull());

    const CtlRun table = ctl({"users", "list", "--query", "pager", "--all"});
    CTL_EXPECT(table, 0);
    QVERIFY2(table.out.startsWith("ID  USERNAME"), qPrintable(table.out));
    QCOMPARE(table.out.count('\n'), 6);
    QVERIFY(table.err.isEmpty());

    const CtlRun paged = ctl({"users", "list", "--query", "pager", "--limit", "2"});
    CTL_EXPECT(paged, 0);
    QCOMPARE(paged.out.count('\n'), 3);
    QVERIFY2(paged.err.startsWith("communityctl: more users: --cursor "), qPrintable(paged.err));

    const CtlRun none = ctl({"users", "list", "--query", "zzz-nobody"});
    CTL_EXPECT(none, 0);
    QCOMPARE(none.out, QString("no users\n"));
}

void TestCtlUsers::setRoleDryRunRefuseApply()
{
    QVERIFY(createUser("frank"));

    CtlRun r = ctl({"users", "set-role", "frank", "admin", "--dry-run"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("would set role of frank: user -> admin (dry run, nothing changed)\n"));
    QCOMPARE(user("frank").value("role").toString(), QString("user"));

    r = ctl({"-o", "json", "users", "set-role", "frank", "admin", "--dry-run"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.json().value("dryRun").toBool(), true);
    QCOMPARE(r.json().value("current").toObject(), user("frank"));
    QCOMPARE(r.json().value("change").toObject().value("role").toObject().value("to").toString(), QString("admin"));
    QCOMPARE(user("frank").value("role").toString(), QString("user"));

    // stdin is a pipe: even a "y" on it is no confirmation.
    r = ctl({"users", "set-role", "frank", "admin"}, "y\n");
    CTL_EXPECT(r, 2);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains("--yes"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    QCOMPARE(user("frank").value("role").toString(), QString("user"));

    r = ctl({"users", "set-role", "frank", "admin", "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("frank: role is now admin\n"));
    QCOMPARE(user("frank").value("role").toString(), QString("admin"));

    r = ctl({"-o", "json", "users", "set-role", "frank", "moderator", "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.json().value("user").toObject(), user("frank"));
    QCOMPARE(user("frank").value("role").toString(), QString("moderator"));
}

void TestCtlUsers::suspendAndUnsuspend()
{
    QVERIFY(createUser("grace", "Grace-Long-Password-7"));

    CtlRun r = ctl({"users", "suspend", "grace", "--reason", "spam", "--dry-run"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("would suspend grace: active -> suspended (reason: spam) (dry run, nothing changed)\n"));
    QCOMPARE(user("grace").value("state").toString(), QString("active"));

    r = ctl({"users", "suspend", "grace", "--reason", "spam"});
    CTL_EXPECT(r, 2);
    QCOMPARE(user("grace").value("state").toString(), QString("active"));

    r = ctl({"-o", "json", "users", "suspend", "grace", "--reason", "spam", "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.json().value("user").toObject().value("state").toString(), QString("suspended"));
    QCOMPARE(user("grace").value("suspendedReason").toString(), QString("spam"));
    const HttpResult login = post("/v1/auth/login", {{"login", "grace"}, {"password", "Grace-Long-Password-7"}});
    QVERIFY2(login.status != 200, login.body.constData());

    r = ctl({"users", "unsuspend", "grace", "--dry-run"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.startsWith("would unsuspend grace: suspended -> active"), qPrintable(r.out));
    QCOMPARE(user("grace").value("state").toString(), QString("suspended"));
    r = ctl({"users", "unsuspend", "grace"});
    CTL_EXPECT(r, 2);
    QCOMPARE(user("grace").value("state").toString(), QString("suspended"));

    r = ctl({"users", "unsuspend", "grace", "-y"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("grace: active\n"));
    QCOMPARE(user("grace").value("state").toString(), QString("active"));
    QVERIFY(!user("grace").contains("suspendedReason"));
}

void TestCtlUsers::resetPassword()
{
    QVERIFY(createUser("heidi", "Heidi-Long-Password-7"));

    CtlRun r = ctl({"users", "reset-password", "heidi", "--dry-run"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.startsWith("would reset the password of heidi"), qPrintable(r.out));
    QCOMPARE(post("/v1/auth/login", {{"login", "heidi"}, {"password", "Heidi-Long-Password-7"}}).status, 200);

    r = ctl({"users", "reset-password", "heidi"});
    CTL_EXPECT(r, 2);
    QCOMPARE(post("/v1/auth/login", {{"login", "heidi"}, {"password", "Heidi-Long-Password-7"}}).status, 200);

    r = ctl({"-o", "json", "users", "reset-password", "heidi", "--yes"});
    CTL_EXPECT(r, 0);
    const QString password = r.json().value("password").toString();
    QVERIFY2(!password.isEmpty(), qPrintable(r.out));
    QVERIFY2(r.err.contains("shown only now"), qPrintable(r.err));
    QVERIFY(post("/v1/auth/login", {{"login", "heidi"}, {"password", "Heidi-Long-Password-7"}}).status != 200);
    QCOMPARE(post("/v1/auth/login", {{"login", "heidi"}, {"password", password}}).status, 200);

    r = ctl({"users", "reset-password", "heidi", "--yes"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.contains(QRegularExpression("\\Anew password for heidi: \\S{10,}\n\\z")), qPrintable(r.out));
}

void TestCtlUsers::disableTwoFactor()
{
    QVERIFY(createUser("ivan"));
    CtlRun r = ctl({"users", "disable-2fa", "ivan", "--dry-run"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.startsWith("would disable two-factor authentication of ivan"), qPrintable(r.out));
    r = ctl({"users", "disable-2fa", "ivan"});
    CTL_EXPECT(r, 2);
    r = ctl({"-o", "json", "users", "disable-2fa", "ivan", "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.json().value("disabled").toBool(), false);
    QCOMPARE(r.json().value("user").toObject().value("username").toString(), QString("ivan"));
    r = ctl({"users", "disable-2fa", "ivan", "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("ivan: two-factor authentication was not enabled\n"));
}

void TestCtlUsers::apiKeysCycle()
{
    CtlRun r = ctl({"-o", "json", "keys", "create", "ci-admin", "--scope", "admin"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.err, QString("communityctl: store the key now: it is not shown again\n"));
    const QString adminKeyId = r.json().value("id").toString();
    const QByteArray adminKey = r.json().value("key").toString().toLatin1();
    QVERIFY2(adminKey.startsWith("cpk_"), qPrintable(r.out));

    r = ctl({"keys", "create", "reader", "--scope", "users:read", "--scope", "content:read"});
    CTL_EXPECT(r, 0);
    const QRegularExpressionMatch keyLine = QRegularExpression("^key +(cpk_\\S+)$", kLines).match(r.out);
    QVERIFY2(keyLine.hasMatch(), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("^scopes +users:read,content:read$", kLines)), qPrintable(r.out));
    const QByteArray readerKey = keyLine.captured(1).toLatin1();

    // The admin-scoped key works on the admin API; a key without the scope does not.
    const QUrl users = m_daemon.url("/v1/admin/users");
    HttpResult h = Community::Test::httpRequest(users, "GET", {}, {{"Authorization", "Bearer " + adminKey}});
    QVERIFY2(h.status == 200, h.body.constData());
    h = Community::Test::httpRequest(users, "GET", {}, {{"Authorization", "Bearer " + readerKey}});
    QVERIFY2(h.status == 403, h.body.constData());

    r = ctl({"-o", "json", "keys", "list"});
    CTL_EXPECT(r, 0);
    const QJsonArray keys = r.json().value("items").toArray();
    QJsonObject listed;
    for (const QJsonValue &k : keys) {
        if (k.toObject().value("id").toString() == adminKeyId)
            listed = k.toObject();
    }
    QCOMPARE(listed.value("name").toString(), QString("ci-admin"));
    QCOMPARE(listed.value("revoked").toBool(), false);
    QVERIFY2(!r.out.contains(QString::fromLatin1(adminKey)), "keys list must never show a secret");

    r = ctl({"keys", "list"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.startsWith("ID  NAME"), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("^" + adminKeyId + " +ci-admin +admin ", kLines)), qPrintable(r.out));

    r = ctl({"keys", "revoke", adminKeyId, "--dry-run"});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.startsWith("would revoke API key " + adminKeyId + " (ci-admin, scopes admin"), qPrintable(r.out));
    r = ctl({"keys", "revoke", adminKeyId});
    CTL_EXPECT(r, 2);
    h = Community::Test::httpRequest(users, "GET", {}, {{"Authorization", "Bearer " + adminKey}});
    QVERIFY2(h.status == 200, h.body.constData());

    r = ctl({"-o", "json", "keys", "revoke", adminKeyId, "--yes"});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.json().value("id").toString(), adminKeyId);
    QCOMPARE(r.json().value("revoked").toBool(), true);
    h = Community::Test::httpRequest(users, "GET", {}, {{"Authorization", "Bearer " + adminKey}});
    QVERIFY2(h.status == 401, h.body.constData());

    r = ctl({"keys", "revoke", adminKeyId, "--yes"});
    CTL_EXPECT(r, 1);
    QVERIFY2(r.err.contains("already revoked"), qPrintable(r.err));
    r = ctl({"keys", "revoke", "999999", "--yes"});
    CTL_EXPECT(r, 1);
    QVERIFY2(r.err.startsWith("communityctl: 404 "), qPrintable(r.err));
}

void TestCtlUsers::outboxShowsPasswordReset()
{
    QVERIFY(createUser("judy"));
    CtlRun r = ctl({"-o", "json", "auth", "outbox", "--limit", "500"});
    CTL_EXPECT(r, 0);
    const qint64 before = qint64(r.json().value("nextAfter").toDouble());

    const HttpResult request = post("/v1/auth/password-reset/request", {{"email", "judy@example.org"}});
    QVERIFY2(request.status == 202, request.body.constData());

    r = ctl({"-o", "json", "auth", "outbox", "--after", QString::number(before)});
    CTL_EXPECT(r, 0);
    const QJsonArray items = r.json().value("items").toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject event = items.at(0).toObject();
    QCOMPARE(event.value("type").toString(), QString("auth.password_reset_requested"));
    const QJsonObject payload = event.value("payload").toObject();
    QCOMPARE(payload.value("email").toString(), QString("judy@example.org"));
    const QString token = payload.value("token").toString();
    QVERIFY(!token.isEmpty());

    r = ctl({"auth", "outbox", "--after", QString::number(before)});
    CTL_EXPECT(r, 0);
    QVERIFY2(r.out.startsWith("ID  TYPE"), qPrintable(r.out));
    QVERIFY2(r.out.contains("auth.password_reset_requested"), qPrintable(r.out));
    QVERIFY2(r.out.contains(token), qPrintable(r.out));

    // The token from the outbox resets the password.
    const HttpResult reset = post("/v1/auth/password-reset",
                                  {{"token", token}, {"newPassword", "Judy-Picked-This-One-9"}});
    QVERIFY2(reset.status / 100 == 2, reset.body.constData());
    QCOMPARE(post("/v1/auth/login", {{"login", "judy"}, {"password", "Judy-Picked-This-One-9"}}).status, 200);

    r = ctl({"auth", "outbox", "--after", QString::number(event.value("id").toDouble(), 'f', 0)});
    CTL_EXPECT(r, 0);
    QCOMPARE(r.out, QString("no events\n"));
}

QTEST_GUILESS_MAIN(TestCtlUsers)
#include "tst_ctlusers.moc"
