// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's audit and queue commands, the built binary against a live communityd with
// the real plugins: audit list/verify (exit 1 on a broken chain), queue list/show/claim/act
// with --dry-run writing nothing and confirmation refused without --yes; `queue act --items`
// (the per-item table, exit 1 when an item failed) and `queue undo`.

#include "adminhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace Admin::Test;

class TstCtlModeration : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    QString m_itemId;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl")), "communityctl is not built");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        Account author = m_http.registerUser(QStringLiteral("author"));
        Account reporter = m_http.registerUser(QStringLiteral("reporter"));
        QVERIFY(!m_http.createCommunity(author, QStringLiteral("ctl")).isEmpty());
        const QString post = m_http.createPost(author, QStringLiteral("ctl"), QStringLiteral("Spam")).value("id").toString();
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                             AdminHttp::json({{"targetType", "post"}, {"targetId", post}, {"reason", "spam"}}))
                     .status,
                 201);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/admin/users/reporter/suspend"), m_http.admin.token,
                             AdminHttp::json({{"reason", "ctl test"}}))
                     .status,
                 200);
        QDeadlineTimer deadline(15'000);
        while (m_itemId.isEmpty() && !deadline.hasExpired()) {
            const QJsonArray items = m_http.op("GET", QStringLiteral("/v1/admin/queue")).json().value("items").toArray();
            if (!items.isEmpty())
                m_itemId = items.first().toObject().value("id").toString();
            else
                QThread::msleep(100);
        }
        QVERIFY(!m_itemId.isEmpty());
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=user.suspend")).size(), 1);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void auditListShowsTheRows()
    {
        auto r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--action"), QStringLiteral("user.")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("user.suspend")) && r.out.contains(QStringLiteral("ctl test")), qPrintable(r.out));
        r = m_http.ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("audit"), QStringLiteral("list")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!QJsonDocument::fromJson(r.out.toUtf8()).object().value("items").toArray().isEmpty());
    }

    void queueListShowClaim()
    {
        auto r = m_http.ctl({QStringLiteral("queue"), QStringLiteral("list")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("spam")) && r.out.contains(QStringLiteral("open")), qPrintable(r.out));
        r = m_http.ctl({QStringLiteral("queue"), QStringLiteral("show"), m_itemId});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("REPORTER")));
        r = m_http.ctl({QStringLiteral("queue"), QStringLiteral("show"), QStringLiteral("999999")});
        QCOMPARE(r.exitCode, 1);
    }

    void actNeedsConfirmationAndDryRunWritesNothing()
    {
        const QStringList act{QStringLiteral("queue"), QStringLiteral("act"), m_itemId, QStringLiteral("--action"),
                              QStringLiteral("remove"), QStringLiteral("--action"), QStringLiteral("suspend:2"),
                              QStringLiteral("--action"), QStringLiteral("silence:7"), QStringLiteral("--reason"),
                              QStringLiteral("spam")};
        auto r = m_http.ctl(act);   // stdin is not a terminal: refused
        QCOMPARE(r.exitCode, 2);
        r = m_http.ctl(act + QStringList{QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("would decide queue item")) && r.out.contains(QStringLiteral("suspend 2 days"))
                     && r.out.contains(QStringLiteral("silence 7 days")),
                 qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 0);
        QCOMPARE(m_http.ctl({QStringLiteral("queue"), QStringLiteral("act"), m_itemId, QStringLiteral("--action"),
                             QStringLiteral("suspend:x"), QStringLiteral("--reason"), QStringLiteral("r"), QStringLiteral("-y")})
                     .exitCode,
                 2);
        r = m_http.ctl(act + QStringList{QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("resolved")), qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 1);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.penalties WHERE kind = 'suspend'"), 1);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.penalties WHERE kind = 'silence'"
                               " AND ends_at BETWEEN now() + interval '6 days 23 hours' AND now() + interval '7 days'"),
                 1);
        // The decision's consequences reach the audit log through events (auth's suspension,
        // content's report resolution); wait for them so later tests see a settled log.
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=report.resolve")).size(), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=user.suspend"), 2).size(), 2);
    }

    void auditTailShowsTheLatestAndFollows()
    {
        const QJsonArray newest = m_http.op("GET", QStringLiteral("/v1/admin/audit?limit=2")).json().value("items").toArray();
        QCOMPARE(newest.size(), 2);
        auto r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("tail"), QStringLiteral("-n"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);   // oldest first
        QVERIFY2(lines[0].startsWith(newest[1].toObject().value("seq").toString() + "  "), qPrintable(r.out));
        QVERIFY2(lines[1].startsWith(newest[0].toObject().value("seq").toString() + "  "), qPrintable(r.out));

        // -f: nothing old (-n 0), then each new staff action as it is recorded, until SIGTERM.
        const auto follow = m_http.startCtl({QStringLiteral("audit"), QStringLiteral("tail"), QStringLiteral("-n"),
                                             QStringLiteral("0"), QStringLiteral("-f"), QStringLiteral("--interval"),
                                             QStringLiteral("200")});
        QVERIFY(follow->waitForStarted(10'000));
        QTest::qWait(600);
        QCOMPARE(m_http.op("POST", QStringLiteral("/v1/admin/rules"),
                           AdminHttp::json({{"kind", "word"}, {"pattern", "tailed"}, {"action", "flag"}})).status,
                 201);
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += follow->readAllStandardOutput()).contains("rule.add"), 10'000);
        QCOMPARE(out.count('\n'), 1);
        follow->terminate();
        QVERIFY(follow->waitForFinished(10'000));
        QCOMPARE(follow->exitCode(), 0);
    }

    void auditExportWritesEveryRowOrNothing()
    {
        const qint64 total = m_http.scalar("SELECT count(*) FROM admin.audit_log");
        QVERIFY(total >= 3);
        QTemporaryDir dir;
        const QString csvPath = dir.filePath(QStringLiteral("audit.csv"));
        auto r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--file"), csvPath});
        QCOMPARE(r.exitCode, 0);
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray data = csv.readAll();
        QVERIFY(data.startsWith("seq,occurredAt,actorKind,actor,action,"));
        r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("json"),
                        QStringLiteral("--action"), QStringLiteral("rule.")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray rules = QJsonDocument::fromJson(r.out.toUtf8()).object().value("items").toArray();
        QCOMPARE(rules.size(), m_http.scalar("SELECT count(*) FROM admin.audit_log WHERE action LIKE 'rule.%'"));
        r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("items").toArray().size(), total);
        // A file that cannot be written: exit 1, nothing left behind.
        const QString blocked = dir.filePath(QStringLiteral("missing/audit.csv"));
        r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--file"), blocked});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList{QStringLiteral("audit.csv")});
    }

    void rulesAndPenalties()
    {
        auto r = m_http.ctl({QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("casino"), QStringLiteral("--action"),
                             QStringLiteral("block")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("casino")) && r.out.contains(QStringLiteral("block")), qPrintable(r.out));
        QCOMPARE(m_http.ctl({QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("a(b"), QStringLiteral("--kind"),
                             QStringLiteral("regex")}).exitCode,
                 1);   // the server's field error
        const QString id = QString::number(m_http.scalar("SELECT id FROM admin.watch_rules WHERE pattern = 'casino'"));
        r = m_http.ctl({QStringLiteral("rules"), QStringLiteral("list")});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("casino")), qPrintable(r.out));
        r = m_http.ctl({QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("the Casino is open")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("block (rules %1)\n").arg(id));
        QCOMPARE(m_http.ctl({QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("quiet")}).out, QStringLiteral("nothing\n"));
        const QStringList remove{QStringLiteral("rules"), QStringLiteral("remove"), id};
        QCOMPARE(m_http.ctl(remove).exitCode, 2);   // not a terminal, no --yes
        r = m_http.ctl(remove + QStringList{QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("casino")), qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.watch_rules WHERE removed_at IS NULL AND pattern = 'casino'"), 1);
        QCOMPARE(m_http.ctl(remove + QStringList{QStringLiteral("-y")}).exitCode, 0);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.watch_rules WHERE removed_at IS NULL AND pattern = 'casino'"), 0);
        QCOMPARE(m_http.ctl(remove + QStringList{QStringLiteral("-y")}).exitCode, 1);

        // The decision of actNeedsConfirmation... gave the author a suspension and a silence.
        const QString author = QString::number(m_http.scalar("SELECT user_id FROM admin.penalties WHERE kind = 'silence'"));
        r = m_http.ctl({QStringLiteral("users"), QStringLiteral("penalties"), author});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("silence")) && r.out.contains(QStringLiteral("suspend")), qPrintable(r.out));
    }

    void bulkActAndUndo()
    {
        Account author = m_http.registerUser(QStringLiteral("bulkauthor"));
        Account reporter = m_http.registerUser(QStringLiteral("bulkreporter"));
        QStringList items;
        for (const char *title : {"Bulk one", "Bulk two"}) {
            const QString post = m_http.createPost(author, QStringLiteral("ctl"), QString::fromLatin1(title)).value("id").toString();
            QCOMPARE(m_http.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                                 AdminHttp::json({{"targetType", "post"}, {"targetId", post}, {"reason", "spam"}}))
                         .status,
                     201);
            items << m_http.waitForQueueItem(post, 1).value("id").toString();
        }
        const qint64 decisionsBefore = m_http.scalar("SELECT count(*) FROM admin.decisions");
        const QStringList act{QStringLiteral("queue"), QStringLiteral("act"), QStringLiteral("--items"),
                              items.join(QLatin1Char(',')) + QStringLiteral(",999999"), QStringLiteral("--action"),
                              QStringLiteral("hide"), QStringLiteral("--reason"), QStringLiteral("spam wave")};
        QCOMPARE(m_http.ctl(act).exitCode, 2);   // not a terminal, no --yes
        // The dry run is the server's: a row per item, exit 1 because one would fail, nothing written.
        auto r = m_http.ctl(act + QStringList{QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("ready")) && r.out.contains(QStringLiteral("not-found"))
                     && r.out.contains(QStringLiteral("would decide 3 queue items (2 ready, 1 refused)")),
                 qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), decisionsBefore);
        QCOMPARE(m_http.ctl({QStringLiteral("queue"), QStringLiteral("act"), items.first(), QStringLiteral("--items"),
                             items.last(), QStringLiteral("--action"), QStringLiteral("hide"), QStringLiteral("--reason"),
                             QStringLiteral("r"), QStringLiteral("-y")})
                     .exitCode,
                 2);   // an id and --items
        // For real: the two are decided, the missing one reported; exit 1 says not everything went.
        r = m_http.ctl(QStringList{QStringLiteral("-o"), QStringLiteral("json")} + act + QStringList{QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject answer = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(answer.value("succeeded").toInt(), 2);
        QCOMPARE(answer.value("failed").toInt(), 1);
        const QString decision = answer.value("results").toArray().first().toObject().value("decisionId").toString();
        QVERIFY(!decision.isEmpty());
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), decisionsBefore + 2);

        const QStringList undo{QStringLiteral("queue"), QStringLiteral("undo"), decision, QStringLiteral("--reason"),
                               QStringLiteral("wrong one")};
        QCOMPARE(m_http.ctl(undo).exitCode, 2);
        r = m_http.ctl(undo + QStringList{QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("would undo decision ") + decision), qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions WHERE undone_at IS NOT NULL"), 0);
        r = m_http.ctl(undo + QStringList{QStringLiteral("--yes")});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("decision %1 undone: item %2 open").arg(decision, items.first())),
                 qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions WHERE undone_at IS NOT NULL"), 1);
        r = m_http.ctl(undo + QStringList{QStringLiteral("--yes")});
        QVERIFY2(r.exitCode == 1 && r.err.contains(QStringLiteral("409")), qPrintable(r.err));   // already undone
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.undo&targetId=") + decision).size(), 1);
    }

    // Last: it breaks the chain on purpose.
    void auditVerifyExitsOneOnABrokenChain()
    {
        auto r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("audit chain ok: ")), qPrintable(r.out));
        QVERIFY(m_http.exec("SET session_replication_role = replica;"
                            " UPDATE admin.audit_log SET actor_name = 'someone else' WHERE seq = 1"));
        r = m_http.ctl({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("BROKEN at row 1: hash_mismatch")), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TstCtlModeration)
#include "tst_ctlmoderation.moc"
