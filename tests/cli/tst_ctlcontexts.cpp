// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
//
// Issue 16: contexts like kubectl's (a 0600 file shared with the console, `--context`, the
// context named in every confirmation), the client/server version check, and shell
// completion generated from the command tree (the bash one exercised with compgen).
#include "commands.h"
#include "ctlapp.h"
#include "ctlrun.h"
#include "fakehttpserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>


using namespace Community::Ctl;
using Community::Ctl::Test::Run;
using Community::Ctl::Test::run;

namespace {

QByteArray info(const char *version)
{
    return QByteArray(R"({"version":")") + version + R"(","node":"n1","startedAt":"2024-05-01T10:00:00Z",)"
           R"("uptimeSeconds":42,"database":{"mode":"embedded"},"services":[],"plugins":[]})";
}

void serveNode(FakeHttpServer &server, const char *version = COMMUNITY_VERSION)
{
    server.route("GET /healthz", 200, R"({"status":"ok"})");
    server.route("GET /readyz", 200, R"({"status":"ready","checks":{}})");
    server.route("GET /v1/system/info", 200, info(version));
}

const QByteArray kAlice =
    R"({"user":{"id":7,"username":"alice","email":"alice@example.org","role":"user",)"
    R"("state":"active","emailVerified":false,"mustChangePassword":false,)"
    R"("createdAt":"2024-05-01T10:00:00Z"}})";

/// The words bash completes after `line` (the cursor at its end), with the generated script.
QStringList complete(const QString &script, const QString &line)
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("c.bash")));
    if (!f.open(QIODevice::WriteOnly))
        return {QStringLiteral("<no file>")};
    f.write(script.toUtf8());
    f.close();
    const QString program = QStringLiteral(
        "source %1\n"
        "COMP_LINE=\"$LINE\"; read -r -a COMP_WORDS <<< \"$LINE\"\n"
        "[[ $LINE == *' ' ]] && COMP_WORDS+=('')\n"
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "_communityctl\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n").arg(f.fileName());
    QProcess bash;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LINE"), line);
    bash.setProcessEnvironment(env);
    bash.start(QStringLiteral("bash"), {QStringLiteral("--norc"), QStringLiteral("-c"), program});
    bash.waitForFinished(10'000);
    return QString::fromUtf8(bash.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestCtlContexts : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_file;

private slots:
    void initTestCase()
    {
        for (const char *name : {"COMMUNITY_SERVER", "COMMUNITY_TOKEN", "COMMUNITY_TOKEN_FILE", "COMMUNITY_CONTEXT"})
            qunsetenv(name);
        m_file = m_dir.filePath(QStringLiteral("config/community/contexts.json"));
        qputenv("COMMUNITY_CONTEXTS", m_file.toUtf8());
    }

    void init() { QFile::remove(m_file); }

    void addUseListRemove()
    {
        FakeHttpServer prod;
        QVERIFY(prod.start());
        serveNode(prod);
        Run r = run({"context", "add", "prod", "--url", prod.url(), "--with-token", "s3cret-prod"});
        QCOMPARE(r.exitCode, int(ExitOk));
        QVERIFY2(r.out.contains("(current)"), qPrintable(r.out));   // the first one becomes current
        QCOMPARE(QFile(m_file).permissions() & ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser),
                 QFileDevice::Permissions{});
        QCOMPARE(run({"context", "add", "local", "--url", "http://127.0.0.1:1", "--with-token-file", "/nonexistent"}).exitCode,
                 int(ExitOk));

        // No --server: the current context's server and token.
        r = run({"status"});
        QCOMPARE(r.exitCode, int(ExitOk));
        QCOMPARE(prod.requests.value(0).headers.value("authorization"), QByteArray("Bearer s3cret-prod"));

        r = run({"context", "list"});
        QCOMPARE(r.exitCode, int(ExitOk));
        QVERIFY2(!r.out.contains("s3cret"), "a token is never printed");
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\*\\s+prod\\s+http://127\\.0\\.0\\.1:\\d+\\s+token"))), qPrintable(r.out));
        QVERIFY2(r.out.contains("token file /nonexistent"), qPrintable(r.out));
        r = run({"-o", "json", "context", "list"});
        const QJsonArray list = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(list.size(), 2);
        QVERIFY(!r.out.contains("s3cret"));
        QCOMPARE(run({"context", "list", "--names"}).out, QStringLiteral("prod\nlocal\n"));

        QCOMPARE(run({"context", "use", "local"}).exitCode, int(ExitOk));
        QCOMPARE(run({"context", "current"}).out, QStringLiteral("local\n"));
        // A token file that cannot be read stops the command before any request.
        r = run({"status"});
        QCOMPARE(r.exitCode, int(ExitUsage));
        QVERIFY2(r.err.contains("/nonexistent"), qPrintable(r.err));
        QCOMPARE(run({"context", "use", "nope"}).exitCode, int(ExitUsage));
        QCOMPARE(run({"context", "remove", "local"}).exitCode, int(ExitOk));
        QCOMPARE(run({"context", "current"}).exitCode, int(ExitUsage));
        QCOMPARE(run({"context", "remove", "local"}).exitCode, int(ExitUsage));
        QCOMPARE(run({"context", "add", "bad name", "--url", prod.url()}).exitCode, int(ExitUsage));
        QCOMPARE(run({"context", "add", "x", "--url", "ftp://host"}).exitCode, int(ExitUsage));
    }

    void explicitServerNeverGetsTheContextToken()
    {
        FakeHttpServer prod, other;
        QVERIFY(prod.start() && other.start());
        serveNode(prod);
        serveNode(other);
        QCOMPARE(run({"context", "add", "prod", "--url", prod.url(), "--with-token", "s3cret-prod"}).exitCode, int(ExitOk));
        QCOMPARE(run({"--server", other.url(), "status"}).exitCode, int(ExitOk));
        QVERIFY(!other.requests.isEmpty());
        for (const FakeRequest &req : std::as_const(other.requests))
            QVERIFY(!req.headers.contains("authorization"));
        // --context picks one explicitly; --token beats the stored one.
        QCOMPARE(run({"--context", "prod", "--token", "given", "status"}).exitCode, int(ExitOk));
        QCOMPARE(prod.requests.value(0).headers.value("authorization"), QByteArray("Bearer given"));
        const Run missing = run({"--context", "staging", "status"});
        QCOMPARE(missing.exitCode, int(ExitUsage));
        QVERIFY2(missing.err.contains("no context named \"staging\""), qPrintable(missing.err));
    }

    void fileOthersMayReadIsRefused()
    {
        QCOMPARE(run({"context", "add", "prod", "--url", "http://127.0.0.1:1", "--with-token", "t"}).exitCode, int(ExitOk));
        QVERIFY(QFile::setPermissions(m_file, QFile::permissions(m_file) | QFileDevice::ReadOther));
        const Run r = run({"--context", "prod", "status"});
        QCOMPARE(r.exitCode, int(ExitUsage));
        QVERIFY2(r.err.contains("chmod 600"), qPrintable(r.err));
        QCOMPARE(run({"context", "list"}).exitCode, int(ExitUsage));
    }

    void confirmationNamesTheContext()
    {
        FakeHttpServer prod;
        QVERIFY(prod.start());
        prod.route("GET /v1/admin/users/alice", 200, kAlice);
        QCOMPARE(run({"context", "add", "prod", "--url", prod.url(), "--with-token", "t"}).exitCode, int(ExitOk));
        const Run r = run({"users", "set-role", "alice", "admin"}, "n\n", true);
        QCOMPARE(r.exitCode, int(ExitUsage));
        QVERIFY2(r.err.contains("Target: context prod (" + prod.url()), qPrintable(r.err));
        QVERIFY2(r.err.contains("Target: context prod (") && r.err.indexOf("Target:") < r.err.indexOf("Proceed?"),
                 qPrintable(r.err));
    }

    void versionMismatchIsWarned()
    {
        FakeHttpServer old;
        QVERIFY(old.start());
        serveNode(old, "0.0.9");
        const Run r = run({"--server", old.url(), "status"});
        QCOMPARE(r.exitCode, int(ExitOk));
        QVERIFY2(r.err.contains("warning: the server runs 0.0.9, this communityctl is " COMMUNITY_VERSION), qPrintable(r.err));
    }

    void bashCompletion()
    {
        const Run r = run({"completion", "bash"});
        QCOMPARE(r.exitCode, int(ExitOk));
        QVERIFY(r.out.contains("complete -F _communityctl communityctl"));
        QCOMPARE(complete(r.out, QStringLiteral("communityctl sta")), QStringList{QStringLiteral("status")});
        const QStringList users = complete(r.out, QStringLiteral("communityctl users "));
        QVERIFY2(users.contains(QStringLiteral("set-role")) && users.contains(QStringLiteral("list")), qPrintable(users.join(' ')));
        QVERIFY(!users.contains(QStringLiteral("status")));
        // Options and their values are skipped when finding the command.
        const QStringList afterServer = complete(r.out, QStringLiteral("communityctl --server http://x:1 context "));
        QVERIFY2(afterServer.contains(QStringLiteral("add")), qPrintable(afterServer.join(' ')));
        QCOMPARE(complete(r.out, QStringLiteral("communityctl -o j")), QStringList{QStringLiteral("json")});
        QVERIFY(complete(r.out, QStringLiteral("communityctl context add --u")).contains(QStringLiteral("--url")));
        QCOMPARE(complete(r.out, QStringLiteral("communityctl --server ")), QStringList{});
    }

    void zshAndFishScripts()
    {
        const Run zsh = run({"completion", "zsh"});
        QCOMPARE(zsh.exitCode, int(ExitOk));
        QVERIFY(zsh.out.startsWith("#compdef communityctl\n"));
        const Run fish = run({"completion", "fish"});
        QCOMPARE(fish.exitCode, int(ExitOk));
        QVERIFY(fish.out.contains("complete -c communityctl -n '__communityctl_at '\\''users'\\''' -a 'set-role'"));
        QCOMPARE(run({"completion", "tcsh"}).exitCode, int(ExitUsage));
    }
};

QTEST_GUILESS_MAIN(TestCtlContexts)
#include "tst_ctlcontexts.moc"
